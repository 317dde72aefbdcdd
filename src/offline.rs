//! The one-file edition: each language's print page with every stylesheet, script, the search index
//! and every picture inlined, so the file works alone (e-mailed, or copied by itself onto a USB
//! stick) and makes no request at all. Its Content-Security-Policy allows exactly its own inline
//! scripts and styles, by their SHA-256 hashes.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str};
use sha2::{Digest, Sha256};

/// The file name of the one-file edition, beside `print.html`.
pub const OFFLINE_PAGE: &str = "guide-offline.html";

/// Makes `LANG/guide-offline.html` from the finished `LANG/print.html` and the site's `files`.
pub fn single_file(files: &BTreeMap<PathBuf, Vec<u8>>, lang: &str) -> Result<Vec<u8>, String> {
    let page_dir = Path::new(lang);
    let html = files.get(&page_dir.join("print.html")).ok_or("no print page")?;
    let html = std::str::from_utf8(html).map_err(|e| e.to_string())?;
    let read = |href: &str| -> Result<&Vec<u8>, String> {
        let path = resolve(page_dir, href);
        files.get(&path).ok_or_else(|| format!("{} is not in the site", path.display()))
    };

    // First pass: the scripts in order, and the search index the page loads on demand.
    let scripts = RefCell::new(Vec::<String>::new());
    let index = RefCell::new(None::<String>);
    rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("script[src]", |el| {
                scripts.borrow_mut().extend(el.get_attribute("src"));
                Ok(())
            }))
            .append_element_content_handler(element!("[data-search-index]", |el| {
                *index.borrow_mut() = el.get_attribute("data-search-index");
                Ok(())
            })),
    )
    .map_err(|e| e.to_string())?;
    let mut sources = scripts.into_inner();
    if let Some(index) = index.into_inner() {
        // The index and all its parts go just before the search script, which then finds them loaded.
        let at = sources.iter().position(|s| s.contains("search.")).unwrap_or(sources.len());
        let prefix = format!("search-{lang}-");
        let parts = files
            .keys()
            .filter_map(|p| p.strip_prefix("assets").ok())
            .filter(|p| p.to_string_lossy().starts_with(&prefix))
            .map(|p| format!("../assets/{}", p.display()));
        let all: Vec<String> = std::iter::once(index).chain(parts).collect();
        sources.splice(at..at, all);
    }
    let mut inline_scripts = Vec::new();
    for src in &sources {
        let text = String::from_utf8_lossy(read(src)?).replace("</", "<\\/");
        inline_scripts.push(text);
    }

    // Second pass: inline everything.
    let styles = RefCell::new(Vec::<String>::new());
    let failure = RefCell::new(None::<String>);
    let body_scripts: String = inline_scripts.iter().map(|s| format!("<script>{s}</script>")).collect();
    let html = rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("link[rel='stylesheet'][href]", |el| {
                match el.get_attribute("href").map(|h| read(&h)) {
                    Some(Ok(css)) => {
                        let css = String::from_utf8_lossy(css).replace("</", "<\\/");
                        el.replace(&format!("<style>{css}</style>"), ContentType::Html);
                        styles.borrow_mut().push(css);
                    }
                    Some(Err(e)) => *failure.borrow_mut() = Some(e),
                    None => el.remove(),
                }
                Ok(())
            }))
            .append_element_content_handler(element!("link[rel='alternate'], script[src]", |el| {
                el.remove();
                Ok(())
            }))
            .append_element_content_handler(element!("[data-search]", |el| {
                el.remove_attribute("data-search-index");
                el.set_attribute("data-search-single", "")?;
                Ok(())
            }))
            .append_element_content_handler(element!("img[src]", |el| {
                let src = el.get_attribute("src").unwrap_or_default();
                // The full-size picture: the last candidate of the srcset.
                let full = el.get_attribute("srcset").and_then(|s| s.rsplit(", ").next().and_then(|c| c.split(' ').next()).map(String::from)).unwrap_or(src);
                match read(&full) {
                    Ok(bytes) => {
                        el.set_attribute("src", &format!("data:{};base64,{}", mime(&full), STANDARD.encode(bytes)))?;
                        el.remove_attribute("srcset");
                        el.remove_attribute("sizes");
                        el.remove_attribute("loading");
                    }
                    Err(e) => *failure.borrow_mut() = Some(e),
                }
                Ok(())
            }))
            .append_element_content_handler(element!("a.screen-full", |el| {
                el.remove();
                Ok(())
            }))
            .append_element_content_handler(element!("a[href]", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                if href.starts_with('#') || href.contains("://") || href.starts_with("data:") {
                    return Ok(());
                }
                let target = match href.split_once('#') {
                    Some((_, anchor)) if anchor.starts_with("slide-") => format!("#{anchor}"),
                    _ if href.ends_with("print.html") => href.replace("print.html", OFFLINE_PAGE),
                    _ => "#main".to_string(),
                };
                el.set_attribute("href", &target)?;
                Ok(())
            }))
            .append_element_content_handler(element!("body", |el| {
                el.append(&body_scripts, ContentType::Html);
                Ok(())
            })),
    )
    .map_err(|e| e.to_string())?;
    if let Some(e) = failure.into_inner() {
        return Err(e);
    }

    let hash = |text: &str| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(text.as_bytes())));
    let script_hashes: Vec<String> = inline_scripts.iter().map(|s| hash(s)).collect();
    let style_hashes: Vec<String> = styles.into_inner().iter().map(|s| hash(s)).collect();
    let csp = format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'; object-src 'none'; frame-src 'none'",
        script_hashes.join(" "),
        style_hashes.join(" ")
    );
    let html = rewrite_str(
        &html,
        RewriteStrSettings::new().append_element_content_handler(element!("meta[http-equiv='Content-Security-Policy']", |el| {
            el.set_attribute("content", &csp)?;
            Ok(())
        })),
    )
    .map_err(|e| e.to_string())?;
    Ok(html.into_bytes())
}

/// A link of a page in `page_dir` as a path under the output folder.
fn resolve(page_dir: &Path, href: &str) -> PathBuf {
    let mut path = page_dir.to_path_buf();
    for part in href.split(['#', '?']).next().unwrap_or_default().split('/') {
        match part {
            ".." => {
                path.pop();
            }
            "." | "" => {}
            other => path.push(other),
        }
    }
    path
}

fn mime(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("webp") => "image/webp",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_links_from_the_page() {
        assert_eq!(resolve(Path::new("ja"), "../assets/a.css"), PathBuf::from("assets/a.css"));
        assert_eq!(resolve(Path::new("ja"), "pc.html#slide-3"), PathBuf::from("ja/pc.html"));
    }
}
