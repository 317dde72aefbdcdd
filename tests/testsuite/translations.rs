//! Translations and their sources (`translates`, `tebiki translations`, `--done`), on copies of the
//! basic fixture, whose English slides all record their Japanese source as it is.

use std::fs;
use std::path::Path;

use crate::html::{select, text_of};
use crate::{basic_project, stderr, tebiki};

const SOURCE: &str = "content/slides/003-prepare.ja.md";
const TRANSLATION: &str = "content/slides/003-prepare.en.md";

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `(slide, lang, state)` of every row of `tebiki translations --format json`.
fn states(root: &Path) -> Vec<(u64, String, String)> {
    let out = tebiki(root, &["--format", "json", "translations"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["default_language"], "ja");
    json["translations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let field = |k: &str| row[k].as_str().unwrap().to_string();
            (row["slide"].as_u64().unwrap(), field("lang"), field("state"))
        })
        .collect()
}

#[test]
fn the_fixture_starts_with_every_translation_current_and_no_warning() {
    let project = basic_project();
    let checked = tebiki(project.path(), &["check"]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert_eq!(stderr(&checked), "", "no warning");
    let all = states(project.path());
    assert_eq!(all.len(), 5);
    assert!(all.iter().all(|(_, lang, state)| lang == "en" && state == "current"), "{all:?}");
}

#[test]
fn a_source_edit_makes_exactly_that_translation_behind_and_its_page_says_so() {
    let project = basic_project();
    let root = project.path();
    edit(root, SOURCE, "「ログイン」", "「サインイン」");

    let checked = tebiki(root, &["check"]);
    assert!(checked.status.success(), "a warning is no error: {}", stderr(&checked));
    let report = stderr(&checked);
    assert_eq!(report.matches("warning: this translation").count(), 1, "{report}");
    assert!(
        report.contains(&format!("--> {TRANSLATION}:4:14")),
        "at its translates line: {report}"
    );
    assert!(report.contains(&format!("its source: {SOURCE} changed")), "{report}");
    assert!(report.contains("`tebiki translations --done 3 en`"), "{report}");
    assert!(stdout(&checked).contains("no errors, 1 warning"), "{}", stdout(&checked));

    let json = tebiki(root, &["--format", "json", "check"]);
    assert!(json.status.success());
    let lines: Vec<serde_json::Value> =
        stderr(&json).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(
        (&lines[0]["level"], &lines[0]["file"], &lines[0]["line"]),
        (&"warning".into(), &TRANSLATION.into(), &4.into())
    );

    let built = tebiki(root, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(stderr(&built).contains(TRANSLATION), "the build warns too: {}", stderr(&built));
    let out = root.join("public");
    let read = |rel: &str| fs::read_to_string(out.join(rel)).unwrap();
    // The English chapter page: the note inside slide 3, right under its heading, linking to the
    // Japanese slide 3 on its chapter page (which exists).
    let setup = read("en/setup.html");
    let notes = select(&setup, ".translation-note");
    assert_eq!(notes.len(), 1, "one note on the page");
    assert_eq!(notes[0]["role"], "note");
    let slide3 = text_of(&setup, "#slide-3").unwrap();
    assert!(
        slide3.contains("This translation may not yet include the latest changes to this slide."),
        "{slide3}"
    );
    let links = select(&setup, ".translation-note a");
    assert_eq!(links[0]["href"], "../ja/setup.html#slide-3");
    assert_eq!(links[0]["hreflang"], "ja");
    assert!(read("ja/setup.html").contains("id=\"slide-3\""), "the link leads to a slide");
    let heading_then_note = setup.find("id=\"slide-3-title\"").unwrap()
        < setup.find("translation-note\"").unwrap()
        && setup.find("translation-note\"").unwrap() < setup.find("id=\"slide-4\"").unwrap();
    assert!(heading_then_note, "the note is at the top of slide 3");
    // No other page has one, in either language; the print page has its one.
    for page in ["index.html", "finish.html", "print.html"] {
        for lang in ["ja", "en"] {
            let want = usize::from(lang == "en" && page == "print.html");
            let html = read(&format!("{lang}/{page}"));
            assert_eq!(select(&html, ".translation-note").len(), want, "{lang}/{page}");
        }
    }
    assert_eq!(select(&read("ja/setup.html"), ".translation-note").len(), 0);
    // The one-file edition keeps the note, its link's text left as text (the Japanese pages are
    // not in the file).
    let offline = read("en/guide-offline.html");
    assert_eq!(select(&offline, ".translation-note").len(), 1);
    assert!(select(&offline, ".translation-note a").is_empty(), "no link leading nowhere");
    let note = text_of(&offline, ".translation-note").unwrap();
    assert!(note.contains("See the original: slide 3 in 日本語"), "{note}");
}

#[test]
fn a_white_space_only_edit_of_the_source_keeps_its_translation_current() {
    let project = basic_project();
    let root = project.path();
    edit(root, SOURCE, "\n\n", "\n\n\n  ");
    edit(root, SOURCE, "1. ", "1.  ");
    let checked = tebiki(root, &["check"]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert_eq!(stderr(&checked), "", "no warning");
    assert!(states(root).iter().all(|(_, _, state)| state == "current"));
}

#[test]
fn done_records_the_source_changing_only_that_line_crlf_and_bom_kept() {
    let project = basic_project();
    let root = project.path();
    edit(root, SOURCE, "「ログイン」", "「サインイン」");
    // The translation saved by a Windows editor: a byte-order mark and CRLF line breaks.
    let path = root.join(TRANSLATION);
    let lf = fs::read_to_string(&path).unwrap();
    let before = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    fs::write(&path, &before).unwrap();
    let old_line = before.lines().nth(3).unwrap().to_string();
    assert!(old_line.starts_with("translates = \""), "{old_line}");

    let done = tebiki(root, &["translations", "--done", "3", "en"]);
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(stdout(&done).contains(TRANSLATION), "{}", stdout(&done));
    let after = fs::read_to_string(&path).unwrap();
    let (old, new): (Vec<&str>, Vec<&str>) =
        (before.split("\r\n").collect(), after.split("\r\n").collect());
    assert_eq!(old.len(), new.len(), "as many lines, each ending in CRLF:\n{after:?}");
    let changed: Vec<usize> = (0..old.len()).filter(|i| old[*i] != new[*i]).collect();
    assert_eq!(changed, [3], "only the translates line changed:\n{after:?}");
    assert!(after.starts_with('\u{feff}'), "the byte-order mark stays");
    assert!(new[3].starts_with("translates = \"") && new[3].len() == old_line.len());

    let checked = tebiki(root, &["check"]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert_eq!(stderr(&checked), "", "current again: no warning");
    // Done again: nothing to do, nothing written.
    let again = tebiki(root, &["translations", "--done", "3", "en"]);
    assert!(stdout(&again).contains("already current"), "{}", stdout(&again));
    assert_eq!(fs::read_to_string(&path).unwrap(), after);
}

#[test]
fn a_translation_without_translates_warns_at_its_front_matter_and_done_adds_the_line() {
    let project = basic_project();
    let root = project.path();
    let rel = "content/slides/004-note.en.md";
    let path = root.join(rel);
    let recorded = fs::read_to_string(&path).unwrap();
    let line = recorded.lines().find(|l| l.starts_with("translates = ")).unwrap().to_string();
    let without = recorded.replace(&format!("{line}\n"), "");
    fs::write(&path, &without).unwrap();

    let checked = tebiki(root, &["check"]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    let report = stderr(&checked);
    assert!(report.contains(&format!("--> {rel}:1:1")), "{report}");
    assert!(report.contains("does not record which version"), "{report}");
    assert!(report.contains("--done 4 en"), "{report}");

    let done = tebiki(root, &["translations", "--done", "4", "en"]);
    assert!(done.status.success(), "{}", stderr(&done));
    assert_eq!(fs::read_to_string(&path).unwrap(), recorded, "the line, back after the title");
}

#[test]
fn translations_lists_current_behind_and_missing() {
    let project = basic_project();
    let root = project.path();
    edit(root, "content/slides/002-overview.ja.md", "\n1.", "\n追加の一文です。\n\n1.");
    fs::remove_file(root.join("content/slides/005-done.en.md")).unwrap();

    let out = tebiki(root, &["translations"]);
    assert!(out.status.success(), "the table is shown even with a translation missing");
    let table = stdout(&out);
    let row = |n: u32| {
        table
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{n}  ")))
            .unwrap_or_else(|| panic!("no row {n}:\n{table}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert_eq!(row(1), ["1", "001-cover.ja.md", "current"]);
    assert_eq!(row(2), ["2", "002-overview.ja.md", "behind"]);
    assert_eq!(row(5), ["5", "005-done.ja.md", "missing"]);
    assert!(table.contains("en: 3 current, 1 behind, 1 missing"), "{table}");
    assert!(table.contains("tebiki translations --done 2 en"), "{table}");

    let want: Vec<(u64, String, String)> =
        [(1, "current"), (2, "behind"), (3, "current"), (4, "current"), (5, "missing")]
            .iter()
            .map(|(n, s)| (*n, "en".to_string(), s.to_string()))
            .collect();
    assert_eq!(states(root), want);
}

#[test]
fn done_says_what_is_wrong_with_its_slide_or_language() {
    let project = basic_project();
    let root = project.path();
    fs::remove_file(root.join("content/slides/005-done.en.md")).unwrap();
    for (args, said) in [
        (["17", "en"], "the guide has no slide 17"),
        (["x", "en"], "`x` is not a slide number"),
        (["3", "fr"], "`fr` is not one of the guide's languages"),
        (["3", "ja"], "`ja` is the guide's default language"),
        (["5", "en"], "slide 5 has no `en` translation yet"),
    ] {
        let out = tebiki(root, &["translations", "--done", args[0], args[1]]);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr(&out).contains(said), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("help:"), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn translates_on_a_slide_of_the_default_language_is_an_error_at_its_line() {
    let project = basic_project();
    let root = project.path();
    edit(
        root,
        SOURCE,
        "title = \"準備する\"\n",
        "title = \"準備する\"\ntranslates = \"0123456789abcdef\"\n",
    );
    let out = tebiki(root, &["check"]);
    assert!(!out.status.success());
    let report = stderr(&out);
    assert!(report.contains(&format!("--> {SOURCE}:4:14")), "{report}");
    assert!(report.contains("remove the `translates` line"), "{report}");
}

#[test]
fn many_translations_behind_are_warned_of_one_by_one_up_to_a_bound_then_counted() {
    let project = basic_project();
    let root = project.path();
    // 120 slides, every English one recording no source: 120 translations behind.
    for n in 6..=120 {
        for (lang, title) in [("ja", "追加"), ("en", "More")] {
            let text = format!("+++\nslide = {n}\ntitle = \"{title} {n}\"\n+++\n\n{title}。\n");
            fs::write(root.join(format!("content/slides/{n:03}-more.{lang}.md")), text).unwrap();
        }
    }
    for n in 1..=5 {
        let rel = fs::read_dir(root.join("content/slides"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.to_string_lossy().ends_with(".en.md")
                    && p.file_name().unwrap().to_string_lossy().starts_with(&format!("{n:03}-"))
            })
            .unwrap();
        let text = fs::read_to_string(&rel).unwrap();
        let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("translates = ")).collect();
        fs::write(&rel, kept.join("\n") + "\n").unwrap();
    }
    let out = tebiki(root, &["--format", "json", "check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> =
        stderr(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(lines.iter().all(|l| l["level"] == "warning"));
    assert_eq!(lines.len(), 101, "100 one by one, then one that counts the rest");
    let last = lines.iter().find(|l| l["line"].is_null()).unwrap();
    assert!(
        last["message"].as_str().unwrap().starts_with("20 more translations are behind"),
        "{last}"
    );
    assert!(last["help"].as_str().unwrap().contains("tebiki translations"));
    let table = stdout(&tebiki(root, &["translations"]));
    assert!(table.contains("en: 0 current, 120 behind, 0 missing"), "the table lists them all");
}
