//! The one-file edition: each language's print page with every stylesheet, script, the search index
//! and every picture inside (each picture once, however many slides show it), so the file works
//! alone (e-mailed, or copied by itself onto a USB stick) and makes no request at all. It says
//! what it is (the whole guide in one file, not the print page) and keeps no link that would lead
//! nowhere once it is alone. Its Content-Security-Policy allows exactly its own inline scripts and
//! styles, by their SHA-256 hashes.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use lol_html::html_content::ContentType;
use lol_html::{HtmlRewriter, Settings, element};
use sha2::{Digest, Sha256};

/// The file name of the one-file edition, beside `print.html`.
pub const OFFLINE_PAGE: &str = "guide-offline.html";

/// Reads a file of the site by its path under the output folder.
pub type Read<'r> = &'r dyn Fn(&Path) -> Option<Vec<u8>>;

/// What the edition says of itself, in its language: it is the whole guide in one file, not the
/// print page it is made from.
pub struct Edition<'a> {
    /// The language's folder (`ja`), where the print page is.
    pub lang: &'a str,
    /// The text of its `<title>`.
    pub title: &'a str,
    /// The cover's note on what the file is, as HTML (in place of the print page's note).
    pub intro_html: &'a str,
}

/// Writes `LANG/guide-offline.html` to `out`, made from the finished `LANG/print.html` (`print`),
/// the names of the search index's parts (under `assets/`) and the site's other files, which `read`
/// gives by their path under the output folder. The page is rewritten as a stream, so the edition
/// is never held whole.
pub fn single_file(
    print: &[u8],
    edition: &Edition,
    search_parts: &[String],
    read: Read,
    out: &mut dyn Write,
) -> Result<(), String> {
    let html = std::str::from_utf8(print).map_err(|e| e.to_string())?;
    let files = Files { page_dir: Path::new(edition.lang), read };
    let found = Found::survey(html, &files)?;
    let inlined = found.inline(search_parts, &files)?;
    inlined.rewrite(html, edition, &files, out)
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

    /// Whether `href` (a link of the page) leads to the edition itself.
    fn is_edition(&self, href: &str) -> bool {
        !external(href) && resolve(self.page_dir, href) == self.page_dir.join(OFFLINE_PAGE)
    }

    /// Whether `href` (a link of the page, not external) leads to another page of its language.
    fn is_beside(&self, href: &str) -> bool {
        resolve(self.page_dir, href).parent() == Some(self.page_dir)
    }
}

/// What a first pass over the print page finds: what it links to (its scripts in order, its
/// stylesheets, the search index it loads when a reader searches, its pictures), the ids a link
/// may lead to, and what in it speaks of the site around it.
#[derive(Default)]
struct Found {
    scripts: Vec<String>,
    sheets: Vec<String>,
    index: Option<String>,
    /// The full-size file of each picture, with its number (in the order first shown, from 1).
    pictures: BTreeMap<String, usize>,
    ids: BTreeSet<String>,
    /// The print page's notes on itself (`p.print-intro`) seen so far, and (by their order)
    /// those that link to the edition or another file (the PDF).
    notes: usize,
    self_links: BTreeSet<usize>,
    /// The links of each list of the site's pages ([`SITE_LISTS`]) but its language switches.
    lists: BTreeMap<&'static str, Vec<String>>,
}

/// Lists of links to the site around the page: the tools (the language switch, the print link)
/// and the footer's links (the pages beside the slides). In the file alone, a list none of whose
/// links leads anywhere goes whole: words that were links, with nothing to open, only puzzle.
const SITE_LISTS: [&str; 2] = ["nav.tools", "ul.footer-links"];

