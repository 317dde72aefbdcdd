//! The theme: templates, static files and UI strings. tebiki carries a complete built-in theme (the
//! files under `theme/` in its own repository, compiled in); a project overrides it file by file by
//! putting a file with the same path under its own `theme/` folder, and may add static files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source;

macro_rules! builtin {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/theme/", $path)) as &[u8])),*]
    };
}

/// The built-in theme, by path under `theme/`.
const BUILTIN: &[(&str, &[u8])] = builtin![
    "strings.toml",
    "templates/base.html",
    "templates/chapter.html",
    "templates/print.html",
    "templates/landing.html",
    "templates/macros.html",
    "templates/checker.html",
    "templates/page.html",
    "static/tebiki.css",
    "static/tebiki.js",
    "static/checker.js",
    "static/search.js",
];

/// UI strings by language, then key (`theme/strings.toml`).
#[derive(Debug, Clone, Default)]
pub struct Strings(pub BTreeMap<String, BTreeMap<String, String>>);

impl Strings {
    /// The built-in strings (always valid: a unit test checks them).
    pub fn builtin() -> Strings {
        let text =
            BUILTIN.iter().find(|(p, _)| *p == "strings.toml").map(|(_, b)| *b).unwrap_or_default();
        Strings(toml::from_str(std::str::from_utf8(text).unwrap_or_default()).unwrap_or_default())
    }

    pub fn get<'a>(&'a self, lang: &str, key: &'a str) -> &'a str {
        self.0.get(lang).and_then(|m| m.get(key)).map_or(key, String::as_str)
    }

    /// "スライド13" / "Slide 13".
    pub fn slide_label(&self, lang: &str, n: u32) -> String {
        self.get(lang, "slide_label").replace("{n}", &n.to_string())
    }

    pub fn for_lang(&self, lang: &str) -> BTreeMap<String, String> {
        self.0.get(lang).cloned().unwrap_or_default()
    }
}

/// A loaded theme: parsed templates, UI strings and the static files to publish.
pub struct Theme {
    pub tera: Tera,
    pub strings: Strings,
    /// Static files by path under `static/`.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

/// Loads the theme of the project at `root`: the built-in files, each replaced by `root/theme/<path>`
/// where that exists, plus any further files under `root/theme/static/`.
pub fn load(root: &Path, languages: &[String]) -> Result<Theme, Diagnostics> {
    let mut errors = Diagnostics::default();
    let mut files: BTreeMap<String, (PathBuf, Vec<u8>)> = BUILTIN
        .iter()
        .map(|(p, b)| (p.to_string(), (PathBuf::from("theme").join(p), b.to_vec())))
        .collect();
    let theme_dir = root.join("theme");
    if theme_dir.is_dir() {
        for entry in WalkDir::new(&theme_dir).sort_by_file_name().into_iter().filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&theme_dir) else { continue };
            let key = rel.to_string_lossy().replace('\\', "/");
            if !(files.contains_key(&key) || key.starts_with("static/")) {
                continue;
            }
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    files.insert(key, (PathBuf::from("theme").join(rel), bytes));
                }
                Err(e) => errors.push(Diagnostic::new(
                    Path::new("theme").join(rel),
                    format!("cannot read the file: {e}"),
                )),
            }
        }
    }

    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    let mut templates = Vec::new();
    let mut strings = Strings::default();
    let mut static_files = BTreeMap::new();
    for (key, (rel, bytes)) in files {
        if let Some(name) = key.strip_prefix("templates/") {
            match source::decode(&rel, bytes) {
                Ok(text) => templates.push((name.to_string(), text, rel)),
                Err(d) => errors.push(d),
            }
        } else if key == "strings.toml" {
            match source::decode(&rel, bytes).and_then(|text| parse_strings(&rel, &text, languages))
            {
                Ok(s) => strings = s,
                Err(d) => errors.push(d),
            }
        } else if let Some(name) = key.strip_prefix("static/") {
            static_files.insert(name.to_string(), bytes);
        }
    }
    if errors.is_empty() {
        let pairs: Vec<(&str, &str)> =
            templates.iter().map(|(n, t, _)| (n.as_str(), t.as_str())).collect();
        if let Err(e) = tera.add_raw_templates(pairs) {
            // Tera names the template at fault in its message; point at that file.
            let text = format!(
                "{e} {}",
                std::error::Error::source(&e).map(|c| c.to_string()).unwrap_or_default()
            );
            let rel = templates
                .iter()
                .find(|(n, _, _)| text.contains(&format!("'{n}'")))
                .map_or_else(|| PathBuf::from("theme/templates"), |(_, _, rel)| rel.clone());
            errors.push(template_error(&rel, &e));
        }
    }
    errors.into_result(Theme { tera, strings, static_files })
}

fn parse_strings(rel: &Path, text: &str, languages: &[String]) -> Result<Strings, Diagnostic> {
    let strings: BTreeMap<String, BTreeMap<String, String>> =
        toml::from_str(text).map_err(|e| {
            Diagnostic::from_toml(rel, text, 0, "strings file", &e)
                .help("each language is a table of key = \"text\" lines")
        })?;
    let builtin = Strings::builtin();
    for lang in languages {
        let have = strings.get(lang);
        for key in builtin.0.get(lang).into_iter().flat_map(|m| m.keys()) {
            if have.is_none_or(|m| !m.contains_key(key)) {
                return Err(Diagnostic::new(
                    rel,
                    format!("string `{key}` is missing for `{lang}`"),
                )
                .help("copy the line from tebiki's built-in theme/strings.toml and translate it"));
            }
        }
    }
    Ok(Strings(strings))
}

/// A template error with every cause Tera gives (the useful part is usually the innermost).
pub fn template_error(rel: &Path, e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    Diagnostic::new(rel, format!("template error: {}", message.replace('\n', " "))).help(
        "fix the template, or delete the file from your theme/ folder to use tebiki's built-in one",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_strings_cover_both_languages() {
        let s = Strings::builtin();
        let ja: Vec<_> = s.0["ja"].keys().collect();
        let en: Vec<_> = s.0["en"].keys().collect();
        assert_eq!(ja, en);
        assert_eq!(s.slide_label("ja", 13), "スライド13");
        assert_eq!(s.slide_label("en", 13), "Slide 13");
    }

    #[test]
    fn builtin_theme_loads() {
        let dir = tempfile::tempdir().unwrap();
        let theme =
            load(dir.path(), &["ja".into(), "en".into()]).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(theme.static_files.contains_key("tebiki.css"));
    }
}
