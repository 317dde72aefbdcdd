//! The PDF handouts (`LANG/guide.pdf`), read as a reader and a PDF viewer would: page labels that
//! are slide numbers, every page saying where it is, bookmarks, title, language and tags, links
//! inside the PDF, and no page broken where a reader needs things together. Then builds without a
//! browser, with one that fails and with one that hangs.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use lopdf::{Document, Object};

use crate::bundled::site;
use crate::{basic_project, read_tree, stderr, tebiki, tebiki_with};

const LANGS: [&str; 2] = ["ja", "en"];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A handout, with its pages' labels and texts.
struct Handout {
    doc: Document,
    labels: Vec<String>,
    texts: Vec<String>,
}

fn handout(lang: &str) -> Handout {
    let path = site().join(lang).join("guide.pdf");
    let doc = Document::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let pages = doc.get_pages().len();
    let labels = labels(&doc, pages);
    let all = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output();
    let all = String::from_utf8(all.unwrap().stdout).unwrap();
    let mut texts: Vec<String> = all.split('\u{c}').map(str::to_string).collect();
    texts.truncate(pages);
    assert_eq!(texts.len(), pages, "{lang}: one text per page");
    Handout { doc, labels, texts }
}

/// Each page's label, from `/PageLabels` (a prefix, then a decimal number if a style is given).
fn labels(doc: &Document, pages: usize) -> Vec<String> {
    let catalog = doc.catalog().unwrap();
    let tree = catalog.get(b"PageLabels").unwrap().as_dict().unwrap();
    let nums = tree.get(b"Nums").unwrap().as_array().unwrap();
    let ranges: Vec<(usize, &lopdf::Dictionary)> = nums
        .chunks(2)
        .map(|pair| (pair[0].as_i64().unwrap() as usize, pair[1].as_dict().unwrap()))
        .collect();
    assert_eq!(ranges.first().map(|r| r.0), Some(0), "labels start at the first page");
    (0..pages)
        .map(|page| {
            let (start, range) = ranges.iter().rev().find(|(start, _)| *start <= page).unwrap();
            let prefix = range.get(b"P").map(text).unwrap_or_default();
            match range.get(b"S") {
                Ok(_) => {
                    let first = range.get(b"St").map_or(1, |s| s.as_i64().unwrap());
                    format!("{prefix}{}", first + (page - start) as i64)
                }
                Err(_) => prefix,
            }
        })
        .collect()
}

/// A PDF text string (UTF-16BE with its mark, or single bytes).
fn text(object: &Object) -> String {
    let bytes = object.as_str().unwrap();
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> =
                utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16(&units).unwrap()
        }
        None => bytes.iter().map(|b| *b as char).collect(),
    }
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Each slide's title, from its file's front matter.
fn slide_titles(lang: &str) -> BTreeMap<u32, String> {
    let mut titles = BTreeMap::new();
    for entry in fs::read_dir(repo().join("content/slides")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(&format!(".{lang}.md")) {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let field = |key: &str| {
            let line = text.lines().find(|l| l.starts_with(&format!("{key} = ")))?;
            Some(line.split_once(" = ")?.1.trim_matches('"').replace("\\\"", "\""))
        };
        titles.insert(field("slide").unwrap().parse().unwrap(), field("title").unwrap());
    }
    titles
}

fn slide_label(lang: &str, n: u32) -> String {
    if lang == "ja" { format!("スライド{n}") } else { format!("Slide {n}") }
}

impl Handout {
    fn page_labelled(&self, label: &str) -> Option<usize> {
        self.labels.iter().position(|l| l == label)
    }

    /// The pages of slide `n`: the one labelled `n`, and those labelled `n-2`, `n-3`…
    fn pages_of(&self, n: u32) -> Vec<usize> {
        let (one, more) = (n.to_string(), format!("{n}-"));
        (0..self.labels.len())
            .filter(|p| self.labels[*p] == one || self.labels[*p].starts_with(&more))
            .collect()
    }

    /// The outline's titles, depth first, with their depth (0: top).
    fn outline(&self) -> Vec<(usize, String)> {
        let catalog = self.doc.catalog().unwrap();
        let root =
            self.doc.get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap());
        let mut out = Vec::new();
        self.walk(root.unwrap().get(b"First").ok(), 0, &mut out);
        out
    }

    fn walk(&self, item: Option<&Object>, depth: usize, out: &mut Vec<(usize, String)>) {
        let mut next = item;
        while let Some(reference) = next {
            let dict = self.doc.get_dictionary(reference.as_reference().unwrap()).unwrap();
            out.push((depth, text(dict.get(b"Title").unwrap())));
            self.walk(dict.get(b"First").ok(), depth + 1, out);
            next = dict.get(b"Next").ok();
        }
    }

    /// The page's text without its running head (the guide's title) and foot.
    fn body(&self, page: usize, lang: &str) -> String {
        let lines: Vec<&str> = self.texts[page].lines().map(str::trim).collect();
        let foot = |l: &&str| {
            l.starts_with(if lang == "ja" { "ページ " } else { "Page " })
                || l.starts_with(if lang == "ja" { "スライド" } else { "Slide " }) && l.len() < 16
                || *l == (if lang == "ja" { "目次" } else { "Contents" })
        };
        let title = if lang == "ja" {
            "ケアプランデータ連携システム 導入ガイド"
        } else {
            "Care Plan Data"
        };
        let body: Vec<&str> = lines
            .into_iter()
            .filter(|l| !l.is_empty() && !l.starts_with(title) && !foot(l))
            .collect();
        body.join("\n")
    }
}

