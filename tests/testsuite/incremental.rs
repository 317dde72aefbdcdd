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
        ("content/slides/003-prepare.ja.md", "「ログイン」をクリックします。", "「ログイン」を押します。"),
        // A slide's title (on its page, the print page and in the search index).
        ("content/slides/004-note.en.md", "title = \"", "title = \"Please "),
        // The settings: everything may change.
        ("content/guide.toml", "テストの手引き", "テストの手引き（改訂）"),
        // Back to a slide.
        ("content/slides/003-prepare.ja.md", "「ログイン」を押します。", "「ログイン」をクリックします。"),
    ];
    for (file, from, to) in edits {
        let path = root.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let rebuilt = builder.generate(Mode::Build).expect("rebuild");
        let fresh = tebiki::generate(root, Mode::Build).expect("fresh build");
        assert_eq!(rebuilt.files.keys().collect::<Vec<_>>(), fresh.files.keys().collect::<Vec<_>>(), "after editing {file}");
        for (path, bytes) in &fresh.files {
            assert!(rebuilt.files[path] == *bytes, "after editing {file}: {} differs from a fresh build", path.display());
        }
        if file.contains("slides") {
            assert!(builder.memo.reused > 0, "after editing {file}: nothing was reused");
            assert!(builder.memo.made < total, "after editing {file}: {} made anew of {total}", builder.memo.made);
        }
    }
}
