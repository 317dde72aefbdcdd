//! Generated inputs through the entry points the fuzz target covers (`fuzz/`, run with
//! `cargo fuzz`): slide files as bytes, front matter, Markdown bodies mixing the extensions, screen
//! blocks and cross-references. The checks are the fuzz target's own (`fuzz/harness.rs`): no panic,
//! problems that point at a real line, references at real bytes, no script in the HTML. Inputs the
//! fuzzer found, and the seeds in `fuzz/seeds/slides/`, are replayed as they are.

use std::path::Path;
use std::sync::OnceLock;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

#[path = "../../fuzz/harness.rs"]
mod harness;

fn fixture() -> &'static harness::Fixture {
    static FIXTURE: OnceLock<harness::Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| harness::Fixture::new(Path::new(env!("CARGO_MANIFEST_DIR"))))
}

fn config(cases: u32) -> ProptestConfig {
    // Failures are kept as cases below (`replays_known_inputs`), not in a regressions file.
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Slide numbers as written: good, zero, negative, past `u32`, not numbers at all.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "3",
    "80",
    "81",
    "-1",
    "+3",
    "007",
    "4294967295",
    "4294967296",
    "99999999999999999999",
    "1e3",
    "0x10",
    "3.0",
    "１２",
    "",
    "inf",
    "nan",
];

fn number() -> impl Strategy<Value = String> {
    prop_oneof![select(NUMBERS).prop_map(String::from), any::<u64>().prop_map(|n| n.to_string())]
}

/// Short text: words that mean something to the parsers, or any characters.
const WORDS: &[&str] = &[
    "",
    " ",
    "日本語",
    "「ログイン」 (Log in)",
    "KJから始まる14桁",
    "\u{FEFF}",
    "\u{200B}",
    "\t",
    "\\",
    "\"",
    "'",
    "`",
    "*",
    "_",
    "[",
    "]",
    "[[",
    "]]",
    "](",
    "|",
    "<",
    ">",
    "&",
    "&#106;avascript:",
    "slide:",
    "link:",
    "<!--",
    "-->",
    "a\u{301}",
    "😀",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        select(WORDS).prop_map(String::from),
        "\\PC{0,12}",
        any::<String>().prop_map(|s| s.chars().take(12).collect())
    ]
}

/// Pieces of Markdown: block starts, raw HTML (safe and not), reference definitions, stray marks.
const PIECES: &[&str] = &[
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "- ",
    "1. ",
    "8. ",
    "99999999999999999999. ",
    "   ",
    "    ",
    "> ",
    "### ",
    "# ",
    "###### ",
    "|a|b|\n|-|-|\n",
    "| 1 | 2 |\n",
    "<br>",
    "<span>",
    "</span>",
    "<script>alert(1)</script>",
    "<SCRIPT src=x>",
    "<a href=\"javascript:x()\">",
    "<p onclick=\"x()\">",
    "<a data-xref=\"7\">",
    "<a data-xref=\"x\">",
    "[x]: slide:3\n",
    "[y][x]",
    "[z]: link:support\n",
    "[w][z]",
    "![pic](a.png)",
    "<https://example.jp>",
    "[t](https://example.jp/)",
    "```",
    "~~~",
    "````",
    "\n```\n",
    "**",
    "\\[",
    "---\n",
];

const INFOS: &[&str] = &[
    "memo",
    "screen",
    "checker",
    "test-results",
    "rust",
    "toml",
    "",
    " memo ",
    "MEMO",
    "screen extra",
    "`",
];

/// Lines inside fenced blocks: screen TOML, checker fields, memo labels, anything.
fn block_line() -> impl Strategy<Value = String> {
    prop_oneof![
        select(
            &[
                "image = \"a.png\"",
                "alt = \"画面\"",
                "alt = \"\"",
                "caption = \"見本\"",
                "office-user-id",
                "password",
                "nope",
                "image = 3",
                "```",
                "~~~"
            ][..]
        )
        .prop_map(String::from),
        (number(), number(), number())
            .prop_map(|(n, x, y)| format!("callouts = [{{ n = {n}, x = {x}, y = {y} }}]")),
        (number(), number(), number(), number()).prop_map(|(x, y, w, h)| format!(
            "redact = [{{ x = {x}, y = {y}, w = {w}, h = {h} }}]"
        )),
        text(),
    ]
}

fn fence() -> impl Strategy<Value = String> {
    (select(INFOS), select(&["```", "~~~", "````"][..]), vec(block_line(), 0..5), any::<bool>())
        .prop_map(|(info, fence, lines, closed)| {
            let mut block = format!("\n{fence}{info}\n");
            for line in lines {
                block.push_str(&line);
                block.push('\n');
            }
            if closed {
                block.push_str(fence);
                block.push('\n');
            }
            block
        })
}