#[test]
fn every_slide_is_on_the_page_labelled_with_its_number() {
    for lang in LANGS {
        let pdf = handout(lang);
        let pages = pdf.labels.len();
        assert_eq!(pdf.labels[0], "1", "{lang}: the cover is slide 1");
        let contents = if lang == "ja" { "目次" } else { "Contents" };
        assert_eq!(pdf.labels[1], contents, "{lang}: the contents follow on a page of their own");
        for (n, title) in slide_titles(lang) {
            let page = pdf.page_labelled(&n.to_string());
            let page = page.unwrap_or_else(|| panic!("{lang}: no page is labelled {n}"));
            let text = squeeze(&pdf.texts[page]);
            assert!(
                text.contains(&squeeze(&title)),
                "{lang}: slide {n}'s title is not on its page"
            );
            for p in pdf.pages_of(n) {
                let foot = squeeze(&format!("{} ", slide_label(lang, n)));
                let number = format!("{} / {pages}", p + 1);
                assert!(
                    squeeze(&pdf.texts[p]).contains(&foot),
                    "{lang}: page {} lacks {foot}",
                    p + 1
                );
                assert!(pdf.texts[p].contains(&number), "{lang}: page {} lacks “{number}”", p + 1);
            }
        }
        // A label is used once; every page is either a slide's or the contents'.
        let mut seen = std::collections::BTreeSet::new();
        assert!(pdf.labels.iter().all(|l| seen.insert(l.clone())), "{lang}: {:?}", pdf.labels);
        assert!(pdf.labels.iter().any(|l| l == "17-2"), "{lang}: slide 17 takes two pages");
        let print = fs::read_to_string(site().join(lang).join("print.html")).unwrap();
        assert!(print.contains("href=\"guide.pdf\""), "{lang}: the print page links to its PDF");
    }
}

/// With a previous edition, the pages listing the changes follow the contents, labelled with
/// their own name (not as more contents pages), and the slides keep their numbers.
#[test]
fn the_changes_pages_are_labelled_with_their_name() {
    let project = basic_project();
    crate::copy_tree(&crate::suite_dir().join("edition"), project.path());
    let result = tebiki(project.path(), &["build", "--browser", "/usr/bin/chromium"]);
    assert!(result.status.success(), "{}", stderr(&result));
    for (lang, contents, changes) in
        [("ja", "目次", "この版での変更"), ("en", "Contents", "Changes in this edition")]
    {
        let path = project.path().join("public").join(lang).join("guide.pdf");
        let doc = Document::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let labels = labels(&doc, doc.get_pages().len());
        assert_eq!(labels[..3], ["1", contents, changes], "{lang}: {labels:?}");
        assert!(labels.iter().any(|l| l == "6"), "{lang}: the new slide 6 is labelled: {labels:?}");
    }
}

