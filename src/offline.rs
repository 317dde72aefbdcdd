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

/// Reads a file of the site by its path under the output folder.
pub type Read<'r> = &'r dyn Fn(&Path) -> Option<Vec<u8>>;

/// Writes `LANG/guide-offline.html` to `out`, made from the finished `LANG/print.html` (`print`),
/// the names of the search index's parts (under `assets/`) and the site's other files, which `read`
/// gives by their path under the output folder. The page is rewritten as a stream, so the edition
/// (with every picture inlined, often many times the print page's size) is never held whole.
pub fn single_file(
    print: &[u8],
    lang: &str,
    search_parts: &[String],
    read: Read,
    out: &mut dyn Write,
) -> Result<(), String> {
    let html = std::str::from_utf8(print).map_err(|e| e.to_string())?;
    let files = Files { page_dir: Path::new(lang), read };
    let linked = Linked::find(html)?;
    let inlined = linked.inline(search_parts, &files)?;
    inlined.rewrite(html, &files, out)
}

/// The site's files, as a page in `page_dir` links to them.
struct Files<'r> {
    page_dir: &'r Path,
    read: Read<'r>,
}

impl Files<'_> {
    fn get(&self, href: &str) -> Result<Vec<u8>, String> {
        let path = resolve(self.page_dir, href);
        (self.read)(&path).ok_or_else(|| format!("{} is not in the site", path.display()))
    }

    /// A stylesheet as text that can sit inside `<style>`: no `</` to end it early.
    fn style(&self, href: &str) -> Result<String, String> {
        self.get(href).map(|bytes| String::from_utf8_lossy(&bytes).replace("</", "<\\/"))
    }

    /// A script as text that can sit inside `<script>` (see [`script_data`]).
    fn script(&self, href: &str) -> Result<String, String> {
        self.get(href).map(|bytes| script_data(&String::from_utf8_lossy(&bytes)))
    }
}

/// What the print page links to: its scripts in order, its stylesheets, and the search index it
/// loads when a reader searches.
struct Linked {
    scripts: Vec<String>,
    sheets: Vec<String>,
    index: Option<String>,
}

impl Linked {
    /// A first pass over the page, so that the policy (which comes first in the page) can name
    /// every script and style the second pass puts in.
    fn find(html: &str) -> Result<Linked, String> {
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
        let (scripts, sheets) = (scripts.into_inner(), sheets.into_inner());
        Ok(Linked { scripts, sheets, index: index.into_inner() })
    }

    /// The scripts (the search index and all its parts just before the search script, which then
    /// finds them loaded) and the stylesheets, read.
    fn inline(self, search_parts: &[String], files: &Files) -> Result<Inlined, String> {
        let mut sources = self.scripts;
        if let Some(index) = self.index {
            let at = sources.iter().position(|s| s.contains("search.")).unwrap_or(sources.len());
            let parts = search_parts.iter().map(|name| format!("../assets/{name}"));
            sources.splice(at..at, std::iter::once(index).chain(parts));
        }
        let scripts = sources.iter().map(|src| files.script(src)).collect::<Result<_, _>>()?;
        let styles = self.sheets.into_iter().map(|href| Ok((files.style(&href)?, href)));
        Ok(Inlined { scripts, styles: styles.collect::<Result<_, String>>()? })
    }
}

/// The scripts and stylesheets (with the address each replaces) the edition carries inside.
struct Inlined {
    scripts: Vec<String>,
    styles: Vec<(String, String)>,
}

