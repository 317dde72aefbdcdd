//! Loading slide files: `content/slides/NNN-name.LANG.md`, TOML front matter between `+++` lines,
//! then the Markdown body.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::{self, SourceFile};
use crate::toml_path;
use crate::toml_path::Spans;

pub const SLIDES_DIR: &str = "content/slides";

/// One slide in one language, as written.
#[derive(Debug, Clone)]
pub struct SlideSource {
    pub lang: String,
    pub number: u32,
    pub title: String,
    /// Terms this slide explains: search ranks it first for them.
    pub explains: Vec<String>,
    /// Of a translation: the fingerprint of the source slide it translates (`translates = "…"`).
    pub translates: Option<Translates>,
    pub file: SourceFile,
    /// Byte offset of the body (after the front matter) in `file.text`.
    pub body_start: usize,
}

impl SlideSource {
    pub fn body(&self) -> &str {
        &self.file.text[self.body_start..]
    }

    /// The version of this slide's words: 16 hex digits of the SHA-256 of its title and body
    /// with every white-space character left out, so re-wrapping a line or adding a blank line
    /// gives the same fingerprint. A translation records its source's (`translates`), and
    /// `edition.json` lists every slide's.
    pub fn fingerprint(&self) -> String {
        fingerprint_of(&self.title, self.body())
    }
}

/// A translation's `translates = "…"`: the fingerprint of the version of its source it
/// translates, and where the value is in the file's text (for problems, and for
/// `tebiki translations --done` to replace it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translates {
    pub fingerprint: String,
    pub range: std::ops::Range<usize>,
}

/// Whether `text` has the form of a fingerprint: 16 hex digits (lower case).
pub fn is_fingerprint(text: &str) -> bool {
    text.len() == 16 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The fingerprint of a slide with this title and body (see [`SlideSource::fingerprint`]).
pub fn fingerprint_of(title: &str, body: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    let put = |hash: &mut Sha256, text: &str| {
        for piece in text.split(char::is_whitespace) {
            hash.update(piece.as_bytes());
        }
    };
    put(&mut hash, title);
    hash.update([0]);
    put(&mut hash, body);
    hash.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    slide: u32,
    title: String,
    #[serde(default)]
    explains: Vec<String>,
    translates: Option<String>,
}

/// A slide file in the slides folder: its path (relative to the project root) and its language.
#[derive(Debug, Clone)]
pub struct SlideFile {
    pub rel: PathBuf,
    pub lang: String,
}

/// The slide files under `root/content/slides`, in file-name order, with a problem for each file
/// whose name does not give one of the guide's languages.
pub fn list_slides(root: &Path, languages: &[String]) -> (Vec<SlideFile>, Diagnostics) {
    let mut files = Vec::new();
    let mut errors = Diagnostics::default();
    let dir = root.join(SLIDES_DIR);
    if !dir.is_dir() {
        errors.push(Diagnostic::new(SLIDES_DIR, "the slides folder is missing").help(
            "create content/slides/ and put one NNN-name.ja.md / NNN-name.en.md file per slide in it",
        ));
        return (files, errors);
    }
    let (found, problems) = markdown_files(root, SLIDES_DIR, usize::MAX);
    errors.extend(problems);
    for rel in found {
        let name = rel.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        match slide_language(&rel, &name, languages) {
            Ok(lang) => files.push(SlideFile { rel, lang }),
            Err(d) => errors.push(d),
        }
    }
    (files, errors)
}

/// The Markdown files under `dir` (relative to the project root, as are the paths returned), in
/// file-name order, at most `depth` folders down. A link to a file inside the project counts as
/// that file; a link leading elsewhere, a link to a folder (which would be skipped) and anything
/// that is not a file are problems.
fn markdown_files(root: &Path, dir: &str, depth: usize) -> (Vec<PathBuf>, Diagnostics) {
    let mut found = Vec::new();
    let mut errors = Diagnostics::default();
    for entry in WalkDir::new(root.join(dir)).max_depth(depth).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::new(dir, format!("cannot read the folder: {e}")));
                continue;
            }
        };
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        let is_md = entry.file_name().to_string_lossy().ends_with(".md");
        let kind = entry.file_type();
        if entry.path_is_symlink() && entry.path().is_dir() {
            errors.push(
                Diagnostic::new(&rel, "this is a link to a folder, which tebiki does not follow")
                    .help("put the folder itself here"),
            );
        } else if !is_md || kind.is_dir() {
            continue;
        } else if kind.is_file() {
            found.push(rel);
        } else {
            match source::regular_file(root, &rel) {
                Ok(_) => found.push(rel),
                Err(d) => errors.push(d),
            }
        }
    }
    (found, errors)
}

