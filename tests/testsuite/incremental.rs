//! `tebiki serve` rebuilds with a memo of the last build: after any edit, the site it makes must be
//! exactly what a fresh build makes, and only what depends on the edit is made anew.

use std::fs;

use tebiki::images::Mode;

use crate::basic_project;

#[test]
fn a_rebuild_from_the_memo_equals_a_fresh_build() {
    let dir = basic_project();
    let root = dir.path();
    let mut builder = tebiki::Builder::new(root);
    builder.generate(Mode::Build).expect("first build");
    let total = builder.memo.made;

    let edits: [(&str, &str, &str); 4] = [
        // A slide's words.
        (
            "content/slides/003-prepare.ja.md",
            "「ログイン」をクリックします。",
            "「ログイン」を押します。",
        ),
        // A slide's title (on its page, the print page and in the search index).
        ("content/slides/004-note.en.md", "title = \"", "title = \"Please "),
        // The settings: everything may change.
        ("content/guide.toml", "テストの手引き", "テストの手引き（改訂）"),
        // Back to a slide.
        (
            "content/slides/003-prepare.ja.md",
            "「ログイン」を押します。",
            "「ログイン」をクリックします。",
        ),
    ];
    for (file, from, to) in edits {
        let path = root.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let rebuilt = builder.generate(Mode::Build).expect("rebuild");
        let fresh = tebiki::generate(root, Mode::Build).expect("fresh build");
        assert_eq!(
            rebuilt.files.keys().collect::<Vec<_>>(),
            fresh.files.keys().collect::<Vec<_>>(),
            "after editing {file}"
        );
        for (path, bytes) in &fresh.files {
            assert!(
                rebuilt.files[path] == *bytes,
                "after editing {file}: {} differs from a fresh build",
                path.display()
            );
        }
        if file.contains("slides") {
            assert!(builder.memo.reused > 0, "after editing {file}: nothing was reused");
            assert!(
                builder.memo.made < total,
                "after editing {file}: {} made anew of {total}",
                builder.memo.made
            );
        }
    }
}

/// The name of a language's search index in a site (it changes with any text of that language).
fn search_index(
    files: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
    lang: &str,
) -> String {
    let prefix = format!("search-index.{lang}.");
    let name =
        files.keys().filter_map(|p| p.file_name()?.to_str()).find(|n| n.starts_with(&prefix));
    name.expect("a search index").to_string()
}

/// `serve` shows an edit first as a preview: just the chapter page of the edited slide, made with
/// the last build's assets. It is the page the whole rebuild then makes, but for the search index's
/// name, which the rebuild changes.
#[test]
fn a_preview_is_the_edited_slides_page_as_the_rebuild_makes_it() {
    let dir = basic_project();
    let root = dir.path();
    let mut builder = tebiki::Builder::new(root);
    assert!(builder.preview().is_none(), "no preview before a first build");
    let first = builder.generate(Mode::Build).expect("first build");
    assert!(builder.preview().is_none(), "no preview when nothing changed");

    let path = root.join("content/slides/003-prepare.ja.md");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replacen("「ログイン」をクリックします。", "「ログイン」を押してください。", 1),
    )
    .unwrap();
    let preview = builder.preview().expect("a preview").expect("the preview builds");
    let pages: Vec<_> =
        preview.files.keys().filter(|p| p.extension().is_some_and(|e| e == "html")).collect();
    assert_eq!(
        pages,
        [std::path::Path::new("ja/setup.html")],
        "only the edited slide's chapter page"
    );
    let shown =
        String::from_utf8(preview.files[std::path::Path::new("ja/setup.html")].clone()).unwrap();
    assert!(shown.contains("押してください"), "the preview shows the edit");

    let rebuilt = builder.generate(Mode::Build).expect("rebuild");
    let (old, new) = (search_index(&first.files, "ja"), search_index(&rebuilt.files, "ja"));
    assert_ne!(old, new, "the edit changes the search index");
    assert!(shown.contains(&old), "the preview keeps the last build's search index");
    let page =
        String::from_utf8(rebuilt.files[std::path::Path::new("ja/setup.html")].clone()).unwrap();
    assert_eq!(
        shown.replace(&old, &new),
        page,
        "the preview differs from the rebuilt page only in the search index's name"
    );

    // A broken edit is reported by the preview too.
    fs::write(&path, text.replacen("title = \"", "title = ", 1)).unwrap();
    let broken = builder.preview().expect("a preview of the broken file");
    assert!(broken.is_err(), "the broken front matter was accepted");
    // A change to the settings may change every page: no preview, the whole site is remade.
    fs::write(&path, &text).unwrap();
    builder.generate(Mode::Build).expect("rebuild after the fix");
    let settings = root.join("content/guide.toml");
    let toml = fs::read_to_string(&settings).unwrap();
    fs::write(&settings, toml.replacen("テストの手引き", "テストの手引き（改訂）", 1)).unwrap();
    fs::write(
        &path,
        text.replacen("「ログイン」をクリックします。", "「ログイン」を押します。", 1),
    )
    .unwrap();
    assert!(builder.preview().is_none(), "a preview after a change to the settings");
}
