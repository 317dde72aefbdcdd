//! Editions: every build writes `edition.json`, the record of what this edition's slides say (per
//! language, each slide's number, title and fingerprint); when `content/guide.toml` names the
//! previous edition's record kept in the project (`previous-edition = "editions/2025-06.json"`),
//! [`compare`] finds what changed since it, for the changes page, the marks by the slide numbers
//! and the print page's list.
//!
//! Slides are matched by their words, not their numbers, so inserting a slide does not make every
//! slide after it "changed": slides whose fingerprint is found once in each edition are matched
//! (the longest run of them in order, as `diff` does), and between two matched slides the others
//! are paired in order (changed); the ones left over are added (new) or removed.

use std::collections::{BTreeMap, HashMap};
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::GuideConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::Guide;
use crate::source::SourceFile;
use crate::toml_path;

/// The record's name in the output folder.
pub const EDITION_FILE: &str = "edition.json";
/// The changes page's name in each language's folder.
pub const CHANGES_PAGE: &str = "changes.html";
/// The version of the record's layout.
const FORMAT: u32 = 1;

/// `edition.json`: one edition's slides as they were.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Record {
    pub format: u32,
    /// `edition` of guide.toml, e.g. "2025-12".
    pub edition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
    /// `edition-label` of guide.toml, by language ("2025年12月版").
    #[serde(default)]
    pub edition_label: BTreeMap<String, String>,
    /// Every slide of each language, in order.
    pub slides: BTreeMap<String, Vec<RecordSlide>>,
}

/// A slide as an edition had it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordSlide {
    pub slide: u32,
    pub title: String,
    /// [`crate::content::SlideSource::fingerprint`]: changes only when the words change.
    pub fingerprint: String,
}

impl Record {
    /// This edition's record.
    pub fn of(guide: &Guide) -> Record {
        let c = &guide.config;
        let mut slides: BTreeMap<String, Vec<RecordSlide>> = BTreeMap::new();
        for ((lang, n), s) in &guide.slides {
            let slide =
                RecordSlide { slide: *n, title: s.title.clone(), fingerprint: s.fingerprint() };
            slides.entry(lang.clone()).or_default().push(slide);
        }
        Record {
            format: FORMAT,
            edition: c.edition.clone(),
            app_version: c.app_version.clone(),
            edition_label: c.edition_label.clone(),
            slides,
        }
    }

    /// The record as written: pretty JSON (keys in a fixed order), one line break at the end.
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// The edition's name in `lang`: its label, or its `edition`.
    pub fn label(&self, lang: &str) -> &str {
        self.edition_label.get(lang).map_or(self.edition.as_str(), String::as_str)
    }
}

/// The previous edition's record, read from the file `previous-edition` names (`None` without
/// one). A path leading out of the project, a missing file and a file that is no record are
/// problems, each at its place and with what to do.
pub fn load_previous(root: &Path, config: &GuideConfig) -> Result<Option<Record>, Diagnostics> {
    let Some(name) = &config.previous_edition else { return Ok(None) };
    let key = toml_path!["previous-edition"];
    let rel = PathBuf::from(name);
    let inside = !name.is_empty()
        && rel.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside {
        let d = config
            .problem(&key, format!("previous-edition `{name}` is not a path inside the project"));
        return Err(d
            .help("copy the previous edition's edition.json into the project (for example as editions/2025-06.json) and name it from the project folder: previous-edition = \"editions/2025-06.json\"")
            .into());
    }
    if std::fs::symlink_metadata(root.join(&rel)).is_err_and(|e| e.kind() == ErrorKind::NotFound) {
        let d = config
            .problem(&key, format!("previous-edition names {name}, which is not in the project"));
        return Err(d
            .help(format!("put the previous edition's public/edition.json at {name} (or correct the path); for a first edition, remove the previous-edition line"))
            .into());
    }
    let file = SourceFile::read(root, &rel)?;
    parse(&file).map(Some).map_err(Diagnostics::from)
}

