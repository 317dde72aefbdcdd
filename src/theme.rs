//! The theme: templates, static files and UI strings. tebiki carries a complete built-in theme (the
//! files under `theme/` in its own repository, compiled in); a project overrides it file by file by
//! putting a file with the same path under its own `theme/` folder, and may add static files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source;
use crate::text::{escape_html, html_for};
use crate::toml_path;
use crate::toml_path::Spans;

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
    "templates/changes.html",
    "templates/components/screen.html",
    "templates/components/checker.html",
    "templates/components/memo.html",
    "templates/components/login-help.html",
    "templates/components/links.html",
    "templates/components/test-results.html",
    "static/tebiki.css",
    "static/handout.css",
    "static/tebiki.js",
    "static/checker.js",
    "static/search.js",
    "static/search-engine.js",
    "static/zoom.js",
    "static/zoom.css",
    "static/search-all.js",
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

/// The interface's words in one language: what a component or a page of that language says.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub lang: &'a str,
    pub strings: &'a Strings,
}

impl<'a> Words<'a> {
    pub fn new(strings: &'a Strings, lang: &'a str) -> Words<'a> {
        Words { lang, strings }
    }

    pub fn get(&self, key: &'a str) -> &'a str {
        self.strings.get(self.lang, key)
    }

    /// The word as HTML for a page in this language (Japanese marked in other languages).
    pub fn html(&self, key: &str) -> String {
        html_for(self.strings.get(self.lang, key), self.lang)
    }
}

/// A theme file: where it came from (for messages) and its bytes.
type ThemeFiles = BTreeMap<String, (PathBuf, Vec<u8>)>;

/// Loads the theme of the project at `root`: the built-in files, each replaced by `root/theme/<path>`
/// where that exists, plus any further files under `root/theme/static/`.
pub fn load(root: &Path, languages: &[String]) -> Result<Theme, Diagnostics> {
    let mut errors = Diagnostics::default();
    let mut files = builtin_files();
    read_overrides(root, &mut files, &mut errors);
    let theme = assemble(files, languages, &mut errors);
    errors.into_result(theme)
}

/// The built-in theme alone (for tests and tools that have no project).
pub fn builtin(languages: &[String]) -> Result<Theme, Diagnostics> {
    let mut errors = Diagnostics::default();
    let theme = assemble(builtin_files(), languages, &mut errors);
    errors.into_result(theme)
}

fn builtin_files() -> ThemeFiles {
    BUILTIN
        .iter()
        .map(|(p, b)| (p.to_string(), (PathBuf::from("theme").join(p), b.to_vec())))
        .collect()
}

/// The largest theme file read (stylesheets, scripts, templates; fonts are not part of a theme).
const MAX_THEME_BYTES: u64 = 8 * 1024 * 1024;

/// Lays the project's theme files over `files`: those replacing a built-in file, and static files.
/// A link is followed only to a file inside the project; anything else that is not a file is a
/// problem.
fn read_overrides(root: &Path, files: &mut ThemeFiles, errors: &mut Diagnostics) {
    let theme_dir = root.join("theme");
    if !theme_dir.is_dir() {
        return;
    }
    for entry in WalkDir::new(&theme_dir).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(Diagnostic::new("theme", format!("cannot read the folder: {e}")));
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(&theme_dir) else { continue };
        let shown = Path::new("theme").join(rel);
        if entry.path_is_symlink() && entry.path().is_dir() {
            let d =
                Diagnostic::new(&shown, "this is a link to a folder, which tebiki does not follow");
            errors.push(d.help("put the folder itself here"));
            continue;
        }
        let key = rel.to_string_lossy().replace('\\', "/");
        let wanted = files.contains_key(&key) || key.starts_with("static/");
        if entry.file_type().is_dir() {
            continue;
        } else if !wanted && key.starts_with("templates/") {
            // A misspelt template would silently change nothing.
            let known: Vec<&str> =
                BUILTIN.iter().filter_map(|(p, _)| p.strip_prefix("templates/")).collect();
            let d = Diagnostic::new(
                &shown,
                "tebiki has no template of this name, so it would be ignored",
            );
            errors.push(d.help(format!("a template overrides one of: {}", known.join(", "))));
            continue;
        } else if !wanted {
            continue;
        }
        match source::read_bytes(root, &shown, MAX_THEME_BYTES) {
            Ok(bytes) => {
                files.insert(key, (shown, bytes));
            }
            Err(d) => errors.push(d),
        }
    }
}

/// The theme made of `files`: templates parsed (once), strings read, static files kept.
fn assemble(files: ThemeFiles, languages: &[String], errors: &mut Diagnostics) -> Theme {
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
            let text = source::decode(&rel, bytes).map_err(Diagnostics::from);
            match text.and_then(|text| parse_strings(&rel, &text, languages)) {
                Ok(s) => strings = s,
                Err(problems) => errors.extend(problems),
            }
        } else if let Some(name) = key.strip_prefix("static/") {
            static_files.insert(name.to_string(), bytes);
        }
    }
    let mut tera = Tera::default();
    if errors.is_empty() {
        tera = parse_templates(&templates).unwrap_or_else(|d| {
            errors.push(d);
            Tera::default()
        });
    }
    Theme { tera, strings, static_files }
}

