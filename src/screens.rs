//! Screen blocks: a picture of a screen with numbered callouts and redactions, written in a slide as
//!
//! ````markdown
//! ```screen
//! image = "e-seikyuu-login.png"      # a file in images/
//! alt = "ログイン画面。ユーザID、パスワードの欄と「ログイン」ボタンがある。"
//! caption = "電子請求受付システムのログイン画面"   # optional
//! callouts = [{ n = 1, x = 50, y = 38 }]         # step number at x%, y% of the picture
//! redact = [{ x = 10, y = 20, w = 30, h = 6 }]  # rectangles (in %) burned into every copy
//! ```
//! ````
//!
//! Callouts and redactions are written once, in the default language's slide; a translation gives
//! its own `alt` and `caption` and inherits them. Callouts are drawn as an SVG overlay (not burned into
//! pixels), so they stay crisp and keep their place at every width.

use serde::Deserialize;

use crate::text::{escape_html, html_for};
use crate::theme::Strings;

/// A numbered mark at a position on the picture, in percent of its width and height.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Callout {
    pub n: u32,
    pub x: f64,
    pub y: f64,
}

/// A rectangle of the picture, in percent, to be blacked out in every published copy.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// Pixel bounds `(x0, y0, x1, y1)` (exclusive ends) on a `width`×`height` picture, rounded
    /// outwards so the whole area is covered.
    pub fn pixels(&self, width: u32, height: u32) -> (u32, u32, u32, u32) {
        let at = |pct: f64, size: u32, up: bool| {
            let v = pct / 100.0 * f64::from(size);
            let v = if up { v.ceil() } else { v.floor() };
            (v.max(0.0) as u32).min(size)
        };
        (
            at(self.x, width, false),
            at(self.y, height, false),
            at(self.x + self.w, width, true),
            at(self.y + self.h, height, true),
        )
    }
}

/// A screen block as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenSpec {
    pub image: String,
    #[serde(default)]
    pub alt: String,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub callouts: Option<Vec<Callout>>,
    #[serde(default)]
    pub redact: Option<Vec<Rect>>,
}

/// What is wrong with a screen block: message, help, and the text to point at (if any).
#[derive(Debug)]
pub struct SpecProblem {
    pub message: String,
    pub help: String,
    pub needle: Option<String>,
}

impl ScreenSpec {
    /// Parses the TOML inside a screen block and checks what can be checked without the picture.
    pub fn parse(text: &str) -> Result<ScreenSpec, Vec<SpecProblem>> {
        let spec: ScreenSpec = toml::from_str(text).map_err(|e| {
            vec![SpecProblem {
                message: format!("invalid screen block: {}", e.message().trim()),
                help: "a screen block holds image = \"file.png\", alt = \"…\", and optionally caption, callouts = [{ n = 1, x = 50, y = 40 }] and redact = [{ x = 0, y = 0, w = 10, h = 5 }]".into(),
                needle: e.span().map(|s| text[s].lines().next().unwrap_or_default().to_string()),
            }]
        })?;
        let mut problems = Vec::new();
        if spec.alt.trim().is_empty() {
            problems.push(SpecProblem {
                message: "the screen has no alt text".into(),
                help: "add alt = \"…\": say what the screen shows that matters for this step, for readers who cannot see it".into(),
                needle: Some("image".into()),
            });
        }
        let inside = |v: f64| (0.0..=100.0).contains(&v);
        for c in spec.callouts.iter().flatten() {
            if !inside(c.x) || !inside(c.y) {
                problems.push(SpecProblem {
                    message: format!(
                        "callout {} at x = {}, y = {} is outside the picture",
                        c.n, c.x, c.y
                    ),
                    help: "positions are percentages of the picture: x and y from 0 to 100".into(),
                    needle: Some(format!("n = {}", c.n)),
                });
            }
        }
        for r in spec.redact.iter().flatten() {
            let ok = inside(r.x)
                && inside(r.y)
                && r.w > 0.0
                && r.h > 0.0
                && r.x + r.w <= 100.0
                && r.y + r.h <= 100.0;
            if !ok {
                problems.push(SpecProblem {
                    message: format!("redaction x = {}, y = {}, w = {}, h = {} is not inside the picture", r.x, r.y, r.w, r.h),
                    help: "a redaction is a rectangle in percent: x + w and y + h at most 100, w and h above 0".into(),
                    needle: Some("redact".into()),
                });
            }
        }
        if problems.is_empty() { Ok(spec) } else { Err(problems) }
    }
}

