//! tebiki's integration tests. Each case is a small fixture guide, built by the real binary into a
//! temporary folder:
//! - `build/basic/` is a complete small guide (with a screen picture); `build.rs` and `screens.rs`
//!   assert on the site it makes;
//! - `bundled.rs` checks the guide this repository ships (content/), built once per run;
//! - `errors/<case>/` holds files laid over a copy of `build/basic` (and a `remove` list), plus
//!   `expected`: lines that must each appear in the error report;
//! - `handout.rs` reads the bundled guide's PDF handouts (printed by Debian's Chromium) and
//!   builds without a browser, with one that fails and with one that hangs;
//! - `edition.rs` builds the basic guide with `edition/` laid over it (a previous edition's
//!   record, a new slide, a slide re-wrapped): edition.json, the changes page, the marks;
//! - `offline.rs` checks the one-file edition of the basic guide with a picture on several slides;
//! - `fuzz.rs` runs generated inputs through the fuzz target's checks (`fuzz/harness.rs`);
//! - `translations.rs`: translations behind their source (warning, note, `tebiki translations`);
//! - `structure.rs` reads `src/`: no module cycle, short functions with few parameters.

mod build;
mod bundled;
mod checker;
mod edition;
mod errors;
mod fuzz;
mod handout;
mod hostile;
mod html;
mod incremental;
mod new;
mod offline;
mod passwords;
mod positions;
mod screens;
mod structure;
mod theme;
mod translations;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite")
}

/// Copies every file under `from` into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A temporary copy of the basic fixture guide.
pub fn basic_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&suite_dir().join("build/basic"), dir.path());
    dir
}

/// Runs the tebiki binary with `args` in project `root`. A build makes no PDF handouts unless the
/// test names a browser (`--browser`): printing takes seconds, and `handout.rs` tests it.
pub fn tebiki(root: &Path, args: &[&str]) -> Output {
    tebiki_with(root, args, &[])
}

/// [`tebiki`] with more environment variables.
pub fn tebiki_with(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut args = args.to_vec();
    let chosen = args.iter().any(|a| *a == "--browser" || *a == "--no-pdf");
    if args.first() == Some(&"build") && !chosen {
        args.push("--no-pdf");
    }
    Command::cargo_bin("tebiki")
        .unwrap()
        .arg("--root")
        .arg(root)
        .args(&args)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under `dir`, with its bytes, by relative path.
pub fn read_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}
