//! The reuse layer: what a run may take from earlier runs instead of making it again. Only the
//! pipeline calls it; the stages never know whether anything is remembered.
//!
//! A `build` or `check` uses [`Memo::off`], which remembers nothing (every lookup misses, nothing
//! is kept, no key is even made). `tebiki serve` keeps one [`Memo::on`] between builds, so that an
//! edit re-does only the work that depends on it: slide files by their size and time of change,
//! slide bodies by their file's text, pictures by their jobs, search indexes by their documents,
//! finished pages by their rendered HTML, one-file editions by their print page.
//!
//! Every entry is keyed by a fingerprint of the bytes of all its inputs; anything that every part
//! may depend on (settings, checker rules, extra pages, the theme, the accessibility results, the
//! list of pictures) is in the memo's `world`, and a change there empties the memo.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::a11y;
use crate::assets::Assets;
use crate::bodies::SlideBody;
use crate::content::{SlideFile, SlideSource};
use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::images::{Outcome, Stats};
use crate::screens::ScreenSpec;
use crate::search::IndexFiles;
use crate::source;

#[derive(Default)]
pub struct Memo {
    on: bool,
    world: u64,
    pub(crate) bodies: Table<SlideBody>,
    /// Finished bytes by page (path and rendered HTML).
    pub(crate) pages: Table<Vec<u8>>,
    pub(crate) search: Table<IndexFiles>,
    pub(crate) offline: Table<Vec<u8>>,
    /// The picture stage's result by its set of picture jobs.
    pub(crate) pictures: Table<(Vec<Result<Outcome, String>>, Stats)>,
    /// The slide files as last read, kept even when `world` changes (they depend on nothing else).
    sources: Sources,
    /// What a preview takes from the last build of the whole site that succeeded.
    pub(crate) last: Option<Last>,
    /// How many slide bodies and pages the last build took from the memo, and made anew.
    pub reused: usize,
    pub made: usize,
}

/// From the last good build of the whole site: the published assets' names (the search indexes
/// among them) and the default language's screens, which a preview's pages use as they are.
#[derive(Clone)]
pub(crate) struct Last {
    pub(crate) assets: Assets,
    pub(crate) inherited: BTreeMap<u32, Vec<ScreenSpec>>,
}

/// A remembered result's key (`None`: nothing is remembered).
pub type Key = Option<u64>;

/// Where a result came from, when there is a memo: its key, and whether it was made anew.
pub type Origin = Option<(u64, bool)>;

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

impl<T: Clone> Table<T> {
    /// The result remembered under `key`, or else `make()`'s, with where it came from.
    pub(crate) fn recall<E>(
        &self,
        key: Key,
        make: impl FnOnce() -> Result<T, E>,
    ) -> (Result<T, E>, Origin) {
        match key.and_then(|key| Some((key, self.entries.get(&key)?))) {
            Some((key, value)) => (Ok(value.clone()), Some((key, false))),
            None => (make(), key.map(|key| (key, true))),
        }
    }

    /// [`Table::recall`] for work that cannot fail.
    pub(crate) fn get_or(&self, key: Key, make: impl FnOnce() -> T) -> (T, Origin) {
        let (value, origin) = self.recall(key, || Ok::<_, std::convert::Infallible>(make()));
        let Ok(value) = value;
        (value, origin)
    }

    /// Records that this build used the result of `origin`, remembering `value` if it was made
    /// anew.
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

impl Memo {
    /// Remembers nothing: for a single build.
    pub fn off() -> Memo {
        Memo::default()
    }

    /// Remembers what each build made, for the next (`serve`).
    pub fn on() -> Memo {
        Memo { on: true, ..Memo::default() }
    }

    /// Whether anything is remembered.
    pub fn remembers(&self) -> bool {
        self.on
    }

    /// Starts a build: forgets everything if the project's shared inputs changed.
    pub fn begin(&mut self, root: &Path) {
        if self.on {
            let world = world(root);
            if world != self.world {
                let sources = std::mem::take(&mut self.sources);
                *self = Memo { on: true, world, sources, ..Memo::default() };
            }
        }
        self.reused = 0;
        self.made = 0;
    }

    /// Ends a build that succeeded: keeps only what it used, since older versions of a slide or a
    /// page are never asked for again, and what a preview needs of it.
    pub(crate) fn end(&mut self, last: Last) {
        if !self.on {
            return;
        }
        self.last = Some(last);
        self.bodies.prune();
        self.pages.prune();
        self.search.prune();
        self.offline.prune();
        self.pictures.prune();
    }

