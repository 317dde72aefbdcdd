//! Translations and their sources. A slide of the default language is the source of the slides
//! with its number in the other languages; a translation records the version of its source it
//! translates (`translates = "…"`, the source's [`SlideSource::fingerprint`]). A translation is
//! **current** when that is its source's fingerprint now, **behind** when the source changed
//! since (or it records none), **missing** when there is no such file.
//!
//! The build warns of each translation behind ([`check`]) and its page says so; `tebiki
//! translations` lists every slide and language ([`table`], [`json`]), and `tebiki translations
//! --done N LANG` records the source's fingerprint in the translation's file ([`done`]), changing
//! only that line.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use crate::content::{self, SLIDES_DIR, SlideSource};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::{self, Guide};
use crate::source::{self, SourceFile};

/// How a translation stands against its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Current,
    Behind,
    Missing,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Current => "current",
            State::Behind => "behind",
            State::Missing => "missing",
        }
    }
}

/// One slide in one language other than the default.
#[derive(Debug)]
pub struct Status<'a> {
    pub number: u32,
    pub lang: &'a str,
    /// The default language's slide.
    pub source: &'a SlideSource,
    pub translation: Option<&'a SlideSource>,
    pub state: State,
}

/// The languages that translate the default one, in the guide's order.
pub fn translated_languages(guide: &Guide) -> Vec<&str> {
    let default = guide.config.default_language.as_str();
    guide.languages().iter().map(String::as_str).filter(|l| *l != default).collect()
}

/// Every slide of the default language in every other language, by number then language.
pub fn statuses(guide: &Guide) -> Vec<Status<'_>> {
    let default = guide.config.default_language.as_str();
    let languages = translated_languages(guide);
    let sources = guide.slides.iter().filter(|((l, _), _)| l == default);
    let mut all = Vec::new();
    for ((_, n), source) in sources {
        let fingerprint = source.fingerprint();
        for lang in &languages {
            let translation = guide.slide(lang, *n);
            let state = match translation.map(|t| &t.translates) {
                None => State::Missing,
                Some(Some(t)) if t.fingerprint == fingerprint => State::Current,
                Some(_) => State::Behind,
            };
            all.push(Status { number: *n, lang, source, translation, state });
        }
    }
    all
}

/// The most translations behind that a run warns of one by one; past them, one warning counts
/// the rest (`tebiki translations` lists them all). The bundled guide's 80 slides fit.
pub const MAX_BEHIND_SHOWN: usize = 100;

/// What a run learns of the translations: an error for each `translates` on a slide of the default
/// language, a warning for each translation behind its source, and which those are (by
/// language and number: their pages say so).
pub fn check(guide: &Guide) -> (Diagnostics, BTreeSet<(String, u32)>) {
    let mut problems = Diagnostics::default();
    let default = guide.config.default_language.as_str();
    let sources = guide.slides.iter().filter(|((l, _), _)| l == default).map(|(_, s)| s);
    for source in sources {
        let Some(t) = &source.translates else { continue };
        problems.push(
            Diagnostic::new(
                &source.file.rel,
                format!(
                    "`translates` is for translations, and this slide is in the guide's default language ({default}): it is the source the translations record"
                ),
            )
            .at_range(&source.file.text, t.range.clone())
            .help("remove the `translates` line"),
        );
    }
    let behind: Vec<Status> =
        statuses(guide).into_iter().filter(|s| s.state == State::Behind).collect();
    for status in behind.iter().take(MAX_BEHIND_SHOWN) {
        if let Some(translation) = status.translation {
            problems.push(behind_warning(status, translation));
        }
    }
    if behind.len() > MAX_BEHIND_SHOWN {
        let more = behind.len() - MAX_BEHIND_SHOWN;
        problems.push(
            Diagnostic::new(SLIDES_DIR, format!("{more} more translations are behind their source (not shown one by one)"))
                .help("`tebiki translations` lists every slide and language, and which translations are behind")
                .warning(),
        );
    }
    let set = behind.iter().map(|s| (s.lang.to_string(), s.number)).collect();
    (problems, set)
}

