//! The search index, built at build time per language and shipped as a `.js` file (loaded by a
//! plain script tag, so search works over `file://`: no server, no fetch, no WebAssembly).
//!
//! Text is normalised the same way here and in `theme/static/search.js`: Unicode NFKC, lower case,
//! katakana folded to hiragana. Japanese (and other CJK) runs become overlapping character bigrams,
//! so any word of two or more characters is found without a dictionary; Latin words are folded from
//! plural to singular. A document is a slide; for BM25 ranking on the page, terms the slide explains
//! (its front matter's `explains`) count eight times, of its title three times, of its sub-headings
//! twice.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::fingerprint::{Fingerprint, fingerprint};

/// Unicode NFKC, lower case, katakana → hiragana.
pub fn normalize(text: &str) -> String {
    // Most text is already in NFKC: the quick check spares the composing step.
    let lower = match unicode_normalization::is_nfkc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.to_lowercase(),
        _ => text.nfkc().collect::<String>().to_lowercase(),
    };
    lower.chars().map(fold_kana).collect()
}

fn fold_kana(c: char) -> char {
    match c as u32 {
        0x30A1..=0x30F6 | 0x30FD..=0x30FE => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

/// Characters indexed as bigrams: kana, kanji, the long-vowel mark and 々.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x309F | 0x30A0..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3005)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// certificates → certificate, entries → entry; not process, status, this.
pub fn singular(word: &str) -> String {
    singular_of(word).into_owned()
}

fn singular_of(word: &str) -> Cow<'_, str> {
    let n = word.chars().count();
    if n > 4 && word.ends_with("ies") {
        format!("{}y", &word[..word.len() - 3]).into()
    } else if n > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        word[..word.len() - 1].into()
    } else {
        word.into()
    }
}

/// The terms of already normalised text: CJK bigrams (a lone CJK character stands for itself) and
/// singular Latin words, in order.
pub fn terms(normalized: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(normalized, |term| out.push(term.into_owned()));
    out
}

/// Calls `term` with each term of already normalised text, in order, as slices of it where it can
/// (the index weighs millions of terms: one small allocation each showed in the profile).
fn for_each_term<'a>(normalized: &'a str, mut term: impl FnMut(Cow<'a, str>)) {
    let chars: Vec<(usize, char)> = normalized.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(normalized.len(), |(at, _)| *at);
    let mut i = 0;
    while i < chars.len() {
        if is_cjk(chars[i].1) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i].1) {
                i += 1;
            }
            if i - start == 1 {
                term(Cow::Borrowed(&normalized[chars[start].0..end_of(start + 1)]));
            }
            for j in start..i.saturating_sub(1) {
                term(Cow::Borrowed(&normalized[chars[j].0..end_of(j + 2)]));
            }
        } else if is_word_char(chars[i].1) {
            let start = i;
            while i < chars.len() && is_word_char(chars[i].1) {
                i += 1;
            }
            term(singular_of(&normalized[chars[start].0..end_of(i)]));
        } else {
            i += 1;
        }
    }
}

/// What the index holds of one slide.
pub struct Document {
    pub slide: u32,
    /// The chapter page holding the slide, e.g. `certificate.html`.
    pub page: String,
    pub title: String,
    /// Terms the slide explains (from its front matter).
    pub explains: Vec<String>,
    pub headings: Vec<String>,
    /// Body text and picture alt text.
    pub text: String,
}

impl Document {
    /// Adds everything the index takes from the slide to a key of remembered work.
    pub fn add_to(&self, key: &mut Fingerprint) {
        key.u64(u64::from(self.slide)).str(&self.page).str(&self.title).str(&self.text);
        for part in [&self.headings, &self.explains] {
            key.u64(part.len() as u64);
            for p in part {
                key.str(p);
            }
        }
    }
}

/// Terms are split into shards by their first character, so a query (even a prefix) loads only the
/// shards it needs; slide texts (for snippets) come in chunks of this many slides.
const TEXT_CHUNK: usize = 64;
/// About this many bytes of postings per shard.
const SHARD_BYTES: usize = 96 * 1024;

