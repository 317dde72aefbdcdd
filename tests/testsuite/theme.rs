//! A project overrides any component of the theme with its own template: each case in `theme/`
//! lays a `theme/templates/components/NAME.html` (and the content that shows it) over the basic
//! fixture, and the built site carries that markup, made from the values README.md lists, where
//! tebiki's own would be.

use std::fs;
use std::path::{Path, PathBuf};

use crate::html::{select, text_of};
use crate::{basic_project, copy_tree, stderr, suite_dir, tebiki};

/// The basic fixture with the case `component` laid over it, built; the project and its output.
fn build_with(component: &str) -> (tempfile::TempDir, PathBuf) {
    let project = basic_project();
    copy_tree(&suite_dir().join("theme").join(component), project.path());
    if component == "checker" {
        let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/checker.toml");
        fs::copy(rules, project.path().join("content/checker.toml")).unwrap();
    }
    let result = tebiki(project.path(), &["build"]);
    assert!(result.status.success(), "{component}: {}", stderr(&result));
    let out = project.path().join("public");
    (project, out)
}

fn read(out: &Path, page: &str) -> String {
    fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

#[test]
fn the_screen_figure() {
    let (_project, out) = build_with("screen");
    for page in ["ja/setup.html", "ja/print.html", "en/setup.html"] {
        let html = read(&out, page);
        let figures = select(&html, "figure.city-screen");
        assert_eq!(figures.len(), 1, "{page}: one figure of the project's own");
        let f = &figures[0];
        assert_eq!((f["data-image"].as_str(), f["data-callouts"].as_str()), ("screen.png", "2"));
        assert_eq!(f["data-redactions"], "1", "{page}: the English screen inherits the redaction");
        let marks = select(&html, "figure.city-screen .city-mark");
        let spots: Vec<(&str, &str, &str)> = marks
            .iter()
            .map(|m| (m["data-n"].as_str(), m["data-x"].as_str(), m["data-y"].as_str()))
            .collect();
        assert_eq!(spots, [("1", "50", "63"), ("2", "30", "50")], "{page}");
        let img = &select(&html, "figure.city-screen img")[0];
        let src = img["src"].strip_prefix("../").expect("the picture's path leads from the page");
        assert!(out.join(src).is_file(), "{page}: {src} is published");
        assert!(select(&html, "figure.screen").is_empty(), "{page}: tebiki's own figure is gone");
    }
    let en = read(&out, "en/setup.html");
    assert!(
        text_of(&en, "figure.city-screen figcaption").unwrap().contains("illustration"),
        "{en}"
    );
}

#[test]
fn the_memo_box() {
    let (_project, out) = build_with("memo");
    for page in ["ja/setup.html", "ja/print.html"] {
        let html = read(&out, page);
        assert_eq!(select(&html, "section.city-memo#memo-4-1").len(), 1, "{page}");
        assert_eq!(text_of(&html, "section.city-memo li").as_deref(), Some("新しいパスワード"));
        assert!(select(&html, "div.memo").is_empty(), "{page}");
    }
}

#[test]
fn the_checker() {
    let (_project, out) = build_with("checker");
    for (page, id) in [("ja/finish.html", "checker-5-1"), ("ja/checker.html", "checker-page")] {
        let html = read(&out, page);
        assert_eq!(
            select(&html, &format!("div.city-checker[aria-labelledby='{id}-title']")).len(),
            1
        );
        let inputs = select(&html, "div.city-checker input[data-check]");
        assert!(inputs.len() >= 2, "{page}: {inputs:?}");
        let password = inputs.iter().find(|i| i["data-check"] == "password").expect("password");
        assert_eq!(
            (password["id"].as_str(), password["data-masked"].as_str()),
            (format!("{id}-password").as_str(), "true")
        );
        assert!(select(&html, "div.checker").is_empty(), "{page}");
        assert!(html.contains("checker-rules.ja."), "{page} still loads the checker's rules");
    }
}

#[test]
fn the_addresses_for_paper() {
    let (_project, out) = build_with("links");
    let print = read(&out, "ja/print.html");
    let links = text_of(&print, "aside.city-links p.city-link").expect("the project's own box");
    assert!(links.contains("https://example.jp/start") && links.contains("(QR)"), "{links}");
    assert!(select(&print, "div.print-links").is_empty());
    assert!(select(&read(&out, "ja/index.html"), "aside.city-links").is_empty(), "paper only");
}

#[test]
fn the_test_results() {
    let (_project, out) = build_with("test-results");
    let html = read(&out, "en/results.html");
    let keys: Vec<String> =
        select(&html, "dl.city-results dt").iter().map(|d| d["data-key"].clone()).collect();
    assert_eq!(keys, ["date", "browser", "violations"], "the file's keys, in tebiki's order");
    assert_eq!(text_of(&html, "dl.city-results dd").as_deref(), Some("2026-12-01"));
}
