//! Reading built pages: the elements matching a selector, with their attributes (lol_html).

use std::cell::RefCell;
use std::collections::BTreeMap;

use lol_html::{RewriteStrSettings, element, rewrite_str};

pub type Attrs = BTreeMap<String, String>;

/// Attributes of every element matching `selector`, in document order.
pub fn select(html: &str, selector: &str) -> Vec<Attrs> {
    let found = RefCell::new(Vec::new());
    rewrite_str(
        html,
        RewriteStrSettings::new().append_element_content_handler(element!(selector, |el| {
            let mut attrs: Attrs = el.attributes().iter().map(|a| (a.name(), a.value())).collect();
            attrs.insert("<tag>".into(), el.tag_name());
            found.borrow_mut().push(attrs);
            Ok(())
        })),
    )
    .unwrap();
    found.into_inner()
}

/// The text of the first element matching `selector` (tags stripped).
pub fn text_of(html: &str, selector: &str) -> Option<String> {
    let matches = RefCell::new(0);
    let text = RefCell::new(String::new());
    rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!(selector, |_| {
                *matches.borrow_mut() += 1;
                Ok(())
            }))
            .append_element_content_handler(lol_html::text!(selector, |t| {
                if *matches.borrow() == 1 {
                    text.borrow_mut().push_str(t.as_str());
                }
                Ok(())
            })),
    )
    .unwrap();
    (*matches.borrow() > 0).then(|| decode_entities(&text.into_inner()))
}

/// lol_html hands text over as written; decode the entities our pages use.
fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
