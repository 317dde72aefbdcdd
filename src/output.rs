//! The write stage: the output folder is checked for safety, the whole site is written to a fresh
//! folder beside it, and only then swapped into place, so a failed build leaves the previous site
//! exactly as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// Marks a folder as tebiki's output, so a later build may replace it.
pub const MARKER: &str = ".tebiki-output";
const MARKER_TEXT: &str = "This folder is made by `tebiki build` and replaced whole on every build.\n";

/// Folders of the project that an output folder must never be or be inside.
const PROTECTED: &[&str] = &["content", "theme", "images", "src", "tests", ".git", ".ci", crate::CACHE_DIR];

/// `path` made absolute and free of `.` and `..`, without touching the file system for the parts
/// that do not exist yet.
fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Resolve symlinks in the longest existing prefix, then add the rest lexically.
    let mut existing = absolute.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    for part in rest.into_iter().rev() {
        for c in Path::new(&part).components() {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other.as_os_str()),
            }
        }
    }
    out
}

/// Checks that `out` is a safe place to write the site of the project at `root`, and returns it
/// absolute.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<PathBuf, Diagnostic> {
    let root = normalize(root);
    let shown = out.display().to_string();
    let out = normalize(&if out.is_absolute() { out.to_path_buf() } else { root.join(out) });
    let refuse = |why: &str| {
        Err(Diagnostic::new(&shown, format!("refusing to write the site to `{shown}`: {why}"))
            .help("choose an output folder of its own, e.g. `--out public`"))
    };
    if out.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if out == root {
        return refuse("it is the project folder itself, and building replaces the whole output folder");
    }
    if root.starts_with(&out) {
        return refuse("it contains the project folder, and building replaces the whole output folder");
    }
    for dir in PROTECTED {
        if out.starts_with(root.join(dir)) {
            return refuse(&format!("it is inside the project's `{dir}/` folder"));
        }
    }
    if out.is_file() {
        return refuse("it is a file");
    }
    if out.is_dir() && !out.join(MARKER).exists() && fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return refuse("it is a folder with files that tebiki did not make (building would delete them)");
    }
    Ok(out)
}

/// Writes `files` (paths relative to the output folder) as the new content of `out`, atomically:
/// everything goes to a temporary folder beside `out`, which then replaces it.
pub fn write_site(out: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<(), Diagnostic> {
    let fail = |what: String| Diagnostic::new(out, what).help("check that the output folder's parent exists and is writable");
    let parent = out.parent().ok_or_else(|| fail("the output folder has no parent".into()))?;
    fs::create_dir_all(parent).map_err(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
    let name = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(parent)
        .map_err(|e| fail(format!("cannot create a temporary folder in {}: {e}", parent.display())))?;
    for (rel, bytes) in files.iter().chain([(&PathBuf::from(MARKER), &MARKER_TEXT.as_bytes().to_vec())]) {
        let path = staging.path().join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
        }
        fs::write(&path, bytes).map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
    }
    let staged = staging.keep();
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = out.exists();
    if had_old {
        fs::rename(out, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&staged);
            fail(format!("cannot move the previous site aside: {e}"))
        })?;
    }
    if let Err(e) = fs::rename(&staged, out) {
        if had_old {
            let _ = fs::rename(&old, out);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(fail(format!("cannot move the new site into place: {e}")));
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Brings `out`, which holds `previous`, up to date with `files` by writing only the files that
/// differ (each to a temporary name, then renamed over the old one) and removing those that are
/// gone. For `tebiki serve`, where rebuilding the whole folder on every save would be slow; returns
/// how many files were written or removed.
pub fn update_site(out: &Path, previous: &BTreeMap<PathBuf, Vec<u8>>, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<usize, Diagnostic> {
    let fail = |what: String| Diagnostic::new(out, what).help("check that the output folder is writable");
    let mut count = 0;
    for (rel, bytes) in files {
        if previous.get(rel) == Some(bytes) && out.join(rel).is_file() {
            continue;
        }
        let path = out.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
        }
        let mut temp = path.clone().into_os_string();
        temp.push(".tebiki-new");
        fs::write(&temp, bytes).map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
        fs::rename(&temp, &path).map_err(|e| fail(format!("cannot replace {}: {e}", path.display())))?;
        count += 1;
    }
    for rel in previous.keys().filter(|rel| !files.contains_key(*rel) && rel.as_os_str() != MARKER) {
        if fs::remove_file(out.join(rel)).is_ok() {
            count += 1;
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("content")).unwrap();
        for bad in [".", "content", "content/x", "..", "/", "theme"] {
            assert!(check_out_dir(root, Path::new(bad)).is_err(), "{bad} was accepted");
        }
        assert!(check_out_dir(root, Path::new("public")).is_ok());
        fs::create_dir_all(root.join("mine")).unwrap();
        fs::write(root.join("mine/notes.txt"), "x").unwrap();
        let err = check_out_dir(root, Path::new("mine")).unwrap_err();
        assert!(err.message.contains("did not make"), "{}", err.message);
    }

    #[test]
    fn replaces_the_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut files = BTreeMap::new();
        files.insert(PathBuf::from("a/old.html"), b"old".to_vec());
        write_site(&out, &files).unwrap();
        let mut files = BTreeMap::new();
        files.insert(PathBuf::from("new.html"), b"new".to_vec());
        write_site(&out, &files).unwrap();
        assert!(!out.join("a/old.html").exists());
        assert_eq!(fs::read(out.join("new.html")).unwrap(), b"new");
        assert!(out.join(MARKER).exists());
        assert!(check_out_dir(dir.path(), Path::new("public")).is_ok());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().filter_map(Result::ok).map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