impl Found {
    /// The first pass, so that the policy (which comes first in the page) can name every script
    /// and style the second pass puts in.
    fn survey(html: &str, files: &Files) -> Result<Found, String> {
        let found = RefCell::new(Found::default());
        let f = &found;
        let settings = Settings::new()
            .append_element_content_handler(element!("script[src]", |el| {
                f.borrow_mut().scripts.extend(el.get_attribute("src"));
                Ok(())
            }))
            .append_element_content_handler(element!("link[rel='stylesheet'][href]", |el| {
                f.borrow_mut().sheets.extend(el.get_attribute("href"));
                Ok(())
            }))
            .append_element_content_handler(element!("[data-search-index]", |el| {
                f.borrow_mut().index = el.get_attribute("data-search-index");
                Ok(())
            }))
            .append_element_content_handler(element!("[id]", |el| {
                f.borrow_mut().ids.extend(el.get_attribute("id"));
                Ok(())
            }))
            .append_element_content_handler(element!("img[src]", |el| {
                let mut f = f.borrow_mut();
                let number = f.pictures.len() + 1;
                f.pictures.entry(full_size(el)).or_insert(number);
                Ok(())
            }))
            .append_element_content_handler(element!("p.print-intro", |_| {
                f.borrow_mut().notes += 1;
                Ok(())
            }))
            .append_element_content_handler(element!("p.print-intro a[href]", |el| {
                let mut f = f.borrow_mut();
                // A note that links to the edition itself, or to another file beside the page
                // (the PDF handout), has nothing to open in the file alone.
                let href = el.get_attribute("href").unwrap_or_default();
                if files.is_edition(&href) || !external(&href) && !href.starts_with('#') {
                    let note = f.notes - 1;
                    f.self_links.insert(note);
                }
                Ok(())
            }));
        let settings = SITE_LISTS.iter().fold(settings, |settings, &list| {
            let links = format!("{list} a[href]:not([data-lang-switch])");
            settings.append_element_content_handler(element!(links, move |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                f.borrow_mut().lists.entry(list).or_default().push(href);
                Ok(())
            }))
        });
        stream(html, settings, &mut std::io::sink())?;
        Ok(found.into_inner())
    }

    /// The scripts (the search index and all its parts just before the search script, which then
    /// finds them loaded), the stylesheets and the pictures, read.
    fn inline(self, search_parts: &[String], files: &Files) -> Result<Inlined, String> {
        let dropped = self.dropped_lists(files);
        let mut sources = self.scripts;
        if let Some(index) = self.index {
            let at = sources.iter().position(|s| s.contains("search.")).unwrap_or(sources.len());
            let parts = search_parts.iter().map(|name| format!("../assets/{name}"));
            sources.splice(at..at, std::iter::once(index).chain(parts));
        }
        let scripts = sources.iter().map(|src| files.script(src)).collect::<Result<_, _>>()?;
        let styles = self.sheets.into_iter().map(|href| Ok((files.style(&href)?, href)));
        Ok(Inlined {
            scripts,
            styles: styles.collect::<Result<_, String>>()?,
            picture_style: picture_style(&self.pictures, files)?,
            pictures: self.pictures,
            ids: self.ids,
            dropped,
            self_links: self.self_links,
        })
    }

    /// The lists of [`SITE_LISTS`] none of whose links would stay a link in the file.
    fn dropped_lists(&self, files: &Files) -> String {
        let dropped = SITE_LISTS.iter().filter(|list| {
            let links = self.lists.get(*list).map_or(&[][..], Vec::as_slice);
            links.iter().all(|href| target(href, &self.ids, files).is_none())
        });
        dropped.copied().collect::<Vec<_>>().join(", ")
    }
}

/// The class that shows picture `number` (see [`picture_style`]).
fn picture_class(number: usize) -> String {
    format!("tebiki-picture-{number}")
}

/// Each picture once, as data: a rule per picture whose `content` is the picture. On an `<img>`,
/// `content: url(…)` is the image the browser draws (and prints), in place of its `src`; the
/// `<img>` keeps its `alt`, `width` and `height`. However many slides show a picture, its bytes
/// are in the file once.
fn picture_style(pictures: &BTreeMap<String, usize>, files: &Files) -> Result<String, String> {
    let mut css = String::new();
    for (path, number) in pictures {
        let bytes = files.get(path)?;
        css.push_str(&format!(
            "img.{}{{content:url(data:{};base64,",
            picture_class(*number),
            mime(path)
        ));
        STANDARD.encode_string(bytes, &mut css);
        css.push_str(")}");
    }
    Ok(css)
}

/// The full-size picture of an `<img>`: the last candidate of its srcset, else its `src`.
fn full_size(el: &lol_html::html_content::Element) -> String {
    let last = |s: &str| s.rsplit(", ").next().and_then(|c| c.split(' ').next()).map(String::from);
    let srcset = el.get_attribute("srcset");
    srcset.as_deref().and_then(last).unwrap_or_else(|| el.get_attribute("src").unwrap_or_default())
}

/// What the edition carries inside (the scripts, the stylesheets with the address each replaces,
/// the pictures' style) and what the second pass needs of the first.
struct Inlined {
    scripts: Vec<String>,
    styles: Vec<(String, String)>,
    picture_style: String,
    pictures: BTreeMap<String, usize>,
    ids: BTreeSet<String>,
    self_links: BTreeSet<usize>,
    /// A selector of the lists to drop whole (see [`SITE_LISTS`]), or empty.
    dropped: String,
}

