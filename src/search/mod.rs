//! The search index, built at build time per language and shipped as `.js` files (loaded by a
//! plain script tag, so search works over `file://`: no server, no fetch, no WebAssembly).
//!
//! A document is a slide, or a page beside the slides (its slide number 0). Its terms come from
//! [`terms`] (made the same way in `theme/static/search-engine.js`); for BM25 ranking on the page,
//! terms the slide explains (its front matter's `explains`) count eight times, of its title three
//! times, of its sub-headings twice. Beside each term's postings the shards hold the words as written that
//! were made into terms (stems), so the page can match what a reader is still typing
//! (`certif` → certificate) and forgive a typo; the index also carries the language's everyday
//! words ([`synonyms`]) and the words its results are shown with.

pub mod synonyms;
pub mod terms;

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::fingerprint::{Fingerprint, fingerprint};

pub use synonyms::Synonyms;
pub use terms::{Stemmer, normalize};
use terms::{Term, for_each_term};

/// What the index holds of one slide, or of a page beside the slides.
pub struct Document {
    /// The slide's number; 0 for a page (the checker's, one of `content/pages/`).
    pub slide: u32,
    /// The page holding the slide (its chapter's, e.g. `certificate.html`), or the page itself.
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

/// Terms are split into shards by their first characters ([`shard_of`]), so a query (even a
/// prefix) loads only the shards it needs; slide texts (for snippets) come in chunks of this many slides, so the snippets
/// of the first results load little.
const TEXT_CHUNK: usize = 16;
/// About this many bytes of postings per shard.
const SHARD_BYTES: usize = 48 * 1024;

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
    /// The mark of a result that holds only some of the query's words.
    pub partial: &'a str,
    /// The mark of the slide a query names by its number ("slide 17"): go straight to it.
    pub direct: &'a str,
    /// The label of a result that is a page, not a slide.
    pub page: &'a str,
}

impl IndexWords<'_> {
    pub fn add_to(&self, key: &mut Fingerprint) {
        let words = [self.label, self.name, self.none, self.count, self.count_one, self.count_in];
        for word in words.into_iter().chain([self.partial, self.direct, self.page]) {
            key.str(word);
        }
    }
}

#[derive(Serialize)]
struct Meta<'a> {
    lang: &'a str,
    #[serde(flatten)]
    words: IndexWords<'a>,
    stemmer: Stemmer,
    /// The everyday words: [normalised key, [normalised values]].
    synonyms: Vec<(&'a str, &'a [String])>,
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

/// The shard of a term (or word): by its first character when that is CJK (bigrams spread over
/// thousands of characters), by its first two otherwise (Latin words start with few letters), as
/// in search-engine.js. A prefix of that many characters finds all its terms in one shard.
pub fn shard_of(term: &str, shards: usize) -> usize {
    let mut chars = term.chars();
    let key = match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if !terms::is_cjk(a) => a as usize * 31 + b as usize,
        (Some(a), _) => a as usize,
        _ => 0,
    };
    key % shards.max(1)
}

/// What an index is made for: its language, how its words become terms, the words it is shown
/// with and its everyday words.
#[derive(Clone, Copy)]
pub struct Setting<'a> {
    pub lang: &'a str,
    pub stemmer: Stemmer,
    pub words: IndexWords<'a>,
    pub synonyms: &'a Synonyms,
}

impl Setting<'_> {
    pub fn add_to(&self, key: &mut Fingerprint) {
        key.str(self.lang).str(&format!("{:?}", self.stemmer));
        self.words.add_to(key);
        for (k, values) in self.synonyms.of(self.lang) {
            key.str(k).u64(values.len() as u64);
            values.iter().for_each(|v| {
                key.str(v);
            });
        }
    }
}

