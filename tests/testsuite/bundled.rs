//! The guide that ships with tebiki (this repository's content/) builds cleanly and keeps the
//! slide numbers that readers, the handout and the help desk share.

use std::fs;
use std::path::Path;

use crate::html::{select, text_of};
use crate::{stderr, tebiki};

#[test]
fn bundled_guide_builds_with_every_slide_once_per_place() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let result = tebiki(root, &["build", "--out", site.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));

    for lang in ["ja", "en"] {
        let print = fs::read_to_string(site.join(lang).join("print.html")).unwrap();
        let chapters: String = fs::read_dir(site.join(lang))
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() != "print.html")
            .map(|e| fs::read_to_string(e.path()).unwrap())
            .collect();
        let ids = select(&print, "[id^='slide-']").len();
        assert!(ids >= 80, "{lang}: {ids} slide ids");
        for n in 1..=80 {
            let id = format!("id=\"slide-{n}\"");
            assert_eq!(print.matches(&id).count(), 1, "{lang}/print.html: {id}");
            assert_eq!(chapters.matches(&id).count(), 1, "{lang} chapter pages: {id}");
        }
    }

    let pictures = crate::screens::assert_images_complete(&site);
    assert!(pictures >= 28, "screens on slides 4, 7, 8, 10, 12, 14 and 21, in 2 languages, twice: {pictures}");

    // The branch on slide 9: both known → 13, otherwise → 11.
    let id_ja = fs::read_to_string(site.join("ja/id.html")).unwrap();
    assert_eq!(text_of(&id_ja, "#slide-9 a[href='certificate.html#slide-13']").as_deref(), Some("スライド13"));
    assert_eq!(text_of(&id_ja, "#slide-9 a[href='#slide-11']").as_deref(), Some("スライド11"));
    let id_en = fs::read_to_string(site.join("en/id.html")).unwrap();
    assert_eq!(text_of(&id_en, "#slide-9 a[href='certificate.html#slide-13']").as_deref(), Some("Slide 13"));
}
