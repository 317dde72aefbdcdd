//! The one-file edition (`LANG/guide-offline.html`): each picture inside it once however many
//! slides show it, a title and a note that say what it is, and no link that leads nowhere once
//! the file is copied alone.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use crate::html::{select, text_of};
use crate::{basic_project, stderr, tebiki};

const SCREEN: &str = "\n```screen\nimage = \"screen.png\"\nalt = \"ALT\"\n```\n";

/// The basic guide with the same picture on slides 4 and 5 (slide 3 shows it redacted: another
/// picture), and links from slide 5 to pages of the site, built.
fn built() -> tempfile::TempDir {
    let project = basic_project();
    let slides = project.path().join("content/slides");
    let add = |name: &str, text: &str| {
        let path = slides.join(name);
        let body = fs::read_to_string(&path).unwrap();
        fs::write(&path, format!("{body}{text}")).unwrap();
    };
    for (lang, alt) in [("ja", "メモの画面。"), ("en", "The notes screen.")] {
        for slide in ["004-note", "005-done"] {
            add(&format!("{slide}.{lang}.md"), &SCREEN.replace("ALT", alt));
        }
    }
    add(
        "005-done.ja.md",
        "\n[準備のページ](setup.html#slide-3)、[最初のページ](index.html)、\
         [英語の版](../en/index.html)、[この版](guide-offline.html)。\n",
    );
    let result = tebiki(project.path(), &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    project
}

/// The pictures the print page shows, by full-size file (under the output folder), with how
/// many times each is shown.
fn pictures(out: &Path, lang: &str) -> BTreeMap<String, usize> {
    let print = fs::read_to_string(out.join(lang).join("print.html")).unwrap();
    let mut shown = BTreeMap::new();
    for img in select(&print, "img") {
        let full = img["srcset"].rsplit(", ").next().unwrap().split(' ').next().unwrap();
        *shown.entry(full.trim_start_matches("../").to_string()).or_insert(0) += 1;
    }
    shown
}

#[test]
fn each_picture_is_inside_once_however_often_it_is_shown() {
    let project = built();
    let out = project.path().join("public");
    for lang in ["ja", "en"] {
        let edition = fs::read_to_string(out.join(lang).join("guide-offline.html")).unwrap();
        let shown = pictures(&out, lang);
        assert!(shown.values().any(|&n| n >= 2), "{lang}: a picture shown twice: {shown:?}");
        for file in shown.keys() {
            let data = STANDARD.encode(fs::read(out.join(file)).unwrap());
            assert_eq!(edition.matches(&data).count(), 1, "{lang}: {file} inside once");
        }
        let imgs = select(&edition, "img");
        assert_eq!(imgs.len(), shown.values().sum::<usize>(), "{lang}: every use still an <img>");
        for img in &imgs {
            assert_eq!(img["src"], "data:,", "{lang}: no bytes of its own");
            assert!(img.get("srcset").is_none() && !img["alt"].is_empty(), "{lang}: {img:?}");
            assert!(img["class"].starts_with("tebiki-picture-"), "{lang}: {img:?}");
        }
    }
}

#[test]
fn the_edition_says_it_is_the_whole_guide_in_one_file() {
    let project = built();
    let out = project.path().join("public");
    for (lang, title, intro) in [
        ("ja", "ガイド全体（1ファイル版） | テストの手引き", "このファイル1つに、ガイド全体"),
        ("en", "The whole guide in one file | Test guide", "This one file holds the whole guide"),
    ] {
        let edition = fs::read_to_string(out.join(lang).join("guide-offline.html")).unwrap();
        assert_eq!(text_of(&edition, "title").as_deref(), Some(title));
        let notes = select(&edition, "p.print-intro");
        assert_eq!(notes.len(), 1, "{lang}: one note on what the file is, none linking to it");
        let note = text_of(&edition, "p.print-intro").unwrap();
        assert!(note.starts_with(intro), "{lang}: {note}");
        for print_words in ["印刷用", "Print version", "for printing"] {
            assert!(!edition.contains(print_words), "{lang}: says {print_words}");
        }
    }
}

#[test]
fn every_link_leads_inside_the_file_or_out_to_the_web() {
    let project = built();
    let out = project.path().join("public");
    for lang in ["ja", "en"] {
        let edition = fs::read_to_string(out.join(lang).join("guide-offline.html")).unwrap();
        let ids: BTreeSet<String> =
            select(&edition, "[id]").into_iter().map(|e| e["id"].clone()).collect();
        let links = select(&edition, "a[href]");
        assert!(links.len() > 10, "{lang}: {} links", links.len());
        for a in links {
            let href = &a["href"];
            let inside = href.strip_prefix('#').is_some_and(|id| ids.contains(id));
            let out_there =
                ["https://", "http://", "mailto:", "tel:"].iter().any(|s| href.starts_with(s));
            assert!(
                inside || out_there,
                "{lang}: a link to {href} leads nowhere from the file alone"
            );
        }
        assert!(!edition.contains("guide-offline.html"), "{lang}: a link to itself");
    }
    let ja = fs::read_to_string(out.join("ja/guide-offline.html")).unwrap();
    // A link to a slide on another page leads to the slide in the file; other links into the site
    // keep their text, unlinked.
    assert!(ja.contains("<a href=\"#slide-3\">準備のページ</a>"), "the slide's link");
    for text in ["最初のページ", "英語の版", "この版"] {
        assert!(ja.contains(text) && !ja.contains(&format!("{text}</a>")), "{text}");
    }
    assert!(select(&ja, "a[data-lang-switch]").is_empty(), "no language switch");
}

/// The policy names exactly the file's inline scripts and styles (the pictures' style too).
#[test]
fn the_policy_names_exactly_what_is_inside() {
    let project = built();
    let edition = fs::read_to_string(project.path().join("public/ja/guide-offline.html")).unwrap();
    let policy = &select(&edition, "meta[http-equiv='Content-Security-Policy']")[0]["content"];
    let listed = |directive: &str| -> BTreeSet<String> {
        let part = policy.split("; ").find(|p| p.starts_with(directive)).unwrap();
        part.split(' ').skip(1).map(String::from).collect()
    };
    let hashes = |tag: &str| -> BTreeSet<String> {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        let bodies = edition.split(&open).skip(1).map(|s| s.split(&close).next().unwrap());
        bodies.map(|b| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(b)))).collect()
    };
    assert_eq!(listed("script-src"), hashes("script"));
    assert_eq!(listed("style-src"), hashes("style"));
    assert!(edition.matches("<style>").count() >= 3, "the stylesheets and the pictures' style");
}
