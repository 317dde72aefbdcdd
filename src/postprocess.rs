//! The post-process stage, on each rendered page: minify-html shrinks the page's own markup (and
//! lol_html quotes its attributes again), the slide bodies are put in, then one lol_html pass
//! points cross-references at the page that holds their slide, marks external links (opened in a
//! new tab, which their hidden words say), and loads pictures below the first lazily.

use std::cell::RefCell;

use lol_html::errors::AttributeNameError;
use lol_html::html_content::{ContentType, Element};
use lol_html::{HtmlRewriter, RewriteStrSettings, Settings, element, rewrite_str};

use crate::diagnostics::Diagnostic;
use crate::pages::{Page, page_error};
use crate::site::{Guide, slide_href};
use crate::theme::Strings;

/// The finished bytes of `page`.
///
/// Only the page's own markup is minified: the slide bodies (Markdown's output, already compact)
/// are put in afterwards, so minifying costs the size of the page's frame, not of the guide.
pub fn finish(page: &Page, guide: &Guide, strings: &Strings) -> Result<Vec<u8>, Diagnostic> {
    let minified = String::from_utf8(minify(page.html.as_bytes()))
        .map_err(|e| page_error(page, format!("minification broke the text: {e}")))?;
    let quoted = quote_attributes(page, &minified)?;
    rewrite(page, &quoted, guide, strings)
}

/// Writes every attribute quoted again (`id="slide-13"`, as tests and tools expect): minify-html
/// drops the quotes. Slide bodies keep theirs, so only the page's own markup needs this.
fn quote_attributes(page: &Page, html: &str) -> Result<String, Diagnostic> {
    rewrite_str(
        html,
        RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
            // Setting an attribute writes it quoted.
            for (name, value) in
                el.attributes().iter().map(|a| (a.name(), a.value())).collect::<Vec<_>>()
            {
                el.set_attribute(&name, &value)?;
            }
            Ok(())
        })),
    )
    .map_err(|e| page_error(page, format!("post-processing failed: {e}")))
}

/// The lol_html pass over the page's frame `html` with the slide bodies put in at their marks, as
/// a stream (the whole page is never held twice).
fn rewrite(
    page: &Page,
    html: &str,
    guide: &Guide,
    strings: &Strings,
) -> Result<Vec<u8>, Diagnostic> {
    let external_note = format!(
        "<span class=\"visually-hidden\">{}{}</span>",
        strings.get(&page.lang, "external"),
        strings.get(&page.lang, "new_tab")
    );
    let bad_xref: RefCell<Option<String>> = RefCell::new(None);
    // Pictures load lazily, except the first of a page (likely on the first screen) and all on the
    // print page (so they are there when it is printed).
    let print = page.path.file_name().is_some_and(|n| n == "print.html");
    let pictures = RefCell::new(0);
    let mut size = 0;
    Page::for_each_piece(html, &page.parts, |piece| size += piece.len());
    let mut result = Vec::with_capacity(size + size / 64);
    let settings = Settings::new()
        .append_element_content_handler(element!("figure.screen img", |el| {
            let mut seen = pictures.borrow_mut();
            if print || *seen == 0 {
                el.remove_attribute("loading");
            }
            *seen += 1;
            Ok(())
        }))
        .append_element_content_handler(element!("a[data-xref]", |el| {
            let target = el.get_attribute("data-xref").unwrap_or_default();
            el.remove_attribute("data-xref");
            match target.parse::<u32>() {
                Ok(n) if page.slides.contains(&n) => {
                    el.set_attribute("href", &format!("#slide-{n}"))?
                }
                Ok(n) => el.set_attribute("href", &slide_href(guide, n))?,
                Err(_) => *bad_xref.borrow_mut() = Some(target),
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[data-page]", |el| {
            // A page printed in the handout is on the print page: the link stays on it.
            let name = el.get_attribute("data-page").unwrap_or_default();
            el.remove_attribute("data-page");
            if page.pages.contains(&name) {
                el.set_attribute("href", &format!("#page-{name}"))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!(
            "a[href^='http://'], a[href^='https://']",
            |el| {
                mark_external(el, &external_note)?;
                Ok(())
            }
        ));
    let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| result.extend_from_slice(chunk));
    let mut failed = None;
    Page::for_each_piece(html, &page.parts, |piece| {
        if failed.is_none() {
            failed = rewriter.write(piece.as_bytes()).err();
        }
    });
    match failed {
        Some(e) => return Err(page_error(page, format!("post-processing failed: {e}"))),
        None => {
            rewriter.end().map_err(|e| page_error(page, format!("post-processing failed: {e}")))?
        }
    }
    if let Some(target) = bad_xref.into_inner() {
        return Err(page_error(
            page,
            format!("a template wrote data-xref=\"{target}\", which is not a slide number"),
        ));
    }
    Ok(result)
}

/// An external link: marked (for the icon on screen and the address on paper), opened in a new
/// tab with no access back to this page, and saying both to screen readers (`note`, hidden text;
/// the page's search index is made from the slide text before this pass, so it never holds it).
fn mark_external(el: &mut Element, note: &str) -> Result<(), AttributeNameError> {
    let class =
        el.get_attribute("class").map_or("external".to_string(), |c| format!("{c} external"));
    el.set_attribute("class", &class)?;
    el.set_attribute("target", "_blank")?;
    el.set_attribute("rel", "noopener noreferrer")?;
    el.append(note, ContentType::Html);
    Ok(())
}

/// Spec-compliant minification: closing tags, `<html>`/`<head>` and the doctype are kept as they
/// are, so the output stays valid HTML.
pub fn minify(html: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    minify_html::minify(html, &cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minify_keeps_valid_structure() {
        let out = String::from_utf8(minify(b"<!DOCTYPE html>\n<html lang=\"ja\">\n<head><title>t</title></head>\n<body>\n  <p>a\n  b</p>\n</body></html>")).unwrap();
        assert!(
            out.starts_with("<!doctype html><html lang=ja><head>")
                || out.starts_with("<!DOCTYPE html><html lang=ja><head>"),
            "{out}"
        );
        assert!(out.contains("</p>"), "{out}");
    }
}
