//! Editions: every build writes `edition.json`; with `previous-edition` in guide.toml, the changes
//! page, the marks by the slide numbers and the print page's list. The fixture `edition/` is laid
//! over the basic guide: its previous edition (`editions/2025-06.json`) had slide 2 with other
//! words and a slide 3 this edition does not have (so slides 3–5 were 4–6); slide 6 is new; and
//! slide 4 (ja) differs from that edition's only in white space.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use lol_html::{RewriteStrSettings, element, rewrite_str, text};
use serde_json::Value;

use crate::html::select;
use crate::{basic_project, copy_tree, read_tree, stderr, suite_dir, tebiki};

/// A copy of the basic guide with the edition fixture laid over it, built.
fn built_with_previous() -> tempfile::TempDir {
    let project = basic_project();
    copy_tree(&suite_dir().join("edition"), project.path());
    let result = tebiki(project.path(), &["build"]);
    assert!(result.status.success(), "build failed:\n{}", stderr(&result));
    project
}

fn built_basic() -> tempfile::TempDir {
    let project = basic_project();
    let result = tebiki(project.path(), &["build"]);
    assert!(result.status.success(), "build failed:\n{}", stderr(&result));
    project
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join("public").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// The text of every element matching `selector`, in order (tags stripped, spaces squeezed).
fn texts(html: &str, selector: &str) -> Vec<String> {
    let found = RefCell::new(Vec::<String>::new());
    rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!(selector, |_| {
                found.borrow_mut().push(String::new());
                Ok(())
            }))
            .append_element_content_handler(text!(selector, |t| {
                if let Some(last) = found.borrow_mut().last_mut() {
                    last.push_str(t.as_str());
                }
                Ok(())
            })),
    )
    .unwrap();
    found.into_inner().iter().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

/// (slide number, mark class, mark text) of every edition mark on a page.
fn marks(html: &str) -> Vec<(u32, String, String)> {
    let slide = RefCell::new(0u32);
    let found = RefCell::new(Vec::new());
    rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("section.slide", |el| {
                let id = el.get_attribute("id").unwrap();
                *slide.borrow_mut() = id.trim_start_matches("slide-").parse().unwrap();
                Ok(())
            }))
            .append_element_content_handler(element!(".edition-mark", |el| {
                let class = el.get_attribute("class").unwrap();
                found.borrow_mut().push((*slide.borrow(), class, String::new()));
                Ok(())
            }))
            .append_element_content_handler(text!(".edition-mark", |t| {
                if let Some(last) = found.borrow_mut().last_mut() {
                    last.2.push_str(t.as_str());
                }
                Ok(())
            })),
    )
    .unwrap();
    found.into_inner()
}

fn fingerprints(record: &Value, lang: &str) -> Vec<(u64, String)> {
    record["slides"][lang]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["slide"].as_u64().unwrap(), s["fingerprint"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn edition_json_records_every_slide_and_nothing_else_appears_without_a_previous_edition() {
    let project = built_basic();
    let record = json(&project.path().join("public/edition.json"));
    assert_eq!(record["format"], 1);
    assert_eq!(record["edition"], "2025-12");
    assert_eq!(record["app-version"], "9.9.9");
    assert_eq!(record["edition-label"]["ja"], "2025年12月版");
    assert_eq!(record["edition-label"]["en"], "December 2025 edition");
    for lang in ["ja", "en"] {
        let slides = record["slides"][lang].as_array().unwrap();
        let numbers: Vec<u64> = slides.iter().map(|s| s["slide"].as_u64().unwrap()).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5], "{lang}");
        for s in slides {
            let f = s["fingerprint"].as_str().unwrap();
            assert!(f.len() == 16 && f.bytes().all(|b| b.is_ascii_hexdigit()), "{lang}: {f}");
        }
    }
    assert_eq!(record["slides"]["ja"][1]["title"], "全体の流れ");
    assert_eq!(record["slides"]["en"][3]["title"], "Take a note");
    // Different words, different fingerprints.
    let ja = fingerprints(&record, "ja");
    let distinct: std::collections::BTreeSet<_> = ja.iter().map(|(_, f)| f).collect();
    assert_eq!(distinct.len(), 5);

    for (rel, bytes) in read_tree(&project.path().join("public")) {
        let name = rel.to_string_lossy();
        assert!(
            !name.ends_with("changes.html"),
            "{name}: no changes page without a previous edition"
        );
        if !name.ends_with(".html") {
            continue; // the stylesheet has the marks' rules
        }
        let html = String::from_utf8_lossy(&bytes);
        assert!(
            select(&html, ".edition-mark, #changes").is_empty(),
            "{name}: a mark without a previous edition"
        );
        assert!(
            select(&html, "a[href*='changes.html']").is_empty(),
            "{name}: links to a changes page"
        );
    }
}