/// The warning for a translation behind its source: at its `translates` line, or at the front
/// matter's first line when it has none.
fn behind_warning(status: &Status, translation: &SlideSource) -> Diagnostic {
    let source = status.source.file.rel.display();
    let (n, lang) = (status.number, status.lang);
    let (message, range) = match &translation.translates {
        Some(t) => (
            format!(
                "this translation is behind its source: {source} changed since it was translated"
            ),
            t.range.clone(),
        ),
        None => (
            format!("this translation does not record which version of {source} it translates"),
            0..3,
        ),
    };
    Diagnostic::new(&translation.file.rel, message)
        .at_range(&translation.file.text, range)
        .help(format!(
            "update the translation to say what {source} says, then run `tebiki translations --done {n} {lang}`"
        ))
        .warning()
}

/// Reads what `tebiki translations` needs: the settings and the slide files, resolved. Problems
/// reading them are errors; those of the guide's structure (a translation missing, say) are not:
/// the table shows them.
pub fn load(root: &Path) -> Result<Guide, Diagnostics> {
    let config = crate::config::load(root)?;
    let (slides, problems) = content::load_slides(root, &config.languages);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(site::resolve(config, slides).0)
}

/// The table a city editor reads: each slide of the default language, and each other language's
/// state; then the counts, and what to do.
pub fn table(guide: &Guide) -> String {
    let languages = translated_languages(guide);
    let all = statuses(guide);
    let name = |s: &SlideSource| {
        s.file.rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    };
    let width = all.iter().map(|s| name(s.source).chars().count()).max().unwrap_or(0).max(11);
    let default = &guide.config.default_language;
    let mut text = format!(
        "Translations of the guide's {} slides (source language: {default})\n\nslide  {:width$}",
        guide.slides.keys().filter(|(l, _)| l == default).count(),
        "source file"
    );
    for lang in &languages {
        text.push_str(&format!("  {lang:8}"));
    }
    text.truncate(text.trim_end().len());
    for row in all.chunk_by(|a, b| a.number == b.number) {
        text.push_str(&format!("\n{:5}  {:width$}", row[0].number, name(row[0].source)));
        for status in row {
            text.push_str(&format!("  {:8}", status.state.name()));
        }
        text.truncate(text.trim_end().len());
    }
    text.push('\n');
    for lang in &languages {
        let count = |state| all.iter().filter(|s| s.lang == *lang && s.state == state).count();
        let (current, behind, missing) =
            (count(State::Current), count(State::Behind), count(State::Missing));
        text.push_str(&format!("\n{lang}: {current} current, {behind} behind, {missing} missing"));
    }
    match all.iter().find(|s| s.state == State::Behind) {
        Some(s) => text.push_str(&format!(
            "\n\nbehind: the source slide changed after it was translated (or the translation does not say which version it translates).\nWhen you have updated a translation, record it: tebiki translations --done {} {}",
            s.number, s.lang
        )),
        None if all.iter().all(|s| s.state == State::Current) => {
            text.push_str("\n\nEvery translation is current.");
        }
        None => {}
    }
    text
}

/// The same as [`table`], for tools: one JSON object.
pub fn json(guide: &Guide) -> serde_json::Value {
    let slides: Vec<serde_json::Value> = statuses(guide)
        .iter()
        .map(|s| {
            serde_json::json!({
                "slide": s.number,
                "lang": s.lang,
                "state": s.state.name(),
                "source": s.source.file.rel.to_string_lossy(),
                "fingerprint": s.source.fingerprint(),
                "file": s.translation.map(|t| t.file.rel.to_string_lossy()),
                "translates": s.translation.and_then(|t| t.translates.as_ref()).map(|t| t.fingerprint.as_str()),
            })
        })
        .collect();
    serde_json::json!({
        "default_language": guide.config.default_language,
        "languages": translated_languages(guide),
        "translations": slides,
    })
}

