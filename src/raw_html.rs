//! Raw HTML in a slide, held to an allow-list: it is parsed as a browser parses it (lol_html's
//! HTML5 tokenizer), so a tag written over several lines, with character references or odd
//! spacing is seen as the browser sees it. Only the elements and attributes listed here pass;
//! anything that could run code, load something, submit a form or break the page's outline is
//! refused, with what it is and where.
//!
//! The pages carry a strict Content-Security-Policy as well, but the check does not lean on it.

use std::cell::RefCell;

use lol_html::{RewriteStrSettings, element, rewrite_str};

/// Elements a slide may hold, with the attributes each may carry besides [`COMMON`].
const ELEMENTS: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("abbr", &[]),
    ("b", &[]),
    ("bdi", &[]),
    ("bdo", &[]),
    ("blockquote", &["cite"]),
    ("br", &[]),
    ("caption", &[]),
    ("cite", &[]),
    ("code", &[]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("data", &["value"]),
    ("dd", &[]),
    ("del", &["cite", "datetime"]),
    ("dfn", &[]),
    ("div", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("em", &[]),
    ("figcaption", &[]),
    ("figure", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("hr", &[]),
    ("i", &[]),
    ("ins", &["cite", "datetime"]),
    ("kbd", &[]),
    ("li", &["value"]),
    ("mark", &[]),
    ("ol", &["start", "reversed", "type"]),
    ("p", &[]),
    ("pre", &[]),
    ("q", &["cite"]),
    ("rp", &[]),
    ("rt", &[]),
    ("ruby", &[]),
    ("s", &[]),
    ("samp", &[]),
    ("small", &[]),
    ("span", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("sup", &[]),
    ("table", &[]),
    ("tbody", &[]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("tfoot", &[]),
    ("th", &["colspan", "rowspan", "headers", "scope", "abbr"]),
    ("thead", &[]),
    ("time", &["datetime"]),
    ("tr", &[]),
    ("u", &[]),
    ("ul", &[]),
    ("var", &[]),
    ("wbr", &[]),
];

/// Attributes any allowed element may carry (and `aria-*`).
const COMMON: &[&str] = &["class", "lang", "title", "dir", "translate"];

/// Attributes holding an address, and the schemes an address may use (none: a relative address).
const ADDRESSES: &[&str] = &["href", "cite"];
const SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Raw HTML that is refused: what it holds, and the byte offset in it of the element at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub what: String,
    pub at: usize,
}

/// The first thing in `html` outside the allow-list, if any.
pub fn check(html: &str) -> Option<Refusal> {
    let refused = RefCell::new(None::<Refusal>);
    let parsed = rewrite_str(
        html,
        RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
            if refused.borrow().is_some() {
                return Ok(());
            }
            let at = el.source_location().bytes().start;
            let tag = el.tag_name();
            let attributes: Vec<(String, String)> =
                el.attributes().iter().map(|a| (a.name(), a.value())).collect();
            *refused.borrow_mut() = refusal(&tag, &attributes).map(|what| Refusal { what, at });
            Ok(())
        })),
    );
    match parsed {
        Ok(_) => refused.into_inner(),
        Err(e) => Some(Refusal { what: format!("HTML that cannot be read ({e})"), at: 0 }),
    }
}

/// What is wrong with an element `tag` with `attributes`, if anything.
fn refusal(tag: &str, attributes: &[(String, String)]) -> Option<String> {
    let Some((_, own)) = ELEMENTS.iter().find(|(name, _)| *name == tag) else {
        return Some(match tag {
            "img" | "picture" | "svg" => {
                format!("a <{tag}> element (screen pictures go in screen blocks)")
            }
            "h1" | "h2" => {
                format!("a <{tag}> element (a heading inside a slide is `###` or smaller)")
            }
            _ => format!("a <{tag}> element"),
        });
    };
    for (name, value) in attributes {
        let allowed = COMMON.contains(&name.as_str())
            || own.contains(&name.as_str())
            || name.strip_prefix("aria-").is_some_and(|rest| !rest.is_empty());
        if !allowed {
            return Some(attribute_refusal(tag, name));
        }
        if ADDRESSES.contains(&name.as_str())
            && let Some(scheme) = refused_scheme(value)
        {
            return Some(if scheme == "javascript" {
                "a javascript: URL".to_string()
            } else {
                format!("an address with the scheme `{scheme}:` (use https:, mailto: or tel:)")
            });
        }
    }
    None
}

fn attribute_refusal(tag: &str, name: &str) -> String {
    if name.starts_with("on") {
        "an event-handler attribute (on…=)".into()
    } else if name == "style" {
        "a style attribute (inline styles are blocked by the pages' policy; the theme's CSS styles \
         the page)"
            .into()
    } else if name == "data-xref" {
        "a data-xref attribute (tebiki's own; write [[slide:N]] for a cross-reference)".into()
    } else {
        format!("a `{name}` attribute on <{tag}>")
    }
}

