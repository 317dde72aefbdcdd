//! `content/guide.toml`: the guide's title, languages, chapters and external addresses.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::handout;
use crate::source::SourceFile;
use crate::toml_path;
use crate::toml_path::{Path as TomlPath, Spans, Step};

/// A text in each of the guide's languages, e.g. `{ ja = "…", en = "…" }`.
pub type Localized = BTreeMap<String, String>;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct GuideConfig {
    pub default_language: String,
    pub languages: Vec<String>,
    /// Machine-readable edition, e.g. "2025-12".
    pub edition: String,
    #[serde(default)]
    pub app_version: Option<String>,
    /// The previous edition's `edition.json`, kept in the project (`editions/2025-06.json`): the
    /// pages then say what changed since it.
    #[serde(default)]
    pub previous_edition: Option<String>,
    pub title: Localized,
    pub edition_label: Localized,
    pub publisher: Localized,
    pub chapters: Vec<ChapterConfig>,
    /// Titles of steps that run over several chapters, by step number (`[step-titles.4]`): the
    /// handout's contents and bookmarks group a step's chapters under it. A step without one
    /// takes its first chapter's title.
    #[serde(default)]
    pub step_titles: BTreeMap<String, Localized>,
    #[serde(default)]
    pub links: BTreeMap<String, LinkConfig>,
    /// The file it was read from, to point problems found later at their place in it.
    #[serde(skip)]
    pub file: Option<SourceFile>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChapterConfig {
    /// The page's file name without `.html`; the first chapter must be `index`.
    pub slug: String,
    /// The chapter's first slide.
    pub first: u32,
    /// Its number among the guide's overall steps, if it is one.
    #[serde(default)]
    pub step: Option<u32>,
    /// Titles by language code.
    #[serde(flatten)]
    pub title: Localized,
}

/// An external address, defined once and used as `[[link:KEY]]` or `[text](link:KEY)`.
#[derive(Debug, Clone, Deserialize)]
pub struct LinkConfig {
    pub url: String,
    /// The site's own name (Japanese); the default label on pages of the default language.
    pub name: String,
    /// What the site is, by language (`en = "…"`): those pages show it followed by the name.
    /// Every language but the default needs one.
    #[serde(flatten)]
    pub about: Localized,
}

pub const CONFIG_PATH: &str = "content/guide.toml";

/// The pages tebiki makes in each language's folder, besides the chapters: no chapter or page of
/// `content/pages/` may take their names (as `NAME.html`).
pub const RESERVED_PAGES: [&str; 4] = ["print", "checker", "guide-offline", "changes"];

/// Reads and validates `content/guide.toml` under `root`.
pub fn load(root: &Path) -> Result<GuideConfig, Diagnostics> {
    let file = SourceFile::read(root, Path::new(CONFIG_PATH)).map_err(Diagnostics::from)?;
    let mut config: GuideConfig = toml::from_str(&file.text).map_err(|e| {
        Diagnostics::from(
            Diagnostic::from_toml(&file.rel, &file.text, 0, "guide configuration", &e)
                .help("see the comments in content/guide.toml and README.md for the expected keys"),
        )
    })?;
    config.file = Some(file);
    let mut problems = Diagnostics::default();
    for (path, message, help) in validate(&config) {
        problems.push(config.problem(&path, message).help(help));
    }
    problems.into_result(config)
}

/// The languages `content/guide.toml` lists, read leniently: for a guide whose settings have
/// problems, so its other files are still checked in the languages meant (`ja` and `en` when
/// the file gives none).
pub fn languages_written(root: &Path) -> Vec<String> {
    let file = SourceFile::read(root, Path::new(CONFIG_PATH)).ok();
    let table = file.and_then(|f| f.text.parse::<toml::Table>().ok());
    let listed = table.as_ref().and_then(|t| t.get("languages")?.as_array().cloned());
    let names: Vec<String> =
        listed.unwrap_or_default().iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
    if names.is_empty() { vec!["ja".into(), "en".into()] } else { names }
}

/// (where, what is wrong, how to fix it)
type Problem = (TomlPath, String, String);

fn validate(c: &GuideConfig) -> Vec<Problem> {
    let mut out = language_problems(c);
    out.extend(chapter_order_problems(c));
    for (i, ch) in c.chapters.iter().enumerate() {
        out.extend(chapter_problems(c, i, ch));
    }
    out.extend(step_problems(c));
    out.extend(step_title_problems(c));
    for (key, link) in &c.links {
        out.extend(link_text_problems(c, key, link));
        if !(link.url.starts_with("https://") || link.url.starts_with("http://")) {
            out.push((
                toml_path!["links", key, "url"],
                format!("link `{key}` has url `{}`, which is not a web address", link.url),
                "use a full https:// address".into(),
            ));
        } else if !handout::fits_in_qr(&link.url) {
            out.push((
                toml_path!["links", key, "url"],
                format!(
                    "link `{key}`'s address ({} characters) is too long for a QR code on paper",
                    link.url.chars().count()
                ),
                handout::SHORTER_ADDRESS.into(),
            ));
        }
    }
    out
}

/// A link's description in every language but the default, and no key that is not a language.
fn link_text_problems(c: &GuideConfig, key: &str, link: &LinkConfig) -> Vec<Problem> {
    let mut out = Vec::new();
    for k in link.about.keys().filter(|k| !c.languages.contains(k)) {
        out.push((
            toml_path!["links", key, k.as_str()],
            format!("link `{key}` has an unknown key `{k}`"),
            "a link has url, name and a description per language".into(),
        ));
    }
    let needed = c.languages.iter().filter(|l| **l != c.default_language);
    for lang in needed.filter(|l| !link.about.contains_key(*l)) {
        out.push((
            toml_path!["links", key],
            format!("link `{key}` has no `{lang}` description"),
            format!("add a line like `{lang} = \"…\"` saying what the site is, in that language"),
        ));
    }
    out
}

/// A language tag as tebiki writes it: BCP 47 in its canonical case (`zh-Hans`, `pt-BR`), or
/// what is wrong with it.
fn language_tag_problem(tag: &str) -> Option<String> {
    match icu_locale_core::LanguageIdentifier::normalize(tag) {
        Err(_) if tag.contains('_') => {
            let dashed = tag.replace('_', "-");
            let canonical = icu_locale_core::LanguageIdentifier::normalize(&dashed)
                .map_or(dashed.clone(), |c| c.into_owned());
            Some(format!("language `{tag}` is written `{canonical}` in BCP 47 (with `-`)"))
        }
        Err(_) => Some(format!("`{tag}` is not a language tag")),
        Ok(canonical) if canonical != tag => {
            Some(format!("language `{tag}` is written `{canonical}` in BCP 47"))
        }
        // Subtags of 4 to 8 letters are reserved: no language has one.
        Ok(_) if !(2..=3).contains(&crate::text::primary_language(tag).len()) => {
            Some(format!("`{tag}` is not a language tag: a language is 2 or 3 letters"))
        }
        Ok(_) => None,
    }
}

/// The languages, and the guide's texts in each.
fn language_problems(c: &GuideConfig) -> Vec<Problem> {
    let mut out = Vec::new();
    if !c.languages.contains(&c.default_language) {
        out.push((
            toml_path!["default-language"],
            format!("default language `{}` is not in `languages`", c.default_language),
            "add it to `languages` or pick one of them".into(),
        ));
    }
    for (i, lang) in c.languages.iter().enumerate() {
        if c.languages[..i].contains(lang) {
            out.push((
                toml_path!["languages", i],
                format!("language `{lang}` is listed twice"),
                "list each language once".into(),
            ));
        }
        if let Some(problem) = language_tag_problem(lang) {
            out.push((
                toml_path!["languages", i],
                problem,
                "use a BCP 47 language tag, as in `ja`, `en`, `vi`, `zh-Hans` or `pt-BR`".into(),
            ));
        }
    }
    for (name, map) in
        [("title", &c.title), ("edition-label", &c.edition_label), ("publisher", &c.publisher)]
    {
        for lang in c.languages.iter().filter(|l| !map.contains_key(*l)) {
            out.push((
                toml_path![name],
                format!("`{name}` has no `{lang}` text"),
                "give a text for every language".into(),
            ));
        }
    }
    out
}

/// The start page first, then chapters in slide order.
fn chapter_order_problems(c: &GuideConfig) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(first) =
        c.chapters.first().filter(|ch| (ch.slug.as_str(), ch.first) != ("index", 1))
    {
        let key = if first.slug == "index" { "first" } else { "slug" };
        out.push((
            toml_path!["chapters", 0, key],
            "the first chapter must be the start page: slug = \"index\", first = 1".to_string(),
            "put the chapter holding slide 1 first, with slug = \"index\"".into(),
        ));
    } else if c.chapters.is_empty() {
        out.push((
            toml_path!["chapters"],
            "the guide has no chapters".into(),
            "add a [[chapters]] table with slug = \"index\", first = 1 and a title per language"
                .into(),
        ));
    }
    for (i, pair) in c.chapters.windows(2).enumerate() {
        if pair[1].first <= pair[0].first {
            out.push((
                toml_path!["chapters", i + 1, "first"],
                format!(
                    "chapter `{}` starts at slide {}, not after chapter `{}` (slide {})",
                    pair[1].slug, pair[1].first, pair[0].slug, pair[0].first
                ),
                "list chapters in slide order".into(),
            ));
        }
    }
    out
}