    /// The key of a result made from the parts `add` gives (and the world); `None` when nothing
    /// is remembered, so a build never spends time on keys.
    pub(crate) fn key(&self, add: impl FnOnce(&mut Fingerprint)) -> Key {
        self.on.then(|| {
            let mut key = Fingerprint::new();
            key.u64(self.world);
            add(&mut key);
            key.finish()
        })
    }

    /// Counts a slide body or a page as reused or made anew.
    pub(crate) fn tally(&mut self, origin: Origin) {
        match origin {
            Some((_, true)) => self.made += 1,
            Some((_, false)) => self.reused += 1,
            None => {}
        }
    }

    /// Reads `files` with `read` (in parallel, in order), taking from the last run those whose
    /// size and time of change are the same.
    pub(crate) fn read_slides(
        &mut self,
        root: &Path,
        files: Vec<SlideFile>,
        read: impl Fn(&SlideFile) -> Result<SlideSource, Diagnostic> + Sync + Send,
    ) -> Vec<Result<SlideSource, Diagnostic>> {
        if !self.on {
            return files.par_iter().map(read).collect();
        }
        self.sources.read(root, files, read)
    }

    /// The slide files the last read took anew (all of them the first time).
    pub(crate) fn changed_slides(&self) -> &[PathBuf] {
        &self.sources.changed
    }
}

/// Slide files read before: each with the size and time of change it had, so a rebuild reads again
/// only the files that changed (at 10,000 slides a language, opening every file takes longer than
/// the rest of a preview).
#[derive(Default)]
struct Sources {
    files: HashMap<PathBuf, (Stamp, SlideSource)>,
    changed: Vec<PathBuf>,
}

type Stamp = (u64, Option<SystemTime>);

impl Sources {
    fn read(
        &mut self,
        root: &Path,
        files: Vec<SlideFile>,
        read: impl Fn(&SlideFile) -> Result<SlideSource, Diagnostic> + Sync + Send,
    ) -> Vec<Result<SlideSource, Diagnostic>> {
        let known = &self.files;
        let results: Vec<(Result<SlideSource, Diagnostic>, Option<Stamp>)> = files
            .par_iter()
            .map(|file| {
                let stamp = std::fs::metadata(root.join(&file.rel))
                    .ok()
                    .map(|m| (m.len(), m.modified().ok()));
                match known.get(&file.rel).filter(|(s, _)| Some(*s) == stamp) {
                    Some((_, slide)) => (Ok(slide.clone()), None),
                    None => (read(file), stamp),
                }
            })
            .collect();
        let present: HashSet<&PathBuf> = files.iter().map(|f| &f.rel).collect();
        self.files.retain(|rel, _| present.contains(rel));
        self.changed.clear();
        for (result, stamp) in &results {
            if let (Ok(slide), Some(stamp)) = (result, stamp) {
                self.changed.push(slide.file.rel.clone());
                self.files.insert(slide.file.rel.clone(), (*stamp, slide.clone()));
            }
        }
        results.into_iter().map(|(result, _)| result).collect()
    }
}

/// A fingerprint of what every part of a build may depend on, except the slide files: the settings,
/// the checker, the extra pages, the theme (files and their contents), the accessibility results
/// and the pictures (names, sizes and times; their contents are cached on disk by the picture
/// stage).
fn world(root: &Path) -> u64 {
    let mut key = Fingerprint::new();
    let files = |dir: &str| -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(root.join(dir))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            // A link counts too (its target's contents and times are what a build reads).
            .filter(|e| e.file_type().is_file() || e.path_is_symlink())
            .map(|e| e.into_path())
            .collect();
        found.sort();
        found
    };
    let slides = root.join(crate::content::SLIDES_DIR);
    let texts =
        files("content").into_iter().chain(files("theme")).filter(|p| !p.starts_with(&slides));
    for path in texts.chain(std::iter::once(root.join(a11y::RESULTS_FILE))) {
        key.str(&path.to_string_lossy());
        // Only ordinary files are read (a named pipe here would hang the server).
        let rel = path.strip_prefix(root).unwrap_or(&path);
        key.bytes(&source::read_bytes(root, rel, source::MAX_TEXT_BYTES).unwrap_or_default());
    }
    for path in files("images") {
        let meta = std::fs::metadata(&path).ok();
        let stamp = meta
            .as_ref()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        key.str(&path.to_string_lossy());
        key.u64(meta.map_or(0, |m| m.len()));
        key.bytes(&stamp.to_le_bytes());
    }
    key.str(&root.to_string_lossy());
    key.finish()
}