/// The scheme of an address as a browser reads it (character references decoded, white space
/// and control characters dropped), if it is not one of [`SCHEMES`].
pub fn refused_scheme(value: &str) -> Option<String> {
    let read: String = decode_references(value)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let end = read.find([':', '/', '?', '#'])?;
    if !read[end..].starts_with(':') {
        return None;
    }
    let scheme = read[..end].to_ascii_lowercase();
    (!SCHEMES.contains(&scheme.as_str())).then_some(scheme)
}

/// `text` with its character references decoded: numeric ones (`&#106;`, `&#x6A`, with or
/// without `;`) and the named ones that matter in an address (`&colon;`, `&Tab;`, `&NewLine;`,
/// `&amp;`, …).
pub fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = rest[len..].strip_prefix(';').unwrap_or(&rest[len..]);
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference (after its `&`) stands for, and the length of its name or number.
fn reference(rest: &str) -> Option<(char, usize)> {
    let lower = rest.to_ascii_lowercase();
    let (digits, radix, skip) = match lower.strip_prefix("#x") {
        Some(hex) => (hex, 16, 2),
        None => match lower.strip_prefix('#') {
            Some(dec) => (dec, 10, 1),
            None => ("", 10, 0),
        },
    };
    let n = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
    if n > 0 {
        let c = u32::from_str_radix(&digits[..n.min(8)], radix).ok().and_then(char::from_u32);
        return Some((c.unwrap_or('\u{FFFD}'), skip + n));
    }
    let named = [("colon", ':'), ("tab", '\t'), ("newline", '\n'), ("amp", '&'), ("lt", '<')];
    let more = [("gt", '>'), ("quot", '"'), ("apos", '\''), ("sol", '/'), ("period", '.')];
    named
        .into_iter()
        .chain(more)
        .find(|(name, _)| lower.starts_with(name))
        .map(|(name, c)| (c, name.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what(html: &str) -> Option<String> {
        check(html).map(|r| r.what)
    }

    #[test]
    fn refuses_what_runs_loads_or_breaks_the_page() {
        assert_eq!(what("<script>alert(1)</script>").as_deref(), Some("a <script> element"));
        assert_eq!(
            what("<p onclick=\"x()\">a</p>").as_deref(),
            Some("an event-handler attribute (on…=)")
        );
        // A tag over two lines, as an HTML block of a slide holds it.
        assert_eq!(
            what("<div\nonclick=\"x()\">a</div>").as_deref(),
            Some("an event-handler attribute (on…=)")
        );
        assert_eq!(what("<details ontoggle=x open>").as_deref(), Some("a <details> element"));
        assert!(
            what("<span style=\"color: red\">x</span>")
                .is_some_and(|w| w.contains("style attribute"))
        );
        assert!(what("<a data-xref=\"3\">x</a>").is_some_and(|w| w.contains("[[slide:N]]")));
        assert!(
            what("<img src=\"https://example.com/a.png\">")
                .is_some_and(|w| w.contains("screen blocks"))
        );
        assert!(what("<h2>x</h2>").is_some_and(|w| w.contains("###")));
        for html in [
            "<a href=\"&#106;avascript:x()\">",
            "<a href=\"&#x4A;avascript&colon;x()\">",
            "<a href=\"java\tscript:x()\">",
            "<a href=\"java\nscript:x()\">",
            "<a href=\"&#0106avascript:x()\">",
            "<a href=\" javascript:x()\">",
        ] {
            assert_eq!(what(html).as_deref(), Some("a javascript: URL"), "{html}");
        }
        assert!(what("<a href=\"data:text/html,x\">").is_some_and(|w| w.contains("`data:`")));
    }

    #[test]
    fn lets_plain_markup_through() {
        for html in [
            "<kbd>Ctrl</kbd>",
            "<br>",
            "<span class=\"x\" lang=\"ja\">ログイン</span>",
            "<a href=\"https://example.jp/a?b=1&amp;c=2#d\">x</a>",
            "<a href=\"#slide-3\">x</a>",
            "<a href=\"mailto:help@example.jp\">x</a>",
            "<!-- a note -->",
            "<kbd>style = x</kbd>",
            "<td colspan=\"2\" aria-label=\"合計\">",
            "</div>",
        ] {
            assert_eq!(what(html), None, "{html}");
        }
    }

    #[test]
    fn names_where_the_refused_element_is() {
        let html = "<p>ok</p>\n<p>ok</p>\n<iframe src=x></iframe>";
        assert_eq!(check(html).map(|r| r.at), html.find("<iframe"));
    }
}
