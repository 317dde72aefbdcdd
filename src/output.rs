//! The write stage: the output folder is checked for safety, each file is written into a fresh
//! folder beside it as soon as it is made, and the folder is swapped into place only when the whole
//! build has succeeded, so a failed build leaves the previous site exactly as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::Diagnostic;

/// Marks a folder as tebiki's output, so a later build may replace it.
pub const MARKER: &str = ".tebiki-output";
const MARKER_TEXT: &str =
    "This folder is made by `tebiki build` and replaced whole on every build.\n";

/// Folders of the project that an output folder must never be or be inside.
const PROTECTED: &[&str] =
    &["content", "theme", "images", "src", "tests", ".git", ".ci", crate::fingerprint::CACHE_DIR];

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
/// absolute: not the project or a folder holding it, not inside its sources, not a file or a link
/// or anything else that is not a folder, not a folder of someone else's files.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<PathBuf, Diagnostic> {
    if !root.is_dir() {
        return Err(Diagnostic::new(root, "there is no project folder here")
            .help("check the folder given with --root (tebiki creates nothing there), or make a new guide with `tebiki new DIR`"));
    }
    let given = if out.is_absolute() { out.to_path_buf() } else { root.join(out) };
    let root = normalize(root);
    let shown = out.display().to_string();
    let out = normalize(&given);
    let refuse = |why: &str| {
        Err(Diagnostic::new(&shown, format!("refusing to write the site to `{shown}`: {why}"))
            .help("choose an output folder of its own, e.g. `--out public`"))
    };
    if out.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if out == root {
        return refuse(
            "it is the project folder itself, and building replaces the whole output folder",
        );
    }
    if root.starts_with(&out) {
        return refuse(
            "it contains the project folder, and building replaces the whole output folder",
        );
    }
    for dir in PROTECTED {
        if out.starts_with(root.join(dir)) {
            return refuse(&format!("it is inside the project's `{dir}/` folder"));
        }
    }
    if let Some(why) = not_a_folder(&given) {
        return refuse(why);
    }
    if out.is_dir()
        && !is_marked(&out)
        && fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(true)
    {
        return refuse(
            "it is a folder with files that tebiki did not make (building would delete them)",
        );
    }
    Ok(out)
}

/// Why the thing at `path`, if any, cannot be an output folder (which is replaced whole).
fn not_a_folder(path: &Path) -> Option<&'static str> {
    let meta = fs::symlink_metadata(path).ok()?;
    if meta.file_type().is_symlink() {
        Some("it is a link, and tebiki replaces the output folder whole rather than follow a link")
    } else if meta.is_file() {
        Some("it is a file")
    } else if !meta.is_dir() {
        Some("it is not a folder (a named pipe, a socket or a device)")
    } else {
        None
    }
}

/// Whether `dir` carries tebiki's marker (an ordinary file, not a link), so tebiki made it.
fn is_marked(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Where a build puts its files as it makes them: kept in memory (`check`, `serve`, tests), or
/// written at once into a staging folder beside the output folder, which replaces it only when the
/// whole build has succeeded ([`Output::commit`]). Writing as it goes keeps a build's memory to
/// what it is working on, not the whole site.
pub struct Output {
    kind: Kind,
    /// Every file put so far (paths under the output folder), and how.
    written: Mutex<BTreeMap<PathBuf, Claim>>,
}

enum Kind {
    Memory(Mutex<BTreeMap<PathBuf, Vec<u8>>>),
    /// The staging folder, and the output folder's parent held for this build (`None` where the
    /// file system has no locks, as on some network drives).
    Staging {
        out: PathBuf,
        dir: tempfile::TempDir,
        _lock: Option<fs::File>,
    },
}

/// How a file came into the output: whole ([`Output::put`]: the same file may come again), or
/// written as a stream ([`Output::create`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Claim {
    Whole,
    Stream,
}

impl Output {
    /// Files kept in memory; [`Output::into_files`] hands them over.
    pub fn memory() -> Output {
        Output { kind: Kind::Memory(Mutex::default()), written: Mutex::default() }
    }

    /// The folder the files are written into, for a step that hands them to another program
    /// (the browser that prints the handout); `None` when they are kept in memory.
    pub fn folder(&self) -> Option<&Path> {
        match &self.kind {
            Kind::Memory(_) => None,
            Kind::Staging { dir, .. } => Some(dir.path()),
        }
    }

