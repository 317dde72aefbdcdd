//! The cache of processed pictures (`.tebiki-cache/images/<fingerprint>/`), trusted for nothing:
//! a project folder may be shared, copied or committed with its cache, so every entry is checked
//! before it is used and a bad one is removed and made again.
//!
//! An entry holds the published files and `picture.txt`: a format line, "WIDTH HEIGHT", one
//! "VARIANT_WIDTH FILE_NAME SHA256" line per size, and a last line "mac HEX": an HMAC-SHA256 of
//! the entry's name and the lines before it, under a key of this user on this computer (kept
//! outside every project, in the user's cache folder). So an entry is used only if tebiki made it
//! here, for this picture with these settings; and only when it gives exactly the sizes and file
//! names the picture itself calls for (names and paths are never taken from the cache), every file
//! is an ordinary file (no link is followed) holding the bytes its line records, each a WebP
//! picture of its size, and, for a picture with redactions, every redacted area is black in every
//! size (tebiki blacks them out again after each resize).

use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use hmac::{Hmac, KeyInit, Mac};
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
    key: [u8; 32],
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
        let cache = Cache { dir: trusted.then(|| dir.to_path_buf()), key: user_key() };
        cache.clear_debris();
        cache
    }

    /// Removes what a stopped build left half-stored: `.new-*` folders of the cache older than
    /// ten minutes (storing an entry takes milliseconds, so none of them is still being written).
    fn clear_debris(&self) {
        let Some(Ok(entries)) = self.dir.as_ref().map(fs::read_dir) else { return };
        let stale = |meta: &fs::Metadata| {
            meta.modified()
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 600)
        };
        for entry in entries.filter_map(Result::ok) {
            let left = entry.file_name().to_string_lossy().starts_with(".new-");
            let meta = fs::symlink_metadata(entry.path());
            if left && meta.is_ok_and(|m| m.is_dir() && stale(&m)) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }

    /// No cache: every lookup misses, nothing is kept.
    pub fn none() -> Cache {
        Cache { dir: None, key: [0; 32] }
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
        match verified(&dir, &self.seal(key), expected, redact) {
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
        let mac = self.seal(key).chain_update(meta.as_bytes()).finalize().into_bytes();
        meta.push_str(&format!("mac {}\n", hex(&mac)));
        if fs::write(staging.path().join(META), meta).is_ok() {
            let kept = staging.keep();
            if fs::rename(&kept, cache.join(key)).is_err() {
                let _ = fs::remove_dir_all(&kept);
            }
        }
    }
}

impl Cache {
    /// The HMAC of the entry `key`, to be fed the entry's lines.
    fn seal(&self, key: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key).expect("any key length");
        mac.update(key.as_bytes());
        mac.update(b"\n");
        mac
    }
}

/// The files of the entry at `dir`, if it passes every check; `seal` is its HMAC so far.
fn verified(
    dir: &Path,
    seal: &Hmac<Sha256>,
    expected: &Picture,
    redact: &[Rect],
) -> Option<Vec<(PathBuf, Vec<u8>)>> {
    let meta = String::from_utf8(read_plain(&dir.join(META), 64 * 1024)?).ok()?;
    let (body, mac) = meta.strip_suffix('\n')?.rsplit_once('\n')?;
    let mac = unhex(mac.strip_prefix("mac ")?)?;
    seal.clone().chain_update(format!("{body}\n").as_bytes()).verify_slice(&mac).ok()?;
    let mut lines = body.lines();
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
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    let pair = |i: usize| u8::from_str_radix(std::str::from_utf8(&digits[i..i + 2]).ok()?, 16).ok();
    (0..digits.len()).step_by(2).map(pair).collect()
}

/// This user's key for the cache's seals, kept in the user's cache folder
/// (`$XDG_CACHE_HOME/tebiki/cache-key`, else `~/.cache/tebiki/cache-key`), made at first use; a
/// fresh one for this run where there is no such folder (nothing cached before is then used).
fn user_key() -> [u8; 32] {
    let folder = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| Path::new(&h).join(".cache"))
        });
    folder.and_then(|f| stored_key(&f.join("tebiki"))).unwrap_or_else(fresh_key)
}

fn fresh_key() -> [u8; 32] {
    let mut key = [0; 32];
    // Without randomness the key is all zeros: entries are then sealed, but not secret.
    let _ = getrandom::fill(&mut key);
    key
}

/// The key in `folder/cache-key`, made (written whole, then renamed) if there is none.
fn stored_key(folder: &Path) -> Option<[u8; 32]> {
    let path = folder.join("cache-key");
    if let Some(bytes) = read_plain(&path, 64) {
        return bytes.try_into().ok();
    }
    fs::create_dir_all(folder).ok()?;
    let key = fresh_key();
    let file = tempfile::Builder::new().prefix(".key-").tempfile_in(folder).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(file.path(), fs::Permissions::from_mode(0o600)).ok()?;
    }
    fs::write(file.path(), key).ok()?;
    match file.persist_noclobber(&path) {
        Ok(_) => Some(key),
        // Another build made it at the same moment: use that one.
        Err(_) => read_plain(&path, 64)?.try_into().ok(),
    }
}
