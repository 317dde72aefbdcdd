//! The PDF handout: each language's finished print page (`LANG/print.html`, on disk in the build's
//! staging folder) printed to `LANG/guide.pdf` by a Chromium-family browser in headless mode
//! (Debian's `chromium`, Google Chrome or Microsoft Edge; `--browser PATH` names one), then finished
//! with lopdf so that the help desk's "see slide 17" works on paper and on screen:
//!
//! - each page's label is the slide it holds (`17`, and `17-2` for its second page), so typing 17
//!   in a PDF reader's page box opens slide 17; the contents pages are labelled 「目次」/"Contents";
//! - bookmarks list the guide's parts (the steps), their chapters and every slide, titled as on the
//!   page;
//! - the document's title is the guide's, its language the page's.
//!
//! The browser finds each slide's page for us: Chromium writes a named destination for every
//! element a link of the page points at, and every slide heading links to itself (`#slide-17`).
//! The print stylesheet starts each slide on a page of its own and writes what the page holds at
//! its foot. Chromium tags the PDF (a structure tree for screen readers) itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use crate::project::Lang;

/// The handout's file name, beside `print.html`.
pub const PDF_FILE: &str = "guide.pdf";

/// How long a browser may take to print one language before it is stopped.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Whether, and with which browser, a build prints its handouts.
#[derive(Debug, Clone, Default)]
pub enum Printer {
    /// No handouts, and nothing said about them (`--no-pdf`; `check` and `serve`).
    #[default]
    Off,
    /// The first Chromium-family browser found on this computer; without one, the build says
    /// once that the handouts were skipped.
    Find,
    /// This browser (`--browser PATH`); a wrong path is an error.
    Browser(PathBuf),
}

/// What the handout step did.
#[derive(Debug, Clone, Default)]
pub enum Handouts {
    #[default]
    Off,
    /// No browser was found, so no handout was made.
    Skipped,
    /// One handout per language.
    Made(Vec<Made>),
}

#[derive(Debug, Clone)]
pub struct Made {
    pub path: PathBuf,
    pub pages: usize,
    pub bytes: usize,
}

/// One line for the terminal when no browser was found.
pub const SKIPPED: &str = "PDF handouts skipped: no Chromium, Google Chrome or Microsoft Edge \
    was found (install one, e.g. `sudo apt install chromium`, or name one with --browser PATH; \
    --no-pdf skips them without this line)";

impl Printer {
    /// The browser to print with: `Ok(None)` when none is wanted or none was found.
    pub fn browser(&self) -> Result<Option<PathBuf>, String> {
        match self {
            Printer::Off => Ok(None),
            Printer::Find => Ok(find_browser()),
            Printer::Browser(path) if path.is_file() => Ok(Some(path.clone())),
            Printer::Browser(path) => {
                Err(format!("--browser {}: there is no such program", path.display()))
            }
        }
    }
}

/// The first Chromium-family browser on this computer: on the `PATH` by its usual names, then in
/// the places Windows and macOS install them.
pub fn find_browser() -> Option<PathBuf> {
    const NAMES: [&str; 8] = [
        "chromium",
        "chromium-browser",
        "google-chrome-stable",
        "google-chrome",
        "chrome",
        "microsoft-edge-stable",
        "microsoft-edge",
        "msedge",
    ];
    if let Some(found) = NAMES.iter().find_map(|name| which::which(name).ok()) {
        return Some(found);
    }
    let mut places: Vec<PathBuf> = Vec::new();
    for var in ["ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"] {
        if let Some(dir) = std::env::var_os(var).map(PathBuf::from) {
            places.push(dir.join("Microsoft/Edge/Application/msedge.exe"));
            places.push(dir.join("Google/Chrome/Application/chrome.exe"));
        }
    }
    for app in ["Google Chrome", "Microsoft Edge", "Chromium"] {
        places.push(PathBuf::from(format!("/Applications/{app}.app/Contents/MacOS/{app}")));
    }
    places.into_iter().find(|p| p.is_file())
}

/// Prints the page at `page` (a file) to `pdf` with `browser`, in a profile of its own, and waits
/// at most [`TIME_LIMIT`] (`TEBIKI_PDF_TIME_LIMIT` seconds instead, for tests). A browser that
/// cannot start its sandbox (as in some containers) is tried once more without it: the page it
/// prints is the build's own, made a moment ago.
pub fn print(browser: &Path, page: &Path, pdf: &Path) -> Result<(), String> {
    let sandboxed = !needs_no_sandbox();
    match print_once(browser, page, pdf, sandboxed) {
        Err(e) if sandboxed && e.to_lowercase().contains("sandbox") => {
            print_once(browser, page, pdf, false)
        }
        done => done,
    }
}