/// A record from the text of `file`; JSON that is not one is a problem at its line and column.
fn parse(file: &SourceFile) -> Result<Record, Diagnostic> {
    let help = "this file must be the edition.json an earlier build wrote (in public/): copy it \
        again from that build, unchanged";
    let record: Record = serde_json::from_str(&file.text).map_err(|e| {
        let message = e.to_string();
        let what = message.split(" at line ").next().unwrap_or(&message);
        let at = offset_of(&file.text, e.line(), e.column());
        Diagnostic::new(&file.rel, format!("not an edition record: {what}"))
            .at_range(&file.text, at..at + 1)
            .help(help)
    })?;
    if record.format != FORMAT {
        return Err(Diagnostic::new(
            &file.rel,
            format!(
                "this edition record has format {}; this tebiki reads format {FORMAT}",
                record.format
            ),
        )
        .help(help));
    }
    Ok(record)
}

/// The byte offset of a 1-based line and column (serde_json counts bytes; 0 is a line's start).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// How a slide of this edition differs from the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Its words changed.
    Changed,
    /// It was not in the previous edition.
    Added,
}

/// A slide of this edition matched with one of the previous edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub now: u32,
    pub was: RecordSlide,
}

/// What changed in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LangChanges {
    /// Slides whose words changed, in order.
    pub changed: Vec<Pair>,
    /// New slides (their numbers now).
    pub added: Vec<u32>,
    /// The previous edition's slides that this one does not have.
    pub removed: Vec<RecordSlide>,
    /// Slides with the same words under another number.
    pub moved: Vec<Pair>,
}

impl LangChanges {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }

    /// The mark slide `n` carries, if any.
    pub fn mark(&self, n: u32) -> Option<Mark> {
        if self.added.binary_search(&n).is_ok() {
            Some(Mark::Added)
        } else if self.changed.binary_search_by_key(&n, |p| p.now).is_ok() {
            Some(Mark::Changed)
        } else {
            None
        }
    }
}

/// This edition against the previous one.
#[derive(Debug, Clone)]
pub struct Changes {
    pub previous: Record,
    /// By language.
    pub langs: BTreeMap<String, LangChanges>,
}

/// What changed in each language of `guide` since `previous`.
pub fn compare(previous: Record, guide: &Guide) -> Changes {
    let now = Record::of(guide);
    let langs = guide
        .languages()
        .iter()
        .map(|lang| {
            let old = previous.slides.get(lang).map_or(&[][..], Vec::as_slice);
            let new = now.slides.get(lang).map_or(&[][..], Vec::as_slice);
            (lang.clone(), diff(old, new))
        })
        .collect();
    Changes { previous, langs }
}

/// The changes from `old` to `new` (see the module's comment).
fn diff(old: &[RecordSlide], new: &[RecordSlide]) -> LangChanges {
    let mut out = LangChanges::default();
    let (mut i, mut j) = (0, 0);
    for (a, b) in anchors(old, new).into_iter().chain([(old.len(), new.len())]) {
        let (olds, news) = (&old[i..a], &new[j..b]);
        for (o, n) in olds.iter().zip(news) {
            out.changed.push(Pair { now: n.slide, was: o.clone() });
        }
        out.removed.extend(olds.iter().skip(news.len()).cloned());
        out.added.extend(news.iter().skip(olds.len()).map(|s| s.slide));
        if let (Some(o), Some(n)) = (old.get(a), new.get(b))
            && o.slide != n.slide
        {
            out.moved.push(Pair { now: n.slide, was: o.clone() });
        }
        (i, j) = (a + 1, b + 1);
    }
    out
}