/// A slide body mixing every extension.
fn markdown() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        number().prop_map(|n| format!("[[slide:{n}]]")),
        (text(), number()).prop_map(|(t, n)| format!("[{t}](slide:{n})")),
        select(&["support", "e-seikyuu", "nope", "", " support "][..])
            .prop_map(|k| format!("[[link:{k}]]")),
        (text(), select(&["support", "nope", ""][..]))
            .prop_map(|(t, k)| format!("[{t}](link:{k})")),
        text().prop_map(|t| format!("[[{t}]]")),
        text().prop_map(|t| format!("[[slide:3|{t}]]")),
        fence(),
        select(PIECES).prop_map(String::from),
        text(),
    ];
    vec(fragment, 0..24).prop_map(|v| v.concat())
}

/// A body with only well-formed extensions: references to slides of the guide, known link keys,
/// memo and checker blocks with known fields, headings from `###`, lists, tables, plain text.
fn clean_markdown() -> impl Strategy<Value = String> {
    let words = "[a-zA-Z0-9 あ-んア-ン一-龥、。「」()]{0,12}";
    let fragment = prop_oneof![
        (1..=80u32).prop_map(|n| format!("[[slide:{n}]]")),
        (words, 1..=80u32).prop_map(|(t, n)| format!("[{t}](slide:{n})")),
        (words, 1..=80u32).prop_map(|(t, n)| format!("[[slide:{n}|{t}]]")),
        select(&["support", "e-seikyuu"][..]).prop_map(|k| format!("[[link:{k}]]")),
        (words, select(&["support", "e-seikyuu"][..]))
            .prop_map(|(t, k)| format!("[{t}](link:{k})")),
        words.prop_map(|t| format!("\n```memo\n{t}\n```\n")),
        select(&["office-user-id", "password", "office-number", "confirm-code"][..])
            .prop_map(|f| format!("\n```checker\n{f}\n```\n")),
        select(
            &[
                "\n```rust\nfn main() {}\n```\n",
                "\n~~~toml\na = 1\n~~~\n",
                "\n|a|b|\n|-|-|\n|1|2|\n\n",
                "\n",
                "\n\n",
                "**",
                "`x`"
            ][..]
        )
        .prop_map(String::from),
        words.prop_map(|t| format!("\n\n### {t}\n\n")),
        (1..100u32, words).prop_map(|(n, t)| format!("\n\n{n}. {t}\n")),
        words.prop_map(|t| format!("\n\n- {t}\n")),
        words.prop_map(String::from),
    ];
    vec(fragment, 0..24).prop_map(|v| v.concat())
}

/// Lines of front matter: the keys with odd values, unknown keys, tables, broken TOML.
fn front_matter_line() -> impl Strategy<Value = String> {
    prop_oneof![
        number().prop_map(|n| format!("slide = {n}")),
        text().prop_map(|t| format!("title = \"{t}\"")),
        text().prop_map(|t| format!("title = '''{t}'''")),
        vec(text(), 0..3).prop_map(|v| format!("explains = {v:?}")),
        select(
            &[
                "slide = 1",
                "title = \"t\"",
                "title = \"\"",
                "title = \"   \"",
                "steps = 2",
                "[table]",
                "[[slide]]",
                "+++",
                "title = \"\"\"\nmulti\nline\n\"\"\"",
                "explains = \"x\"",
                "slide = \"3\"",
                "slide = 1.5",
                "slide = true",
                "",
                "# comment",
                "title =",
                "= 1",
                "slide = 1 # c",
                "title = \"t\" x",
                "title = \"\\u00\"",
                "slide = 1\nslide = 2",
            ][..]
        )
        .prop_map(String::from),
        text(),
    ]
}

