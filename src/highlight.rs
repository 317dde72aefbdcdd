//! Code blocks highlighted by syntect, with CSS classes only (no inline styles, so the pages can
//! carry a strict Content-Security-Policy). The matching stylesheet is [`stylesheet`].

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::text::escape_html;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// How every code block starts (pages with one load the highlight stylesheet).
pub const CODE_BLOCK: &str = "<pre class=\"code\">";

/// `<pre><code>` for `code`, highlighted when `lang` names a known syntax.
pub fn code_block(code: &str, lang: &str) -> String {
    let lang = lang.split_whitespace().next().unwrap_or("");
    let highlighted = (!lang.is_empty())
        .then(|| syntaxes().find_syntax_by_token(lang))
        .flatten()
        .and_then(|syntax| {
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
            for line in LinesWithEndings::from(code) {
                generator.parse_html_for_line_which_includes_newline(line).ok()?;
            }
            Some(generator.finalize())
        });
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape_html(lang))
    };
    format!(
        "{CODE_BLOCK}<code{class}>{}</code></pre>\n",
        highlighted.unwrap_or_else(|| escape_html(code))
    )
}

/// CSS for the highlight classes.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    themes
        .themes
        .get("InspiredGitHub")
        .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_with_classes_not_styles() {
        let html = code_block("fn main() {}\n", "rust");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(stylesheet().contains(".hl-"));
    }

    #[test]
    fn unknown_language_is_escaped_plain() {
        assert_eq!(
            code_block("<b>\n", "nope"),
            "<pre class=\"code\"><code class=\"language-nope\">&lt;b&gt;\n</code></pre>\n"
        );
    }
}