/// One published size of a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    /// Path under the output folder, e.g. `images/login.1a2b3c4d.640.webp`.
    pub path: String,
}

/// A processed picture: its full size and its published variants (smallest first, the last is full
/// size).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
}

/// The `<figure>` for a screen: the picture with its callouts, a caption that marks it as an
/// illustration, and a link to the full-size picture. `root` leads from the page to the output folder (`../`).
pub fn figure_html(
    spec: &ScreenSpec,
    callouts: &[Callout],
    picture: &Picture,
    lang: &str,
    strings: &Strings,
    root: &str,
) -> String {
    let srcset: Vec<String> =
        picture.variants.iter().map(|v| format!("{root}{} {}w", v.path, v.width)).collect();
    let full = picture.variants.last().map(|v| format!("{root}{}", v.path)).unwrap_or_default();
    let default = picture.variants.iter().find(|v| v.width >= 1000).or(picture.variants.last());
    let src = default.map(|v| format!("{root}{}", v.path)).unwrap_or_default();
    let mut html = String::from("<figure class=\"screen\">");
    html.push_str("<div class=\"screen-frame\">");
    html.push_str(&format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"(min-width: 60rem) 46rem, calc(100vw - 2rem)\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
        escape_html(&src),
        escape_html(&srcset.join(", ")),
        picture.width,
        picture.height,
        escape_html(spec.alt.trim()),
    ));
    if !callouts.is_empty() {
        html.push_str("<svg class=\"callouts\" aria-hidden=\"true\" focusable=\"false\">");
        for c in callouts {
            html.push_str(&format!(
                "<g class=\"callout\" data-callout=\"{n}\"><circle cx=\"{x}%\" cy=\"{y}%\" r=\"15\"></circle><text x=\"{x}%\" y=\"{y}%\">{n}</text></g>",
                n = c.n,
                x = c.x,
                y = c.y
            ));
        }
        html.push_str("</svg>");
    }
    html.push_str("</div><figcaption>");
    if let Some(caption) = spec.caption.as_deref().filter(|c| !c.trim().is_empty()) {
        html.push_str(&html_for(caption.trim(), lang));
        html.push(' ');
    }
    html.push_str(&format!(
        "<span class=\"screen-note\">{}</span>",
        html_for(strings.get(lang, "illustration_note"), lang)
    ));
    html.push_str(&format!(
        " <a class=\"screen-full\" href=\"{}\">{}</a>",
        escape_html(&full),
        html_for(strings.get(lang, "full_size"), lang)
    ));
    html.push_str("</figcaption></figure>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_screen_block() {
        let spec = ScreenSpec::parse(
            "image = \"a.png\"\nalt = \"画面\"\ncallouts = [{ n = 1, x = 50, y = 40 }]\n",
        )
        .unwrap();
        assert_eq!(spec.callouts.unwrap()[0], Callout { n: 1, x: 50.0, y: 40.0 });
    }

    #[test]
    fn refuses_missing_alt_and_outside_positions() {
        let problems = ScreenSpec::parse(
            "image = \"a.png\"\ncallouts = [{ n = 1, x = 120, y = 40 }]\nredact = [{ x = 90, y = 0, w = 20, h = 5 }]\n",
        )
        .unwrap_err();
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("no alt text"));
        assert!(messages[1].contains("callout 1"));
        assert!(messages[2].contains("redaction"));
    }

    #[test]
    fn redaction_pixels_round_outwards() {
        let r = Rect { x: 10.0, y: 10.0, w: 10.5, h: 10.0 };
        assert_eq!(r.pixels(100, 50), (10, 5, 21, 10));
    }
}
