//! Building the basic fixture guide and checking the site it makes.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::html::{select, text_of};
use crate::{basic_project, read_tree, stderr, tebiki};

struct Built {
    _project: tempfile::TempDir,
    out: PathBuf,
}

fn build_basic() -> Built {
    let project = basic_project();
    let out = project.path().join("public");
    let result = tebiki(project.path(), &["build"]);
    assert!(result.status.success(), "build failed:\n{}", stderr(&result));
    Built { _project: project, out }
}

fn page(b: &Built, rel: &str) -> String {
    fs::read_to_string(b.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn html_pages(out: &Path) -> Vec<PathBuf> {
    read_tree(out)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

#[test]
fn output_layout() {
    let b = build_basic();
    for rel in [
        "index.html",
        "ja/index.html",
        "en/index.html",
        "ja/setup.html",
        "en/setup.html",
        "ja/finish.html",
        "ja/print.html",
        "en/print.html",
    ] {
        assert!(b.out.join(rel).is_file(), "{rel} missing");
    }
    let entry = page(&b, "index.html");
    assert_eq!(select(&entry, "html")[0]["lang"], "ja");
    let en_links = select(&entry, "a[href='en/index.html']");
    assert_eq!(en_links.len(), 1, "entry page links to the English start page");
    assert_eq!(en_links[0]["lang"], "en");
}

#[test]
fn every_slide_id_once_per_print_page_and_once_across_chapter_pages() {
    let b = build_basic();
    for lang in ["ja", "en"] {
        let print = page(&b, &format!("{lang}/print.html"));
        let chapters: String = ["index", "setup", "finish"]
            .iter()
            .map(|c| page(&b, &format!("{lang}/{c}.html")))
            .collect();
        for n in 1..=5 {
            let id = format!("id=\"slide-{n}\"");
            assert_eq!(print.matches(&id).count(), 1, "{lang} print.html: {id}");
            assert_eq!(chapters.matches(&id).count(), 1, "{lang} chapter pages: {id}");
        }
    }
}

#[test]
fn cross_references_point_at_the_right_page() {
    let b = build_basic();
    let overview = page(&b, "ja/index.html");
    let xref = select(&overview, "a[href='setup.html#slide-3']");
    assert_eq!(xref.len(), 1, "slide 2 links to slide 3 on the setup page");
    assert_eq!(text_of(&overview, "a[href='setup.html#slide-3']").as_deref(), Some("スライド3"));
    assert_eq!(
        text_of(&overview, "a[href='finish.html#slide-5']").as_deref(),
        Some("仕上げのページ")
    );
    // A reference to a slide on the same page stays on the page.
    let setup_en = page(&b, "en/setup.html");
    assert_eq!(text_of(&setup_en, "a[href='#slide-4']").as_deref(), Some("Slide 4"));
    // On the print page every reference is in-page.
    let print = page(&b, "en/print.html");
    assert_eq!(text_of(&print, ".slide-body a[href='#slide-3']").as_deref(), Some("Slide 3"));
    assert!(!print.contains("data-xref"));
}

#[test]
fn pages_have_language_landmarks_and_one_h1() {
    let b = build_basic();
    for rel in html_pages(&b.out) {
        let html = page(&b, rel.to_str().unwrap());
        let lang = if rel.starts_with("en") { "en" } else { "ja" };
        assert_eq!(select(&html, "html")[0]["lang"], lang, "{}", rel.display());
        assert_eq!(select(&html, "h1").len(), 1, "{}: one h1", rel.display());
        assert_eq!(select(&html, "main").len(), 1, "{}: one main", rel.display());
        if rel.parent() != Some(Path::new("")) && !rel.ends_with("guide-offline.html") {
            assert_eq!(
                select(&html, "a.skip-link[href='#main']").len(),
                1,
                "{}: skip link",
                rel.display()
            );
            let alternates: BTreeSet<String> = select(&html, "link[rel='alternate']")
                .iter()
                .map(|a| a["hreflang"].clone())
                .collect();
            assert_eq!(
                alternates,
                BTreeSet::from(["ja".to_string(), "en".to_string()]),
                "{}",
                rel.display()
            );
        }
    }
    let setup = page(&b, "ja/setup.html");
    let current = select(&setup, "nav.steps a[aria-current='page']");
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["href"], "setup.html");
    assert_eq!(select(&setup, "nav.steps ol li").len(), 2, "two overall steps in the fixture");
    assert_eq!(select(&setup, "a[rel='prev'][href='index.html']").len(), 1);
    assert_eq!(select(&setup, "a[rel='next'][href='finish.html']").len(), 1);
}

#[test]
fn language_switch_lands_on_the_same_slide() {
    let b = build_basic();
    let setup = page(&b, "ja/setup.html");
    let switch = select(&setup, "a[data-lang-switch]");
    assert_eq!(switch.len(), 1);
    assert_eq!(switch[0]["href"], "../en/setup.html#slide-3");
    assert_eq!(switch[0]["lang"], "en");
}

#[test]
fn links_are_relative_files_inside_the_site() {
    let b = build_basic();
    let files: BTreeSet<PathBuf> = read_tree(&b.out).into_iter().map(|(p, _)| p).collect();
    for rel in html_pages(&b.out) {
        let html = page(&b, rel.to_str().unwrap());
        let dir = rel.parent().unwrap_or(Path::new(""));
        for (selector, attr) in [
            ("a[href]", "href"),
            ("link[href]", "href"),
            ("script[src]", "src"),
            ("img[src]", "src"),
        ] {
            for el in select(&html, selector) {
                let url = &el[attr];
                if url.starts_with("https://") && selector == "a[href]" {
                    continue; // an external link the reader may follow, not a request
                }
                if url.starts_with("mailto:") && selector == "a[href]" {
                    continue; // an address to write to, not a file
                }
                if url.starts_with("data:") && rel.ends_with("guide-offline.html") {
                    continue; // the one-file edition carries its pictures inside
                }
                assert!(
                    !url.contains("://") && !url.starts_with('/'),
                    "{}: {url} is not relative",
                    rel.display()
                );
                let path = url.split('#').next().unwrap();
                if path.is_empty() {
                    continue;
                }
                assert!(!path.ends_with('/'), "{}: {url} names a directory", rel.display());
                let target = normalize(&dir.join(path));
                assert!(
                    files.contains(&target),
                    "{}: {url} → {} does not exist",
                    rel.display(),
                    target.display()
                );
            }
        }
    }
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn markdown_extensions_render() {
    let b = build_basic();
    let index = page(&b, "ja/index.html");
    let code = select(&index, "pre.code span[class^='hl-']");
    assert!(!code.is_empty(), "code highlighted with classes");
    assert!(select(&index, "[style]").is_empty(), "no inline styles");
    assert_eq!(select(&index, ".table-wrap table").len(), 1);
    // Japanese soft line breaks join without a space.
    assert!(index.contains("はじめての人のための手引きです。"), "soft break joined");
    let external = select(&index, "a.external[href='https://example.jp/start']");
    assert_eq!(external.len(), 1);
    assert_eq!(
        text_of(&index, "a.external").as_deref(),
        Some("例のサイト（外部サイト）（新しいタブで開きます）")
    );
    let finish_en = page(&b, "en/setup.html");
    assert!(
        finish_en.contains("Click <span lang=\"ja\">「ログイン」</span> (Log in)"),
        "Japanese marked in English"
    );
    let memo = select(&finish_en, ".memo");
    assert_eq!(memo.len(), 1);
    assert!(
        select(&finish_en, ".memo input, .memo textarea").is_empty(),
        "a memo never keeps what is typed"
    );
}

/// An external link opens in a new tab, with no way back to the guide, and says so in hidden
/// words; every other link (another page, `#slide-N`, `mailto:`) stays in the same tab. The search
/// index is made from the slides' text, never from these words.
#[test]
fn external_links_open_in_a_new_tab_and_say_so() {
    let b = build_basic();
    let words = [("ja", "（新しいタブで開きます）"), ("en", " (opens in a new tab)")];
    let mut externals = 0;
    for rel in html_pages(&b.out) {
        let html = page(&b, rel.to_str().unwrap());
        let lang = &select(&html, "html")[0]["lang"];
        for a in select(&html, "a[href]") {
            let href = &a["href"];
            if !(href.starts_with("https://") || href.starts_with("http://")) {
                assert_eq!(
                    a.get("target"),
                    None,
                    "{}: {href} stays in the same tab",
                    rel.display()
                );
                continue;
            }
            externals += 1;
            assert_eq!(a.get("target").map(String::as_str), Some("_blank"), "{}", rel.display());
            let link_rel = a.get("rel").map(String::as_str).unwrap_or_default();
            assert!(
                link_rel.split(' ').any(|r| r == "noopener"),
                "{}: rel={link_rel}",
                rel.display()
            );
            assert!(a["class"].split(' ').any(|c| c == "external"), "{}", rel.display());
        }
        let (_, new_tab) = words.iter().find(|(l, _)| l == lang).unwrap();
        assert_eq!(
            html.matches(new_tab).count(),
            select(&html, "a.external").len(),
            "{}: each external link says it opens a new tab",
            rel.display()
        );
    }
    assert!(externals >= 4, "the fixture's external links were checked ({externals})");
    let mailto = select(&page(&b, "ja/finish.html"), "a[href^='mailto:']");
    assert_eq!(mailto.len(), 1, "the fixture has a mailto link");
    for (path, bytes) in read_tree(&b.out) {
        let name = path.to_string_lossy();
        if name.contains("search-index") {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("新しいタブ") && !text.contains("new tab"), "{name}");
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let first = build_basic();
    let second = build_basic();
    let a: BTreeMap<_, _> = read_tree(&first.out).into_iter().collect();
    let b: BTreeMap<_, _> = read_tree(&second.out).into_iter().collect();
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{} differs between builds", path.display());
    }
}

/// `build` writes each file as soon as it is made (into a staging folder); `serve` and `check`
/// keep the site in memory. Both must make the same site.
#[test]
fn the_site_written_as_it_is_made_equals_the_site_in_memory() {
    let b = build_basic();
    let project = b.out.parent().unwrap();
    let in_memory =
        tebiki::generate(project, tebiki::images::Mode::Build).expect("the basic guide builds");
    let on_disk: BTreeMap<_, _> = read_tree(&b.out)
        .into_iter()
        .filter(|(p, _)| p != Path::new(tebiki::output::MARKER))
        .collect();
    assert_eq!(on_disk.keys().collect::<Vec<_>>(), in_memory.files.keys().collect::<Vec<_>>());
    for (path, bytes) in &in_memory.files {
        assert!(
            bytes == &on_disk[path],
            "{} differs between the build on disk and in memory",
            path.display()
        );
    }
}

/// A build that fails after some files were written leaves no staging folder behind, and the
/// previous site as it was.
#[test]
fn a_failed_build_leaves_no_partial_site() {
    let b = build_basic();
    let project = b.out.parent().unwrap();
    let before = read_tree(&b.out);
    // The English slide breaks only after the Japanese pages are written.
    let slide = project.join("content/slides/003-prepare.en.md");
    let text = fs::read_to_string(&slide).unwrap();
    fs::write(&slide, format!("{text}\nSee [[slide:99]].\n")).unwrap();
    let result = tebiki(project, &["build"]);
    assert!(!result.status.success(), "the broken reference was accepted");
    assert!(stderr(&result).contains("slide 99"), "{}", stderr(&result));
    assert_eq!(read_tree(&b.out), before, "the previous site changed");
    let leftovers: Vec<_> = fs::read_dir(project)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

#[test]
fn rebuild_replaces_the_previous_site() {
    let b = build_basic();
    fs::write(b.out.join("stale.html"), "old").unwrap();
    let project = b.out.parent().unwrap();
    let result = tebiki(project, &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(!b.out.join("stale.html").exists(), "the output folder is replaced whole");
    assert!(b.out.join("ja/index.html").exists());
}

#[test]
fn refuses_unsafe_output_folders() {
    let project = basic_project();
    fs::create_dir_all(project.path().join("notes")).unwrap();
    fs::write(project.path().join("notes/keep.txt"), "mine").unwrap();
    for out in [".", "content", "content/site", "/", "..", "notes"] {
        let result = tebiki(project.path(), &["build", "--out", out]);
        assert!(!result.status.success(), "--out {out} was accepted");
        assert!(stderr(&result).contains("refusing to write"), "--out {out}: {}", stderr(&result));
    }
    assert_eq!(fs::read_to_string(project.path().join("notes/keep.txt")).unwrap(), "mine");
    assert!(project.path().join("content/guide.toml").exists());
}

/// All problems at once: an output folder that cannot be written, or that is refused, is reported
/// together with the project's own problems, not instead of them.
#[test]
fn an_unusable_output_folder_and_a_content_error_are_both_reported() {
    let project = basic_project();
    let root = project.path();
    let slide = root.join("content/slides/003-prepare.ja.md");
    let text = fs::read_to_string(&slide).unwrap();
    fs::write(&slide, format!("{text}\n[[slide:99]]\n")).unwrap();
    // The output folder's parent is a file: nothing can be made there, whoever runs the build.
    fs::write(root.join("blocked"), "a file, not a folder").unwrap();
    for out in ["blocked/public", "content"] {
        let result = tebiki(root, &["build", "--out", out]);
        let report = stderr(&result);
        assert!(!result.status.success(), "--out {out} was accepted");
        assert!(report.contains(out), "--out {out}: the output folder's problem:\n{report}");
        assert!(report.contains("003-prepare.ja.md:17:1"), "--out {out}: the slide's:\n{report}");
        assert!(report.contains("reference to slide 99"), "--out {out}:\n{report}");
        assert!(report.contains("2 problems found"), "--out {out}:\n{report}");
    }
    assert!(!root.join("public").exists());
}

#[test]
fn check_writes_nothing() {
    let project = basic_project();
    let result = tebiki(project.path(), &["check"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(!project.path().join("public").exists());
}
