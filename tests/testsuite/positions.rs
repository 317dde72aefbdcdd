//! Every problem in `guide.toml`, `checker.toml`, front matter and screen and checker blocks
//! points at the exact key or value: each case edits the basic fixture guide, runs
//! `tebiki --format json check` and finds the problem at the line and column it names.

use std::fs;
use std::path::Path;

use crate::{basic_project, tebiki};

/// Where the problem must be: a line and column (1-based, in characters), or the only place of a
/// text in the edited file.
enum At {
    Line(usize, usize),
    Text(&'static str),
}

struct Case {
    name: &'static str,
    /// (file, text, replacement), in order; a file the fixture lacks is copied from this
    /// repository first (`content/checker.toml`, `theme/strings.toml`).
    edits: &'static [(&'static str, &'static str, &'static str)],
    file: &'static str,
    at: At,
    /// Words of the problem's message.
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "the fifth chapter's bad `first`",
        edits: &[
            (
                "content/guide.toml",
                "[[chapters]]\nslug = \"setup\"",
                "[[chapters]]\nslug = \"overview\"\nfirst = 2\nja = \"流れ\"\nen = \"Overview\"\n\n[[chapters]]\nslug = \"setup\"",
            ),
            (
                "content/guide.toml",
                "[[chapters]]\nslug = \"finish\"\nfirst = 5",
                "[[chapters]]\nslug = \"note\"\nfirst = 4\nja = \"メモ\"\nen = \"Note\"\n\n[[chapters]]\nslug = \"finish\"\nfirst = 2",
            ),
        ],
        file: "content/guide.toml",
        at: At::Line(45, 1),
        message: "chapter `finish` starts at slide 2, not after chapter `note` (slide 4)",
    },
    Case {
        name: "a chapter without a title in one language",
        edits: &[("content/guide.toml", "ja = \"準備\"\nen = \"Set up\"\n", "ja = \"準備\"\n")],
        file: "content/guide.toml",
        at: At::Line(24, 1),
        message: "chapter `setup` has no `en` title",
    },
    Case {
        name: "the third chapter's slug",
        edits: &[("content/guide.toml", "slug = \"finish\"", "slug = \"Finish Up\"")],
        file: "content/guide.toml",
        at: At::Line(32, 1),
        message: "chapter slug `Finish Up` is not a simple file name",
    },
    Case {
        name: "a chapter past the last slide",
        edits: &[(
            "content/guide.toml",
            "[links.site]",
            "[[chapters]]\nslug = \"extra\"\nfirst = 9\nja = \"追加\"\nen = \"Extra\"\n\n[links.site]",
        )],
        file: "content/guide.toml",
        at: At::Line(40, 1),
        message: "chapter `extra` starts at slide 9, but the last slide is 5",
    },
    Case {
        name: "steps out of order",
        edits: &[("content/guide.toml", "step = 2", "step = 3")],
        file: "content/guide.toml",
        at: At::Line(34, 1),
        message: "they must count 1, 2, 3",
    },
    Case {
        name: "a language tag written with `_`, third in the list",
        edits: &[(
            "content/guide.toml",
            "languages = [\"ja\", \"en\"]",
            "languages = [\"ja\", \"en\", \"pt_BR\"]",
        )],
        file: "content/guide.toml",
        at: At::Line(2, 26),
        message: "language `pt_BR` is written `pt-BR` in BCP 47",
    },
    Case {
        name: "a link that is not a web address",
        edits: &[(
            "content/guide.toml",
            "url = \"https://example.jp/start\"",
            "url = \"example.jp/start\"",
        )],
        file: "content/guide.toml",
        at: At::Line(39, 1),
        message: "which is not a web address",
    },
    Case {
        name: "an empty title in front matter",
        edits: &[("content/slides/004-note.ja.md", "title = \"メモする\"", "title = \" \"")],
        file: "content/slides/004-note.ja.md",
        at: At::Line(3, 9),
        message: "the slide's title is empty",
    },
    Case {
        name: "slide number 0",
        edits: &[("content/slides/005-done.en.md", "slide = 5", "slide = 0")],
        file: "content/slides/005-done.en.md",
        at: At::Line(2, 9),
        message: "slide numbers start at 1",
    },
    Case {
        name: "a missing picture in a slide's second screen block, after alt text naming an image",
        edits: &[(
            "content/slides/003-prepare.ja.md",
            "h = 10 }]\n```\n",
            "h = 10 }]\n```\n\n```screen\nalt = \"the image of the next screen\"\nimage = \"nope.png\"\n```\n",
        )],
        file: "content/slides/003-prepare.ja.md",
        at: At::Line(19, 9),
        message: "the picture images/nope.png does not exist",
    },
    Case {
        name: "a callout outside the picture, in a screen block indented in a list item",
        edits: &[(
            "content/slides/004-note.ja.md",
            "も見てください。\n",
            "も見てください。\n\n   ```screen\n   image = \"screen.png\"\n   alt = \"画面\"\n   callouts = [{ n = 3, x = 120, y = 50 }]\n   ```\n",
        )],
        file: "content/slides/004-note.ja.md",
        at: At::Line(11, 29),
        message: "callout 3 at x = 120, y = 50 is outside the picture",
    },
    Case {
        name: "an unknown field in a checker block",
        edits: &[
            ("content/checker.toml", "", ""),
            (
                "content/slides/005-done.ja.md",
                "戻れます。\n",
                "戻れます。\n\n```checker\npassword\n  pasword\n```\n",
            ),
        ],
        file: "content/slides/005-done.ja.md",
        at: At::Line(10, 3),
        message: "unknown checker field `pasword`",
    },
    Case {
        name: "an unknown class in a checker field's `allowed`",
        edits: &[(
            "content/checker.toml",
            "allowed = [\"letter\", \"digit\", \"symbol\"]",
            "allowed = [\"letter\", \"digits\", \"symbol\"]",
        )],
        file: "content/checker.toml",
        at: At::Text("\"digits\""),
        message: "field `password` uses the unknown class `digits`",
    },
    Case {
        name: "a checker message without its English text",
        edits: &[(
            "content/checker.toml",
            "valid = { ja = \"形式は正しいです。\", en = \"The format is right.\" }",
            "valid = { ja = \"形式は正しいです。\" }",
        )],
        file: "content/checker.toml",
        at: At::Text("valid = {"),
        message: "[messages] `valid` has no `en` text",
    },
    Case {
        name: "a checker range that does not fit its digits",
        edits: &[(
            "content/checker.toml",
            "{ at = 5, len = 2, min = 1, max = 47, message = \"office-prefecture\" }",
            "{ at = 5, len = 2, min = 1, max = 470, message = \"office-prefecture\" }",
        )],
        file: "content/checker.toml",
        at: At::Text("max = 470"),
        message: "field `office-user-id`: the range 1–470 does not fit 2 digits",
    },
    Case {
        name: "a checker run past the end of its shape",
        edits: &[(
            "content/checker.toml",
            "same = [{ at = 3, other = 5,",
            "same = [{ at = 3, other = 14,",
        )],
        file: "content/checker.toml",
        at: At::Text("{ at = 3, other = 14,"),
        message: "2 characters from position 14 are not all codes of its shape",
    },
    Case {
        name: "a checker range naming an unknown message",
        edits: &[(
            "content/checker.toml",
            "message = \"prefecture\" }",
            "message = \"prefectur\" }",
        )],
        file: "content/checker.toml",
        at: At::Text("message = \"prefectur\""),
        message: "uses the unknown message `prefectur`",
    },
    Case {
        name: "forms by number that name no number",
        edits: &[(
            "content/checker.toml",
            "en = \"Add at least one letter.\"",
            "en = { one = \"Add a letter.\", other = \"Add letters.\" }",
        )],
        file: "content/checker.toml",
        at: At::Text("other = \"Add letters.\""),
        message: "message `need-letter` has forms by number in `en` but names no number",
    },
    Case {
        // The project adds Vietnamese: its words are the English ones but for one left out.
        name: "a word of the interface missing from a language a project adds",
        edits: &[
            (
                "content/guide.toml",
                "languages = [\"ja\", \"en\"]",
                "languages = [\"ja\", \"en\", \"vi\"]",
            ),
            ("theme/strings.toml", "[en]\n", "[vi]\n"),
            ("theme/strings.toml", "skip_link = \"Skip to main content\"\n", ""),
        ],
        file: "theme/strings.toml",
        at: At::Text("vi]\n"),
        message: "string `skip_link` is missing for `vi`",
    },
];

