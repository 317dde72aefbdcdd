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

/// How every code block starts (pages with one load the highlight stylesheet). A line longer than
/// a phone scrolls sideways inside the block, so the block takes the keyboard's focus too (arrow
/// keys scroll it).
pub const CODE_BLOCK: &str = "<pre class=\"code\" tabindex=\"0\">";

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

/// The code panel's colour in the light and the dark scheme (`--panel` in `tebiki.css`).
const LIGHT_PANEL: [u8; 3] = [0xf3, 0xf5, 0xf8];
const DARK_PANEL: [u8; 3] = [0x22, 0x26, 0x2b];
/// The contrast every highlighted word keeps with the panel (WCAG AA for text).
const MIN_CONTRAST: f64 = 4.6;

/// CSS for the highlight classes: the theme's colours, each darkened (light scheme) or lightened
/// (dark scheme) just enough to keep 4.5:1 on the code panel, which shows through (the theme's
/// own background is left out).
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let css = themes
        .themes
        .get("InspiredGitHub")
        .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
        .unwrap_or_default();
    let light = recolour(&css, LIGHT_PANEL, [0, 0, 0]);
    let dark = recolour(&css, DARK_PANEL, [0xff, 0xff, 0xff]);
    format!("{light}\n@media (prefers-color-scheme: dark) {{\n{dark}}}\n")
}

/// `css` with each `color: #rrggbb` moved towards `towards` until it has enough contrast with
/// `panel`, and every background left out.
fn recolour(css: &str, panel: [u8; 3], towards: [u8; 3]) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.lines() {
        let declaration = line.trim_start();
        if declaration.starts_with("background-color:") {
            continue;
        }
        let colour =
            declaration.strip_prefix("color: #").and_then(|rest| parse_hex(rest.get(..6)?));
        match colour {
            Some(c) => out.push_str(&format!(" color: {};", hex(readable(c, panel, towards)))),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

fn parse_hex(digits: &str) -> Option<[u8; 3]> {
    let byte = |i: usize| u8::from_str_radix(digits.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// The colour nearest `c` on the way to `towards` that has enough contrast with `panel`.
fn readable(c: [u8; 3], panel: [u8; 3], towards: [u8; 3]) -> [u8; 3] {
    (0..=100)
        .map(|step| {
            let t = f64::from(step) / 100.0;
            let mix =
                |i: usize| (f64::from(c[i]) * (1.0 - t) + f64::from(towards[i]) * t).round() as u8;
            [mix(0), mix(1), mix(2)]
        })
        .find(|m| contrast(*m, panel) >= MIN_CONTRAST)
        .unwrap_or(towards)
}

/// The WCAG contrast ratio of two colours.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let luminance = |c: [u8; 3]| {
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
    };
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
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
    fn every_colour_is_readable_on_the_code_panel_in_both_schemes() {
        let css = stylesheet();
        let (light, dark) = css.split_once("@media (prefers-color-scheme: dark)").unwrap();
        for (part, panel) in [(light, LIGHT_PANEL), (dark, DARK_PANEL)] {
            let colours: Vec<[u8; 3]> = part
                .lines()
                .filter_map(|l| parse_hex(l.trim().strip_prefix("color: #")?.get(..6)?))
                .collect();
            assert!(colours.len() > 20, "{part}");
            for c in colours {
                assert!(contrast(c, panel) >= 4.5, "{} on {}", hex(c), hex(panel));
            }
            assert!(!part.contains("background-color"), "the panel shows through");
        }
        // A colour with enough contrast already is kept as it is.
        assert_eq!(readable([0x18, 0x36, 0x91], LIGHT_PANEL, [0, 0, 0]), [0x18, 0x36, 0x91]);
    }

    #[test]
    fn unknown_language_is_escaped_plain() {
        assert_eq!(
            code_block("<b>\n", "nope"),
            "<pre class=\"code\" tabindex=\"0\"><code class=\"language-nope\">&lt;b&gt;\n</code></pre>\n"
        );
    }
}
