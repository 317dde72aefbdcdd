//! The one-file edition: each language's print page with every stylesheet, script, the search index
//! and every picture inlined, so the file works alone (e-mailed, or copied by itself onto a USB
//! stick) and makes no request at all. Its Content-Security-Policy allows exactly its own inline
//! scripts and styles, by their SHA-256 hashes.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use lol_html::html_content::ContentType;
use lol_html::{HtmlRewriter, RewriteStrSettings, Settings, element, rewrite_str};
use sha2::{Digest, Sha256};

/// The file name of the one-file edition, beside `print.html`.
pub const OFFLINE_PAGE: &str = "guide-offline.html";

/// Writes `LANG/guide-offline.html` to `out`, made from the finished `LANG/print.html` (`print`),
/// the names of the search index's parts (under `assets/`) and the site's other files, which `read`
/// gives by their path under the output folder. The page is rewritten as a stream, so the edition
/// (with every picture inlined, often many times the print page's size) is never held whole.
pub fn single_file(
    print: &[u8],
    lang: &str,
    search_parts: &[String],
    read: &dyn Fn(&Path) -> Option<Vec<u8>>,
    out: &mut dyn Write,
) -> Result<(), String> {
    let page_dir = Path::new(lang);
    let html = std::str::from_utf8(print).map_err(|e| e.to_string())?;
    let read = |href: &str| -> Result<Vec<u8>, String> {
        let path = resolve(page_dir, href);
        read(&path).ok_or_else(|| format!("{} is not in the site", path.display()))
    };

    // First pass: the scripts in order, the search index the page loads on demand, and the
    // stylesheets, so that the policy (which comes first in the page) can name them all.
    let scripts = RefCell::new(Vec::<String>::new());
    let sheets = RefCell::new(Vec::<String>::new());
    let index = RefCell::new(None::<String>);
    rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("script[src]", |el| {
                scripts.borrow_mut().extend(el.get_attribute("src"));
                Ok(())
            }))
            .append_element_content_handler(element!("link[rel='stylesheet'][href]", |el| {
                sheets.borrow_mut().extend(el.get_attribute("href"));
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
        let parts = search_parts.iter().map(|name| format!("../assets/{name}"));
        sources.splice(at..at, std::iter::once(index).chain(parts));
    }
    let inline =
        |href: &str| read(href).map(|bytes| String::from_utf8_lossy(&bytes).replace("</", "<\\/"));
    let inline_scripts = sources.iter().map(|src| inline(src)).collect::<Result<Vec<_>, _>>()?;
    let styles = sheets
        .into_inner()
        .into_iter()
        .map(|href| Ok((inline(&href)?, href)))
        .collect::<Result<Vec<_>, String>>()?;

    let hash =
        |text: &str| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(text.as_bytes())));
    let script_hashes: Vec<String> = inline_scripts.iter().map(|s| hash(s)).collect();
    let style_hashes: Vec<String> = styles.iter().map(|(s, _)| hash(s)).collect();
    let csp = format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'; object-src 'none'; frame-src 'none'",
        script_hashes.join(" "),
        style_hashes.join(" ")
    );

    // Second pass, streamed to `out`: everything inlined. A picture shown many times is encoded once.
    let failure = RefCell::new(None::<String>);
    let pictures = RefCell::new(BTreeMap::<String, std::rc::Rc<String>>::new());
    let written = RefCell::new(Ok::<(), std::io::Error>(()));
    let settings = Settings::new()
        .append_element_content_handler(element!(
            "meta[http-equiv='Content-Security-Policy']",
            |el| {
                el.set_attribute("content", &csp)?;
                Ok(())
            }
        ))
        .append_element_content_handler(element!("link[rel='stylesheet'][href]", |el| {
            match el.get_attribute("href").and_then(|h| styles.iter().find(|(_, href)| *href == h))
            {
                Some((css, _)) => el.replace(&format!("<style>{css}</style>"), ContentType::Html),
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
            let full = el
                .get_attribute("srcset")
                .and_then(|s| {
                    s.rsplit(", ").next().and_then(|c| c.split(' ').next()).map(String::from)
                })
                .unwrap_or(src);
            let known = pictures.borrow().get(&full).cloned();
            let data = match known {
                Some(data) => data,
                None => match read(&full) {
                    Ok(bytes) => {
                        let data = std::rc::Rc::new(format!(
                            "data:{};base64,{}",
                            mime(&full),
                            STANDARD.encode(bytes)
                        ));
                        pictures.borrow_mut().insert(full, data.clone());
                        data
                    }
                    Err(e) => {
                        *failure.borrow_mut() = Some(e);
                        return Ok(());
                    }
                },
            };
            el.set_attribute("src", &data)?;
            el.remove_attribute("srcset");
            el.remove_attribute("sizes");
            el.remove_attribute("loading");
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
            for script in &inline_scripts {
                el.append("<script>", ContentType::Html);
                el.append(script, ContentType::Html);
                el.append("</script>", ContentType::Html);
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| {
        let mut written = written.borrow_mut();
        if written.is_ok() {
            *written = out.write_all(chunk);
        }
    });
    rewriter.write(html.as_bytes()).map_err(|e| e.to_string())?;
    rewriter.end().map_err(|e| e.to_string())?;
    written.into_inner().map_err(|e| e.to_string())?;
    match failure.into_inner() {
        Some(e) => Err(e),
        None => Ok(()),
    }
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