/// One chapter: its slug, its keys and its titles.
fn chapter_problems(c: &GuideConfig, i: usize, ch: &ChapterConfig) -> Vec<Problem> {
    let mut out = Vec::new();
    let simple = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
    if ch.slug.is_empty() || !ch.slug.bytes().all(simple) {
        out.push((
            toml_path!["chapters", i, "slug"],
            format!("chapter slug `{}` is not a simple file name", ch.slug),
            "use lower-case letters, digits and `-`".into(),
        ));
    }
    let used_before = c.chapters[..i].iter().any(|other| other.slug == ch.slug);
    if RESERVED_PAGES.contains(&ch.slug.as_str()) || used_before {
        out.push((
            toml_path!["chapters", i, "slug"],
            format!("chapter slug `{}` is used twice or is reserved", ch.slug),
            format!(
                "give every chapter its own slug, none of {} (tebiki makes those pages)",
                RESERVED_PAGES.join(", ")
            ),
        ));
    }
    for key in ch.title.keys().filter(|k| !c.languages.contains(k)) {
        out.push((
            toml_path!["chapters", i, key],
            format!("chapter `{}` has an unknown key `{key}`", ch.slug),
            "a chapter has slug, first, step and one title per language".into(),
        ));
    }
    for lang in c.languages.iter().filter(|l| !ch.title.contains_key(*l)) {
        out.push((
            toml_path!["chapters", i],
            format!("chapter `{}` has no `{lang}` title", ch.slug),
            "add a line like `en = \"…\"` to the chapter".into(),
        ));
    }
    out
}