/// The 1-based line and column (in characters) of the only place of `needle` in `text`.
fn place_of(text: &str, needle: &str) -> (usize, usize) {
    assert_eq!(text.matches(needle).count(), 1, "{needle:?} must be in the file once");
    let at = text.find(needle).unwrap_or(0);
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (text[..at].matches('\n').count() + 1, text[line_start..at].chars().count() + 1)
}

fn run_case(case: &Case) {
    let project = basic_project();
    let root = project.path();
    for (file, from, to) in case.edits {
        let path = root.join(file);
        if !path.exists() {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
            fs::copy(repository.join(file), &path).unwrap();
        }
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{}: {file} lacks {from:?}", case.name);
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
    let (line, column) = match case.at {
        At::Line(line, column) => (line, column),
        At::Text(needle) => place_of(&fs::read_to_string(root.join(case.file)).unwrap(), needle),
    };
    let out = tebiki(root, &["--format", "json", "check"]);
    assert!(!out.status.success(), "{}: the check passed", case.name);
    let problems: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let found = problems.iter().any(|p| {
        p["file"] == case.file
            && p["line"] == line
            && p["column"] == column
            && p["message"].as_str().is_some_and(|m| m.contains(case.message))
    });
    let shown: Vec<String> = problems
        .iter()
        .map(|p| format!("{}:{}:{} {}", p["file"], p["line"], p["column"], p["message"]))
        .collect();
    assert!(
        found,
        "{}: no problem {:?} at {}:{line}:{column}; the problems:\n{}",
        case.name,
        case.message,
        case.file,
        shown.join("\n")
    );
}

#[test]
fn every_problem_points_at_its_key_or_value() {
    std::thread::scope(|scope| {
        let runs: Vec<_> = CASES.iter().map(|case| scope.spawn(move || run_case(case))).collect();
        let failed = runs.into_iter().filter_map(|run| run.join().err()).count();
        assert_eq!(failed, 0, "{failed} of {} cases failed (see above)", CASES.len());
    });
}
