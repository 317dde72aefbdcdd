//! Everyday words for search, chosen by the guide's authors (`content/search.toml`): per language,
//! each key is how a reader may type a thing, its values how the guide writes it. A query holding
//! a key also finds the slides that hold any of its values. Keys and values are normalised here
//! as the index is, and go to the page with the index.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::SourceFile;
use crate::toml_path;
use crate::toml_path::Spans;

use super::terms::{Stemmer, normalize, terms};

pub const SEARCH_PATH: &str = "content/search.toml";

/// The everyday words of every language: normalised key → normalised values.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    pub by_lang: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

impl Synonyms {
    /// The pairs of one language, keys in order.
    pub fn of(&self, lang: &str) -> Vec<(&str, &[String])> {
        let table = self.by_lang.get(lang);
        table.into_iter().flatten().map(|(k, v)| (k.as_str(), v.as_slice())).collect()
    }
}

/// Reads `content/search.toml` (none is fine: no everyday words).
pub fn load(root: &Path, languages: &[String]) -> Result<Synonyms, Diagnostics> {
    if std::fs::symlink_metadata(root.join(SEARCH_PATH)).is_err() {
        return Ok(Synonyms::default());
    }
    let file = SourceFile::read(root, Path::new(SEARCH_PATH)).map_err(Diagnostics::from)?;
    let raw: BTreeMap<String, BTreeMap<String, Vec<String>>> =
        toml::from_str(&file.text).map_err(|e| {
            Diagnostics::from(
                Diagnostic::from_toml(&file.rel, &file.text, 0, "search words", &e).help(
                    "write a table per language of text keys and lists of words, e.g. \
                     [en] then `forgot = [\"do not know\"]`",
                ),
            )
        })?;
    let spans = Spans::parse(&file.text);
    let mut errors = Diagnostics::default();
    let mut out = Synonyms::default();
    for (lang, table) in &raw {
        if !languages.contains(lang) {
            let d =
                Diagnostic::new(&file.rel, format!("`[{lang}]` is not a language of the guide"))
                    .help(format!("use one of: {}", languages.join(", ")));
            errors.push(at(d, &spans, &file.text, toml_path![lang]));
            continue;
        }
        let mut words = BTreeMap::new();
        for (key, values) in table {
            match checked(lang, key, values) {
                Ok((k, v)) => words.entry(k).or_insert_with(Vec::new).extend(v),
                Err((path, message, help)) => {
                    let d = Diagnostic::new(&file.rel, message).help(help);
                    errors.push(at(d, &spans, &file.text, [toml_path![lang, key], path].concat()));
                }
            }
        }
        out.by_lang.insert(lang.clone(), words);
    }
    errors.into_result(out)
}

fn at(d: Diagnostic, spans: &Spans, text: &str, path: toml_path::Path) -> Diagnostic {
    match spans.find(&path) {
        Some(range) => d.at_range(text, range),
        None => d,
    }
}

type Problem = (toml_path::Path, String, String);

/// A key and its values, normalised; a key or value that holds no word is a problem.
fn checked(lang: &str, key: &str, values: &[String]) -> Result<(String, Vec<String>), Problem> {
    let has_words = |t: &str| !terms(&normalize(t), Stemmer::of_language(lang)).is_empty();
    if !has_words(key) {
        return Err((
            vec![],
            format!("the key `{key}` holds no word to search for"),
            "write a word or phrase a reader may type".into(),
        ));
    }
    if values.is_empty() {
        return Err((
            vec![],
            format!("`{key}` lists no words"),
            "list the words the guide uses for it, e.g. [\"…\"]".into(),
        ));
    }
    for (i, v) in values.iter().enumerate() {
        if !has_words(v) {
            return Err((
                toml_path![i],
                format!("a value of `{key}` holds no word"),
                "write a word or phrase of the guide, or remove the empty one".into(),
            ));
        }
    }
    let values = values.iter().map(|v| normalize(v.trim())).collect();
    Ok((normalize(key.trim()), values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_are_normalised_and_checked() {
        let (k, v) = checked("ja", "エッジ", &["Edge".into()]).unwrap();
        assert_eq!((k.as_str(), v), ("えっじ", vec!["edge".to_string()]));
        assert!(checked("en", "!!", &["x".into()]).is_err());
        assert!(checked("en", "forgot", &[]).is_err());
        assert!(checked("en", "forgot", &["  ".into()]).is_err());
    }
}