/// The slides matched by their words: pairs of indexes (old, new), increasing in both.
/// Fingerprints found once in each list, then the longest run of those in the same order
/// (patience sorting), then equal neighbours of each match.
fn anchors(old: &[RecordSlide], new: &[RecordSlide]) -> Vec<(usize, usize)> {
    let mut count: HashMap<&str, (u32, u32, usize)> = HashMap::new();
    for (i, s) in old.iter().enumerate() {
        let c = count.entry(&s.fingerprint).or_insert((0, 0, 0));
        (c.0, c.2) = (c.0 + 1, i);
    }
    for s in new {
        count.entry(&s.fingerprint).or_insert((0, 0, 0)).1 += 1;
    }
    let unique: Vec<(usize, usize)> = new
        .iter()
        .enumerate()
        .filter_map(|(j, s)| match count.get(s.fingerprint.as_str()) {
            Some(&(1, 1, i)) => Some((i, j)),
            _ => None,
        })
        .collect();
    let same = |i: usize, j: usize| old[i].fingerprint == new[j].fingerprint;
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, j) in longest_increasing(&unique) {
        // Equal slides just before this match (after the last one) are matched too.
        let (mut a, mut b) = out.last().map_or((0, 0), |&(a, b)| (a + 1, b + 1));
        while a < i && b < j && same(a, b) {
            out.push((a, b));
            (a, b) = (a + 1, b + 1);
        }
        out.push((i, j));
    }
    let (mut a, mut b) = out.last().map_or((0, 0), |&(a, b)| (a + 1, b + 1));
    while a < old.len() && b < new.len() && same(a, b) {
        out.push((a, b));
        (a, b) = (a + 1, b + 1);
    }
    out
}

/// The longest subsequence of `pairs` (increasing in `.1`) whose `.0` increases too.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[k]: the index in `pairs` of the smallest end of a run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; pairs.len()];
    for (p, &(i, _)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].0 < i);
        before[p] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(p);
        } else {
            tails[k] = p;
        }
    }
    let mut run = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(p) = at {
        run.push(pairs[p]);
        at = before[p];
    }
    run.reverse();
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slides(spec: &str) -> Vec<RecordSlide> {
        spec.chars()
            .enumerate()
            .map(|(i, c)| RecordSlide {
                slide: i as u32 + 1,
                title: c.to_string(),
                fingerprint: c.to_string(),
            })
            .collect()
    }

    fn numbers(pairs: &[Pair]) -> Vec<(u32, u32)> {
        pairs.iter().map(|p| (p.now, p.was.slide)).collect()
    }

    #[test]
    fn an_inserted_slide_is_added_and_the_rest_only_moved() {
        let d = diff(&slides("ABCDE"), &slides("ABXCDE"));
        assert_eq!(d.added, vec![3]);
        assert!(d.changed.is_empty() && d.removed.is_empty());
        assert_eq!(numbers(&d.moved), vec![(4, 3), (5, 4), (6, 5)]);
    }

    #[test]
    fn an_edit_a_removal_and_an_addition() {
        // B became b, R went, F came at the end.
        let d = diff(&slides("ABRCDE"), &slides("AbCDEF"));
        assert_eq!(numbers(&d.changed), vec![(2, 2)]);
        assert_eq!(d.removed.iter().map(|s| s.slide).collect::<Vec<_>>(), vec![3]);
        assert_eq!(d.added, vec![6]);
        assert_eq!(d.mark(2), Some(Mark::Changed));
        assert_eq!(d.mark(6), Some(Mark::Added));
        assert_eq!(d.mark(3), None);
    }

    #[test]
    fn repeated_slides_match_beside_unique_ones() {
        let d = diff(&slides("AXXB"), &slides("AXXB"));
        assert!(d.is_empty() && d.moved.is_empty(), "{d:?}");
        let d = diff(&slides(""), &slides("AB"));
        assert_eq!(d.added, vec![1, 2]);
        let d = diff(&slides("AB"), &slides(""));
        assert_eq!(d.removed.len(), 2);
    }

    #[test]
    fn a_slide_moved_past_another_is_taken_out_and_put_in() {
        // C moved before B: B keeps its match (under a new number), C is removed and added.
        let d = diff(&slides("ABC"), &slides("ACB"));
        assert_eq!(d.added, vec![2]);
        assert_eq!(d.removed.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(), vec!["C"]);
        assert_eq!(numbers(&d.moved), vec![(3, 2)]);
        assert!(d.changed.is_empty() && d.mark(1).is_none());
    }

    #[test]
    fn malformed_json_is_named_at_its_line_and_column() {
        let file = SourceFile {
            rel: PathBuf::from("editions/old.json"),
            text: "{\n  \"format\": 1,\n  \"edition\": \"x\",,\n}\n".into(),
        };
        let d = parse(&file).unwrap_err();
        let at = d.location.unwrap();
        assert_eq!((at.line, at.column), (3, 18), "{}", d.message);
        assert!(!d.message.contains(" at line "), "{}", d.message);
    }
}