/// The index of `docs`.
pub fn index_files(setting: Setting, docs: &[Document]) -> IndexFiles {
    let Setting { lang, stemmer, words, synonyms } = setting;
    let mut pages: Vec<&str> = docs.iter().map(|d| d.page.as_str()).collect();
    pages.dedup();
    let postings = Postings::of(docs, &pages, stemmer);
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
        stemmer,
        synonyms: synonyms.of(lang),
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

/// Each term's postings, each slide's row of the index, and the words as written that were made
/// into other terms (word → term). A term's postings list the index of each slide holding it, in
/// order, each followed by its weight negated when that is more than 1 (`[3, 7, -4]`: slide 3
/// once, slide 7 four times), which keeps the shards small.
struct Postings<'d> {
    terms: FxHashMap<String, Vec<i32>>,
    words: FxHashMap<String, String>,
    /// [slide number, page index, title, length in terms]
    rows: Vec<(u32, usize, &'d str, usize)>,
    total_length: usize,
}

/// A shard of the index: terms with their postings, and words as written with their terms.
type Shard<'p> = (BTreeMap<&'p str, &'p Vec<i32>>, BTreeMap<&'p str, &'p str>);

impl<'d> Postings<'d> {
    /// Each slide's weighted terms, in parallel, a batch of slides at a time (so the per-slide
    /// lists of only two batches are held); each batch is merged into the postings, in slide
    /// order, while the next is weighed.
    fn of(docs: &'d [Document], pages: &[&str], stemmer: Stemmer) -> Postings<'d> {
        let page_index: std::collections::HashMap<&str, usize> =
            pages.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        let mut postings = Postings {
            terms: FxHashMap::default(),
            words: FxHashMap::default(),
            rows: Vec::with_capacity(docs.len()),
            total_length: 0,
        };
        let batches: Vec<&[Document]> = docs.chunks(WEIGH_BATCH).collect();
        let weigh_batch = |chunk: &[Document]| -> Vec<Weighed> {
            chunk.par_iter().map(|d| weigh(d, stemmer)).collect()
        };
        let mut weighed = batches.first().map(|chunk| weigh_batch(chunk)).unwrap_or_default();
        for (batch, chunk) in batches.iter().enumerate() {
            let merge = || {
                for (j, (d, weighed)) in chunk.iter().zip(std::mem::take(&mut weighed)).enumerate()
                {
                    let page = page_index.get(d.page.as_str()).copied().unwrap_or(0);
                    postings.add((batch * WEIGH_BATCH + j) as u32, d, page, weighed);
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
    fn add(&mut self, i: u32, d: &'d Document, page: usize, weighed: Weighed) {
        for (term, w) in weighed.terms() {
            let postings = match self.terms.get_mut(term) {
                Some(postings) => postings,
                None => self.terms.entry(term.to_string()).or_default(),
            };
            postings.push(i as i32);
            if w > 1 {
                postings.push(-(w.min(i32::MAX as u32) as i32));
            }
        }
        for (word, term) in weighed.words {
            self.words.entry(word).or_insert(term);
        }
        self.total_length += weighed.length;
        self.rows.push((d.slide, page, d.title.as_str(), weighed.length));
    }

    /// The terms (and words) in shards by their first character, sorted within a shard, about
    /// [`SHARD_BYTES`] each.
    fn shards(&self) -> Vec<Shard<'_>> {
        let size: usize = self.terms.iter().map(|(t, p)| t.len() + p.len() * 4 + 6).sum::<usize>()
            + self.words.iter().map(|(w, t)| w.len() + t.len() + 6).sum::<usize>();
        let shard_count = size.div_ceil(SHARD_BYTES).clamp(1, 1024);
        let mut shards: Vec<Shard> = vec![Default::default(); shard_count];
        for (term, postings) in &self.terms {
            shards[shard_of(term, shard_count)].0.insert(term, postings);
        }
        for (word, term) in &self.words {
            shards[shard_of(word, shard_count)].1.insert(word, term);
        }
        shards
    }
}

/// How many slides are weighed at once.
const WEIGH_BATCH: usize = 512;

/// A slide's terms with their weights (explains ×8, title ×3, headings ×2, text ×1), in no order
/// (each term's postings are kept in slide order when merged), its length in terms, and its words
/// as written that were made into other terms. The terms are spans of the slide's normalised text
/// where they can be, so a slide costs a few allocations, not one a term.
struct Weighed {
    /// The slide's fields, normalised, one after another.
    text: String,
    /// (start, end, weight) of each term in `text`.
    spans: Vec<(u32, u32, u32)>,
    /// Terms that are not in `text` as they are (stems).
    others: Vec<(String, u32)>,
    words: Vec<(String, String)>,
    length: usize,
}

impl Weighed {
    fn terms(&self) -> impl Iterator<Item = (&str, u32)> {
        let spans =
            self.spans.iter().map(|&(start, end, w)| (&self.text[start as usize..end as usize], w));
        spans.chain(self.others.iter().map(|(t, w)| (t.as_str(), *w)))
    }
}

/// The slide's fields, normalised, each on a line of its own (no term spans two of them), with
/// the byte range and weight of each.
fn fields_text(d: &Document) -> (String, Vec<(usize, usize, u32)>) {
    let fields = d
        .explains
        .iter()
        .map(|e| (e.as_str(), 8))
        .chain(std::iter::once((d.title.as_str(), 3)))
        .chain(d.headings.iter().map(|h| (h.as_str(), 2)))
        .chain(std::iter::once((d.text.as_str(), 1)));
    let mut text = String::new();
    let mut ranges = Vec::new();
    for (field, weight) in fields {
        let start = text.len();
        text.push_str(&normalize(field));
        ranges.push((start, text.len(), weight));
        text.push('\n');
    }
    (text, ranges)
}

fn weigh(d: &Document, stemmer: Stemmer) -> Weighed {
    let (text, ranges) = fields_text(d);
    let mut weights: FxHashMap<&str, u32> = FxHashMap::default();
    let mut others: FxHashMap<String, u32> = FxHashMap::default();
    let mut words: FxHashMap<&str, String> = FxHashMap::default();
    let mut length = 0;
    for &(start, end, weight) in &ranges {
        for_each_term(&text[start..end], stemmer, |term: Term| {
            length += 1;
            let at = &text[start + term.range.start..start + term.range.end];
            match term.made {
                None => *weights.entry(at).or_default() += weight,
                Some(made) => {
                    words.entry(at).or_insert_with(|| made.clone());
                    *others.entry(made).or_default() += weight;
                }
            }
        });
    }
    // A term made from a word may also stand as written elsewhere in the slide: one entry each.
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
    let words = words.into_iter().map(|(w, t)| (w.to_string(), t)).collect();
    Weighed { spans, others: others.into_iter().collect(), words, length, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(label: &str) -> IndexWords<'_> {
        IndexWords {
            label,
            name: "",
            none: "",
            count: "",
            count_one: "",
            count_in: "",
            partial: "",
            direct: "",
            page: "",
        }
    }

    fn setting<'a>(lang: &'a str, label: &'a str, synonyms: &'a Synonyms) -> Setting<'a> {
        Setting { lang, stemmer: Stemmer::of_language(lang), words: words(label), synonyms }
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
        let none = Synonyms::default();
        let files = index_files(setting("ja", "スライド{n}", &none), &docs);
        assert!(files.meta.starts_with("window.tebikiSearchIndex={"));
        assert!(files.meta.contains("\"shards\":[\"search-ja-s0."), "{}", files.meta);
        let shard = &files.parts[0].1;
        assert!(shard.contains("\"ふり\":[0,-4]"), "{shard}");
        assert_eq!(shard_of("ふり", 7), 'ふ' as usize % 7);
        assert_eq!(shard_of("certif", 7), ('c' as usize * 31 + 'e' as usize) % 7);
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
        let none = Synonyms::default();
        let files = index_files(setting("en", "Slide {n}", &none), &docs);
        let shards: String = files.parts.iter().map(|(_, script)| script.as_str()).collect();
        assert!(
            shards.contains("\"entri\":[0,-4]"),
            "title ×3 and text ×1 in one posting: {shards}"
        );
        assert!(shards.contains("\"entries\":\"entri\""), "the words as written: {shards}");
    }
}
