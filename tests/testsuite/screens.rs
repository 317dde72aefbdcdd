//! Screens: pictures with callouts and redactions, processed into responsive sizes.

use std::fs;
use std::path::Path;

use crate::html::select;
use crate::{basic_project, read_tree, stderr, tebiki};

fn build(project: &Path) -> String {
    let result = tebiki(project, &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    String::from_utf8_lossy(&result.stdout).into_owned()
}

/// Every `<img>` of every page: alt, width, height, srcset whose files exist, async decoding.
pub fn assert_images_complete(out: &Path) -> usize {
    let mut count = 0;
    for (rel, bytes) in read_tree(out) {
        if rel.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let dir = out.join(rel.parent().unwrap());
        for img in select(&html, "img") {
            count += 1;
            let what = format!("{}: <img src={:?}>", rel.display(), img.get("src"));
            assert!(img.get("alt").is_some_and(|a| !a.trim().is_empty()), "{what}: alt");
            for attr in ["width", "height"] {
                assert!(
                    img.get(attr).is_some_and(|v| v.parse::<u32>().is_ok_and(|n| n > 0)),
                    "{what}: {attr}"
                );
            }
            assert_eq!(img.get("decoding").map(String::as_str), Some("async"), "{what}: decoding");
            if rel.ends_with("guide-offline.html") {
                // The one-file edition carries one full-size copy of each picture inside, in its
                // style, once: an `<img>` names it by its class.
                let class = img.get("class").map(String::as_str).unwrap_or_default();
                let picture = class.split(' ').find(|c| c.starts_with("tebiki-picture-"));
                let rule = picture.map(|c| format!("img.{c}{{content:url(data:image/webp;base64,"));
                assert!(
                    img["src"] == "data:," && rule.is_some_and(|r| html.matches(&r).count() == 1),
                    "{}: a picture that is not inside: {img:?}",
                    rel.display()
                );
                continue;
            }
            let srcset = img.get("srcset").unwrap_or_else(|| panic!("{what}: srcset"));
            for candidate in srcset.split(", ") {
                let (url, width) =
                    candidate.split_once(' ').unwrap_or_else(|| panic!("{what}: {candidate}"));
                assert!(width.ends_with('w'), "{what}: {candidate}");
                assert!(dir.join(url).is_file(), "{what}: {url} missing");
            }
            assert!(dir.join(&img["src"]).is_file(), "{what}: src missing");
        }
    }
    count
}

#[test]
fn every_img_has_alt_size_and_srcset() {
    let project = basic_project();
    build(project.path());
    let out = project.path().join("public");
    // Slide 3 in both languages: its chapter page, the print page, the one-file edition.
    assert_eq!(assert_images_complete(&out), 6);
    let setup = fs::read_to_string(out.join("ja/setup.html")).unwrap();
    let img = &select(&setup, "figure.screen img")[0];
    assert_eq!((img["width"].as_str(), img["height"].as_str()), ("1600", "1000"));
    assert_eq!(
        img["srcset"].split(", ").count(),
        3,
        "640, 1280 and the full 1600: {}",
        img["srcset"]
    );
    assert!(img.get("loading").is_none(), "the first picture of a page is not lazy");
    let full = select(&setup, "figure.screen a.screen-full");
    assert!(full[0]["href"].ends_with(".1600.webp"), "link to the full-size picture");
}

#[test]
fn callouts_are_drawn_over_the_picture_in_both_languages() {
    let project = basic_project();
    build(project.path());
    for lang in ["ja", "en"] {
        let html =
            fs::read_to_string(project.path().join(format!("public/{lang}/setup.html"))).unwrap();
        let svg = select(&html, "figure.screen .screen-frame > svg");
        assert_eq!(svg.len(), 1, "{lang}");
        assert_eq!(
            svg[0]["aria-hidden"], "true",
            "the steps, not the picture, carry the instruction"
        );
        let marks: Vec<String> = select(&html, "figure.screen svg g[data-callout]")
            .iter()
            .map(|g| g["data-callout"].clone())
            .collect();
        assert_eq!(marks, vec!["1", "2"], "{lang}: callouts (the English slide inherits them)");
        // Each mark's leader starts at its spot, as written; the mark is beside it.
        let leaders = select(&html, "figure.screen svg g[data-callout] line");
        assert_eq!((leaders[0]["x1"].as_str(), leaders[0]["y1"].as_str()), ("50%", "63%"));
        let circles = select(&html, "figure.screen svg g[data-callout] circle");
        assert_ne!((circles[0]["cx"].as_str(), circles[0]["cy"].as_str()), ("50%", "63%"));
        assert_eq!(
            select(&html, "figure.screen figcaption .screen-note").len(),
            1,
            "marked as an illustration"
        );
    }
}

#[test]
fn no_pixel_of_a_redacted_area_survives_in_any_size() {
    let project = basic_project();
    build(project.path());
    let out = project.path().join("public");
    let mut checked = 0;
    for (rel, bytes) in read_tree(&out) {
        let name = rel.file_name().unwrap().to_string_lossy().to_string();
        if !(name.starts_with("screen.") && name.ends_with(".webp")) {
            continue;
        }
        let img = image::load_from_memory(&bytes).unwrap().to_rgba8();
        let (w, h) = img.dimensions();
        // The redaction covers x 20–50 %, y 20–30 %; the secret was pure magenta. Inside, beyond the
        // reach of the resampling filter at the edges (Lanczos3: 3 pixels), every pixel is black.
        let (x0, x1, y0, y1) =
            (w * 20 / 100 + 4, w * 50 / 100 - 4, h * 20 / 100 + 4, h * 30 / 100 - 4);
        for y in y0..y1 {
            for x in x0..x1 {
                assert_eq!(
                    img.get_pixel(x, y).0,
                    [0, 0, 0, 255],
                    "{name}: pixel {x},{y} inside the redaction"
                );
            }
        }
        let magenta = img.pixels().filter(|p| p.0[0] > 150 && p.0[1] < 100 && p.0[2] > 150).count();
        assert_eq!(magenta, 0, "{name}: traces of the redacted content");
        checked += 1;
    }
    assert_eq!(checked, 3, "640, 1280 and 1600 wide");
    // And the metadata-free re-encode is lossless WebP.
    assert!(
        read_tree(&out)
            .iter()
            .any(|(p, b)| p.to_string_lossy().ends_with(".webp") && &b[8..12] == b"WEBP")
    );
}

#[test]
fn unchanged_pictures_are_not_processed_again() {
    let project = basic_project();
    assert!(build(project.path()).contains("images: 1 processed, 0 from cache"));
    let first = read_tree(&project.path().join("public"));
    assert!(build(project.path()).contains("images: 0 processed, 1 from cache"));
    assert_eq!(read_tree(&project.path().join("public")), first, "the cache gives the same files");
    // The cache is keyed by the redactions too.
    let slide = project.path().join("content/slides/003-prepare.ja.md");
    let text = fs::read_to_string(&slide).unwrap().replace("w = 30, h = 10", "w = 31, h = 10");
    fs::write(&slide, text).unwrap();
    assert!(build(project.path()).contains("images: 1 processed, 0 from cache"));
}

#[test]
fn check_processes_no_picture_into_the_cache() {
    let project = basic_project();
    let result = tebiki(project.path(), &["check"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(!project.path().join(".tebiki-cache").exists(), "check writes nothing");
}