#[test]
fn the_outline_lists_steps_chapters_and_every_slide_with_title_and_language() {
    let config: toml::Table =
        toml::from_str(&fs::read_to_string(repo().join("content/guide.toml")).unwrap()).unwrap();
    for lang in LANGS {
        let pdf = handout(lang);
        let outline = pdf.outline();
        let titles: Vec<&str> = outline.iter().map(|(_, t)| t.as_str()).collect();
        let step = if lang == "ja" { "ステップ" } else { "Step " };
        let top: Vec<&str> =
            outline.iter().filter(|(d, _)| *d == 0).map(|(_, t)| t.as_str()).collect();
        let steps = top.iter().filter(|t| t.starts_with(step)).count();
        assert_eq!(steps, 7, "{lang}: the seven steps are the outline's top: {top:?}");
        for (n, title) in slide_titles(lang) {
            let want = format!("{} {title}", slide_label(lang, n));
            assert!(titles.contains(&want.as_str()), "{lang}: the outline lacks {want}");
        }
        for chapter in config["chapters"].as_array().unwrap() {
            let title = chapter[lang].as_str().unwrap();
            let shown = match chapter.get("step") {
                Some(s) => format!("{step}{} {title}", s.as_integer().unwrap()),
                None => title.to_string(),
            };
            assert!(titles.contains(&shown.as_str()), "{lang}: the outline lacks {shown}");
        }
        let catalog = pdf.doc.catalog().unwrap();
        assert_eq!(text(catalog.get(b"Lang").unwrap()), lang);
        assert!(catalog.get(b"StructTreeRoot").is_ok(), "{lang}: the PDF is tagged");
        let info = pdf.doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let title = text(pdf.doc.get_dictionary(info).unwrap().get(b"Title").unwrap());
        assert_eq!(title, config["title"][lang].as_str().unwrap(), "{lang}: the document title");
        let pdfinfo = Command::new("pdfinfo").arg(site().join(lang).join("guide.pdf")).output();
        let pdfinfo = String::from_utf8(pdfinfo.unwrap().stdout).unwrap();
        assert!(pdfinfo.contains("Tagged:          yes"), "{pdfinfo}");
        assert!(pdfinfo.contains("A4"), "{pdfinfo}");
    }
}

#[test]
fn no_page_holds_only_a_heading_or_an_address_box_and_the_memo_stays_whole() {
    for lang in LANGS {
        let pdf = handout(lang);
        let qr_title = if lang == "ja" {
            "このスライドに出てくるサイト"
        } else {
            "Sites named on this slide"
        };
        for page in 0..pdf.labels.len() {
            let body = pdf.body(page, lang);
            let label = &pdf.labels[page];
            assert!(body.lines().count() >= 3, "{lang}: page {label} holds only: {body:?}");
            assert!(
                !body.starts_with(qr_title),
                "{lang}: page {label} begins with the address box"
            );
        }
        // Slide 17's memo box: its title and the label of its line on one page.
        let (memo, line) = if lang == "ja" {
            ("メモ欄", "新しいパスワード")
        } else {
            ("Notes", "New password")
        };
        let pages = pdf.pages_of(17);
        let holding: Vec<usize> =
            pages.into_iter().filter(|p| pdf.texts[*p].contains(memo)).collect();
        assert_eq!(holding.len(), 1, "{lang}: slide 17's memo box is on one page");
        let after = pdf.texts[holding[0]].split(memo).nth(1).unwrap();
        assert!(after.contains(line), "{lang}: the memo line is on the page of its title");
        // The address box says what its code opens, and prints the address in full.
        let caption = if lang == "ja" {
            "電子請求受付システムのアドレス"
        } else {
            "Address of Electronic Claim Reception System"
        };
        assert!(
            pdf.texts.iter().any(|t| squeeze(t).contains(&squeeze(caption))),
            "{lang}: {caption}"
        );
        assert!(pdf.texts.iter().any(|t| t.contains("https://www.e-seikyuu.jp")));
    }
}

#[test]
fn cross_references_jump_inside_the_pdf_and_addresses_stay_links() {
    for lang in LANGS {
        let pdf = handout(lang);
        let catalog = pdf.doc.catalog().unwrap();
        let dests = pdf.doc.get_dictionary(catalog.get(b"Dests").unwrap().as_reference().unwrap());
        let dests = dests.unwrap();
        let (mut inside, mut outside) = (Vec::new(), Vec::new());
        for page in pdf.doc.get_pages().into_values() {
            let Ok(annots) = pdf.doc.get_dictionary(page).unwrap().get(b"Annots") else { continue };
            for annot in annots.as_array().unwrap() {
                let annot = pdf.doc.get_dictionary(annot.as_reference().unwrap()).unwrap();
                if let Ok(dest) = annot.get(b"Dest") {
                    inside.push(String::from_utf8_lossy(dest.as_name().unwrap()).into_owned());
                } else if let Ok(action) = annot.get(b"A").and_then(|a| a.as_dict()) {
                    outside.push(text(action.get(b"URI").unwrap()));
                }
            }
        }
        // Slide 17 points at slide 21 (where the password it sets is used).
        assert!(inside.iter().any(|d| d == "slide-21"), "{lang}: a link to slide 21");
        for name in &inside {
            assert!(dests.get(name.as_bytes()).is_ok(), "{lang}: the link to {name} leads nowhere");
        }
        assert!(outside.iter().any(|u| u.starts_with("https://www.e-seikyuu.jp")), "{outside:?}");
    }
}

