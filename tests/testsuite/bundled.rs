//! The guide that ships with tebiki (this repository's content/): it builds cleanly, keeps the slide
//! numbers that readers, the handout and the help desk share, carries the source's facts in both
//! languages, and links every cross-reference of the source.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::html::{select, text_of};
use crate::{stderr, tebiki};

/// The bundled guide, built once per test run, with its PDF handouts (printed by Debian's Chromium).
pub fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bundled-guide");
        let out_arg = out.to_str().unwrap();
        let result = tebiki(root, &["build", "--out", out_arg, "--browser", "/usr/bin/chromium"]);
        assert!(result.status.success(), "{}", stderr(&result));
        out
    })
}

fn page(rel: &str) -> String {
    fs::read_to_string(site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The chapter page holding slide `n` (from content/guide.toml).
fn chapter_of(n: u32) -> &'static str {
    match n {
        1..=2 => "index",
        3..=5 => "pc",
        6..=8 => "software",
        9..=12 => "id",
        13..=16 => "certificate",
        17..=19 => "certificate-password",
        20..=22 => "certificate-issue",
        23..=25 => "certificate-issue-apply",
        26..=29 => "certificate-issued",
        30..=36 => "certificate-install",
        37..=43 => "certificate-install-check",
        44..=47 => "download",
        48..=54 => "download-install",
        55..=61 => "download-dotnet",
        62..=65 => "apply",
        66..=68 => "apply-send",
        69..=73 => "apply-free-pass",
        74..=78 => "start",
        _ => "help",
    }
}

/// The text of the whole guide in `lang`, with the various dashes and tildes made one.
fn guide_text(lang: &str) -> String {
    text_of(&page(&format!("{lang}/print.html")), "main")
        .unwrap()
        .replace(['～', '〜', '–', '—'], "~")
}

#[test]
fn every_english_slide_translates_its_japanese_source_as_it_is() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tebiki(root, &["--format", "json", "translations"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = json["translations"].as_array().unwrap();
    assert_eq!(rows.len(), 80);
    let behind: Vec<String> = rows
        .iter()
        .filter(|r| r["state"] != "current")
        .map(|r| format!("{} {}: {}", r["file"], r["lang"], r["state"]))
        .collect();
    assert!(
        behind.is_empty(),
        "update them, then `tebiki translations --done N en`:\n{}",
        behind.join("\n")
    );
    let print = page("en/print.html");
    assert!(select(&print, ".translation-note").is_empty(), "no page says a slide is behind");
}

#[test]
fn every_slide_once_per_place_in_both_languages() {
    for lang in ["ja", "en"] {
        let print = page(&format!("{lang}/print.html"));
        let chapters: String = fs::read_dir(site().join(lang))
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() != "print.html" && e.file_name() != "guide-offline.html")
            .filter(|e| e.file_name() != "guide.pdf")
            .map(|e| fs::read_to_string(e.path()).unwrap())
            .collect();
        assert_eq!(select(&print, "section.slide").len(), 80, "{lang}: 80 slides");
        for n in 1..=80 {
            let id = format!("id=\"slide-{n}\"");
            assert_eq!(print.matches(&id).count(), 1, "{lang}/print.html: {id}");
            assert_eq!(chapters.matches(&id).count(), 1, "{lang} chapter pages: {id}");
            let chapter = page(&format!("{lang}/{}.html", chapter_of(n)));
            assert_eq!(
                select(&chapter, &format!("section#slide-{n}")).len(),
                1,
                "slide {n} on {}",
                chapter_of(n)
            );
        }
    }
}

#[test]
fn no_slide_is_a_stub() {
    for lang in ["ja", "en"] {
        let print = page(&format!("{lang}/print.html"));
        let minimum = if lang == "ja" { 40 } else { 80 };
        for n in 1..=80 {
            let text = text_of(&print, &format!("#slide-{n} .slide-body")).unwrap_or_default();
            let chars = text.split_whitespace().collect::<String>().chars().count();
            assert!(chars >= minimum, "{lang} slide {n} has only {chars} characters of body text");
        }
    }
}

#[test]
fn pictures_are_complete() {
    let pictures = crate::screens::assert_images_complete(site());
    assert!(pictures >= 28, "{pictures} pictures");
}

/// The source's cross-references: (from slide, to slide).
const REFERENCES: &[(u32, u32)] = &[
    (2, 3),
    (2, 6),
    (2, 9),
    (2, 13),
    (2, 44),
    (2, 62),
    (2, 74), // the seven steps
    (9, 13),
    (9, 11), // the branch
    (21, 17),
    (76, 66),
    (77, 17), // the memo fields
];

#[test]
fn the_sources_cross_references_link_to_their_slides() {
    for lang in ["ja", "en"] {
        let label =
            |n: u32| if lang == "ja" { format!("スライド{n}") } else { format!("Slide {n}") };
        for &(from, to) in REFERENCES {
            let chapter = page(&format!("{lang}/{}.html", chapter_of(from)));
            let href = if chapter_of(from) == chapter_of(to) {
                format!("#slide-{to}")
            } else {
                format!("{}.html#slide-{to}", chapter_of(to))
            };
            let selector = format!("#slide-{from} a[href='{href}']");
            assert!(
                !select(&chapter, &selector).is_empty(),
                "{lang}: slide {from} has no link {href}"
            );
            assert_eq!(
                text_of(&chapter, &selector).as_deref(),
                Some(label(to).as_str()),
                "{lang}: slide {from} → {to}"
            );
            let print = page(&format!("{lang}/print.html"));
            assert!(
                !select(&print, &format!("#slide-{from} a[href='#slide-{to}']")).is_empty(),
                "{lang} print: slide {from} → {to}"
            );
        }
    }
}

#[test]
fn external_addresses_are_defined_once_and_used() {
    let config =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/guide.toml"))
            .unwrap();
    let urls: Vec<&str> = config
        .lines()
        .filter_map(|l| l.strip_prefix("url = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert_eq!(urls.len(), 4);
    for entry in fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/slides"))
        .unwrap()
        .filter_map(Result::ok)
    {
        let text = fs::read_to_string(entry.path()).unwrap();
        for url in &urls {
            let bare = url.trim_start_matches("https://").trim_end_matches('/');
            assert!(
                !text.contains(bare),
                "{}: writes {url} instead of [[link:…]]",
                entry.path().display()
            );
        }
    }
    for lang in ["ja", "en"] {
        let print = page(&format!("{lang}/print.html"));
        for url in &urls {
            assert!(
                !select(&print, &format!("a[href='{url}']")).is_empty(),
                "{lang}: no link to {url}"
            );
        }
    }
}

/// Facts of the source that must reach readers exactly, in both languages.
#[test]
fn the_sources_facts_are_in_both_languages() {
    let both: &[&str] = &[
        "0120-584-708",
        "06-6949-5244",
        "06-6949-5247",
        "06-6949-5446",
        "9:00~17:30",
        "9:00~17:00",
        "1:30",
        "6:30",
        "CarePlanApp-1.2.0-setup",
        ".NET 8.0 Desktop Runtime",
        "! # $ % & ( ) * + - . / ; : < = > ? @ [ ] ^ _ ` { | } ~",
        // On-screen labels, verbatim in both languages.
        "「ログイン」",
        "「パスワード変更」",
        "「利用規約に同意して次へ」",
        "「現在のパスワード」",
        "「新しいパスワード」",
        "「介護DX証明書」",
        "「発行申請を行う前に」",
        "「次へ」",
        "「利用規約に同意して送信」",
        "「証明書発行完了通知」",
        "「ファイルを開く」",
        "「インターネットオプション」",
        "「製品ダウンロード」",
        "「製品ダウンロードに進む」",
        "「詳細情報」",
        "「実行」",
        "「インストール」",
        "「はい」",
        "「完了」",
        "「Download it now」",
        "「了解してインストール」",
        "「閉じる」",
        "「利用申請/更新」",
        "「申請」",
        "「フリーパス申請情報入力に進む」",
        "「利用規約に同意する」",
        "「個人情報取り扱いに同意する」",
        "「事業所ユーザログイン」",
        "「利用可能です。」",
    ];
    let ja: &[&str] = &[
        "8文字~16文字",
        "数日~2週間",
        "1年間",
        "自動で「本利用」",
        "午前1:30から午前6:30",
        "平日 9:00~17:30",
    ];
    let en: &[&str] = &[
        "8 to 16",
        "a few days to about two weeks",
        "one year",
        "switches automatically",
        "between 1:30 a.m. and 6:30 a.m.",
    ];
    for (lang, own) in [("ja", ja), ("en", en)] {
        let text = guide_text(lang);
        for fact in both.iter().chain(own.iter()) {
            assert!(text.contains(fact), "{lang}: the guide does not say {fact:?}");
        }
    }
}

#[test]
fn english_gives_the_meaning_of_every_japanese_label() {
    // Each Japanese on-screen label 「…」 in an English slide is followed, at least once in that
    // slide, by its meaning in parentheses: click 「ログイン」 (Log in).
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/slides");
    let mut checked = 0;
    for entry in fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.ends_with(".en.md") {
            continue;
        }
        let text = fs::read_to_string(entry.path()).unwrap();
        let mut labels: Vec<(String, bool)> = Vec::new();
        for (start, _) in text.match_indices('「') {
            let Some(len) = text[start..].find('」') else { continue };
            let label = &text[start + '「'.len_utf8()..start + len];
            if !label.chars().any(tebiki::text::is_japanese) {
                continue;
            }
            let explained =
                text[start + len + '」'.len_utf8()..].trim_start_matches(' ').starts_with('(');
            match labels.iter_mut().find(|(l, _)| l == label) {
                Some(entry) => entry.1 |= explained,
                None => labels.push((label.to_string(), explained)),
            }
        }
        for (label, explained) in labels {
            checked += 1;
            assert!(explained, "{name}: 「{label}」 has no meaning in parentheses");
        }
    }
    assert!(checked > 100, "labels checked: {checked}");
}

#[test]
fn memo_fields_are_paper_boxes_that_keep_nothing() {
    for lang in ["ja", "en"] {
        for (n, lines) in [(17, 1), (66, 2)] {
            for rel in [format!("{lang}/{}.html", chapter_of(n)), format!("{lang}/print.html")] {
                let html = page(&rel);
                let memo = format!("#slide-{n} .memo");
                assert_eq!(select(&html, &memo).len(), 1, "{rel}: memo on slide {n}");
                assert_eq!(
                    select(&html, &format!("{memo} .memo-line")).len(),
                    lines,
                    "{rel}: lines to write on"
                );
                assert!(
                    text_of(&html, &format!("{memo} .memo-note")).is_some_and(|t| !t.is_empty()),
                    "{rel}: note"
                );
                assert!(
                    select(
                        &html,
                        &format!("{memo} input, {memo} textarea, {memo} [contenteditable]")
                    )
                    .is_empty()
                );
            }
        }
    }
}

/// Slides whose source shows no screen: the cover and overview, title slides, text-only notes, the
/// phone contacts, the FAQ.
const NO_SCREEN: &[u32] = &[1, 2, 3, 5, 6, 9, 11, 13, 20, 29, 41, 44, 62, 74, 79, 80];

#[test]
fn every_slide_that_shows_a_screen_has_a_picture_in_both_languages() {
    for lang in ["ja", "en"] {
        let print = page(&format!("{lang}/print.html"));
        for n in (1..=80).filter(|n| !NO_SCREEN.contains(n)) {
            let imgs = select(&print, &format!("#slide-{n} figure.screen img"));
            assert!(!imgs.is_empty(), "{lang}: slide {n} has no screen picture");
            for img in imgs {
                let alt = &img["alt"];
                assert!(
                    alt.chars().count() >= 20,
                    "{lang} slide {n}: alt text {alt:?} says too little"
                );
                let japanese = alt.chars().filter(|c| tebiki::text::is_japanese(*c)).count();
                if lang == "en" {
                    assert!(
                        japanese * 2 < alt.chars().count(),
                        "en slide {n}: the alt text is not English: {alt}"
                    );
                } else {
                    assert!(japanese > 0, "ja slide {n}: the alt text is not Japanese: {alt}");
                }
            }
        }
    }
}

#[test]
fn the_checker_sits_at_the_steps_where_ids_are_typed() {
    for lang in ["ja", "en"] {
        for (n, fields) in [
            (14, &["office-user-id"][..]),
            (17, &["office-user-id", "password"][..]),
            (19, &["confirm-code"][..]),
            (21, &["office-user-id", "password"][..]),
            (46, &["office-number"][..]),
            (65, &["office-user-id", "password"][..]),
        ] {
            let html = page(&format!("{lang}/{}.html", chapter_of(n)));
            let inputs: Vec<String> =
                select(&html, &format!("#slide-{n} [data-checker] input[data-check]"))
                    .iter()
                    .map(|i| i["data-check"].clone())
                    .collect();
            assert_eq!(inputs, fields, "{lang}: the checker on slide {n}");
            assert_eq!(
                select(&html, "script[src*='checker']").len(),
                2,
                "{lang}: slide {n}'s page loads the checker"
            );
        }
        let pc = page(&format!("{lang}/pc.html"));
        assert!(
            select(&pc, "script[src*='checker']").is_empty(),
            "pages without a checker do not load it"
        );
    }
}

#[test]
fn both_languages_number_the_same_steps() {
    // The callouts on a picture match the numbered steps in either language only if both languages
    // number the same steps: each slide's ordered lists start at the same numbers with the same
    // number of items.
    let lists = |lang: &str, n: u32| -> Vec<(String, usize)> {
        let print = page(&format!("{lang}/print.html"));
        let starts: Vec<String> = select(&print, &format!("#slide-{n} .slide-body ol"))
            .iter()
            .map(|ol| ol.get("start").cloned().unwrap_or_else(|| "1".into()))
            .collect();
        let items = select(&print, &format!("#slide-{n} .slide-body ol > li")).len();
        starts.into_iter().map(|s| (s, items)).collect()
    };
    for n in 1..=80 {
        assert_eq!(
            lists("ja", n),
            lists("en", n),
            "slide {n}: numbered steps differ between ja and en"
        );
    }
}

/// Issue 10's page-weight budget: every page a reader opens (all but the print page and the
/// one-file edition, which are the whole guide by design; the entry page too) is at most 50 KB of
/// HTML, CSS and JS together, counting every stylesheet and script it names, and not pictures or
/// the search indexes (which load only when the reader searches).
#[test]
fn every_reading_page_weighs_at_most_50_kb_with_its_styles_and_scripts() {
    const BUDGET: usize = 50_000;
    let mut report = Vec::new();
    let mut pages = 0;
    for lang in ["", "ja", "en"] {
        for entry in fs::read_dir(site().join(lang)).unwrap().filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".html") || name == "print.html" || name == "guide-offline.html" {
                continue;
            }
            pages += 1;
            let html = fs::read_to_string(entry.path()).unwrap();
            let mut total = html.len();
            let mut parts = vec![format!("html {}", html.len())];
            let tags = select(&html, "link[rel=stylesheet]")
                .into_iter()
                .map(|a| a["href"].clone())
                .chain(select(&html, "script[src]").into_iter().map(|a| a["src"].clone()));
            for url in tags {
                assert!(
                    !url.contains("search-index"),
                    "{lang}/{name}: the search index must not load with the page"
                );
                let size = fs::metadata(entry.path().parent().unwrap().join(&url))
                    .unwrap_or_else(|e| panic!("{lang}/{name}: {url}: {e}"))
                    .len() as usize;
                total += size;
                parts.push(format!("{url} {size}"));
            }
            if total > BUDGET {
                report.push(format!("{lang}/{name}: {total} bytes ({})", parts.join(", ")));
            }
        }
    }
    assert!(pages >= 20, "{pages} pages");
    assert!(report.is_empty(), "over 50 KB:\n{}", report.join("\n"));
}
