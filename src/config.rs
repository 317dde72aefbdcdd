//! `content/guide.toml`: the guide's title, languages, chapters and external addresses.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

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
    pub title: Localized,
    pub edition_label: Localized,
    pub publisher: Localized,
    pub chapters: Vec<ChapterConfig>,
    #[serde(default)]
    pub links: BTreeMap<String, LinkConfig>,
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
#[serde(deny_unknown_fields)]
pub struct LinkConfig {
    pub url: String,
    /// The site's own name (Japanese); the default label on Japanese pages.
    pub name: String,
    /// English description; English pages show it followed by the Japanese name.
    pub en: String,
}

pub const CONFIG_PATH: &str = "content/guide.toml";

/// Reads and validates `content/guide.toml` under `root`.
pub fn load(root: &Path) -> Result<GuideConfig, Diagnostics> {
    let file = SourceFile::read(root, Path::new(CONFIG_PATH)).map_err(Diagnostics::from)?;
    let config: GuideConfig = toml::from_str(&file.text).map_err(|e| {
        Diagnostics::from(
            Diagnostic::from_toml(&file.rel, &file.text, 0, "guide configuration", &e)
                .help("see the comments in content/guide.toml and README.md for the expected keys"),
        )
    })?;
    let problems = validate(&config)
        .into_iter()
        .map(|(key, message, help)| {
            let d = Diagnostic::new(&file.rel, message).help(help);
            match find_key(&file.text, &key) {
                Some(range) => d.at_range(&file.text, range),
                None => d,
            }
        })
        .fold(Diagnostics::default(), |mut all, d| {
            all.push(d);
            all
        });
    problems.into_result(config)
}

/// Byte range of the first line that assigns `key` (for pointing errors at it).
fn find_key(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with(key) && t[key.len()..].trim_start().starts_with('=') {
            let start = offset + (line.len() - t.len());
            return Some(start..start + key.len());
        }
        offset += line.len();
    }
    None
}

/// (key to point at, what is wrong, how to fix it)
type Problem = (String, String, String);

fn validate(c: &GuideConfig) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::new();
    let mut problem =
        |key: &str, msg: String, help: &str| out.push((key.to_string(), msg, help.to_string()));
    if !c.languages.contains(&c.default_language) {
        problem(
            "default-language",
            format!("default language `{}` is not in `languages`", c.default_language),
            "add it to `languages` or pick one of them",
        );
    }
    for lang in &c.languages {
        if !matches!(lang.as_str(), "ja" | "en") {
            problem(
                "languages",
                format!("language `{lang}` is not supported"),
                "tebiki knows `ja` and `en`",
            );
        }
    }
    for (name, map) in
        [("title", &c.title), ("edition-label", &c.edition_label), ("publisher", &c.publisher)]
    {
        for lang in &c.languages {
            if !map.contains_key(lang) {
                problem(
                    name,
                    format!("`{name}` has no `{lang}` text"),
                    "give a text for every language",
                );
            }
        }
    }
    if c.chapters.first().map(|ch| (ch.slug.as_str(), ch.first)) != Some(("index", 1)) {
        problem(
            "slug",
            "the first chapter must be the start page: slug = \"index\", first = 1".to_string(),
            "put the chapter holding slide 1 first, with slug = \"index\"",
        );
    }
    let mut seen = BTreeMap::new();
    for pair in c.chapters.windows(2) {
        if pair[1].first <= pair[0].first {
            problem(
                "first",
                format!(
                    "chapter `{}` starts at slide {}, not after chapter `{}` (slide {})",
                    pair[1].slug, pair[1].first, pair[0].slug, pair[0].first
                ),
                "list chapters in slide order",
            );
        }
    }
    for ch in &c.chapters {
        if ch.slug.is_empty()
            || !ch.slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            problem(
                "slug",
                format!("chapter slug `{}` is not a simple file name", ch.slug),
                "use lower-case letters, digits and `-`",
            );
        }
        if matches!(ch.slug.as_str(), "print") || seen.insert(ch.slug.clone(), ()).is_some() {
            problem(
                "slug",
                format!("chapter slug `{}` is used twice or is reserved", ch.slug),
                "give every chapter its own slug (not `print`)",
            );
        }
        for key in ch.title.keys().filter(|k| !c.languages.contains(k)) {
            problem(
                key,
                format!("chapter `{}` has an unknown key `{key}`", ch.slug),
                "a chapter has slug, first, step and one title per language",
            );
        }
        for lang in &c.languages {
            if !ch.title.contains_key(lang) {
                problem(
                    "slug",
                    format!("chapter `{}` has no `{lang}` title", ch.slug),
                    "add a line like `en = \"…\"` to the chapter",
                );
            }
        }
    }
    let steps: Vec<u32> = c.chapters.iter().filter_map(|ch| ch.step).collect();
    // A step may run over several pages (chapters): their step numbers repeat.
    if steps.first().is_some_and(|s| *s != 1)
        || steps.windows(2).any(|w| w[1] != w[0] && w[1] != w[0] + 1)
    {
        problem(
            "step",
            format!("chapter steps are {steps:?}; they must count 1, 2, 3, … in order"),
            "number the steps in order; chapters that are pages of one step repeat its number",
        );
    }
    for (key, link) in &c.links {
        if !(link.url.starts_with("https://") || link.url.starts_with("http://")) {
            problem(
                "url",
                format!("link `{key}` has url `{}`, which is not a web address", link.url),
                "use a full https:// address",
            );
        }
    }
    out
}

impl GuideConfig {
    pub fn text<'a>(&self, map: &'a Localized, lang: &str) -> &'a str {
        map.get(lang).map(String::as_str).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_key_line() {
        let text = "a = 1\n  first = 3\n";
        let r = find_key(text, "first").unwrap();
        assert_eq!(&text[r], "first");
    }
}
