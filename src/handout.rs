//! For paper: QR codes of the external addresses (inline SVG, made at build time, shown by the
//! `links.html` component at the end of each slide of the print page) so a reader of the handout
//! can open them on a phone, and the print margins' stylesheet.

use std::collections::HashMap;

use qrcode::QrCode;
use qrcode::render::svg;

use crate::text::escape_html;

/// An inline SVG QR code for `url` (no XML declaration, so it can sit inside HTML).
pub fn qr_svg(url: &str, label: &str) -> Option<String> {
    let rest = qr_drawing(url)?;
    Some(format!("<svg role=\"img\" aria-label=\"{}\"{rest}", escape_html(label)))
}

/// Whether `url` fits in a QR code (the longest do not: about 2,300 characters).
pub fn fits_in_qr(url: &str) -> bool {
    qr_drawing(url).is_some()
}

/// How to mend an address too long for a QR code.
pub const SHORTER_ADDRESS: &str = "the handout prints a QR code for every address: link to a \
    shorter address (the site's top page, say) and say in words how to go on from there";

/// The SVG of `url`'s QR code after its `<svg`, made once per address: a guide links to the same
/// few addresses from many slides, and choosing a code's mask is the costly part.
fn qr_drawing(url: &str) -> Option<std::sync::Arc<str>> {
    static MADE: std::sync::LazyLock<
        std::sync::Mutex<HashMap<String, Option<std::sync::Arc<str>>>>,
    > = std::sync::LazyLock::new(Default::default);
    if let Some(known) = MADE.lock().ok()?.get(url) {
        return known.clone();
    }
    let drawing = QrCode::new(url.as_bytes()).ok().and_then(|code| {
        let svg = code.render::<svg::Color>().quiet_zone(true).module_dimensions(4, 4).build();
        svg.split_once("<svg").map(|(_, rest)| std::sync::Arc::from(rest))
    });
    MADE.lock().ok()?.insert(url.to_string(), drawing.clone());
    drawing
}

/// A run of printed pages with a name of its own, so that its margins can say what it holds.
pub struct NamedPages {
    /// The element whose pages these are, e.g. `#slide-17`.
    pub selector: String,
    /// The CSS page name, e.g. `s17`.
    pub name: String,
    /// What the foot of each of its pages says, e.g. 「スライド17」 (empty: nothing).
    pub label: String,
}

/// The print stylesheet's page margins, for every page: the guide's title at the top of every
/// page and its number at the bottom ("ページ 19 / 80").
pub fn margin_css(title: &str, page: &str) -> String {
    format!(
        "@media print {{\n  @page {{\n    @top-center {{ content: {}; font-size: 9pt; color: #333; }}\n    @bottom-right {{ content: {} \" \" counter(page) \" / \" counter(pages); font-size: 9pt; }}\n    @bottom-left {{ font-size: 9pt; font-weight: 700; }}\n  }}\n}}\n",
        css_string(title),
        css_string(page)
    )
}

/// The handout's page names, for the print page: each of `named` on pages of its own, whose foot
/// says what they hold (e.g. 「スライド17」). Giving each slide its own page name also starts each
/// slide on a new page.
pub fn page_names_css(named: &[NamedPages]) -> String {
    let mut css = String::from("@media print {\n");
    for n in named {
        css.push_str(&format!("{}{{page:{}}}", n.selector, n.name));
        if !n.label.is_empty() {
            css.push_str(&format!(
                "@page {}{{@bottom-left{{content:{}}}}}",
                n.name,
                css_string(&n.label)
            ));
        }
        css.push('\n');
    }
    css.push_str("}\n");
    css
}

/// `s` as a CSS string.
fn css_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_is_inline_svg() {
        let svg = qr_svg("https://www.e-seikyuu.jp", "QR").unwrap();
        assert!(svg.starts_with("<svg role=\"img\""), "{svg}");
        assert!(!svg.contains("<?xml"));
        assert!(svg.contains("<path"));
    }
}