    /// Files written into a new staging folder beside `out` (removed again unless committed).
    pub fn staging(out: &Path) -> Result<Output, Diagnostic> {
        let fail = |what: String| write_error(out, what);
        let (parent, name) = beside(out)?;
        if let Some(file) = parent.ancestors().find(|p| p.is_file()) {
            return Err(fail(format!(
                "{} is a file, so no folder can be made in it",
                file.display()
            )));
        }
        fs::create_dir_all(parent)
            .map_err(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
        let lock = hold(parent)?;
        clear_debris(out, parent, &name);
        let dir =
            tempfile::Builder::new().prefix(&format!(".{name}.new-")).tempdir_in(parent).map_err(
                |e| fail(format!("cannot create a temporary folder in {}: {e}", parent.display())),
            )?;
        // Marked as tebiki's from the start, so a build that is killed leaves a folder the next
        // build knows it may remove.
        fs::write(dir.path().join(MARKER), MARKER_TEXT)
            .map_err(|e| fail(format!("cannot write in {}: {e}", dir.path().display())))?;
        Ok(Output {
            kind: Kind::Staging { out: out.to_path_buf(), dir, _lock: lock },
            written: Mutex::default(),
        })
    }

    /// Adds the file `rel` (a path under the output folder) with `bytes`. The same file may be
    /// put again; another file at the same path is a problem (two parts of the site named alike).
    pub fn put(&self, rel: PathBuf, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        match written.get(&rel) {
            Some(Claim::Whole) if self.read(&rel).is_some_and(|b| b == bytes) => return Ok(()),
            Some(_) => return Err(collision(&rel)),
            None => {}
        }
        self.write(&rel, |w| w.write_all(&bytes))?;
        written.insert(rel, Claim::Whole);
        Ok(())
    }

    /// Adds the file `rel`, its content written by `fill` (for a file too big to hold whole).
    /// A path already taken is a problem.
    pub fn create(
        &self,
        rel: &Path,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Diagnostic> {
        {
            let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
            if written.insert(rel.to_path_buf(), Claim::Stream).is_some() {
                return Err(collision(rel));
            }
        }
        self.write(rel, fill)
    }

    fn write(
        &self,
        rel: &Path,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Diagnostic> {
        // Every file of the site lies inside it: no absolute path, no `..`.
        if rel.as_os_str().is_empty()
            || !rel.components().all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(Diagnostic::new(rel, "a file of the site would lie outside the site")
                .help("this is a bug in tebiki: report it with the files that make the guide"));
        }
        match &self.kind {
            Kind::Memory(files) => {
                let mut bytes = Vec::new();
                fill(&mut bytes).map_err(|e| {
                    Diagnostic::new(rel, format!("cannot make {}: {e}", rel.display()))
                })?;
                files.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_path_buf(), bytes);
            }
            Kind::Staging { out, dir, .. } => {
                let fail = |e: std::io::Error| {
                    Diagnostic::new(out, format!("cannot write {}: {e}", rel.display())).help(
                        "check that the disk has room and the output folder's parent is writable",
                    )
                };
                let path = dir.path().join(rel);
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(fail)?;
                }
                let mut file = std::io::BufWriter::new(fs::File::create(&path).map_err(fail)?);
                fill(&mut file).and_then(|()| file.flush()).map_err(fail)?;
            }
        }
        Ok(())
    }

    /// The content of a file put before.
    pub fn read(&self, rel: &Path) -> Option<Vec<u8>> {
        match &self.kind {
            Kind::Memory(files) => {
                files.lock().unwrap_or_else(|e| e.into_inner()).get(rel).cloned()
            }
            Kind::Staging { dir, .. } => fs::read(dir.path().join(rel)).ok(),
        }
    }

