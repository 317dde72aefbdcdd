//! The cache of processed pictures (`.tebiki-cache/images/<fingerprint>/`), trusted for nothing:
//! a project folder may be shared, copied or committed with its cache, so every entry is checked
//! before it is used and a bad one is removed and made again.
//!
//! An entry holds the published files and `picture.txt`: a format line, "WIDTH HEIGHT", then one
//! "VARIANT_WIDTH FILE_NAME SHA256" line per size. It is used only when it gives exactly the sizes
//! and file names the picture itself calls for (names and paths are never taken from the cache),
//! every file is an ordinary file (no link is followed) holding the bytes its line records, each a
//! WebP picture of its size, and, for a picture with redactions, every redacted area is black in
//! every size (tebiki blacks them out again after each resize, so this proves the pixels came
//! from the redaction).

use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use image::{ImageFormat, ImageReader, Rgba};
use sha2::{Digest, Sha256};

use crate::screens::{Picture, Rect};

const FORMAT: &str = "tebiki-picture 2";
const META: &str = "picture.txt";
/// The largest cached file read.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The cache folder, if it can be trusted to be one: a real folder (or none yet), not a link that
/// would send the cache's files elsewhere.
pub struct Cache {
    dir: Option<PathBuf>,
}

/// What the cache gives for one picture.
pub enum Lookup {
    /// The published files, checked.
    Hit(Vec<(PathBuf, Vec<u8>)>),
    Miss,
    /// An entry that failed a check (now removed).
    Bad,
}

impl Cache {
    /// The cache at `dir` (`.tebiki-cache/images` of the project at `root`).
    pub fn open(root: &Path, dir: &Path) -> Cache {
        let real_or_absent = |p: &Path| fs::symlink_metadata(p).map_or(true, |m| m.is_dir());
        let parents = dir
            .strip_prefix(root)
            .ok()
            .map(|rel| rel.ancestors().map(|a| root.join(a)).collect::<Vec<_>>());
        let trusted = parents.is_some_and(|all| all.iter().all(|p| p == root || real_or_absent(p)));
        Cache { dir: trusted.then(|| dir.to_path_buf()) }
    }

    /// No cache: every lookup misses, nothing is kept.
    pub fn none() -> Cache {
        Cache { dir: None }
    }

    /// The checked entry for `key`, which must give `expected` (with `redact` blacked out).
    pub fn load(&self, key: &str, expected: &Picture, redact: &[Rect]) -> Lookup {
        let Some(dir) = self.dir.as_ref().map(|d| d.join(key)) else { return Lookup::Miss };
        match fs::symlink_metadata(&dir) {
            Err(_) => return Lookup::Miss,
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                let _ = fs::remove_file(&dir);
                return Lookup::Bad;
            }
        }
        match verified(&dir, expected, redact) {
            Some(files) => Lookup::Hit(files),
            None => {
                let _ = fs::remove_dir_all(&dir);
                Lookup::Bad
            }
        }
    }

    /// Keeps `files` (the sizes of `picture`, in order) under `key`. Best effort: a cache that
    /// cannot be written only costs time next run.
    pub fn store(&self, key: &str, picture: &Picture, files: &[(PathBuf, Vec<u8>)]) {
        let Some(cache) = &self.dir else { return };
        if fs::create_dir_all(cache).is_err() {
            return;
        }
        let Ok(staging) = tempfile::Builder::new().prefix(".new-").tempdir_in(cache) else {
            return;
        };
        let mut meta = format!("{FORMAT}\n{} {}\n", picture.width, picture.height);
        for (variant, (path, bytes)) in picture.variants.iter().zip(files) {
            let Some(name) = path.file_name() else { return };
            if fs::write(staging.path().join(name), bytes).is_err() {
                return;
            }
            let name = name.to_string_lossy();
            meta.push_str(&format!("{} {name} {}\n", variant.width, sha256(bytes)));
        }
        if fs::write(staging.path().join(META), meta).is_ok() {
            let kept = staging.keep();
            if fs::rename(&kept, cache.join(key)).is_err() {
                let _ = fs::remove_dir_all(&kept);
            }
        }
    }
}

/// The files of the entry at `dir`, if it passes every check.
fn verified(dir: &Path, expected: &Picture, redact: &[Rect]) -> Option<Vec<(PathBuf, Vec<u8>)>> {
    let meta = String::from_utf8(read_plain(&dir.join(META), 64 * 1024)?).ok()?;
    let mut lines = meta.lines();
    if lines.next() != Some(FORMAT) {
        return None;
    }
    if lines.next()? != format!("{} {}", expected.width, expected.height) {
        return None;
    }
    let mut files = Vec::new();
    for variant in &expected.variants {
        let path = PathBuf::from(&variant.path);
        let name = path.file_name()?.to_string_lossy().to_string();
        let (width, rest) = lines.next()?.split_once(' ')?;
        let (file, hash) = rest.split_once(' ')?;
        if width != variant.width.to_string() || file != name {
            return None;
        }
        let bytes = read_plain(&dir.join(&name), MAX_FILE_BYTES)?;
        let size = (variant.width, expected.height_at(variant.width));
        if sha256(&bytes) != hash || !is_webp_of(&bytes, size, redact) {
            return None;
        }
        files.push((path, bytes));
    }
    lines.next().is_none().then_some(files)
}

/// The bytes of the ordinary file `path` (a link or anything else gives nothing), if no larger
/// than `limit`.
fn read_plain(path: &Path, limit: u64) -> Option<Vec<u8>> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > limit {
        return None;
    }
    let mut bytes = Vec::new();
    fs::File::open(path).ok()?.take(limit).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Whether `bytes` is a WebP picture of `size`, with every area of `redact` black.
fn is_webp_of(bytes: &[u8], size: (u32, u32), redact: &[Rect]) -> bool {
    let reader = || ImageReader::with_format(Cursor::new(bytes), ImageFormat::WebP);
    if reader().into_dimensions().ok() != Some(size) {
        return false;
    }
    if redact.is_empty() {
        return true;
    }
    let Ok(decoded) = reader().decode() else { return false };
    let pixels = decoded.to_rgba8();
    redact.iter().all(|r| {
        let (x0, y0, x1, y1) = r.pixels(size.0, size.1);
        (y0..y1).all(|y| (x0..x1).all(|x| *pixels.get_pixel(x, y) == Rgba([0, 0, 0, 255])))
    })
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
