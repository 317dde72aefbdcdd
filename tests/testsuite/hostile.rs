//! tebiki tried as an attacker and as a careless editor would: a poisoned picture cache, special
//! files, links out of the project, absurd numbers, HTML that hides a script, names that collide,
//! debris of stopped builds. Each case asserts the exact behaviour, and that a failed build leaves
//! the previous site byte for byte as it was.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::{basic_project, read_tree, stderr, tebiki};

/// The basic fixture, built once: the project and the site it made.
fn built() -> (tempfile::TempDir, Vec<(PathBuf, Vec<u8>)>) {
    let project = basic_project();
    let result = tebiki(project.path(), &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let site = read_tree(&project.path().join("public"));
    (project, site)
}

/// Builds `root` again and expects it to fail with every line of `expected` in the report, and
/// the previous site untouched; returns the report.
fn fails(root: &Path, site: &[(PathBuf, Vec<u8>)], expected: &[&str]) -> String {
    let result = tebiki(root, &["build"]);
    let report = stderr(&result);
    assert!(!result.status.success(), "the build succeeded:\n{report}");
    for line in expected {
        assert!(report.contains(line), "the report lacks {line:?}:\n{report}");
    }
    assert_eq!(read_tree(&root.join("public")), site, "the previous site changed");
    report
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// The one cache entry of the basic fixture (its one picture).
fn cache_entry(root: &Path) -> PathBuf {
    let entries: Vec<PathBuf> = fs::read_dir(root.join(".tebiki-cache/images"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries[0].clone()
}

#[test]
fn a_cache_entry_naming_other_paths_or_linking_out_is_remade() {
    let (project, _) = built();
    let root = project.path();
    let entry = cache_entry(root);
    let secret = root.join("../secret.txt");
    fs::write(&secret, "root:x:0:0:the secret").unwrap();
    let planted = root.join("../pwned");
    let meta = fs::read_to_string(entry.join("picture.txt")).unwrap();
    fs::write(entry.join("picture.txt"), format!("{meta}640 {}\n", planted.display())).unwrap();
    let webp = fs::read_dir(&entry)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "webp"))
        .unwrap();
    fs::remove_file(&webp).unwrap();
    std::os::unix::fs::symlink(&secret, &webp).unwrap();
    let result = tebiki(root, &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let said = String::from_utf8_lossy(&result.stdout);
    assert!(said.contains("1 cached copy failed its checks"), "{said}");
    assert!(!planted.exists(), "a file was written where the cache said");
    for (path, bytes) in read_tree(&root.join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("the secret"),
            "{} holds the secret",
            path.display()
        );
    }
    assert!(
        !cache_entry(root).join(webp.file_name().unwrap()).is_symlink(),
        "the entry was made again"
    );
}

/// A cache entry planted under a redacted screen's key, holding the pixels without the redaction
/// (its files and their hashes consistent), is never published.
#[test]
fn a_planted_unredacted_picture_is_never_published() {
    let (project, _) = built();
    let root = project.path();
    let entry = cache_entry(root);
    let source = image::open(root.join("images/screen.png")).unwrap().to_rgba8();
    let meta = fs::read_to_string(entry.join("picture.txt")).unwrap();
    let mut forged = String::new();
    for line in meta.lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        let [width, name, _hash] = parts[..] else {
            forged.push_str(line);
            forged.push('\n');
            continue;
        };
        let w: u32 = width.parse().unwrap();
        let h = (u64::from(source.height()) * u64::from(w) + u64::from(source.width()) / 2)
            / u64::from(source.width());
        let scaled =
            image::imageops::resize(&source, w, h as u32, image::imageops::FilterType::Lanczos3);
        let mut bytes = Vec::new();
        image::codecs::webp::WebPEncoder::new_lossless(&mut bytes)
            .encode(
                scaled.as_raw(),
                scaled.width(),
                scaled.height(),
                image::ExtendedColorType::Rgba8,
            )
            .unwrap();
        let hash: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        fs::write(entry.join(name), &bytes).unwrap();
        forged.push_str(&format!("{width} {name} {hash}\n"));
    }
    fs::write(entry.join("picture.txt"), forged).unwrap();
    let result = tebiki(root, &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(String::from_utf8_lossy(&result.stdout).contains("1 cached copy failed its checks"));
    // The redaction covers x 20–50 %, y 20–30 % of the picture: black in every published size.
    let published: Vec<PathBuf> =
        read_tree(&root.join("public/images")).into_iter().map(|(p, _)| p).collect();
    assert!(!published.is_empty());
    for name in published {
        let pixels = image::open(root.join("public/images").join(&name)).unwrap().to_rgba8();
        let (w, h) = pixels.dimensions();
        for (x, y) in [
            (w * 21 / 100, h * 21 / 100),
            (w * 35 / 100, h * 25 / 100),
            (w * 49 / 100, h * 29 / 100),
        ] {
            assert_eq!(
                pixels.get_pixel(x, y).0,
                [0, 0, 0, 255],
                "{}: ({x}, {y}) is not black",
                name.display()
            );
        }
    }
}

/// A cache made elsewhere (copied with the project, or committed by mistake) is sealed with
/// another key: every entry is made again.
#[test]
fn a_cache_made_by_someone_else_is_not_trusted() {
    let (project, _) = built();
    let root = project.path();
    let someone_else = tempfile::tempdir().unwrap();
    let result = assert_cmd::Command::cargo_bin("tebiki")
        .unwrap()
        .arg("--root")
        .arg(root)
        .arg("build")
        .env("XDG_CACHE_HOME", someone_else.path())
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    let said = String::from_utf8_lossy(&result.stdout);
    assert!(said.contains("images: 1 processed, 0 from cache"), "{said}");
    assert!(said.contains("1 cached copy failed its checks"), "{said}");
}

#[test]
fn a_cache_folder_that_is_a_link_is_not_used() {
    let project = basic_project();
    let root = project.path();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), root.join(".tebiki-cache")).unwrap();
    let result = tebiki(root, &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert_eq!(read_tree(elsewhere.path()), Vec::new(), "the cache was written through the link");
}

#[test]
fn special_files_are_refused_never_opened() {
    let (project, site) = built();
    let root = project.path();
    // A named pipe in place of the checker's rules (opening it would wait forever).
    mkfifo(&root.join("content/checker.toml"));
    fails(root, &site, &["content/checker.toml", "this is a named pipe, not a file"]);
    fs::remove_file(root.join("content/checker.toml")).unwrap();
    // …and in place of a slide.
    mkfifo(&root.join("content/slides/009-pipe.ja.md"));
    fails(root, &site, &["content/slides/009-pipe.ja.md", "named pipe"]);
    fs::remove_file(root.join("content/slides/009-pipe.ja.md")).unwrap();
    // An output folder that is a named pipe is refused, and stays.
    mkfifo(&root.join("pipe"));
    let result = tebiki(root, &["build", "--out", "pipe"]);
    assert!(!result.status.success());
    assert!(stderr(&result).contains("it is not a folder"), "{}", stderr(&result));
    assert!(
        fs::symlink_metadata(root.join("pipe")).is_ok_and(|m| !m.is_dir()),
        "the pipe was moved"
    );
}

#[test]
fn links_are_followed_only_inside_the_project() {
    let (project, site) = built();
    let root = project.path();
    let outside = tempfile::tempdir().unwrap();
    let slide = root.join("content/slides/004-note.en.md");
    let text = fs::read(&slide).unwrap();
    fs::write(outside.path().join("note.md"), &text).unwrap();
    fs::remove_file(&slide).unwrap();
    std::os::unix::fs::symlink(outside.path().join("note.md"), &slide).unwrap();
    fails(root, &site, &["content/slides/004-note.en.md", "this link leads out of the project"]);
    // A link to a file inside the project is that file.
    fs::create_dir_all(root.join("drafts")).unwrap();
    fs::write(root.join("drafts/note.en.md"), &text).unwrap();
    fs::remove_file(&slide).unwrap();
    std::os::unix::fs::symlink(root.join("drafts/note.en.md"), &slide).unwrap();
    let result = tebiki(root, &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    // A link to a folder of slides would be skipped: it is a problem.
    let site = read_tree(&root.join("public"));
    std::os::unix::fs::symlink(root.join("drafts"), root.join("content/slides/more")).unwrap();
    fails(root, &site, &["content/slides/more", "a link to a folder"]);
}

#[test]
fn an_absurd_slide_number_is_one_problem() {
    let (project, site) = built();
    let root = project.path();
    edit(root, "content/slides/005-done.ja.md", "slide = 5", "slide = 1000000000");
    let report = fails(
        root,
        &site,
        &[
            "slides 6 to 999999999 are missing",
            "content/slides/005-done.ja.md:2:1",
            "slide 5 has no `ja` translation",
            "slide 1000000000 has no `en` translation",
            "3 problems found",
        ],
    );
    assert!(report.len() < 10_000, "{} bytes of report", report.len());
}

/// A mistake repeated 20,000 times on one line: the first problems are shown (each with the part of
/// the line around it), the rest counted.
#[test]
fn a_mistake_repeated_thousands_of_times_is_reported_in_a_page() {
    let (project, site) = built();
    let root = project.path();
    let slide = root.join("content/slides/004-note.ja.md");
    let text = fs::read_to_string(&slide).unwrap();
    fs::write(&slide, format!("{text}{}\n", "[[slide:99]]".repeat(20_000))).unwrap();
    let report = fails(
        root,
        &site,
        &["19950 more problems in this file are not shown", "error: 20000 problems found"],
    );
    assert!(report.len() < 100_000, "{} bytes of report", report.len());
}

#[test]
fn raw_html_that_hides_code_is_refused_where_it_is() {
    let (project, site) = built();
    let root = project.path();
    let slide = "content/slides/005-done.en.md";
    let text = fs::read_to_string(root.join(slide)).unwrap();
    let cases = [
        ("<div\nonclick=\"alert(1)\">x</div>", "an event-handler attribute"),
        ("<a href=\"java\nscript:alert(1)\">x</a>", "a javascript: URL"),
        ("<details ontoggle=\"alert(1)\" open>x</details>", "a <details> element"),
        ("<p\nstyle=\"background:url(x)\">x</p>", "a style attribute"),
        ("<img src=\"https://example.com/a.png\">", "a <img> element"),
        ("[x](data:text/html,hello)", "a link to a `data:` address"),
        ("<vbscript:msgbox>", "a link to a `vbscript:` address"),
        ("[x](JaVaScRiPt:alert(1))", "a `javascript:` link is not allowed"),
    ];
    let lines = text.lines().count();
    for (html, what) in cases {
        fs::write(root.join(slide), format!("{text}\n{html}\n")).unwrap();
        fails(root, &site, &[&format!("{slide}:{}:", lines + 2), what]);
    }
}

/// Text of a slide that would break an inline script (`<!--<script>`) leaves the one-file
/// edition whole: its scripts end where they should.
#[test]
fn text_that_would_break_a_script_stays_text() {
    let project = basic_project();
    let root = project.path();
    edit(
        root,
        "content/slides/005-done.ja.md",
        "これで終わりです。",
        "これで終わりです。`<!--<script>` と `</script>`",
    );
    let result = tebiki(root, &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let edition = fs::read_to_string(root.join("public/ja/guide-offline.html")).unwrap();
    let scripts: Vec<&str> = edition.split("<script>").skip(1).collect();
    assert!(!scripts.is_empty());
    for script in &scripts {
        let body = script.split("</script>").next().unwrap();
        let lower = body.to_ascii_lowercase();
        assert!(
            !lower.contains("<!--") && !lower.contains("<script") && !lower.contains("</"),
            "an inline script could end early: {}",
            &body[..body.len().min(200)]
        );
    }
    assert!(edition.trim_end().ends_with("</html>"));
}

#[test]
fn names_that_collide_with_generated_pages_are_refused() {
    let (project, site) = built();
    let root = project.path();
    for slug in ["checker", "guide-offline", "print"] {
        edit(root, "content/guide.toml", "slug = \"finish\"", &format!("slug = \"{slug}\""));
        fails(root, &site, &[&format!("chapter slug `{slug}` is used twice or is reserved")]);
        edit(root, "content/guide.toml", &format!("slug = \"{slug}\""), "slug = \"finish\"");
    }
    fs::create_dir_all(root.join("content/pages")).unwrap();
    for name in ["print", "setup"] {
        for lang in ["ja", "en"] {
            fs::write(
                root.join(format!("content/pages/{name}.{lang}.md")),
                "+++\ntitle = \"x\"\n+++\n\nx\n",
            )
            .unwrap();
        }
        fails(
            root,
            &site,
            &[&format!("content/pages/{name}.ja.md"), &format!("the page `{name}.html` is taken")],
        );
        for lang in ["ja", "en"] {
            fs::remove_file(root.join(format!("content/pages/{name}.{lang}.md"))).unwrap();
        }
    }
    edit(
        root,
        "content/guide.toml",
        "languages = [\"ja\", \"en\"]",
        "languages = [\"ja\", \"en\", \"ja\"]",
    );
    fails(root, &site, &["content/guide.toml:2:26", "language `ja` is listed twice"]);
}

#[test]
fn contradictory_checker_rules_and_long_addresses_are_refused() {
    let (project, site) = built();
    let root = project.path();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/checker.toml");
    fs::copy(rules, root.join("content/checker.toml")).unwrap();
    edit(root, "content/checker.toml", "min = 8\nmax = 16", "min = 16\nmax = 8");
    fails(root, &site, &["field `password`: max = 8 is below min = 16"]);
    fs::remove_file(root.join("content/checker.toml")).unwrap();
    let long = format!("https://example.jp/{}", "a".repeat(3000));
    edit(
        root,
        "content/guide.toml",
        "url = \"https://example.jp/start\"",
        &format!("url = \"{long}\""),
    );
    fails(root, &site, &["content/guide.toml:", "too long for a QR code"]);
}

#[test]
fn control_characters_are_refused_and_never_reach_the_terminal() {
    let (project, site) = built();
    let root = project.path();
    let slide = root.join("content/slides/004-note.ja.md");
    let text = fs::read_to_string(&slide).unwrap();
    fs::write(&slide, format!("{text}NUL:\u{0}\n")).unwrap();
    fails(root, &site, &["content/slides/004-note.ja.md", "invisible control character (U+0000)"]);
    fs::write(&slide, &text).unwrap();
    // A file whose name holds an escape sequence (and no language).
    fs::write(root.join("content/slides/009-\u{1b}[31mred.md"), &text).unwrap();
    let report = fails(root, &site, &["does not say its language"]);
    assert!(!report.contains('\u{1b}'), "an escape reached the report: {report:?}");
}

#[test]
fn debris_of_stopped_builds_is_cleared_and_a_half_swapped_site_put_back() {
    let (project, _) = built();
    let root = project.path();
    let marker = tebiki::output::MARKER;
    for left in [".public.new-x1", ".public.old-1"] {
        fs::create_dir_all(root.join(left)).unwrap();
        fs::write(root.join(left).join(marker), "").unwrap();
        fs::write(root.join(left).join("big.bin"), vec![0; 1024]).unwrap();
    }
    fs::create_dir_all(root.join(".public.new-notours")).unwrap();
    // A picture half stored in the cache an hour ago.
    let half = root.join(".tebiki-cache/images/.new-half");
    fs::create_dir_all(&half).unwrap();
    fs::write(half.join("a.webp"), vec![0; 1024]).unwrap();
    assert!(
        Command::new("touch").args(["-d", "1 hour ago"]).arg(&half).status().unwrap().success()
    );
    let result = tebiki(root, &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(!root.join(".public.new-x1").exists() && !root.join(".public.old-1").exists());
    assert!(root.join(".public.new-notours").exists(), "a folder without tebiki's marker stays");
    assert!(!half.exists(), "the half-stored picture was left");
    // Stopped just after moving the previous site aside: the next build (failing here) puts it back.
    let site = read_tree(&root.join("public"));
    fs::rename(root.join("public"), root.join(".public.old-2")).unwrap();
    edit(root, "content/slides/003-prepare.ja.md", "[[slide:4]]", "[[slide:99]]");
    fails(root, &site, &["reference to slide 99"]);
}

#[test]
fn a_second_build_writing_beside_the_first_waits_for_it() {
    let (project, site) = built();
    let root = project.path();
    let held = fs::File::open(root).unwrap();
    held.lock().unwrap();
    fails(root, &site, &["another tebiki build is writing its site into this folder now"]);
    held.unlock().unwrap();
    assert!(tebiki(root, &["build"]).status.success());
}

#[test]
fn a_mistyped_root_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-guide");
    let result = tebiki(&missing, &["build"]);
    assert!(!result.status.success());
    assert!(stderr(&result).contains("there is no project folder here"), "{}", stderr(&result));
    assert!(!missing.exists(), "the mistyped folder was created");
}