/// The words a search box shows with an index's results, in the index's language (its words of
/// `theme/strings.toml`): they load with the index, not with every page.
#[derive(Serialize, Clone, Copy)]
pub struct IndexWords<'a> {
    /// Slide labels: "スライド{n}" / "Slide {n}".
    pub label: &'a str,
    /// The language's name, which marks its results on the entry page: 「日本語」, "English".
    pub name: &'a str,
    /// Nothing found for `{q}`.
    pub none: &'a str,
    /// `{n}` results found, and one.
    pub count: &'a str,
    pub count_one: &'a str,
    /// A count said with its language (`{lang}`, `{text}`), on the entry page.
    pub count_in: &'a str,
}

impl IndexWords<'_> {
    pub fn add_to(&self, key: &mut Fingerprint) {
        for word in [self.label, self.name, self.none, self.count, self.count_one, self.count_in] {
            key.str(word);
        }
    }
}

#[derive(Serialize)]
struct Meta<'a> {
    lang: &'a str,
    #[serde(flatten)]
    words: IndexWords<'a>,
    pages: Vec<&'a str>,
    /// [slide number, page index, title, length in terms]
    docs: Vec<(u32, usize, &'a str, usize)>,
    avgdl: f64,
    /// Shard and text-chunk scripts, relative to this script.
    shards: Vec<String>,
    texts: Vec<String>,
    chunk: usize,
}

/// The search index of one language: the main script (its name is up to the caller) and the
/// shard and text scripts it names, as (file name, script) pairs.
#[derive(Clone)]
pub struct IndexFiles {
    pub meta: String,
    pub parts: Vec<(String, String)>,
}

/// The shard of a term: its first character's code point, modulo the number of shards (as in
/// search.js).
pub fn shard_of(term: &str, shards: usize) -> usize {
    term.chars().next().map_or(0, |c| c as usize % shards.max(1))
}

/// The index of `docs`, for a page in `lang`.
pub fn index_files(lang: &str, words: IndexWords, docs: &[Document]) -> IndexFiles {
    let mut pages: Vec<&str> = docs.iter().map(|d| d.page.as_str()).collect();
    pages.dedup();
    let postings = Postings::of(docs, &pages);
    let part = |kind: &str, i: usize, json: String| part_script(lang, kind, i, json);
    // Each part is written (and named by its content) in parallel.
    let mut parts: Vec<(String, String)> = postings
        .shards()
        .par_iter()
        .enumerate()
        .map(|(i, s)| part("s", i, serde_json::to_string(s).unwrap_or_default()))
        .collect();
    let shard_files: Vec<String> = parts.iter().map(|(file, _)| file.clone()).collect();
    let texts: Vec<(String, String)> = docs
        .par_chunks(TEXT_CHUNK)
        .enumerate()
        .map(|(i, c)| {
            let texts: Vec<String> = c.iter().map(Document::shown_text).collect();
            part("t", i, serde_json::to_string(&texts).unwrap_or_default())
        })
        .collect();
    let text_files: Vec<String> = texts.iter().map(|(file, _)| file.clone()).collect();
    parts.extend(texts);
    let avgdl =
        if docs.is_empty() { 0.0 } else { postings.total_length as f64 / docs.len() as f64 };
    let meta = Meta {
        lang,
        words,
        pages,
        docs: postings.rows,
        avgdl: (avgdl * 100.0).round() / 100.0,
        shards: shard_files,
        texts: text_files,
        chunk: TEXT_CHUNK,
    };
    let json = serde_json::to_string(&meta).unwrap_or_else(|_| "{}".into());
    IndexFiles { meta: format!("window.tebikiSearchIndex={json};\n"), parts }
}

/// A part of the index as a script that pushes itself onto `window.tebikiSearchParts`, and its
/// file name (named by its content).
fn part_script(lang: &str, kind: &str, i: usize, json: String) -> (String, String) {
    let script = format!(
        "(window.tebikiSearchParts=window.tebikiSearchParts||[]).push([{},\"{kind}\",{i},{json}]);\n",
        serde_json::to_string(lang).unwrap_or_default()
    );
    let file =
        format!("search-{lang}-{kind}{i}.{:08x}.js", fingerprint(&[script.as_bytes()]) as u32);
    (file, script)
}