/// The language a slide file's name gives, if it is one of the guide's.
fn slide_language(rel: &Path, name: &str, languages: &[String]) -> Result<String, Diagnostic> {
    let Some(lang) = language_of(name) else {
        return Err(Diagnostic::new(rel, "the file name does not say its language").help(format!(
            "name slide files NNN-name.LANG.md, with LANG one of: {}",
            languages.join(", ")
        )));
    };
    if !languages.iter().any(|l| l == lang) {
        return Err(Diagnostic::new(
            rel,
            format!("language `{lang}` is not one of the guide's languages"),
        )
        .help(format!("use one of: {} (set in content/guide.toml)", languages.join(", "))));
    }
    Ok(lang.to_string())
}

/// Reads and parses one slide file.
pub fn read_slide(root: &Path, file: &SlideFile) -> Result<SlideSource, Diagnostic> {
    SourceFile::read(root, &file.rel).and_then(|text| parse(text, file.lang.clone()))
}

/// Reads every slide file under `root/content/slides` (in parallel), in file-name order.
pub fn load_slides(root: &Path, languages: &[String]) -> (Vec<SlideSource>, Diagnostics) {
    let (files, mut errors) = list_slides(root, languages);
    let read: Vec<_> = files.par_iter().map(|f| read_slide(root, f)).collect();
    let mut slides = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok(slide) => slides.push(slide),
            Err(d) => errors.push(d),
        }
    }
    (slides, errors)
}

fn language_of(file_name: &str) -> Option<&str> {
    let stem = file_name.strip_suffix(".md")?;
    let (_, lang) = stem.rsplit_once('.')?;
    Some(lang)
}

/// Splits the front matter from the body and reads it.
pub fn parse(file: SourceFile, lang: String) -> Result<SlideSource, Diagnostic> {
    let (fm_text, fm_start, body_start) = split_front_matter(&file)?;
    let fm_text = fm_text.as_str();
    let text = &file.text;
    let fm: FrontMatter = toml::from_str(fm_text).map_err(|e| {
        Diagnostic::from_toml(&file.rel, text, fm_start, "front matter", &e)
            .help("front matter holds `slide = N` (a number), `title = \"…\"` and optionally `explains = [\"…\"]` and, in a translation, `translates = \"…\"`")
    })?;
    let spans = Spans::parse(fm_text);
    let at = |key: &str| {
        let range = spans.value(&toml_path![key]).unwrap_or(0..0);
        range.start + fm_start..range.end + fm_start
    };
    if fm.title.trim().is_empty() {
        return Err(Diagnostic::new(&file.rel, "the slide's title is empty")
            .at_range(text, at("title"))
            .help("write the slide's heading in `title = \"…\"`"));
    }
    if fm.slide == 0 {
        return Err(Diagnostic::new(&file.rel, "slide numbers start at 1")
            .at_range(text, at("slide"))
            .help("use the slide's number from the slide map"));
    }
    let translates = match fm.translates {
        Some(value) if !is_fingerprint(&value) => {
            return Err(Diagnostic::new(&file.rel, "`translates` is not a slide's fingerprint")
                .at_range(text, at("translates"))
                .help("it holds 16 digits and letters a–f, as `tebiki translations --done N LANG` writes it: run that command (N the slide's number, LANG this file's language) instead of typing it"));
        }
        Some(fingerprint) => Some(Translates { fingerprint, range: at("translates") }),
        None => None,
    };
    Ok(SlideSource {
        lang,
        number: fm.slide,
        title: fm.title.trim().to_string(),
        explains: fm.explains,
        translates,
        file,
        body_start,
    })
}

