//! The accessibility statement's record of the last automated test run: the browser suite writes
//! `accessibility-results.toml` at the project root, and a `test-results` block in a page shows it
//! (or says that there is none yet), at build time.

use std::collections::BTreeMap;
use std::path::Path;

use crate::text::html_for;
use crate::theme::Strings;

pub const RESULTS_FILE: &str = "accessibility-results.toml";

/// The results table, in the order of the file's keys `date`, `browser`, `axe`, `vnu`, `pages`,
/// `rules`, `violations`, `html-errors`.
pub fn results_html(root: &Path, lang: &str, strings: &Strings) -> String {
    let results: Option<BTreeMap<String, toml::Value>> =
        std::fs::read_to_string(root.join(RESULTS_FILE)).ok().and_then(|t| toml::from_str(&t).ok());
    let Some(results) = results else {
        return format!(
            "<p class=\"test-results-none\">{}</p>\n",
            html_for(strings.get(lang, "a11y_no_results"), lang)
        );
    };
    let mut html = String::from("<table class=\"test-results\"><tbody>");
    for key in ["date", "browser", "axe", "vnu", "pages", "rules", "violations", "html-errors"] {
        let Some(value) = results.get(key) else { continue };
        let value = match value {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        html.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            html_for(strings.get(lang, &format!("a11y_{}", key.replace('-', "_"))), lang),
            html_for(&value, lang)
        ));
    }
    html.push_str("</tbody></table>\n");
    html
}
