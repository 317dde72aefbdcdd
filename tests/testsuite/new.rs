//! `tebiki new DIR`: the starter guide builds as it is, and `new` never writes over files.

use std::fs;

use crate::html::select;
use crate::screens::assert_images_complete;
use crate::{read_tree, stderr, tebiki};

#[test]
fn the_starter_guide_builds_with_two_slides_and_a_screen_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("my-guide");
    let made = tebiki(dir.path(), &["new", "my-guide"]);
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(String::from_utf8_lossy(&made.stdout).contains("serve"), "it says what to do next");

    let checked = tebiki(&project, &["check"]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert_eq!(
        stderr(&checked),
        "",
        "no warning: its English slides translate the Japanese as they are"
    );
    let listed = tebiki(&project, &["translations"]);
    let table = String::from_utf8_lossy(&listed.stdout);
    assert!(table.contains("en: 2 current, 0 behind, 0 missing"), "{table}");
    let built = tebiki(&project, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let out = project.join("public");
    for lang in ["ja", "en"] {
        let print = fs::read_to_string(out.join(lang).join("print.html")).unwrap();
        for n in 1..=2 {
            assert_eq!(print.matches(&format!("id=\"slide-{n}\"")).count(), 1, "{lang}: slide {n}");
        }
        assert!(!print.contains("id=\"slide-3\""), "{lang}: only two slides");
        let login = fs::read_to_string(out.join(lang).join("login.html")).unwrap();
        let figures = select(&login, "figure.screen");
        assert_eq!(figures.len(), 1, "{lang}: one screen");
        assert_eq!(
            login.matches("<g data-callout=").count(),
            3,
            "{lang}: a mark for each of the three steps"
        );
        assert!(
            login.contains(if lang == "ja" { "イメージ" } else { "illustration" }),
            "{lang}: the picture is marked as an illustration"
        );
    }
    assert!(assert_images_complete(&out) >= 4);
    // Its everyday words reach the search index: 「サインイン」 finds the login slide.
    let assets: Vec<String> = fs::read_dir(out.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let index = assets.iter().find(|f| f.starts_with("search-index.ja.")).expect("a ja index");
    let script = fs::read_to_string(out.join("assets").join(index)).unwrap();
    assert!(script.contains(r#"["さいんいん",["ろぐいん"]]"#), "the everyday words: {script}");
}

#[test]
fn new_refuses_a_folder_with_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let result = tebiki(dir.path(), &["new", "."]);
    assert!(!result.status.success());
    assert!(stderr(&result).contains("not empty"), "{}", stderr(&result));
    assert_eq!(read_tree(dir.path()).len(), 1, "nothing was written");
    assert_eq!(fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "mine");
}