fn print_once(browser: &Path, page: &Path, pdf: &Path, sandboxed: bool) -> Result<(), String> {
    let profile = tempfile::tempdir().map_err(|e| format!("cannot make a browser profile: {e}"))?;
    let log_path = profile.path().join("browser.log");
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
    let mut command = Command::new(browser);
    command
        .args(["--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check"])
        .args(["--disable-extensions", "--disable-sync", "--disable-background-networking"])
        .args(["--mute-audio", "--hide-scrollbars", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()));
    if !sandboxed {
        command.arg("--no-sandbox");
    }
    command.arg(file_url(page)).stdin(Stdio::null()).stdout(Stdio::null()).stderr(log);
    own_process_group(&mut command);
    let mut child = command.spawn().map_err(|e| format!("it did not start: {e}"))?;
    let limit = std::env::var("TEBIKI_PDF_TIME_LIMIT")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(TIME_LIMIT, Duration::from_secs);
    let status = wait_at_most(&mut child, limit)?;
    let said = std::fs::read_to_string(&log_path).unwrap_or_default();
    let last = said.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    let printed = std::fs::read(pdf).is_ok_and(|b| b.starts_with(b"%PDF"));
    match (status.success(), printed) {
        (true, true) => Ok(()),
        (ok, _) => Err(format!(
            "it {}{}",
            if ok { "wrote no PDF".to_string() } else { format!("stopped ({status})") },
            if last.is_empty() { String::new() } else { format!("; it said: {last}") }
        )),
    }
}