impl Inlined {
    /// The policy: exactly these scripts and styles, by hash; pictures as data; nothing else.
    fn policy(&self) -> String {
        let hash = |text: &str| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(text)));
        let scripts: Vec<String> = self.scripts.iter().map(|s| hash(s)).collect();
        let styles: Vec<String> = self.styles.iter().map(|(s, _)| hash(s)).collect();
        format!(
            "default-src 'none'; script-src {}; style-src {}; img-src data:; connect-src 'none'; \
             form-action 'none'; base-uri 'none'; object-src 'none'; frame-src 'none'",
            scripts.join(" "),
            styles.join(" ")
        )
    }

    /// The second pass, streamed to `out`: everything put in, links kept inside the file.
    fn rewrite(&self, html: &str, files: &Files, out: &mut dyn Write) -> Result<(), String> {
        let policy = self.policy();
        let pictures = Pictures { files, failure: RefCell::new(None), known: RefCell::default() };
        let written = RefCell::new(Ok::<(), std::io::Error>(()));
        let settings = Settings::new()
            .append_element_content_handler(element!(
                "meta[http-equiv='Content-Security-Policy']",
                |el| {
                    el.set_attribute("content", &policy)?;
                    Ok(())
                }
            ))
            .append_element_content_handler(element!("link[rel='stylesheet'][href]", |el| {
                let href = el.get_attribute("href");
                match href.and_then(|h| self.styles.iter().find(|(_, href)| *href == h)) {
                    Some((css, _)) => {
                        el.replace(&format!("<style>{css}</style>"), ContentType::Html)
                    }
                    None => el.remove(),
                }
                Ok(())
            }))
            .append_element_content_handler(element!(
                "link[rel='alternate'], script[src], a.screen-full",
                |el| {
                    el.remove();
                    Ok(())
                }
            ))
            .append_element_content_handler(element!("[data-search]", |el| {
                el.remove_attribute("data-search-index");
                el.set_attribute("data-search-single", "")?;
                Ok(())
            }))
            .append_element_content_handler(element!("img[src]", |el| pictures.inline(el)))
            .append_element_content_handler(element!("a[href]", keep_link_inside))
            .append_element_content_handler(element!("body", |el| {
                for script in &self.scripts {
                    el.append(&format!("<script>{script}</script>"), ContentType::Html);
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
        pictures.failure.into_inner().map_or(Ok(()), Err)
    }
}

/// The pictures of the edition, as data: each encoded once, however often it is shown.
struct Pictures<'f, 'r> {
    files: &'f Files<'r>,
    failure: RefCell<Option<String>>,
    known: RefCell<BTreeMap<String, std::rc::Rc<String>>>,
}

impl Pictures<'_, '_> {
    /// The full-size picture (the last candidate of the srcset) in the `src` of `el`.
    fn inline(&self, el: &mut lol_html::html_content::Element) -> lol_html::HandlerResult {
        let src = el.get_attribute("src").unwrap_or_default();
        let srcset = el.get_attribute("srcset");
        let last =
            |s: &str| s.rsplit(", ").next().and_then(|c| c.split(' ').next()).map(String::from);
        let full = srcset.as_deref().and_then(last).unwrap_or(src);
        let known = self.known.borrow().get(&full).cloned();
        let data = match known {
            Some(data) => data,
            None => match self.files.get(&full) {
                Ok(bytes) => {
                    let data = format!("data:{};base64,{}", mime(&full), STANDARD.encode(bytes));
                    let data = std::rc::Rc::new(data);
                    self.known.borrow_mut().insert(full, data.clone());
                    data
                }
                Err(e) => {
                    *self.failure.borrow_mut() = Some(e);
                    return Ok(());
                }
            },
        };
        el.set_attribute("src", &data)?;
        for name in ["srcset", "sizes", "loading"] {
            el.remove_attribute(name);
        }
        Ok(())
    }
}

/// A link to another page of the site leads inside the edition: to the slide, to the edition
/// itself for the print page, else to the top.
fn keep_link_inside(el: &mut lol_html::html_content::Element) -> lol_html::HandlerResult {
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
}

/// `script` as it can sit inside a `<script>` element: the HTML parser ends the element at `</`
/// followed by `script`, and `<!--` or `<script` inside it switch it to states where the real end
/// tag is missed (the rest of the page would be swallowed). A backslash before `/`, `!` and `s`
/// leaves a string or a regular expression of the script meaning what it meant (text of a slide
/// in the search index may hold any of them).
pub fn script_data(script: &str) -> String {
    let mut out = String::with_capacity(script.len());
    let mut rest = script;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let head = rest.as_bytes().get(..7).unwrap_or(rest.as_bytes());
        let (escaped, skip) = if rest.starts_with("</") {
            ("<\\/", 2)
        } else if rest.starts_with("<!--") {
            ("<\\!--", 4)
        } else if head.eq_ignore_ascii_case(b"<script") {
            ("<\\", 1)
        } else {
            ("<", 1)
        };
        out.push_str(escaped);
        rest = &rest[skip..];
    }
    out.push_str(rest);
    out
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
    fn script_text_cannot_end_or_escape_its_element() {
        let text = "var a = \"<!--<script>x</script>\"; var b = 1 < 2;";
        let safe = script_data(text);
        assert!(!safe.contains("<!--") && !safe.to_ascii_lowercase().contains("<script"), "{safe}");
        assert!(!safe.contains("</"), "{safe}");
        assert_eq!(safe, "var a = \"<\\!--<\\script>x<\\/script>\"; var b = 1 < 2;");
    }

    #[test]
    fn resolves_links_from_the_page() {
        assert_eq!(resolve(Path::new("ja"), "../assets/a.css"), PathBuf::from("assets/a.css"));
        assert_eq!(resolve(Path::new("ja"), "pc.html#slide-3"), PathBuf::from("ja/pc.html"));
    }
}