/// What `--done` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Done {
    /// The fingerprint was written into the file.
    Recorded { file: String, fingerprint: String },
    /// The file already recorded it: nothing was written.
    AlreadyCurrent { file: String },
}

/// `tebiki translations --done N LANG`: records the current fingerprint of slide `number`'s
/// source in its `lang` translation's front matter. The value of its `translates` line is
/// replaced, or a `translates` line put after the `title` line (with the file's own line break);
/// every other byte of the file stays as it was (a byte-order mark, CRLF line breaks).
pub fn done(root: &Path, number: &str, lang: &str) -> Result<Done, Diagnostics> {
    let guide = load(root)?;
    let (source, translation) = chosen(&guide, number, lang)?;
    let rel = translation.file.rel.clone();
    let shown = rel.display().to_string();
    let fingerprint = source.fingerprint();
    // The file is read again as it is on disk, and its text parsed from those very bytes.
    let raw = source::read_bytes(root, &rel, source::MAX_TEXT_BYTES)?;
    let text = source::decode(&rel, raw.clone())?;
    let slide = content::parse(SourceFile { rel: rel.clone(), text }, lang.to_string())?;
    if slide.translates.as_ref().is_some_and(|t| t.fingerprint == fingerprint) {
        return Ok(Done::AlreadyCurrent { file: shown });
    }
    let written = rewrite(&raw, &slide, &fingerprint).ok_or_else(|| {
        Diagnostic::new(&rel, "cannot find the front matter's `title` line in the file's bytes")
            .help(format!(
                "add the line `translates = \"{fingerprint}\"` after the `title` line yourself"
            ))
    })?;
    let path = source::regular_file(root, &rel)?;
    std::fs::write(&path, written).map_err(|e| {
        Diagnostic::new(&rel, format!("cannot write the file: {e}")).help(
            "check that the file can be written (is it open in another program, or read-only?)",
        )
    })?;
    Ok(Done::Recorded { file: shown, fingerprint })
}

/// The source and the translation `--done` names, or a problem saying what is wrong with the
/// slide number or language given.
fn chosen<'a>(
    guide: &'a Guide,
    number: &str,
    lang: &str,
) -> Result<(&'a SlideSource, &'a SlideSource), Diagnostic> {
    let default = guide.config.default_language.as_str();
    let languages = translated_languages(guide);
    let Ok(n) = number.parse::<u32>() else {
        return Err(Diagnostic::new("--done", format!("`{number}` is not a slide number"))
            .help("give the slide's number and the translation's language: tebiki translations --done 17 en"));
    };
    if lang == default {
        return Err(Diagnostic::new("--done", format!("`{lang}` is the guide's default language: its slides are the sources, not translations"))
            .help(format!("name the language of the translation you updated: one of {}", languages.join(", "))));
    }
    if !languages.contains(&lang) {
        return Err(Diagnostic::new("--done", format!("`{lang}` is not one of the guide's languages"))
            .help(format!("name the language of the translation you updated: one of {} (set in content/guide.toml)", languages.join(", "))));
    }
    let Some(source) = guide.slide(default, n) else {
        let last = guide.slides.keys().filter(|(l, _)| l == default).map(|(_, n)| *n).max();
        return Err(Diagnostic::new("--done", format!("the guide has no slide {n}")).help(
            format!(
                "its slides run from 1 to {}: `tebiki translations` lists them",
                last.unwrap_or(0)
            ),
        ));
    };
    let Some(translation) = guide.slide(lang, n) else {
        let name = source.file.rel.file_name().unwrap_or_default().to_string_lossy();
        let stem = name.strip_suffix(&format!(".{default}.md")).unwrap_or(&name);
        return Err(Diagnostic::new(
            "--done",
            format!("slide {n} has no `{lang}` translation yet"),
        )
        .help(format!(
            "translate {} into {SLIDES_DIR}/{stem}.{lang}.md first",
            source.file.rel.display()
        )));
    };
    Ok((source, translation))
}