impl Inlined {
    /// The policy: exactly these scripts and styles, by hash; pictures as data; nothing else.
    fn policy(&self) -> String {
        let hash = |text: &str| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(text)));
        let scripts: Vec<String> = self.scripts.iter().map(|s| hash(s)).collect();
        let mut styles: Vec<String> = self.styles.iter().map(|(s, _)| hash(s)).collect();
        if !self.picture_style.is_empty() {
            styles.push(hash(&self.picture_style));
        }
        format!(
            "default-src 'none'; script-src {}; style-src {}; img-src data:; connect-src 'none'; \
             form-action 'none'; base-uri 'none'; object-src 'none'; frame-src 'none'",
            scripts.join(" "),
            styles.join(" ")
        )
    }

    /// The second pass, streamed to `out`: everything put in, the page saying what it is, links
    /// kept inside the file.
    fn rewrite(
        &self,
        html: &str,
        edition: &Edition,
        files: &Files,
        out: &mut dyn Write,
    ) -> Result<(), String> {
        let policy = self.policy();
        let failure = RefCell::new(None);
        let settings = self.put_in(Settings::new(), &policy, &failure);
        let settings = self.describe(settings, edition);
        let settings = self.keep_inside(settings, files);
        stream(html, settings, out)?;
        failure.into_inner().map_or(Ok(()), Err)
    }

    /// Handlers that put in the policy, the styles, the scripts and the pictures.
    fn put_in<'h>(
        &'h self,
        settings: Settings<'h, 'static>,
        policy: &'h str,
        failure: &'h RefCell<Option<String>>,
    ) -> Settings<'h, 'static> {
        settings
            .append_element_content_handler(element!(
                "meta[http-equiv='Content-Security-Policy']",
                |el| {
                    el.set_attribute("content", policy)?;
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
            .append_element_content_handler(element!("head", |el| {
                if !self.picture_style.is_empty() {
                    let style = format!("<style>{}</style>", self.picture_style);
                    el.append(&style, ContentType::Html);
                }
                Ok(())
            }))
            .append_element_content_handler(element!("img[src]", |el| {
                match self.pictures.get(&full_size(el)) {
                    Some(number) => show_picture(el, *number)?,
                    None => {
                        *failure.borrow_mut() = Some("a picture missed by the first pass".into())
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!("body", |el| {
                for script in &self.scripts {
                    el.append(&format!("<script>{script}</script>"), ContentType::Html);
                }
                Ok(())
            }))
    }

    /// Handlers that make the page say what it is: the whole guide in one file (its title, its
    /// note on the cover), with no link to itself (the print page's note that links to it goes).
    fn describe<'h>(
        &'h self,
        settings: Settings<'h, 'static>,
        edition: &'h Edition,
    ) -> Settings<'h, 'static> {
        let (mut note, mut described) = (0, false);
        settings
            .append_element_content_handler(element!("head > title", |el| {
                el.set_inner_content(edition.title, ContentType::Text);
                Ok(())
            }))
            .append_element_content_handler(element!("p.print-intro", move |el| {
                note += 1;
                if self.self_links.contains(&(note - 1)) {
                    el.remove();
                } else if !described {
                    el.set_inner_content(edition.intro_html, ContentType::Html);
                    described = true;
                }
                Ok(())
            }))
    }

    /// Handlers that keep every link inside the file or out on the web: nothing of the site
    /// around the print page (its other pages, the other language, its files) is beside the file
    /// once it is copied alone.
    fn keep_inside<'h>(
        &'h self,
        settings: Settings<'h, 'static>,
        files: &'h Files,
    ) -> Settings<'h, 'static> {
        let settings = match self.dropped.as_str() {
            "" => settings,
            lists => settings.append_element_content_handler(element!(lists, |el| {
                el.remove();
                Ok(())
            })),
        };
        settings
            .append_element_content_handler(element!(
                "link[rel='alternate'], script[src], a.screen-full, a[data-lang-switch]",
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
            .append_element_content_handler(element!("a[href]", |el| {
                link_in_file(el, &self.ids, files)
            }))
    }
}

/// `el` shows picture `number` from the pictures' style: its `src` an empty `data:` address (the
/// attribute is required; its bytes are in the style, once), no candidates to choose from.
fn show_picture(
    el: &mut lol_html::html_content::Element,
    number: usize,
) -> lol_html::HandlerResult {
    let class = match el.get_attribute("class") {
        Some(class) if !class.trim().is_empty() => format!("{class} {}", picture_class(number)),
        _ => picture_class(number),
    };
    el.set_attribute("class", &class)?;
    el.set_attribute("src", "data:,")?;
    for name in ["srcset", "sizes", "loading"] {
        el.remove_attribute(name);
    }
    Ok(())
}

/// A link as it can stay in the file alone: to a fragment of the file, or out to an address on
/// the web (https, http, mailto, tel). A link to a slide on another page of the language leads to
/// the slide in the file; any other link into the site (another page, the other language, the
/// edition itself) would lead nowhere once the file is copied alone, so its text stays, unlinked.
fn link_in_file(
    el: &mut lol_html::html_content::Element,
    ids: &BTreeSet<String>,
    files: &Files,
) -> lol_html::HandlerResult {
    if el.removed() {
        return Ok(());
    }
    match target(&el.get_attribute("href").unwrap_or_default(), ids, files) {
        Some(href) => el.set_attribute("href", &href)?,
        None => el.remove_and_keep_content(),
    }
    Ok(())
}

/// Where a link of the print page leads in the file alone (see [`link_in_file`]), if anywhere.
fn target(href: &str, ids: &BTreeSet<String>, files: &Files) -> Option<String> {
    if external(href) {
        return Some(href.to_string());
    }
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let inside = ids.contains(fragment)
        && (path.is_empty() || (fragment.starts_with("slide-") && files.is_beside(path)));
    inside.then(|| format!("#{fragment}"))
}

/// Whether `href` is an address on the web that a reader may follow from the file alone.
fn external(href: &str) -> bool {
    ["https:", "http:", "mailto:", "tel:"]
        .iter()
        .any(|scheme| href.get(..scheme.len()).is_some_and(|h| h.eq_ignore_ascii_case(scheme)))
}

/// `html` through a rewriter with `settings`, its output written to `out`.
fn stream(html: &str, settings: Settings, out: &mut dyn Write) -> Result<(), String> {
    let written = RefCell::new(Ok::<(), std::io::Error>(()));
    let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| {
        let mut written = written.borrow_mut();
        if written.is_ok() {
            *written = out.write_all(chunk);
        }
    });
    rewriter.write(html.as_bytes()).map_err(|e| e.to_string())?;
    rewriter.end().map_err(|e| e.to_string())?;
    written.into_inner().map_err(|e| e.to_string())
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

    /// A small print page through the edition: what goes, what stays, each picture once.
    #[test]
    fn a_print_page_becomes_the_whole_guide_in_one_file() {
        let print = "<html><head><title>Print | G</title></head><body>\
            <nav class=\"tools\"><ul><li><a data-lang-switch href=\"../en/print.html\">English</a></li></ul></nav>\
            <p class=\"print-intro\">For printing.</p>\
            <p class=\"print-intro\"><a href=\"guide.pdf\">The PDF</a></p>\
            <p class=\"print-intro\"><a href=\"guide-offline.html\">One file</a></p>\
            <section id=\"slide-1\"><img src=\"../images/a.640.webp\" srcset=\"../images/a.640.webp 640w, ../images/a.900.webp 900w\" alt=\"A\">\
            <a href=\"setup.html#slide-1\">back</a> <a href=\"checker.html\">checker</a> <a href=\"#nowhere\">x</a></section>\
            <section id=\"slide-2\"><img class=\"big\" src=\"../images/a.900.webp\" alt=\"A again\"></section>\
            <ul class=\"footer-links\"><li><a href=\"accessibility.html\">Policy</a></li></ul></body></html>";
        let read = |p: &Path| (p == Path::new("images/a.900.webp")).then(|| b"PICTURE".to_vec());
        let edition = Edition { lang: "ja", title: "Whole | G", intro_html: "<b>One file.</b>" };
        let mut out = Vec::new();
        single_file(print.as_bytes(), &edition, &[], &read, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let data = STANDARD.encode("PICTURE");
        assert_eq!(out.matches(&data).count(), 1, "{out}");
        for want in [
            "<title>Whole | G</title>",
            "<body><p class=\"print-intro\"><b>One file.</b></p><section",
            "<a href=\"#slide-1\">back</a> checker x</section>",
            "<img src=\"data:,\" alt=\"A\" class=\"tebiki-picture-1\">",
            "<img class=\"big tebiki-picture-1\" src=\"data:,\" alt=\"A again\">",
        ] {
            assert!(out.contains(want), "{want} in {out}");
        }
        for gone in [
            "English",
            "For printing",
            "The PDF",
            "guide.pdf",
            "One file<",
            "Policy",
            "guide-offline",
            "../",
        ] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
    }

    #[test]
    fn resolves_links_from_the_page() {
        assert_eq!(resolve(Path::new("ja"), "../assets/a.css"), PathBuf::from("assets/a.css"));
        assert_eq!(resolve(Path::new("ja"), "pc.html#slide-3"), PathBuf::from("ja/pc.html"));
    }
}