pub const PAGES_DIR: &str = "content/pages";

/// A page beside the slides (e.g. the accessibility statement): `content/pages/NAME.LANG.md` with
/// front matter `title = "…"` (and `handout = true` to print it in the handout after the
/// contents), published as `LANG/NAME.html`.
#[derive(Debug, Clone)]
pub struct PageSource {
    pub name: String,
    pub lang: String,
    pub title: String,
    /// Printed in the handout (print page, PDF, one-file edition) after the contents.
    pub handout: bool,
    /// The page as a slide source (number 0), so the Markdown renderer can take it.
    pub source: SlideSource,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFrontMatter {
    title: String,
    #[serde(default)]
    handout: bool,
}

/// Reads every page under `root/content/pages` (none is fine).
pub fn load_pages(root: &Path, languages: &[String]) -> (Vec<PageSource>, Diagnostics) {
    let mut pages = Vec::new();
    let mut errors = Diagnostics::default();
    if !root.join(PAGES_DIR).is_dir() {
        return (pages, errors);
    }
    let (found, problems) = markdown_files(root, PAGES_DIR, 1);
    errors.extend(problems);
    for rel in found {
        let name = rel.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let (Some(lang), Some(stem)) = (language_of(&name), name.split('.').next()) else {
            errors.push(
                Diagnostic::new(&rel, "the file name does not say its language")
                    .help("name pages NAME.LANG.md, e.g. accessibility.ja.md"),
            );
            continue;
        };
        if !languages.iter().any(|l| l == lang)
            || stem.is_empty()
            || !stem.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            errors.push(Diagnostic::new(&rel, "a page is named NAME.LANG.md with a lower-case NAME and one of the guide's languages").help("e.g. accessibility.ja.md"));
            continue;
        }
        let result = SourceFile::read(root, &rel).and_then(|file| {
            let (fm_text, fm_start, body_start) = split_front_matter(&file)?;
            let fm: PageFrontMatter = toml::from_str(&fm_text).map_err(|e| {
                Diagnostic::from_toml(&file.rel, &file.text, fm_start, "front matter", &e).help(
                    "a page's front matter holds `title = \"…\"` and, to print it in the \
                         handout, `handout = true`",
                )
            })?;
            let source = SlideSource {
                lang: lang.to_string(),
                number: 0,
                title: fm.title.clone(),
                explains: Vec::new(),
                translates: None,
                file,
                body_start,
            };
            Ok(PageSource {
                name: stem.to_string(),
                lang: lang.to_string(),
                title: fm.title,
                handout: fm.handout,
                source,
            })
        });
        match result {
            Ok(page) => pages.push(page),
            Err(d) => errors.push(d),
        }
    }
    (pages, errors)
}

/// The front matter's text, its byte offset and the body's byte offset.
fn split_front_matter(file: &SourceFile) -> Result<(String, usize, usize), Diagnostic> {
    let text = &file.text;
    let help = "start the file with a line `+++`, the front matter, then a line `+++`";
    let Some(after_open) = text.strip_prefix("+++\n") else {
        return Err(Diagnostic::new(&file.rel, "the file does not start with front matter")
            .at_range(text, 0..text.find('\n').unwrap_or(text.len()))
            .help(help));
    };
    let close = if after_open.starts_with("+++\n") || after_open == "+++" {
        Some(0)
    } else {
        after_open
            .find("\n+++\n")
            .map(|i| i + 1)
            .or_else(|| after_open.strip_suffix("\n+++").map(|s| s.len() + 1))
    };
    let Some(close) = close else {
        return Err(Diagnostic::new(&file.rel, "the front matter is not closed")
            .at_range(text, 0..3)
            .help(help));
    };
    Ok((after_open[..close].to_string(), 4, (4 + close + 4).min(text.len())))
}

