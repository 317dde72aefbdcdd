//! `tebiki new DIR`: a starter guide for another city or another system: the settings, search's
//! everyday words, two slides in both languages (one with a screen picture and its numbered marks)
//! and the picture, a mock-up marked イメージ (its recipe is `src/starter/images/mockups/`). It
//! builds as it is.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The starter's files: path in the new project, contents.
const FILES: &[(&str, &[u8])] = &[
    ("content/guide.toml", include_bytes!("starter/content/guide.toml")),
    ("content/search.toml", include_bytes!("starter/content/search.toml")),
    ("content/slides/001-start.ja.md", include_bytes!("starter/content/slides/001-start.ja.md")),
    ("content/slides/001-start.en.md", include_bytes!("starter/content/slides/001-start.en.md")),
    ("content/slides/002-login.ja.md", include_bytes!("starter/content/slides/002-login.ja.md")),
    ("content/slides/002-login.en.md", include_bytes!("starter/content/slides/002-login.en.md")),
    ("images/sample-login.png", include_bytes!("starter/images/sample-login.png")),
    (".gitignore", include_bytes!("starter/gitignore")),
];

/// Writes the starter guide into `dir`, which must not exist or be empty; returns the files made.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let fail = |what: String| {
        Diagnostic::new(dir, what).help("give the name of a new folder, e.g. `tebiki new my-guide`")
    };
    if dir.is_file() {
        return Err(fail("a file with this name exists".into()));
    }
    if dir.is_dir() && fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(fail("the folder is not empty; tebiki new never writes over files".into()));
    }
    let mut made = Vec::new();
    for (rel, bytes) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
        }
        fs::write(&path, bytes)
            .map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
        made.push(PathBuf::from(rel));
    }
    Ok(made)
}
