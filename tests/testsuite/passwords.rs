//! The bundled guide's map of its IDs and passwords (content/pages/passwords.LANG.md): the page in
//! both languages with the five secrets, where each comes from and every slide that asks for it;
//! a link to it on every slide that asks for a password, and the login help on every login slide;
//! the map printed in the handout after the contents, its PDF pages labelled with its title.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::bundled::site;
use crate::html::select;

fn page(rel: &str) -> String {
    fs::read_to_string(site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Each secret: words of its heading (ja, en), the slide it comes from and the slides that ask for
/// it (from the city's deck: shared/seed, slides 10, 14, 17, 21, 24, 36, 65, 66, 76, 77).
const SECRETS: [(&str, &str, u32, &[u32]); 5] = [
    ("事業所のユーザID", "office's user ID", 10, &[14, 21, 65, 77]),
    ("仮パスワード", "temporary password", 10, &[14, 17]),
    ("事業所のパスワード", "office password", 17, &[21, 65, 77]),
    ("証明書発行用パスワード", "certificate-issue password", 10, &[24, 36]),
    ("個人ユーザIDとパスワード", "personal user ID and password", 66, &[76]),
];

const TITLES: [(&str, &str); 2] =
    [("ja", "パスワードとIDの早見表"), ("en", "Which password goes where")];

/// The slides a piece of HTML links to (`…#slide-N`).
fn linked_slides(html: &str) -> BTreeSet<u32> {
    select(html, "a[href*='#slide-']")
        .iter()
        .filter_map(|a| a["href"].rsplit_once("#slide-")?.1.parse().ok())
        .collect()
}

/// The numbers of the Japanese slides whose steps (a numbered item with its indented lines) have
/// the reader type a password.
fn slides_that_ask_for_a_password() -> BTreeSet<u32> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/slides");
    let mut found = BTreeSet::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".ja.md") {
            continue;
        }
        let n: u32 = name[..3].parse().unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let mut step = String::new();
        let mut steps = Vec::new();
        for line in text.lines() {
            let numbered = line.split_once(". ").is_some_and(|(d, _)| d.parse::<u32>().is_ok());
            if numbered {
                steps.push(std::mem::take(&mut step));
                step.push_str(line);
            } else if line.starts_with(' ') && !step.is_empty() {
                step.push_str(line);
            } else {
                steps.push(std::mem::take(&mut step));
            }
        }
        steps.push(step);
        if steps.iter().any(|s| s.contains("パスワード") && s.contains("入力")) {
            found.insert(n);
        }
    }
    found
}

/// The chapter page's section of slide `n` in `lang`.
fn slide_section(lang: &str, n: u32) -> String {
    let pages = fs::read_dir(site().join(lang)).unwrap();
    for entry in pages {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".html") || name.starts_with("print") || name.contains("offline") {
            continue;
        }
        let html = fs::read_to_string(&path).unwrap();
        let id = format!(" id=\"slide-{n}\">");
        if let Some(at) = html.find(&id).and_then(|at| html[..at].rfind("<section")) {
            let rest = &html[at..];
            let end = rest.find("</section>").unwrap();
            return rest[..end].to_string();
        }
    }
    panic!("{lang}: no chapter page holds slide {n}")
}

