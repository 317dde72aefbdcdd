//! The post-process stage, on each rendered page: minify-html shrinks the page's own markup (and
//! lol_html quotes its attributes again), the slide bodies are put in, then one lol_html pass
//! points cross-references at the page that holds their slide, marks external links, and loads
//! pictures below the first lazily.

use std::cell::RefCell;

use lol_html::html_content::ContentType;
use lol_html::{HtmlRewriter, RewriteStrSettings, Settings, element, rewrite_str};

use crate::diagnostics::Diagnostic;
use crate::render::{Page, page_error};
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
    let external_note = strings.get(&page.lang, "external").to_string();
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
        .append_element_content_handler(element!(
            "a[href^='http://'], a[href^='https://']",
            |el| {
                let class = el
                    .get_attribute("class")
                    .map_or("external".to_string(), |c| format!("{c} external"));
                el.set_attribute("class", &class)?;
                el.append(
                    &format!("<span class=\"visually-hidden\">{external_note}</span>"),
                    ContentType::Html,
                );
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

/// Spec-compliant minification: closing tags, `<html>`/`<head>` and the doctype are kept as they
/// are, so the output stays valid HTML.
pub fn minify(html: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    minify_html::minify(html, &cfg)
}

/// A stylesheet or script minified; other files, and any text the minifiers would not take,
/// are returned as they are. Scripts go through oxc (compressed, local names shortened, comments
/// dropped); stylesheets through lightningcss by way of minify-html (wrapped in `<style>`).
pub fn minify_asset(name: &str, bytes: &[u8]) -> Vec<u8> {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("js") => std::str::from_utf8(bytes)
            .ok()
            .and_then(minify_js)
            .map_or_else(|| bytes.to_vec(), String::into_bytes),
        Some("css") if !bytes.windows(8).any(|w| w.eq_ignore_ascii_case(b"</style>")) => {
            let mut cfg = minify_html::Cfg::new();
            cfg.minify_css = true;
            let out = minify_html::minify(&[b"<style>", bytes, b"</style>"].concat(), &cfg);
            out.strip_prefix(b"<style>")
                .and_then(|o| o.strip_suffix(b"</style>"))
                .map_or_else(|| bytes.to_vec(), <[u8]>::to_vec)
        }
        _ => bytes.to_vec(),
    }
}

/// A classic script minified, or `None` if it does not parse.
fn minify_js(source: &str) -> Option<String> {
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, source, oxc_span::SourceType::cjs()).parse();
    if !parsed.errors.is_empty() || parsed.panicked {
        return None;
    }
    let mut program = parsed.program;
    let options = oxc_minifier::MinifierOptions {
        mangle: Some(oxc_minifier::MangleOptions::default()),
        compress: Some(oxc_minifier::CompressOptions::safest()),
    };
    let minified = oxc_minifier::Minifier::new(options).minify(&allocator, &mut program);
    let code = oxc_codegen::Codegen::new()
        .with_options(oxc_codegen::CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .build(&program)
        .code;
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minifies_stylesheets_and_scripts() {
        let css = minify_asset("a.css", b"/* note */\n.a {\n  color: #ff0000;\n}\n");
        assert_eq!(String::from_utf8(css).unwrap(), ".a{color:red}");
        let js = String::from_utf8(minify_asset("a.js", b"// note\nfunction add(first, second) {\n  return first + second;\n}\nwindow.add = add;\n")).unwrap();
        assert!(!js.contains("note") && js.contains("window.add") && js.len() < 60, "{js}");
        let iife = String::from_utf8(minify_asset(
            "a.js",
            b"(function () { var longName = 1; window.x = longName + 1; })();",
        ))
        .unwrap();
        assert!(!iife.contains("longName"), "local names are shortened: {iife}");
        assert_eq!(minify_asset("a.txt", b"  x  "), b"  x  ");
        assert_eq!(minify_asset("a.js", b"this is not javascript"), b"this is not javascript");
    }

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