/// `raw` (the file's bytes, as on disk) with the fingerprint recorded: the value of `translates`
/// replaced, or a line added after the title's. `None` if the places found in the parsed text do
/// not map onto the bytes (they always should).
fn rewrite(raw: &[u8], slide: &SlideSource, fingerprint: &str) -> Option<Vec<u8>> {
    let text = &slide.file.text;
    let value = format!("\"{fingerprint}\"");
    let (at, put) = match &slide.translates {
        Some(t) => (raw_range(raw, t.range.clone())?, value.into_bytes()),
        None => {
            let title_end = content::title_value_range(slide).end;
            let line_end = text[title_end..].find('\n')? + title_end + 1;
            let at = raw_offset(raw, line_end)?;
            let before = &raw[..at];
            let eol: &[u8] = if before.ends_with(b"\r\n") {
                b"\r\n"
            } else if before.ends_with(b"\r") {
                b"\r"
            } else {
                b"\n"
            };
            (at..at, [format!("translates = {value}").as_bytes(), eol].concat())
        }
    };
    Some([&raw[..at.start], &put, &raw[at.end..]].concat())
}

fn raw_range(raw: &[u8], range: Range<usize>) -> Option<Range<usize>> {
    Some(raw_offset(raw, range.start)?..raw_offset(raw, range.end)?)
}

/// The byte of `raw` that byte `offset` of its decoded text came from (the text has no
/// byte-order mark, and a LF for each CRLF or lone CR); a text offset just after a line break
/// maps to just after the raw line break.
fn raw_offset(raw: &[u8], offset: usize) -> Option<usize> {
    let mut at = if raw.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    for _ in 0..offset {
        at += match raw.get(at..)? {
            [b'\r', b'\n', ..] => 2,
            [_, ..] => 1,
            [] => return None,
        };
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn slide(raw: &[u8]) -> SlideSource {
        let rel = PathBuf::from("content/slides/003-x.en.md");
        let text = source::decode(&rel, raw.to_vec()).unwrap();
        content::parse(SourceFile { rel, text }, "en".into()).unwrap()
    }

    const FP: &str = "0123456789abcdef";

    #[test]
    fn a_translates_line_goes_after_the_title_with_the_files_line_breaks() {
        for eol in ["\n", "\r\n", "\r"] {
            let raw =
                format!("\u{feff}+++{eol}slide = 3{eol}title = \"A\"  # t{eol}+++{eol}Body{eol}")
                    .into_bytes();
            let done = rewrite(&raw, &slide(&raw), FP).unwrap();
            let want = format!(
                "\u{feff}+++{eol}slide = 3{eol}title = \"A\"  # t{eol}translates = \"{FP}\"{eol}+++{eol}Body{eol}"
            );
            assert_eq!(String::from_utf8(done).unwrap(), want, "{eol:?}");
        }
    }

    #[test]
    fn the_value_of_translates_is_replaced_and_nothing_else() {
        let raw = b"+++\r\nslide = 3\r\ntranslates = 'aaaaaaaaaaaaaaaa' # kept\r\ntitle = \"A\"\r\n+++\r\nB\r\n";
        let done = rewrite(raw, &slide(raw), FP).unwrap();
        let want = format!(
            "+++\r\nslide = 3\r\ntranslates = \"{FP}\" # kept\r\ntitle = \"A\"\r\n+++\r\nB\r\n"
        );
        assert_eq!(String::from_utf8(done).unwrap(), want);
    }

    #[test]
    fn a_title_over_several_lines_gets_the_line_after_its_end() {
        let raw = b"+++\nslide = 3\ntitle = \"\"\"A\nB\"\"\"\n+++\n";
        let done = rewrite(raw, &slide(raw), FP).unwrap();
        let want =
            format!("+++\nslide = 3\ntitle = \"\"\"A\nB\"\"\"\ntranslates = \"{FP}\"\n+++\n");
        assert_eq!(String::from_utf8(done).unwrap(), want);
    }
}