#[test]
fn a_whitespace_only_edit_keeps_the_fingerprint_and_a_word_changes_it() {
    let basic = built_basic();
    let before = fingerprints(&json(&basic.path().join("public/edition.json")), "ja");
    // The fixture's slide 4 is the basic one re-wrapped, with a blank line and indentation.
    let project = basic_project();
    let slide = project.path().join("content/slides/004-note.ja.md");
    fs::copy(suite_dir().join("edition/content/slides/004-note.ja.md"), &slide).unwrap();
    let result = tebiki(project.path(), &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let after = fingerprints(&json(&project.path().join("public/edition.json")), "ja");
    assert_ne!(
        fs::read(&slide).unwrap(),
        fs::read(basic.path().join("content/slides/004-note.ja.md")).unwrap()
    );
    assert_eq!(after, before, "white space is not a change");
    // One word more is.
    let text = fs::read_to_string(&slide).unwrap().replace("書きます。", "書いておきます。");
    fs::write(&slide, text).unwrap();
    let result = tebiki(project.path(), &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let edited = fingerprints(&json(&project.path().join("public/edition.json")), "ja");
    assert_ne!(edited[3], before[3]);
    assert_eq!([&edited[..3], &edited[4..]], [&before[..3], &before[4..]]);
}

/// The fixture's previous edition holds the basic guide's fingerprints where it says a slide is
/// the same: it is what a build of that guide writes (so the fixture proves what it claims).
#[test]
fn the_fixtures_previous_edition_has_the_fingerprints_a_build_writes() {
    let basic = built_basic();
    let now = json(&basic.path().join("public/edition.json"));
    let previous = json(&suite_dir().join("edition/editions/2025-06.json"));
    for lang in ["ja", "en"] {
        let (now, was) = (fingerprints(&now, lang), fingerprints(&previous, lang));
        assert_eq!(was.len(), 6);
        assert_eq!(was[0].1, now[0].1, "{lang}: slide 1 is the same");
        for n in 2..5 {
            assert_eq!(was[n + 1].1, now[n].1, "{lang}: slide {} was slide {}", n + 1, n + 2);
        }
        assert_ne!(was[1].1, now[1].1, "{lang}: slide 2 changed");
    }
}

#[test]
fn the_changes_page_lists_exactly_the_updated_new_and_removed_slides() {
    let project = built_with_previous();
    let root = project.path();
    let expected = [
        (
            "ja",
            ["スライド2 全体の流れ", "スライド6 困ったときは", "前の版のスライド3 古い手順"],
            "スライド3〜5 （前の版ではスライド4〜6）",
        ),
        (
            "en",
            [
                "Slide 2 Overview",
                "Slide 6 If something goes wrong",
                "Slide 3 of the previous edition An old step",
            ],
            "Slides 3–5 (Slides 4–6 in the previous edition)",
        ),
    ];
    for (lang, [changed, added, removed], moved) in expected {
        let page = read(root, &format!("{lang}/changes.html"));
        assert_eq!(texts(&page, ".changes-changed li"), [changed], "{lang}");
        assert_eq!(texts(&page, ".changes-added li"), [added], "{lang}");
        assert_eq!(texts(&page, ".changes-removed li"), [removed], "{lang}");
        let moved_texts = texts(&page, ".changes-moved li");
        assert_eq!(moved_texts.len(), 1, "{lang}: {moved_texts:?}");
        assert_eq!(moved_texts[0], moved, "{lang}");
        // Links lead to the slide on its chapter page; a removed slide has none.
        let links: Vec<String> =
            select(&page, "main li a").iter().map(|a| a["href"].clone()).collect();
        assert_eq!(
            links,
            ["index.html#slide-2", "finish.html#slide-6", "setup.html#slide-3"],
            "{lang}"
        );
        assert!(select(&page, ".changes-removed a").is_empty());
        for (file, id) in
            [("index.html", "slide-2"), ("finish.html", "slide-6"), ("setup.html", "slide-3")]
        {
            assert_eq!(select(&read(root, &format!("{lang}/{file}")), &format!("#{id}")).len(), 1);
        }
        // Both editions are named; the headings say which group is which.
        let intro = texts(&page, ".changes-intro").join("");
        let (now, was) = if lang == "ja" {
            ("2025年12月版", "2025年6月版")
        } else {
            ("December 2025 edition", "June 2025 edition")
        };
        assert!(intro.contains(now) && intro.contains(was), "{lang}: {intro}");
        assert_eq!(texts(&page, "main h2").len(), 4, "{lang}");
        // The page is in the site's navigation, current on itself.
        assert_eq!(select(&page, "nav.steps a[href='changes.html'][aria-current='page']").len(), 1);
        for file in ["index.html", "setup.html", "finish.html"] {
            let html = read(root, &format!("{lang}/{file}"));
            assert_eq!(select(&html, "nav.steps a[href='changes.html']").len(), 1, "{lang}/{file}");
        }
    }
    // Search finds it, as it finds the other pages beside the slides.
    let index = read_tree(&root.join("public/assets"))
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().starts_with("search-index.ja."))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .collect::<String>();
    assert!(index.contains("changes.html") && index.contains("この版での変更"));
}

#[test]
fn marks_are_on_exactly_the_updated_and_new_slides_on_the_web_and_in_print() {
    let project = built_with_previous();
    let root = project.path();
    for (lang, changed, added) in [
        ("ja", "この版で更新", "この版で追加"),
        ("en", "Updated in this edition", "New in this edition"),
    ] {
        let expected = vec![
            (2, "edition-mark edition-mark-changed".to_string(), changed.to_string()),
            (6, "edition-mark edition-mark-added".to_string(), added.to_string()),
        ];
        let chapters: Vec<_> = ["index.html", "setup.html", "finish.html"]
            .iter()
            .flat_map(|f| marks(&read(root, &format!("{lang}/{f}"))))
            .collect();
        assert_eq!(chapters, expected, "{lang} chapter pages");
        assert_eq!(
            marks(&read(root, &format!("{lang}/print.html"))),
            expected,
            "{lang}/print.html"
        );
        // The mark is inside the heading, after the number: a screen reader reads it with the slide.
        let index = read(root, &format!("{lang}/index.html"));
        let heading = texts(&index, "#slide-2-title").join("");
        let label = if lang == "ja" { "スライド2" } else { "Slide 2" };
        assert!(heading.starts_with(&format!("{label} {changed}")), "{heading}");
    }
}

#[test]
fn the_print_page_lists_the_changes_after_its_contents() {
    let project = built_with_previous();
    let print = read(project.path(), "ja/print.html");
    let contents = print.find("id=\"contents\"").unwrap();
    let changes = print.find("id=\"changes\"").unwrap();
    let first_chapter = print.find("class=\"chapter\"").unwrap();
    assert!(contents < changes && changes < first_chapter);
    assert_eq!(texts(&print, "#changes .changes-changed li"), ["スライド2 全体の流れ"]);
    assert_eq!(texts(&print, "#changes .changes-added li"), ["スライド6 困ったときは"]);
    assert_eq!(texts(&print, "#changes .changes-removed li"), ["前の版のスライド3 古い手順"]);
    let links: Vec<String> =
        select(&print, "#changes a").iter().map(|a| a["href"].clone()).collect();
    // The heading links to itself, so the PDF has the place to label its pages.
    assert_eq!(
        links,
        ["#changes", "#slide-2", "#slide-6", "#slide-3"],
        "links stay on the print page"
    );
}

#[test]
fn nothing_changed_says_so_and_marks_nothing() {
    let basic = built_basic();
    let project = basic_project();
    fs::create_dir_all(project.path().join("editions")).unwrap();
    fs::copy(basic.path().join("public/edition.json"), project.path().join("editions/last.json"))
        .unwrap();
    let config = project.path().join("content/guide.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        text.replacen("[title]", "previous-edition = \"editions/last.json\"\n\n[title]", 1),
    )
    .unwrap();
    let result = tebiki(project.path(), &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let page = read(project.path(), "en/changes.html");
    assert_eq!(
        texts(&page, ".changes-intro"),
        ["No slide has changed since the previous edition."]
    );
    assert!(select(&page, "main li").is_empty());
    for file in ["index.html", "setup.html", "finish.html", "print.html"] {
        assert!(marks(&read(project.path(), &format!("en/{file}"))).is_empty(), "{file}");
    }
}

#[test]
fn two_builds_with_a_previous_edition_are_byte_identical() {
    let first = built_with_previous();
    let second = built_with_previous();
    let a: BTreeMap<_, _> = read_tree(&first.path().join("public")).into_iter().collect();
    let b: BTreeMap<_, _> = read_tree(&second.path().join("public")).into_iter().collect();
    assert!(
        a.contains_key(Path::new("edition.json")) && a.contains_key(Path::new("ja/changes.html"))
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{} differs between builds", path.display());
    }
}