#[test]
fn the_map_lists_the_five_secrets_where_each_comes_from_and_the_slides_that_ask_for_it() {
    for (lang, title) in TITLES {
        let html = page(&format!("{lang}/passwords.html"));
        let h1: Vec<_> = html.match_indices("<h1").collect();
        assert_eq!(h1.len(), 1, "{lang}: one main heading");
        assert!(html.contains(&format!(">{title}</h1>")), "{lang}: the page's title");
        // Each secret is a section under its own heading.
        let sections: Vec<&str> = html.split("<h2").skip(1).collect();
        for (i, (ja, en, from, asks)) in SECRETS.iter().enumerate() {
            let section = sections.get(i).unwrap_or_else(|| panic!("{lang}: no section {i}"));
            let words = if lang == "ja" { ja } else { en };
            let heading = &section[..section.find("</h2>").unwrap()];
            assert!(heading.contains(words), "{lang}: section {} is about {words}", i + 1);
            let items: Vec<&str> = section.split("<li>").skip(1).collect();
            let from_item = items.get(1).unwrap();
            assert!(
                linked_slides(from_item).contains(from),
                "{lang}: {words} comes from slide {from}: {from_item}"
            );
            let asks_item = items.get(2).unwrap();
            let linked = linked_slides(asks_item);
            for n in *asks {
                assert!(
                    linked.contains(n),
                    "{lang}: {words} is asked for on slide {n}: {linked:?}"
                );
            }
        }
    }
}

#[test]
fn every_slide_that_asks_for_a_password_links_to_the_map() {
    let asking = slides_that_ask_for_a_password();
    let listed: BTreeSet<u32> = SECRETS.iter().flat_map(|s| s.3.iter().copied()).collect();
    assert!(asking.is_subset(&listed), "the map lists every slide that asks: {asking:?}");
    assert!(asking.len() >= 8, "the steps that ask for a password are found: {asking:?}");
    for (lang, title) in TITLES {
        for n in &listed {
            let section = slide_section(lang, *n);
            let links = select(&section, "a[href='passwords.html']");
            assert_eq!(links.len(), 1, "{lang}: slide {n} links to the map once");
            assert!(section.contains(&format!(">{title}</a>")), "{lang}: slide {n}, its title");
        }
    }
}

#[test]
fn every_login_slide_says_where_to_look_if_the_login_fails() {
    let login: Vec<u32> = vec![14, 21, 65, 76, 77];
    for (lang, heading) in [("ja", "ログインできないときは"), ("en", "If you cannot log in")]
    {
        for n in 1..=80 {
            let section = slide_section(lang, n);
            let title = section[..section.find("</h2>").unwrap()].to_string();
            let helps = section.matches("class=\"login-help\"").count();
            let is_login = login.contains(&n);
            assert_eq!(helps, usize::from(is_login), "{lang}: slide {n} ({title})");
            if !is_login {
                assert!(!title.contains("ログイン") && !title.contains("Log in"), "{title}");
                continue;
            }
            let help = &section[section.find("class=\"login-help\"").unwrap()..];
            let help = &help[..help.find("</div>").unwrap()];
            assert!(help.contains(heading), "{lang}: slide {n}'s help is titled {heading}");
            assert_eq!(linked_slides(help), BTreeSet::from([10, 11, 12]), "{lang}: slide {n}");
            assert_eq!(select(help, "a[href='checker.html']").len(), 1, "{lang}: slide {n}");
        }
    }
}

#[test]
fn the_map_is_printed_after_the_contents_and_its_links_stay_in_the_handout() {
    for (lang, title) in TITLES {
        let print = page(&format!("{lang}/print.html"));
        let contents = print.find("id=\"contents\"").unwrap();
        let map = print.find("id=\"page-passwords\"").expect("the map is on the print page");
        let first_chapter = print.find("class=\"chapter\"").unwrap();
        assert!(contents < map && map < first_chapter, "{lang}: after the contents");
        assert_eq!(print.matches("id=\"page-passwords\"").count(), 1);
        let self_link = format!("<a class=\"contents-self\" href=\"#page-passwords\">{title}</a>");
        assert!(print.contains(&self_link), "{lang}: its heading links to itself (for the PDF)");
        // The slides' links to the map lead to it on the same page, and the map's to the slides.
        assert!(select(&print, "a[href='passwords.html']").len() <= 1, "{lang}: only the footer");
        assert!(select(&print, "a[href='#page-passwords']").len() >= 10, "{lang}");
        let offline = page(&format!("{lang}/guide-offline.html"));
        assert!(select(&offline, "a[href='#page-passwords']").len() >= 10, "{lang}: offline");
    }
}