/// A slide file's bytes: maybe a BOM, front matter closed or not, CRLF or LF, a body.
fn slide_bytes() -> impl Strategy<Value = Vec<u8>> {
    (any::<bool>(), vec(front_matter_line(), 0..6), 0..4u8, any::<bool>(), markdown()).prop_map(
        |(bom, lines, close, crlf, body)| {
            let mut text = String::from(if bom { "\u{FEFF}+++\n" } else { "+++\n" });
            for line in lines {
                text.push_str(&line);
                text.push('\n');
            }
            text.push_str(["+++\n", "+++", "++\n", ""][close as usize]);
            text.push_str(&body);
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            text.into_bytes()
        },
    )
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn slide_files(bytes in slide_bytes(), english: bool) {
        harness::slide_file(fixture(), bytes, harness::lang(english));
    }

    #[test]
    fn bodies(body in markdown(), english: bool) {
        harness::body(fixture(), &body, harness::lang(english));
    }

    /// Well-formed extensions render with no problem (and so go through the post-process stage).
    #[test]
    fn clean_bodies(body in clean_markdown(), english: bool) {
        let (_, problems) = harness::body(fixture(), &body, harness::lang(english));
        prop_assert!(problems.is_empty(), "{:?}", problems);
    }

    #[test]
    fn screen_blocks(lines in vec(block_line(), 0..6), english: bool) {
        harness::screen(fixture(), &lines.join("\n"), harness::lang(english));
    }

    #[test]
    fn any_bytes(bytes in vec(any::<u8>(), 0..200)) {
        harness::check(fixture(), &bytes);
    }

    /// Not UTF-8 (Shift_JIS "テスト" after some lines): an error that names the line.
    #[test]
    fn other_encodings(before in vec(select(&["a", "あ", ""][..]), 0..5)) {
        let mut bytes = before.join("\n").into_bytes();
        bytes.extend_from_slice(b"\n\x83\x65\x83\x58\x83\x67\n");
        prop_assert!(harness::slide_file(fixture(), bytes, "ja").is_none());
    }

    /// Good front matter (no control characters: those are refused) reads back as written.
    #[test]
    fn front_matter_round_trip(n in 1..=u32::MAX, title in "[^\"\\\\\\x00-\\x1f\\x7f-\\u{9f}]{0,20}[^\\s\"\\\\\\x00-\\x1f\\x7f-\\u{9f}]", explains in vec("[a-zあ-ん]{1,5}", 0..3)) {
        let fm = format!("slide = {n}\ntitle = \"{title}\"\nexplains = {explains:?}");
        let slide = harness::front_matter(fixture(), &fm, "ja").expect("valid front matter");
        prop_assert_eq!(slide.number, n);
        prop_assert_eq!(slide.title, title.trim());
        prop_assert_eq!(slide.explains, explains);
    }

    /// `[[slide:N]]` is a reference when N is a slide number (1 to 4294967295), otherwise a problem
    /// on its own line; a reference past the guide's last slide is reported by `check_reference`.
    #[test]
    fn slide_references(n in number(), english: bool) {
        let (rendered, problems) = harness::body(fixture(), &format!("一\n\n[[slide:{n}]]\n"), harness::lang(english));
        match n.parse::<u32>() {
            Ok(k) if k > 0 => {
                prop_assert!(problems.is_empty(), "{:?}", problems);
                prop_assert_eq!(rendered.slide_refs.len(), 1);
                prop_assert_eq!(rendered.slide_refs[0].0, k);
            }
            _ => {
                prop_assert!(rendered.slide_refs.is_empty());
                prop_assert_eq!(problems.len(), 1);
                prop_assert_eq!(problems[0].location.as_ref().map(|l| l.line), Some(7));
            }
        }
    }
}

/// Inputs worth keeping: each a fuzz input (first byte: 0 file, 1 body, 2 screen, 3 front matter;
/// +0x80 for English).
const KNOWN: &[&[u8]] = &[
    b"\x00",
    b"\x00+++\n+++",
    b"\x00+++\n+++\n",
    b"\x00\xEF\xBB\xBF+++\r\nslide = 1\r\ntitle = \"t\"\r\n+++",
    b"\x00+++\nslide = 99999999999999999999\ntitle = \"t\"\n+++\n",
    b"\x00+++\nslide = 0\ntitle = \"t\"\n+++\n",
    b"\x00+++\ntitle = \" \"\nslide = 1\n+++\n",
    b"\x00+++\nslide = 1\ntitle = \"t\"\n",
    b"\x00\x83\x65\x83\x58",
    b"\xFF\xFE+\x00",
    b"\x01[[slide:99999999999999999999]] [[slide:0]] [[slide:]] [x](slide:-1)",
    b"\x81[[link:]] [[link:nope]] [[nope]] [[slide:3|own text]]",
    b"\x01```screen\nimage = \"a.png\"\nalt = \"a\"\ncallouts = [{ n = 1, x = 101, y = 0 }]\n```\n",
    b"\x01```memo\n```\n```checker\nnope\n```\n```",
    b"\x01- ```screen\n  image = 3\n",
    b"\x01<SCRIPT>x</SCRIPT> <p\nonclick=x> <a href=\"JaVaScRiPt:x\">",
    b"\x01<a href=\"&#106;avascript:x()\">a</a> <a href=\"java&Tab;script&colon;x()\">b</a> <a href=\"&#x6A&#97vascript:x\">c</a>",
    b"\x01```scree<script>n\nx\n```\n",
    b"\x02redact = [{ x = 0, y = 0, w = 1e308, h = 1e308 }]\nimage = \"a\"\nalt = \"b\"",
    b"\x02callouts = [{ n = 1, x = nan, y = inf }]\nimage = \"a\"\nalt = \"b\"",
    b"\x03slide = 1\ntitle = \"\\u00\"",
    b"\x83slide = 1\ntitle = '''\n'''",
];

#[test]
fn replays_known_inputs() {
    for input in KNOWN {
        harness::check(fixture(), input);
    }
}

#[test]
fn replays_the_seed_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/slides");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        harness::check(fixture(), &std::fs::read(entry.unwrap().path()).unwrap());
        count += 1;
    }
    assert!(count > 0, "no seed in {}", dir.display());
}
