//! Screen blocks: a picture of a screen with numbered callouts and redactions, written in a slide as
//!
//! ````markdown
//! ```screen
//! image = "e-seikyuu-login.png"      # a file in images/
//! alt = "ログイン画面。ユーザID、パスワードの欄と「ログイン」ボタンがある。"
//! caption = "電子請求受付システムのログイン画面"   # optional
//! callouts = [{ n = 1, x = 50, y = 38 }]         # step 1's spot, at x%, y% of the picture
//! redact = [{ x = 10, y = 20, w = 30, h = 6 }]  # rectangles (in %) burned into every copy
//! ```
//! ````
//!
//! Callouts and redactions are written once, in the default language's slide; a translation gives
//! its own `alt` and `caption` and inherits them. Callouts are drawn as an SVG overlay (not burned into
//! pixels), each mark beside its spot ([`crate::callouts`]), so they stay crisp and keep their
//! place at every width.

use crate::callouts::{Ink, MAX_CALLOUTS};
use std::ops::Range;

use serde::Deserialize;

use crate::toml_path;
use crate::toml_path::Spans;

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

/// What is wrong with a screen block: message, help, and the byte range of the block's text it is
/// about (if any).
#[derive(Debug)]
pub struct SpecProblem {
    pub message: String,
    pub help: String,
    pub span: Option<Range<usize>>,
}

/// Where the parts of a screen block are, as byte ranges of the block's text (or, once the
/// Markdown renderer has placed the block in its slide, of the slide's file): the whole block, the
/// picture's name and each callout's `n`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockSpans {
    pub block: Range<usize>,
    pub image: Range<usize>,
    pub callouts: Vec<Range<usize>>,
}

impl BlockSpans {
    /// The same places, each range mapped by `to_file`.
    pub fn map(&self, to_file: impl Fn(Range<usize>) -> Range<usize>) -> BlockSpans {
        BlockSpans {
            block: to_file(self.block.clone()),
            image: to_file(self.image.clone()),
            callouts: self.callouts.iter().cloned().map(to_file).collect(),
        }
    }
}

const BLOCK_HELP: &str = "a screen block holds image = \"file.png\", alt = \"…\", and optionally \
    caption, callouts = [{ n = 1, x = 50, y = 40 }] and redact = [{ x = 0, y = 0, w = 10, h = 5 }]";

impl ScreenSpec {
    /// Parses the TOML inside a screen block and checks what can be checked without the picture.
    pub fn parse(text: &str) -> Result<(ScreenSpec, BlockSpans), Vec<SpecProblem>> {
        let spec: ScreenSpec = toml::from_str(text).map_err(|e| {
            vec![SpecProblem {
                message: format!("invalid screen block: {}", e.message().trim()),
                help: BLOCK_HELP.into(),
                span: e.span(),
            }]
        })?;
        let spans = Spans::parse(text);
        let problems = spec.problems(&spans);
        if !problems.is_empty() {
            return Err(problems);
        }
        let callouts = (0..spec.callouts.as_ref().map_or(0, Vec::len))
            .map(|i| spans.value(&toml_path!["callouts", i, "n"]).unwrap_or(0..0))
            .collect();
        let image = spans.value(&toml_path!["image"]).unwrap_or(0..0);
        Ok((spec, BlockSpans { block: 0..text.len(), image, callouts }))
    }

    /// What is wrong with a block that parsed: no alt text, callouts or redactions outside.
    fn problems(&self, spans: &Spans) -> Vec<SpecProblem> {
        let mut problems = Vec::new();
        if self.alt.trim().is_empty() {
            problems.push(SpecProblem {
                message: "the screen has no alt text".into(),
                help: "add alt = \"…\": say what the screen shows that matters for this step, \
                    for readers who cannot see it"
                    .into(),
                span: spans.value(&toml_path!["alt"]).or_else(|| spans.find(&toml_path!["image"])),
            });
        }
        let count = self.callouts.as_ref().map_or(0, Vec::len);
        if count > MAX_CALLOUTS {
            problems.push(SpecProblem {
                message: format!("the screen has {count} callouts, more than a reader can follow"),
                help: format!(
                    "keep to at most {MAX_CALLOUTS} on one picture: split the step, or show a part \
                     of the screen in a second picture"
                ),
                span: spans.find(&toml_path!["callouts"]),
            });
        }
        let inside = |v: f64| (0.0..=100.0).contains(&v);
        for (i, c) in self.callouts.iter().flatten().enumerate() {
            if !inside(c.x) || !inside(c.y) {
                let axis = if inside(c.x) { "y" } else { "x" };
                problems.push(SpecProblem {
                    message: format!(
                        "callout {} at x = {}, y = {} is outside the picture",
                        c.n, c.x, c.y
                    ),
                    help: "positions are percentages of the picture: x and y from 0 to 100".into(),
                    span: spans.value(&toml_path!["callouts", i, axis]),
                });
            }
        }
        for (i, r) in self.redact.iter().flatten().enumerate() {
            let ok = inside(r.x)
                && inside(r.y)
                && r.w > 0.0
                && r.h > 0.0
                && r.x + r.w <= 100.0
                && r.y + r.h <= 100.0;
            if !ok {
                problems.push(SpecProblem {
                    message: format!(
                        "redaction x = {}, y = {}, w = {}, h = {} is not inside the picture",
                        r.x, r.y, r.w, r.h
                    ),
                    help: "a redaction is a rectangle in percent: x + w and y + h at most 100, \
                        w and h above 0"
                        .into(),
                    span: spans.value(&toml_path!["redact", i]),
                });
            }
        }
        problems
    }
}

/// One published size of a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    /// Path under the output folder, e.g. `images/login.1a2b3c4d.640.webp`.
    pub path: String,
}

/// A processed picture: its full size, its published variants (smallest first, the last is full
/// size) and its drawing, where callouts would hide something (none when nothing was published).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
    pub ink: Ink,
}

impl Picture {
    /// The height of the size `width` pixels wide (the full size's proportions, rounded).
    pub fn height_at(&self, width: u32) -> u32 {
        if width == self.width || self.width == 0 {
            return self.height;
        }
        let (w, h) = (u64::from(self.width), u64::from(self.height));
        ((h * u64::from(width) + w / 2) / w).max(1) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_screen_block() {
        let text =
            "alt = \"an image\"\nimage = \"a.png\"\ncallouts = [{ n = 1, x = 50, y = 40 }]\n";
        let (spec, spans) = ScreenSpec::parse(text).unwrap();
        assert_eq!(spec.callouts.unwrap()[0], Callout { n: 1, x: 50.0, y: 40.0 });
        assert_eq!(
            &text[spans.image], "\"a.png\"",
            "the picture's name, not the word in the alt text"
        );
        assert_eq!(&text[spans.callouts[0].clone()], "1");
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