    /// How many files were put.
    pub fn len(&self) -> usize {
        self.written.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The files kept in memory (none for a staging folder).
    pub fn into_files(self) -> BTreeMap<PathBuf, Vec<u8>> {
        match self.kind {
            Kind::Memory(files) => files.into_inner().unwrap_or_else(|e| e.into_inner()),
            Kind::Staging { .. } => BTreeMap::new(),
        }
    }

    /// Puts the staging folder in place of the output folder (for files kept in memory, does
    /// nothing).
    pub fn commit(self) -> Result<(), Diagnostic> {
        let Kind::Staging { out, dir, _lock } = self.kind else {
            return Ok(());
        };
        swap_in(&out, dir)
    }
}

/// Writes `files` (paths relative to the output folder) as the new content of `out`, atomically:
/// everything goes to a temporary folder beside `out`, which then replaces it.
pub fn write_site(out: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<(), Diagnostic> {
    let output = Output::staging(out)?;
    for (rel, bytes) in files {
        output.create(rel, |w| w.write_all(bytes))?;
    }
    output.commit()
}

/// Two parts of a build that made a file at the same path.
fn collision(rel: &Path) -> Diagnostic {
    Diagnostic::new(rel, format!("two parts of the site would both be {}", rel.display())).help(
        "two things of the guide have the same name (a chapter, a page, a picture): rename one",
    )
}

/// Holds the output folder's parent for this build (released when the build ends): two builds
/// writing beside each other at once would remove each other's folders.
fn hold(parent: &Path) -> Result<Option<fs::File>, Diagnostic> {
    let Ok(folder) = fs::File::open(parent) else { return Ok(None) };
    match folder.try_lock() {
        Ok(()) => Ok(Some(folder)),
        Err(fs::TryLockError::WouldBlock) => Err(write_error(
            parent,
            "another tebiki build is writing its site into this folder now".into(),
        )
        .help("wait for it to end (or stop that `tebiki serve`), then build again")),
        // A file system without locks: build as before.
        Err(fs::TryLockError::Error(_)) => Ok(None),
    }
}

/// Removes what builds of `out` that were stopped half-way left beside it: their staging folders
/// and a previous site moved aside (only folders with tebiki's marker; none is in use, as the
/// parent is held). If the build was stopped just after moving the previous site aside, that site
/// is put back first.
fn clear_debris(out: &Path, parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    let (new, old) = (format!(".{name}.new-"), format!(".{name}.old-"));
    let mut left: Vec<(bool, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().to_string();
            let aside = file.starts_with(&old);
            (aside || file.starts_with(&new)).then(|| (aside, e.path()))
        })
        .filter(|(_, path)| is_marked(path))
        .collect();
    left.sort();
    if fs::symlink_metadata(out).is_err()
        && let Some((_, previous)) = left.iter().rev().find(|(aside, _)| *aside)
    {
        let _ = fs::rename(previous, out);
    }
    for (_, path) in left {
        let _ = fs::remove_dir_all(path);
    }
}

/// The output folder's parent and name, for the folders made beside it.
fn beside(out: &Path) -> Result<(&Path, String), Diagnostic> {
    let parent =
        out.parent().ok_or_else(|| write_error(out, "the output folder has no parent".into()))?;
    let name =
        out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
    Ok((parent, name))
}

fn write_error(out: &Path, what: String) -> Diagnostic {
    Diagnostic::new(out, what).help("check that the output folder's parent exists and is writable")
}

/// Renames the finished `staging` folder to `out`, moving the previous site aside first and
/// removing it only once the new one is in place.
fn swap_in(out: &Path, staging: tempfile::TempDir) -> Result<(), Diagnostic> {
    let fail = |what: String| write_error(out, what);
    let (parent, name) = beside(out)?;
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
pub fn update_site(
    out: &Path,
    previous: &BTreeMap<PathBuf, Vec<u8>>,
    files: &BTreeMap<PathBuf, Vec<u8>>,
) -> Result<usize, Diagnostic> {
    let fail =
        |what: String| Diagnostic::new(out, what).help("check that the output folder is writable");
    let mut count = 0;
    for (rel, bytes) in files {
        if previous.get(rel) == Some(bytes) && out.join(rel).is_file() {
            continue;
        }
        let path = out.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
        }
        let mut temp = path.clone().into_os_string();
        temp.push(".tebiki-new");
        fs::write(&temp, bytes)
            .map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
        fs::rename(&temp, &path)
            .map_err(|e| fail(format!("cannot replace {}: {e}", path.display())))?;
        count += 1;
    }
    for rel in previous.keys().filter(|rel| !files.contains_key(*rel) && rel.as_os_str() != MARKER)
    {
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
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