/// Tera with every template parsed; values are escaped as the rest of tebiki escapes them.
fn parse_templates(templates: &[(String, String, PathBuf)]) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(escape_html);
    let pairs: Vec<(&str, &str)> =
        templates.iter().map(|(n, t, _)| (n.as_str(), t.as_str())).collect();
    tera.add_raw_templates(pairs).map_err(|e| {
        // Tera names the template at fault in its message; point at that file.
        let text = format!(
            "{e} {}",
            std::error::Error::source(&e).map(|c| c.to_string()).unwrap_or_default()
        );
        let rel = templates
            .iter()
            .find(|(n, _, _)| text.contains(&format!("'{n}'")))
            .map_or_else(|| PathBuf::from("theme/templates"), |(_, _, rel)| rel.clone());
        template_error(&rel, &e)
    })?;
    Ok(tera)
}

/// The strings: the built-in words, each replaced by the project's where `theme/strings.toml`
/// gives it (key by key, so a project adds a language, or changes one word, with only those
/// lines). Every language of the guide needs every word the built-in theme has: a missing one is
/// a problem naming the key, the language and the file.
fn parse_strings(rel: &Path, text: &str, languages: &[String]) -> Result<Strings, Diagnostics> {
    let own: BTreeMap<String, BTreeMap<String, String>> = toml::from_str(text).map_err(|e| {
        Diagnostic::from_toml(rel, text, 0, "strings file", &e)
            .help("each language is a table of key = \"text\" lines")
    })?;
    let mut strings = Strings::builtin();
    let keys: Vec<String> =
        strings.0.get("ja").into_iter().flat_map(|m| m.keys().cloned()).collect();
    for (lang, words) in own {
        strings.0.entry(lang).or_default().extend(words);
    }
    let spans = Spans::parse(text);
    let at = |d: Diagnostic, lang: &str| match spans.find(&toml_path![lang]) {
        Some(range) => d.at_range(text, range),
        None => d,
    };
    let mut problems = Diagnostics::default();
    for lang in languages {
        let have = strings.0.get(lang);
        let missing: Vec<&String> =
            keys.iter().filter(|k| have.is_none_or(|m| !m.contains_key(*k))).collect();
        if missing.len() == keys.len() {
            let d = Diagnostic::new(rel, format!("the interface has no words for `{lang}`"));
            problems.push(d.help(format!(
                "add a [{lang}] table to {} with every key of tebiki's built-in theme/strings.toml \
                 ({} keys, the [en] table is a good start), translated",
                rel.display(),
                keys.len()
            )));
            continue;
        }
        let help = "copy the line from tebiki's built-in theme/strings.toml and translate it";
        if missing.len() > 5 {
            let names: Vec<&str> = missing.iter().map(|k| k.as_str()).collect();
            let d = Diagnostic::new(
                rel,
                format!("{} strings are missing for `{lang}`: {}", names.len(), names.join(", ")),
            );
            let help = "copy those lines from tebiki's built-in theme/strings.toml (its [en] \
                        table) into this language's table and translate them";
            problems.push(at(d.help(help), lang));
            continue;
        }
        for key in missing {
            let d = Diagnostic::new(rel, format!("string `{key}` is missing for `{lang}`"));
            problems.push(at(d.help(help), lang));
        }
    }
    problems.into_result(strings)
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
    fn project_strings_are_merged_key_by_key() {
        let rel = Path::new("theme/strings.toml");
        let langs = ["ja".to_string(), "en".to_string()];
        let s = parse_strings(rel, "[ja]\nnext = \"つぎへ\"\n", &langs).unwrap();
        assert_eq!(s.get("ja", "next"), "つぎへ");
        assert_eq!(s.get("ja", "prev"), "前へ", "a word the project leaves is the built-in one");
        assert_eq!(s.get("en", "next"), "Next");
        let vi = ["ja".to_string(), "vi".to_string()];
        let err = parse_strings(rel, "[vi]\nnext = \"Tiếp\"\n", &vi).unwrap_err();
        assert!(format!("{err:?}").contains("strings are missing for `vi`"), "{err:?}");
    }

    #[test]
    fn builtin_theme_loads() {
        let dir = tempfile::tempdir().unwrap();
        let theme =
            load(dir.path(), &["ja".into(), "en".into()]).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(theme.static_files.contains_key("tebiki.css"));
        assert!(builtin(&["ja".into()]).is_ok());
    }

    /// A file of `theme/` left out of the built-in list would work in this repository (whose
    /// `theme/` overrides the built-in one) and be missing everywhere else.
    #[test]
    fn every_file_of_the_theme_folder_is_built_in() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("theme");
        for entry in walkdir::WalkDir::new(&root).into_iter().filter_map(Result::ok) {
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&root).unwrap().to_string_lossy().into_owned();
                assert!(
                    BUILTIN.iter().any(|(path, _)| *path == rel),
                    "theme/{rel} is not built in"
                );
            }
        }
    }
}
