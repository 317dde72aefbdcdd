//! What `tebiki serve` keeps between builds, so that an edit re-does only the work that depends on
//! it: slide bodies by their file's text, finished pages by their rendered HTML, search indexes by
//! their documents, one-file editions by their print page. Every entry is keyed by a fingerprint of
//! all its inputs; anything that every part may depend on (settings, checker rules, theme, the
//! list of pictures) is in [`Memo::world`], and a change there empties the memo.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;
use crate::fingerprint;
use crate::markdown::RenderedBody;
use crate::search::IndexFiles;

#[derive(Default)]
pub struct Memo {
    world: u64,
    /// (chapter body, print body, problems) by slide.
    pub(crate) bodies: HashMap<u64, (RenderedBody, String, Diagnostics)>,
    /// Finished bytes by page (path and rendered HTML).
    pub(crate) pages: HashMap<u64, Vec<u8>>,
    pub(crate) search: HashMap<u64, IndexFiles>,
    pub(crate) offline: HashMap<u64, Vec<u8>>,
    /// The picture stage's result for the last set of picture jobs.
    pub(crate) pictures: HashMap<u64, (Vec<Result<crate::images::Outcome, String>>, crate::images::Stats)>,
    /// How many slide bodies and pages the last build took from the memo, and made anew.
    pub reused: usize,
    pub made: usize,
}

impl Memo {
    /// Starts a build: forgets everything if the project's shared inputs changed.
    pub fn begin(&mut self, root: &Path) {
        let world = world(root);
        if world != self.world {
            *self = Memo { world, ..Memo::default() };
        }
        self.reused = 0;
        self.made = 0;
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
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(root.join(dir)).sort_by_file_name().into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()).map(|e| e.into_path()).collect();
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
        let stamp = meta.as_ref().and_then(|m| m.modified().ok()).and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
        parts.push(format!("{}:{}:{stamp}", path.display(), meta.map_or(0, |m| m.len())).into_bytes());
    }
    parts.push(root.to_string_lossy().into_owned().into_bytes());
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    fingerprint(&refs)
}