#[test]
fn without_a_browser_the_build_succeeds_and_says_so_once() {
    let project = basic_project();
    let bin = assert_cmd::cargo::cargo_bin("tebiki");
    let run = |extra: &[&str]| {
        let out = Command::new(&bin)
            .arg("--root")
            .arg(project.path())
            .arg("build")
            .args(extra)
            .env("PATH", "/nonexistent")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out)
    };
    let said = run(&[]);
    let lines: Vec<&str> = said.lines().filter(|l| l.contains("PDF")).collect();
    assert_eq!(lines.len(), 1, "{said}");
    assert!(lines[0].starts_with("PDF handouts skipped") && lines[0].contains("--browser"));
    assert!(!project.path().join("public/ja/guide.pdf").exists());
    let print = fs::read_to_string(project.path().join("public/ja/print.html")).unwrap();
    assert!(!print.contains("guide.pdf"), "no link to a handout that is not there");
    assert_eq!(run(&["--no-pdf"]), "", "--no-pdf skips them quietly");
}

/// A browser that fails, or hangs, is an error naming it, and the previous site stays as it was.
#[test]
fn a_browser_that_fails_or_hangs_is_an_error_and_the_site_stays() {
    let project = basic_project();
    let built = tebiki(project.path(), &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let before = read_tree(&project.path().join("public"));
    let scripts = tempfile::tempdir().unwrap();
    for (name, body, said) in [
        ("crash.sh", "echo 'it broke' >&2; exit 3", "it broke"),
        ("hang.sh", "sleep 30; exit 0", "took over 1 s"),
    ] {
        let script = scripts.path().join(name);
        fs::write(&script, format!("#!/bin/sh\n{body}\n")).unwrap();
        let mut perms = fs::metadata(&script).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        fs::set_permissions(&script, perms).unwrap();
        let start = std::time::Instant::now();
        let browser = script.to_str().unwrap();
        let out = tebiki_with(
            project.path(),
            &["build", "--browser", browser],
            &[("TEBIKI_PDF_TIME_LIMIT", "1")],
        );
        assert!(!out.status.success(), "{name}: the build fails");
        let report = stderr(&out);
        assert!(
            report.contains("could not print the handout") && report.contains(said),
            "{report}"
        );
        assert!(report.contains("ja/print.html"), "{report}");
        assert!(start.elapsed().as_secs() < 20, "{name}: stopped in time");
        assert_eq!(read_tree(&project.path().join("public")), before, "{name}: the site stays");
    }
    let missing = tebiki(project.path(), &["build", "--browser", "/nonexistent/chrome"]);
    assert!(stderr(&missing).contains("--browser /nonexistent/chrome: there is no such program"));
}

/// The map of the IDs and passwords follows the contents on pages of its own, labelled with its
/// title in the page box (its heading links to itself, so Chromium names its place).
#[test]
fn the_password_map_follows_the_contents_labelled_with_its_title() {
    for (lang, title) in [("ja", "パスワードとIDの早見表"), ("en", "Which password goes where")]
    {
        let pdf = handout(lang);
        let at = pdf.labels.iter().position(|l| l == title);
        let at = at.unwrap_or_else(|| panic!("{lang}: no page labelled {title}: {:?}", pdf.labels));
        let contents = if lang == "ja" { "目次" } else { "Contents" };
        assert_eq!(pdf.labels[at - 1], contents, "{lang}: right after the contents");
        assert!(squeeze(&pdf.texts[at]).contains(&squeeze(title)), "{lang}: its page shows it");
        let next = &pdf.labels[at + 1];
        assert!(next == "2" || *next == format!("{title}-2"), "{lang}: then slide 2: {next}");
        assert!(
            pdf.labels.iter().skip(at + 1).take_while(|l| *l != "2").all(|l| l.starts_with(title))
        );
    }
}