impl Document {
    /// The text a result's snippet is taken from: the body, then the sub-headings.
    fn shown_text(&self) -> String {
        let parts =
            std::iter::once(self.text.as_str()).chain(self.headings.iter().map(String::as_str));
        parts.collect::<Vec<_>>().join(" ")
    }
}

/// Each term's postings (slide index, weight, …), and each slide's row of the index.
struct Postings<'d> {
    terms: FxHashMap<String, Vec<u32>>,
    /// [slide number, page index, title, length in terms]
    rows: Vec<(u32, usize, &'d str, usize)>,
    total_length: usize,
}

impl<'d> Postings<'d> {
    /// Each slide's weighted terms, in parallel, a batch of slides at a time (so the per-slide
    /// lists of only two batches are held); each batch is merged into the postings, in slide
    /// order, while the next is weighed.
    fn of(docs: &'d [Document], pages: &[&str]) -> Postings<'d> {
        let page_index: std::collections::HashMap<&str, usize> =
            pages.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        let mut postings = Postings {
            terms: FxHashMap::default(),
            rows: Vec::with_capacity(docs.len()),
            total_length: 0,
        };
        let batches: Vec<&[Document]> = docs.chunks(WEIGH_BATCH).collect();
        let weigh_batch =
            |chunk: &[Document]| -> Vec<Weighed> { chunk.par_iter().map(weigh).collect() };
        let mut weighed = batches.first().map(|chunk| weigh_batch(chunk)).unwrap_or_default();
        for (batch, chunk) in batches.iter().enumerate() {
            let merge = || {
                for (j, (d, weighed)) in chunk.iter().zip(std::mem::take(&mut weighed)).enumerate()
                {
                    let page = page_index.get(d.page.as_str()).copied().unwrap_or(0);
                    postings.add((batch * WEIGH_BATCH + j) as u32, d, page, &weighed);
                }
            };
            let ((), next) = rayon::join(merge, || {
                batches.get(batch + 1).map(|chunk| weigh_batch(chunk)).unwrap_or_default()
            });
            weighed = next;
        }
        postings
    }

    /// Adds slide `i` (`d`, on page `page`) with its weighed terms.
    fn add(&mut self, i: u32, d: &'d Document, page: usize, weighed: &Weighed) {
        for (term, w) in weighed.terms() {
            match self.terms.get_mut(term) {
                Some(postings) => postings.extend([i, w]),
                None => {
                    self.terms.insert(term.to_string(), vec![i, w]);
                }
            }
        }
        self.total_length += weighed.length;
        self.rows.push((d.slide, page, d.title.as_str(), weighed.length));
    }

    /// The terms in shards by their first character (sorted within a shard), about
    /// [`SHARD_BYTES`] each.
    fn shards(&self) -> Vec<BTreeMap<&str, &Vec<u32>>> {
        let size: usize = self.terms.iter().map(|(t, p)| t.len() + p.len() * 4 + 6).sum();
        let shard_count = size.div_ceil(SHARD_BYTES).clamp(1, 512);
        let mut shards: Vec<BTreeMap<&str, &Vec<u32>>> = vec![BTreeMap::new(); shard_count];
        for (term, postings) in &self.terms {
            shards[shard_of(term, shard_count)].insert(term, postings);
        }
        shards
    }
}

/// How many slides are weighed at once.
const WEIGH_BATCH: usize = 512;

/// A slide's terms with their weights (explains ×8, title ×3, headings ×2, text ×1), in no order
/// (each term's postings are kept in slide order when merged), and its length in terms. The terms
/// are spans of the slide's normalised text, so a slide costs a few allocations, not one a term.
struct Weighed {
    /// The slide's fields, normalised, one after another.
    text: String,
    /// (start, end, weight) of each term in `text`.
    spans: Vec<(u32, u32, u32)>,
    /// Terms that are not in `text` as they are (plural words made singular).
    others: Vec<(String, u32)>,
    length: usize,
}

impl Weighed {
    fn terms(&self) -> impl Iterator<Item = (&str, u32)> {
        let spans =
            self.spans.iter().map(|&(start, end, w)| (&self.text[start as usize..end as usize], w));
        spans.chain(self.others.iter().map(|(t, w)| (t.as_str(), *w)))
    }
}

fn weigh(d: &Document) -> Weighed {
    let fields = d
        .explains
        .iter()
        .map(|e| (e.as_str(), 8))
        .chain(std::iter::once((d.title.as_str(), 3)))
        .chain(d.headings.iter().map(|h| (h.as_str(), 2)))
        .chain(std::iter::once((d.text.as_str(), 1)));
    // A line break between fields: no term spans two of them.
    let mut text = String::new();
    let mut ranges = Vec::new();
    for (field, weight) in fields {
        let start = text.len();
        text.push_str(&normalize(field));
        ranges.push((start, text.len(), weight));
        text.push('\n');
    }
    let mut weights: FxHashMap<&str, u32> = FxHashMap::default();
    let mut others: FxHashMap<String, u32> = FxHashMap::default();
    let mut length = 0;
    for &(start, end, weight) in &ranges {
        for_each_term(&text[start..end], |term| {
            match term {
                Cow::Borrowed(t) => *weights.entry(t).or_default() += weight,
                Cow::Owned(t) => *others.entry(t).or_default() += weight,
            }
            length += 1;
        });
    }
    // A word made singular may also stand as it is elsewhere in the slide: one entry per term.
    others.retain(|t, w| match weights.get_mut(t.as_str()) {
        Some(same) => {
            *same += *w;
            false
        }
        None => true,
    });
    let base = text.as_ptr() as usize;
    let spans = weights
        .into_iter()
        .map(|(t, w)| {
            ((t.as_ptr() as usize - base) as u32, (t.as_ptr() as usize - base + t.len()) as u32, w)
        })
        .collect();
    Weighed { spans, others: others.into_iter().collect(), length, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_width_case_and_kana() {
        assert_eq!(normalize("ＫＪ１２"), "kj12");
        assert_eq!(normalize("パスワード"), normalize("ぱすわーど"));
        assert_eq!(normalize("Certificates"), "certificates");
    }

    #[test]
    fn bigrams_and_words() {
        assert_eq!(terms(&normalize("確認コード")), vec!["確認", "認こ", "こー", "ーど"]);
        assert_eq!(terms(&normalize("KJから始まる")), vec!["kj", "から", "ら始", "始ま", "まる"]);
        assert_eq!(terms(&normalize("the certificates")), vec!["the", "certificate"]);
        assert_eq!(terms("表"), vec!["表"]);
        assert_eq!(singular("process"), "process");
        assert_eq!(singular("entries"), "entry");
    }

    fn words(label: &str) -> IndexWords<'_> {
        IndexWords { label, name: "", none: "", count: "", count_one: "", count_in: "" }
    }

    #[test]
    fn index_weights_titles_and_shards_terms() {
        let docs = [Document {
            slide: 7,
            page: "a.html".into(),
            title: "フリーパス".into(),
            explains: vec![],
            headings: vec![],
            text: "フリーパスの説明".into(),
        }];
        let files = index_files("ja", words("スライド{n}"), &docs);
        assert!(files.meta.starts_with("window.tebikiSearchIndex={"));
        assert!(files.meta.contains("\"shards\":[\"search-ja-s0."), "{}", files.meta);
        let shard = &files.parts[0].1;
        assert!(shard.contains("\"ふり\":[0,4]"), "{shard}");
        assert_eq!(shard_of("ふり", 7), 'ふ' as usize % 7);
    }

    #[test]
    fn a_word_and_its_plural_are_one_term_of_a_slide() {
        let docs = [Document {
            slide: 1,
            page: "a.html".into(),
            title: "Entries".into(),
            explains: vec![],
            headings: vec![],
            text: "one entry".into(),
        }];
        let files = index_files("en", words("Slide {n}"), &docs);
        let shards: String = files.parts.iter().map(|(_, script)| script.as_str()).collect();
        assert!(
            shards.contains("\"entry\":[0,4]"),
            "title ×3 and text ×1 in one posting: {shards}"
        );
    }
}