/// Waits for `child`; past `limit`, stops it and everything it started.
fn wait_at_most(
    child: &mut std::process::Child,
    limit: Duration,
) -> Result<std::process::ExitStatus, String> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok(status);
        }
        if start.elapsed() > limit {
            stop_all(child);
            return Err(format!("it took over {} s, so it was stopped", limit.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Whether the browser must run without its sandbox: Chromium refuses to start as root with it.
fn needs_no_sandbox() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: geteuid has no preconditions and cannot fail.
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

/// The browser starts helper processes; in a process group of its own, all can be stopped.
fn own_process_group(command: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    #[cfg(not(unix))]
    let _ = command;
}

fn stop_all(child: &mut std::process::Child) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill has no memory preconditions; the group is the one the child leads.
        unsafe { libc::kill(-pid, libc::SIGKILL) };
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A `file://` address for an absolute path, each byte outside the safe set percent-encoded.
fn file_url(path: &Path) -> String {
    const SET: &percent_encoding::AsciiSet =
        &percent_encoding::CONTROLS.add(b' ').add(b'#').add(b'?').add(b'%').add(b'"');
    let text = path.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') { text } else { format!("/{text}") };
    format!("file://{}", percent_encoding::utf8_percent_encode(&text, SET))
}

/// A bookmark: its title, the slide it opens, and the bookmarks under it.
#[derive(Debug)]
pub struct Bookmark {
    pub title: String,
    pub slide: u32,
    pub children: Vec<Bookmark>,
}

/// What the finished PDF says of itself and of its pages.
#[derive(Debug)]
pub struct Finish {
    pub title: String,
    pub lang: String,
    /// The contents pages' label (「目次」).
    pub contents: String,
    /// The label of the pages listing what changed since the previous edition (「この版での変更」).
    pub changes: String,
    /// The pages of content/pages printed after the contents: (destination `page-NAME`, label).
    pub pages: Vec<(String, String)>,
    pub bookmarks: Vec<Bookmark>,
}

/// The bookmarks of one language: each part (a step, or a chapter that is none) with its
/// chapters (when a step has several) and every slide, titled as the page shows them.
pub fn bookmarks(lang: Lang) -> Vec<Bookmark> {
    let guide = lang.guide();
    let words = lang.words();
    let step = |n: Option<u32>, title: &str| match n {
        Some(n) => format!("{} {title}", words.get("step_label").replace("{n}", &n.to_string())),
        None => title.to_string(),
    };
    let slides = |ch: &crate::site::Chapter| -> Vec<Bookmark> {
        ch.slides()
            .filter_map(|n| guide.slide(lang.lang, n).map(|s| (n, s)))
            .map(|(n, s)| Bookmark {
                title: format!("{} {}", words.strings.slide_label(lang.lang, n), s.title),
                slide: n,
                children: Vec::new(),
            })
            .collect()
    };
    let chapter_title = |ch: &crate::site::Chapter| {
        step(ch.step, ch.title.get(lang.lang).map_or("", String::as_str))
    };
    let parts = guide.parts();
    parts
        .iter()
        .filter_map(|part| {
            let first = part.chapters.first()?;
            let children = match part.chapters.as_slice() {
                [one] => slides(one),
                several => several
                    .iter()
                    .map(|ch| Bookmark {
                        title: chapter_title(ch),
                        slide: ch.first,
                        children: slides(ch),
                    })
                    .collect(),
            };
            let title = step(part.step, &guide.part_title(part, lang.lang));
            Some(Bookmark { title, slide: first.first, children })
        })
        .collect()
}

/// The PDF Chromium printed, finished: page labels, bookmarks, title and language. A PDF that
/// lacks a slide's place (the page did not load whole) is an error naming the slide.
pub fn finish(printed: &[u8], how: &Finish) -> Result<(Vec<u8>, usize), String> {
    let mut doc = Document::load_mem(printed).map_err(|e| format!("cannot read it: {e}"))?;
    let places = destinations(&doc)?;
    let pages = doc.get_pages().len();
    let mut parts = vec![("contents", how.contents.as_str()), ("changes", how.changes.as_str())];
    parts.extend(how.pages.iter().map(|(name, label)| (name.as_str(), label.as_str())));
    let labels = page_labels(&places, &parts, pages)?;
    let outline = outline(&mut doc, &how.bookmarks, &places)?;
    let info = doc.add_object(Dictionary::from_iter([
        ("Title", text(&how.title)),
        ("Producer", text("tebiki")),
    ]));
    doc.trailer.set("Info", info);
    let catalog = doc.catalog_mut().map_err(|e| e.to_string())?;
    catalog.set("PageLabels", labels);
    catalog.set("Outlines", outline);
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    catalog.set("Lang", text(&how.lang));
    let mut out = Vec::with_capacity(printed.len() + 64 * 1024);
    doc.save_to(&mut out).map_err(|e| format!("cannot write it: {e}"))?;
    Ok((out, pages))
}

/// Where each slide (`slide-N`), the contents (`contents`), the changes since the previous
/// edition (`changes`) and each page of content/pages printed after them (`page-NAME`) begin: the page's index (0 first) and, for a slide, the destination
/// itself, from the PDF's named destinations.
struct Places {
    slides: BTreeMap<u32, (usize, Object)>,
    parts: BTreeMap<String, usize>,
}

fn destinations(doc: &Document) -> Result<Places, String> {
    let index: BTreeMap<ObjectId, usize> =
        doc.get_pages().into_values().enumerate().map(|(i, id)| (id, i)).collect();
    let catalog = doc.catalog().map_err(|e| e.to_string())?;
    let dests = catalog
        .get(b"Dests")
        .and_then(|d| doc.dereference(d))
        .and_then(|(_, d)| d.as_dict())
        .map_err(|_| "it has no named destinations: did the print page load?".to_string())?;
    let mut places = Places { slides: BTreeMap::new(), parts: BTreeMap::new() };
    for (name, dest) in dests.iter() {
        let Ok((_, dest)) = doc.dereference(dest) else { continue };
        let Some(page) = dest
            .as_array()
            .ok()
            .and_then(|a| a.first()?.as_reference().ok())
            .and_then(|id| index.get(&id).copied())
        else {
            continue;
        };
        let name = String::from_utf8_lossy(name);
        if let Some(n) = name.strip_prefix("slide-").and_then(|n| n.parse().ok()) {
            places.slides.insert(n, (page, dest.clone()));
        } else if matches!(name.as_ref(), "contents" | "changes") || name.starts_with("page-") {
            places.parts.insert(name.into_owned(), page);
        }
    }
    Ok(places)
}

/// `/PageLabels`: each slide's first page is labelled with its number, its next pages `N-2`,
/// `N-3`…; the pages of each part named in `parts` (destination, label) with its label.
fn page_labels(
    places: &Places,
    parts: &[(&str, &str)],
    pages: usize,
) -> Result<Dictionary, String> {
    let mut starts: Vec<(usize, String)> =
        places.slides.iter().map(|(n, (page, _))| (*page, n.to_string())).collect();
    let named = parts.iter().filter_map(|(name, label)| Some((*places.parts.get(*name)?, label)));
    starts.extend(named.map(|(page, label)| (page, label.to_string())));
    starts.sort();
    let mut nums = Vec::new();
    if starts.first().is_none_or(|(page, _)| *page > 0) {
        // The labels must start at the first page: any before the first slide are numbered.
        nums.push(Object::Integer(0));
        nums.push(Object::Dictionary(Dictionary::from_iter([("S", Object::Name(b"D".to_vec()))])));
    }
    for (i, (page, label)) in starts.iter().enumerate() {
        if starts.get(i + 1).is_some_and(|(next, _)| next == page) {
            return Err(format!("two slides begin on page {}", page + 1));
        }
        nums.push(Object::Integer(*page as i64));
        nums.push(Object::Dictionary(Dictionary::from_iter([("P", text(label))])));
        let next = starts.get(i + 1).map_or(pages, |(next, _)| *next);
        if next > page + 1 {
            nums.push(Object::Integer(*page as i64 + 1));
            nums.push(Object::Dictionary(Dictionary::from_iter([
                ("P", text(&format!("{label}-"))),
                ("S", Object::Name(b"D".to_vec())),
                ("St", Object::Integer(2)),
            ])));
        }
    }
    Ok(Dictionary::from_iter([("Nums", Object::Array(nums))]))
}

/// The outline (bookmarks) as PDF objects; its root's id.
fn outline(doc: &mut Document, marks: &[Bookmark], places: &Places) -> Result<ObjectId, String> {
    let root = doc.new_object_id();
    let (first, last, count) = outline_items(doc, marks, root, places)?;
    let mut dict = Dictionary::from_iter([("Type", Object::Name(b"Outlines".to_vec()))]);
    if let (Some(first), Some(last)) = (first, last) {
        dict.set("First", first);
        dict.set("Last", last);
        dict.set("Count", count);
    }
    doc.objects.insert(root, Object::Dictionary(dict));
    Ok(root)
}

/// The items `marks` under `parent`: (first, last, how many in all).
fn outline_items(
    doc: &mut Document,
    marks: &[Bookmark],
    parent: ObjectId,
    places: &Places,
) -> Result<(Option<ObjectId>, Option<ObjectId>, i64), String> {
    let ids: Vec<ObjectId> = marks.iter().map(|_| doc.new_object_id()).collect();
    let mut count = ids.len() as i64;
    for (i, mark) in marks.iter().enumerate() {
        let Some((_, dest)) = places.slides.get(&mark.slide) else {
            return Err(format!(
                "slide {} is not in it: did the print page load whole?",
                mark.slide
            ));
        };
        let mut item = Dictionary::from_iter([
            ("Title", text(&mark.title)),
            ("Parent", Object::Reference(parent)),
            ("Dest", dest.clone()),
        ]);
        if let Some(prev) = i.checked_sub(1).map(|p| ids[p]) {
            item.set("Prev", prev);
        }
        if let Some(next) = ids.get(i + 1) {
            item.set("Next", *next);
        }
        let (first, last, below) = outline_items(doc, &mark.children, ids[i], places)?;
        if let (Some(first), Some(last)) = (first, last) {
            item.set("First", first);
            item.set("Last", last);
            item.set("Count", below);
            count += below;
        }
        doc.objects.insert(ids[i], Object::Dictionary(item));
    }
    Ok((ids.first().copied(), ids.last().copied(), count))
}

/// A PDF text string: plain if ASCII, else UTF-16BE with its byte-order mark.
fn text(s: &str) -> Object {
    if s.is_ascii() {
        return Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/#1/print.html")),
            "file:///tmp/a%20b/%231/print.html"
        );
        assert_eq!(
            file_url(Path::new("C:\\Guide\\ja\\print.html")),
            "file:///C:/Guide/ja/print.html"
        );
        assert_eq!(file_url(Path::new("/tmp/ガイド")), "file:///tmp/%E3%82%AC%E3%82%A4%E3%83%89");
    }

    fn places(starts: &[(u32, usize)], contents: Option<usize>) -> Places {
        let slides = starts.iter().map(|(n, p)| (*n, (*p, Object::Null))).collect();
        let parts = contents.map(|page| ("contents".to_string(), page)).into_iter().collect();
        Places { slides, parts }
    }

    #[test]
    fn labels_are_slide_numbers_and_their_next_pages() {
        let labels =
            page_labels(&places(&[(1, 0), (2, 2), (3, 3)], Some(1)), &[("contents", "目次")], 6)
                .unwrap();
        let nums = labels.get(b"Nums").unwrap().as_array().unwrap();
        let at: Vec<i64> = nums.iter().filter_map(|o| o.as_i64().ok()).collect();
        // slide 1 on page 0, the contents on 1, slide 2 on 2, slide 3 on 3 and its next pages.
        assert_eq!(at, [0, 1, 2, 3, 4]);
        let last = nums.last().unwrap().as_dict().unwrap();
        assert_eq!(last.get(b"P").unwrap().as_str().unwrap(), b"3-");
        assert_eq!(last.get(b"St").unwrap().as_i64().unwrap(), 2);
    }

    #[test]
    fn two_slides_on_one_page_are_refused() {
        assert!(
            page_labels(&places(&[(1, 0), (2, 0)], None), &[("contents", "Contents")], 2).is_err()
        );
        // A last slide of one page has no label for a page after it.
        let labels = page_labels(&places(&[(1, 0)], None), &[("contents", "Contents")], 1).unwrap();
        assert_eq!(labels.get(b"Nums").unwrap().as_array().unwrap().len(), 2);
    }
}
