//! What `tebiki serve` keeps between builds, so that an edit re-does only the work that depends on
//! it: slide bodies by their file's text, finished pages by their rendered HTML, search indexes by
//! their documents, one-file editions by their print page. Every entry is keyed by a fingerprint of
//! all its inputs; anything that every part may depend on (settings, checker rules, theme, the
//! list of pictures) is in [`Memo::world`], and a change there empties the memo.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;
use crate::fingerprint;
use crate::markdown::RenderedBody;
use crate::search::IndexFiles;

#[derive(Default)]
pub struct Memo {
    world: u64,
    /// (chapter body, print body, problems) by slide.
    pub(crate) bodies: Table<(RenderedBody, String, Diagnostics)>,
    /// Finished bytes by page (path and rendered HTML).
    pub(crate) pages: Table<Vec<u8>>,
    pub(crate) search: Table<IndexFiles>,
    pub(crate) offline: Table<Vec<u8>>,
    /// The picture stage's result by its set of picture jobs.
    pub(crate) pictures: Table<(Vec<Result<crate::images::Outcome, String>>, crate::images::Stats)>,
    /// The slide files as last read, kept even when `world` changes (they depend on nothing else).
    pub(crate) sources: crate::content::Known,
    /// What a preview takes from the last build of the whole site that succeeded.
    pub(crate) last: Option<Last>,
    /// How many slide bodies and pages the last build took from the memo, and made anew.
    pub reused: usize,
    pub made: usize,
}

/// From the last good build of the whole site: the published assets' names (the search indexes
/// among them) and the default language's screens, which a preview's pages use as they are.
pub(crate) struct Last {
    pub(crate) assets: crate::render::Assets,
    pub(crate) inherited: std::collections::BTreeMap<u32, Vec<crate::screens::ScreenSpec>>,
}

/// One kind of remembered work: results by the fingerprint of their inputs, and the keys the
/// current build used (what it did not use is forgotten when it ends).
pub struct Table<T> {
    entries: HashMap<u64, T>,
    used: HashSet<u64>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table { entries: HashMap::new(), used: HashSet::new() }
    }
}

/// Where a result came from, when there is a memo: its key, and whether it was made anew.
pub type Origin = Option<(u64, bool)>;

impl<T: Clone> Table<T> {
    /// Records that this build used the result of `origin`, remembering `value` if it was made anew.
    pub(crate) fn keep(&mut self, origin: Origin, value: &T) {
        if let Some((key, made)) = origin {
            if made {
                self.entries.insert(key, value.clone());
            }
            self.used.insert(key);
        }
    }

    /// Records that this build used the result of `origin`, which was taken from the table.
    pub(crate) fn keep_known(&mut self, origin: Origin) {
        if let Some((key, made)) = origin {
            debug_assert!(!made, "a result made anew must be kept with its value");
            self.used.insert(key);
        }
    }

    fn prune(&mut self) {
        let used = std::mem::take(&mut self.used);
        self.entries.retain(|key, _| used.contains(key));
    }
}

/// The result remembered under `key` in `table`, or else `make()`'s, with where it came from.
pub(crate) fn recall<T: Clone, E>(
    table: Option<&Table<T>>,
    key: Option<u64>,
    make: impl FnOnce() -> Result<T, E>,
) -> (Result<T, E>, Origin) {
    match key.and_then(|key| Some((key, table?.entries.get(&key)?))) {
        Some((key, value)) => (Ok(value.clone()), Some((key, false))),
        None => (make(), key.map(|key| (key, true))),
    }
}

impl Memo {
    /// Starts a build: forgets everything if the project's shared inputs changed.
    pub fn begin(&mut self, root: &Path) {
        let world = world(root);
        if world != self.world {
            *self = Memo { world, sources: std::mem::take(&mut self.sources), ..Memo::default() };
        }
        self.reused = 0;
        self.made = 0;
    }

    /// Ends a build that succeeded: keeps only what it used, since older versions of a slide or a
    /// page are never asked for again.
    pub(crate) fn end(&mut self) {
        self.bodies.prune();
        self.pages.prune();
        self.search.prune();
        self.offline.prune();
        self.pictures.prune();
    }

    /// Counts a slide body or a page as reused or made anew.
    pub(crate) fn tally(&mut self, origin: Origin) {
        match origin {
            Some((_, true)) => self.made += 1,
            Some((_, false)) => self.reused += 1,
            None => {}
        }
    }

    pub fn world(&self) -> u64 {
        self.world
    }
}

/// The key of a language's search index: everything the index is made of.
pub fn search_key(world: u64, lang: &str, label: &str, docs: &[crate::search::Document]) -> u64 {
    let mut bytes = Vec::new();
    for d in docs {
        bytes.extend_from_slice(&d.slide.to_le_bytes());
        for text in [&d.page, &d.title, &d.text].into_iter().chain(&d.headings).chain(&d.explains) {
            bytes.extend_from_slice(text.as_bytes());
            bytes.push(0xff);
        }
        bytes.push(0xfe);
    }
    fingerprint(&[&world.to_le_bytes(), lang.as_bytes(), label.as_bytes(), &bytes])
}

/// A fingerprint of what every part of a build may depend on, except the slide files: the settings,
/// the checker, the extra pages, the theme (files and their contents) and the pictures (names,
/// sizes and times; their contents are cached on disk by the picture stage).
fn world(root: &Path) -> u64 {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    let files = |dir: &str| -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(root.join(dir))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        found.sort();
        found
    };
    for path in files("content").into_iter().chain(files("theme")) {
        if path.starts_with(root.join("content/slides")) {
            continue;
        }
        parts.push(path.to_string_lossy().into_owned().into_bytes());
        parts.push(std::fs::read(&path).unwrap_or_default());
    }
    for path in files("images") {
        let meta = std::fs::metadata(&path).ok();
        let stamp = meta
            .as_ref()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        parts.push(
            format!("{}:{}:{stamp}", path.display(), meta.map_or(0, |m| m.len())).into_bytes(),
        );
    }
    parts.push(root.to_string_lossy().into_owned().into_bytes());
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    fingerprint(&refs)
}