/// Byte range of the `slide` key of a slide file's front matter, for problems with its number.
pub fn slide_key_range(slide: &SlideSource) -> std::ops::Range<usize> {
    front_matter_range(slide, |spans| spans.find(&toml_path!["slide"]))
}

/// Byte range of the value of the `title` key of a slide file's front matter.
pub fn title_value_range(slide: &SlideSource) -> std::ops::Range<usize> {
    front_matter_range(slide, |spans| spans.value(&toml_path!["title"]))
}

fn front_matter_range(
    slide: &SlideSource,
    find: impl Fn(&Spans) -> Option<std::ops::Range<usize>>,
) -> std::ops::Range<usize> {
    let front = slide.file.text.get(4..slide.body_start.saturating_sub(4)).unwrap_or_default();
    let range = find(&Spans::parse(front)).unwrap_or(0..0);
    range.start + 4..range.end + 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile { rel: PathBuf::from("content/slides/001-a.ja.md"), text: text.to_string() }
    }

    #[test]
    fn fingerprint_ignores_white_space_only() {
        let a = fingerprint_of("パスワード", "一行目\n二行目\n");
        assert_eq!(a.len(), 16);
        assert_eq!(a, fingerprint_of("パスワード ", "一行目\n\n  二行目\u{3000}"));
        assert_ne!(a, fingerprint_of("パスワード", "一行目\n三行目\n"));
        assert_ne!(a, fingerprint_of("パスワー", "ド一行目\n二行目\n"));
    }

    #[test]
    fn parses_front_matter_and_body() {
        let s =
            parse(file("+++\nslide = 3\ntitle = \"パソコン\"\n+++\n本文\n"), "ja".into()).unwrap();
        assert_eq!((s.number, s.title.as_str(), s.body()), (3, "パソコン", "本文\n"));
    }

    #[test]
    fn front_matter_error_points_into_the_file() {
        let err = parse(file("+++\nslide = \"x\"\ntitle = \"t\"\n+++\n"), "ja".into()).unwrap_err();
        assert_eq!(err.location.unwrap().line, 2);
    }

    #[test]
    fn translates_is_kept_with_its_place_or_refused_when_malformed() {
        let text = "+++\nslide = 3\ntitle = \"PC\"\ntranslates = \"0123456789abcdef\"\n+++\nbody\n";
        let s = parse(file(text), "en".into()).unwrap();
        let t = s.translates.unwrap();
        assert_eq!(t.fingerprint, "0123456789abcdef");
        assert_eq!(&text[t.range], "\"0123456789abcdef\"");
        let err = parse(file(&text.replace("0123456789abcdef", "0123")), "en".into()).unwrap_err();
        assert_eq!(err.location.unwrap().line, 4, "{}", err.message);
        assert!(err.help.unwrap().contains("--done"));
    }

    #[test]
    fn unknown_key_is_refused() {
        let err = parse(file("+++\nslide = 1\ntitle = \"t\"\nsteps = 2\n+++\n"), "ja".into())
            .unwrap_err();
        assert_eq!(err.location.unwrap().line, 4, "{}", err.message);
    }

    #[test]
    fn missing_front_matter_is_refused() {
        assert!(parse(file("# hello\n"), "ja".into()).is_err());
        assert!(parse(file("+++\nslide = 1\n"), "ja".into()).is_err());
    }

    #[test]
    fn language_from_file_name() {
        assert_eq!(language_of("013-cert.en.md"), Some("en"));
        assert_eq!(language_of("013.md"), None);
    }
}
