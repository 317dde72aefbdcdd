//! Bad input: each case in `errors/` must make `check` and `build` fail with messages naming the
//! file and line, and a failed build must leave the previous site exactly as it was.

use std::fs;

use crate::{basic_project, copy_tree, read_tree, stderr, suite_dir, tebiki};

fn run_case(name: &str) {
    let case = suite_dir().join("errors").join(name);
    let project = basic_project();
    let root = project.path();

    // A good build first: the failed one must not touch it.
    let good = tebiki(root, &["build"]);
    assert!(good.status.success(), "{}", stderr(&good));
    let before = read_tree(&root.join("public"));

    for entry in fs::read_dir(&case).unwrap().filter_map(Result::ok) {
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &root.join(entry.file_name()));
        }
    }
    if let Ok(list) = fs::read_to_string(case.join("remove")) {
        for rel in list.lines().filter(|l| !l.trim().is_empty()) {
            fs::remove_file(root.join(rel.trim())).unwrap();
        }
    }
    let expected = fs::read_to_string(case.join("expected")).unwrap();

    for command in ["check", "build"] {
        let result = tebiki(root, &[command]);
        let report = stderr(&result);
        assert!(!result.status.success(), "{name}: `{command}` succeeded on bad input");
        for line in expected.lines().filter(|l| !l.is_empty()) {
            assert!(report.contains(line), "{name}: `{command}` report lacks {line:?}:\n{report}");
        }
        assert!(report.contains("help:"), "{name}: every error says how to fix it:\n{report}");
    }
    assert_eq!(read_tree(&root.join("public")), before, "{name}: the previous site changed");
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        $(#[test] fn $name() { run_case(stringify!($name)); })*

        #[test]
        fn every_case_folder_has_a_test() {
            let listed = [$(stringify!($name)),*];
            for entry in fs::read_dir(suite_dir().join("errors")).unwrap().filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().to_string();
                assert!(listed.contains(&name.as_str()), "errors/{name} is not run: add it to cases!");
            }
        }
    };
}

cases!(
    unknown_ref,
    step_title_unknown,
    missing_translation,
    duplicate_slide,
    gap,
    bad_front_matter,
    unsafe_html,
    inline_style,
    unknown_link,
    unknown_page,
    template_error,
    component_error,
    many,
    big_heading,
    bad_config,
    image_missing,
    image_outside,
    image_bomb,
    image_corrupt,
    screen_no_alt,
    callout_outside,
    callouts_too_many,
    redact_outside,
    callout_no_step,
    search_words,
    search_words_syntax,
    screen_translation_mismatch,
    language_tag,
    language_words,
    previous_edition_missing,
    previous_edition_malformed,
    previous_edition_outside,
);

#[test]
fn shift_jis_file_is_named_with_the_fix() {
    let project = basic_project();
    let path = project.path().join("content/slides/005-done.ja.md");
    // "+++\nslide = 5\ntitle = "完了"\n+++\n" with 完了 in Shift_JIS (8A AE 97 B9).
    let mut bytes = b"+++\nslide = 5\ntitle = \"".to_vec();
    bytes.extend_from_slice(&[0x8A, 0xAE, 0x97, 0xB9]);
    bytes.extend_from_slice(b"\"\n+++\n");
    fs::write(&path, bytes).unwrap();
    let result = tebiki(project.path(), &["check"]);
    let report = stderr(&result);
    assert!(!result.status.success());
    assert!(report.contains("content/slides/005-done.ja.md"), "{report}");
    assert!(report.contains("Shift_JIS"), "{report}");
    assert!(report.contains("UTF-8"), "{report}");
}

#[test]
fn bom_and_crlf_are_accepted() {
    let project = basic_project();
    let path = project.path().join("content/slides/005-done.ja.md");
    let text = fs::read_to_string(&path).unwrap().replace('\n', "\r\n");
    fs::write(&path, format!("\u{FEFF}{text}")).unwrap();
    let result = tebiki(project.path(), &["check"]);
    assert!(result.status.success(), "{}", stderr(&result));
}

#[test]
fn json_format_for_tools() {
    let project = basic_project();
    let case = suite_dir().join("errors/many");
    copy_tree(&case.join("content"), &project.path().join("content"));
    fs::remove_file(project.path().join("content/slides/005-done.en.md")).unwrap();
    let out = assert_cmd::Command::cargo_bin("tebiki")
        .unwrap()
        .arg("--root")
        .arg(project.path())
        .args(["--format", "json", "check"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The case edits a Japanese slide, so its English translation is behind: a warning, no error.
    let (errors, warnings): (Vec<_>, Vec<_>) = lines.iter().partition(|l| l["level"] == "error");
    assert_eq!(errors.len(), 3, "{lines:?}");
    assert!(warnings.iter().all(|w| w["level"] == "warning"), "{warnings:?}");
    let lines = errors;
    let first = &lines[0];
    assert_eq!(first["file"], "content/slides/002-overview.en.md");
    assert_eq!(first["line"], 6);
    assert!(first["message"].as_str().unwrap().contains("nowhere"));
    assert!(first["help"].as_str().is_some());
}
