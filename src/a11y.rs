//! The accessibility statement's record of the last automated test run: the browser suite writes
//! `accessibility-results.toml` at the project root; it is read with the other inputs, and a
//! `test-results` block in a page shows it (the `test-results.html` component), or says that there
//! is none yet.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::source::SourceFile;

pub const RESULTS_FILE: &str = "accessibility-results.toml";

/// The results by key (`date`, `browser`, `axe`, …).
pub type Results = BTreeMap<String, toml::Value>;

/// The keys shown, in this order.
const SHOWN: [&str; 8] =
    ["date", "browser", "axe", "vnu", "pages", "rules", "violations", "html-errors"];

/// The results file of the project at `root`, if it has one.
pub fn load(root: &Path) -> Result<Option<Results>, Diagnostic> {
    if std::fs::symlink_metadata(root.join(RESULTS_FILE)).is_err() {
        return Ok(None);
    }
    let file = SourceFile::read(root, Path::new(RESULTS_FILE))?;
    toml::from_str(&file.text).map(Some).map_err(|e| {
        Diagnostic::from_toml(&file.rel, &file.text, 0, "accessibility results", &e).help(
            "the browser tests write this file (tests/gui/a11y.test.mjs): run them again, or \
             delete the file to show that there are no results yet",
        )
    })
}

/// The shown keys that the results have, with their values as text.
pub fn rows(results: &Results) -> impl Iterator<Item = (&'static str, String)> + '_ {
    SHOWN.into_iter().filter_map(|key| {
        let value = match results.get(key)? {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        Some((key, value))
    })
}