/// Steps count 1, 2, 3, … in order; a step may run over several chapters (pages), which repeat
/// its number.
fn step_problems(c: &GuideConfig) -> Vec<Problem> {
    let steps: Vec<(usize, u32)> =
        c.chapters.iter().enumerate().filter_map(|(i, ch)| Some((i, ch.step?))).collect();
    let wrong = steps.iter().enumerate().find(|(j, (_, step))| match j.checked_sub(1) {
        None => *step != 1,
        Some(before) => *step != steps[before].1 && *step != steps[before].1.saturating_add(1),
    });
    let Some((_, (i, _))) = wrong else { return Vec::new() };
    let numbers: Vec<u32> = steps.iter().map(|(_, s)| *s).collect();
    vec![(
        toml_path!["chapters", *i, "step"],
        format!("chapter steps are {numbers:?}; they must count 1, 2, 3, … in order"),
        "number the steps in order; chapters that are pages of one step repeat its number".into(),
    )]
}

/// Each step title names a step some chapter has, in every language.
fn step_title_problems(c: &GuideConfig) -> Vec<Problem> {
    let mut out = Vec::new();
    for (key, titles) in &c.step_titles {
        let known =
            key.parse::<u32>().ok().filter(|n| c.chapters.iter().any(|ch| ch.step == Some(*n)));
        if known.is_none() {
            out.push((
                toml_path!["step-titles", key.as_str()],
                format!("`step-titles` has a title for step `{key}`, which no chapter has"),
                "use the number of a chapter's `step`, or remove this title".into(),
            ));
        }
        for lang in c.languages.iter().filter(|l| !titles.contains_key(*l)) {
            out.push((
                toml_path!["step-titles", key.as_str()],
                format!("step {key}'s title has no `{lang}` text"),
                "give a text for every language".into(),
            ));
        }
    }
    out
}

impl GuideConfig {
    /// The title of step `n` in `lang`: its own (`step-titles`) or its first chapter's.
    pub fn step_title(&self, n: u32, lang: &str) -> &str {
        match self.step_titles.get(&n.to_string()) {
            Some(titles) => self.text(titles, lang),
            None => self
                .chapters
                .iter()
                .find(|ch| ch.step == Some(n))
                .map_or("", |ch| self.text(&ch.title, lang)),
        }
    }

    /// A problem at `path` of `content/guide.toml` (the exact key, or the table that lacks it).
    pub fn problem(&self, path: &[Step], message: impl Into<String>) -> Diagnostic {
        let d = Diagnostic::new(CONFIG_PATH, message);
        let Some(file) = &self.file else { return d };
        match Spans::parse(&file.text).find(path) {
            Some(range) => d.at_range(&file.text, range),
            None => d,
        }
    }

    pub fn text<'a>(&self, map: &'a Localized, lang: &str) -> &'a str {
        map.get(lang).map(String::as_str).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::language_tag_problem;

    #[test]
    fn languages_are_bcp47_tags_in_their_canonical_case() {
        for good in ["ja", "en", "vi", "zh-Hans", "zh-Hant-TW", "pt-BR", "fil", "es-419"] {
            assert_eq!(language_tag_problem(good), None, "{good}");
        }
        let said = |tag| language_tag_problem(tag).unwrap_or_default();
        assert!(said("zh-hans").contains("`zh-Hans`"));
        assert!(said("EN").contains("`en`"));
        assert!(said("pt_BR").contains("`pt-BR`"));
        for bad in ["english", "j", "ja-", "", "日本語", "../ja"] {
            assert!(language_tag_problem(bad).is_some(), "{bad}");
        }
    }
}
