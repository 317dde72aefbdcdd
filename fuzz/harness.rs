//! The checks shared by the fuzz target (`fuzz/fuzz_targets/slides.rs`) and the property test
//! (`tests/testsuite/fuzz.rs`): each entry point of tebiki that reads what an author wrote — a
//! slide file's bytes (`source::decode`), its front matter (`content::parse`), the Markdown body
//! with its extensions and cross-references (`markdown::render`, `site::check_reference`,
//! `postprocess::finish`) and screen blocks (`screens::ScreenSpec::parse`) — must never panic, and
//! what it returns must make sense: a problem points at a real line of the file, a reference at
//! real bytes, and a body without problems has no script in its HTML.

use std::ops::Range;
use std::path::{Path, PathBuf};

use tebiki::checker::Rules;
use tebiki::components::{self, Components, ScreenView};
use tebiki::content::{self, SlideSource};
use tebiki::diagnostics::Diagnostic;
use tebiki::markdown::{self, HeadingLevel, MarkdownContext, RenderedBody};
use tebiki::pages::Page;
use tebiki::screens::{self, ScreenSpec};
use tebiki::site::{self, Guide};
use tebiki::source::{self, SourceFile};
use tebiki::theme::{self, Theme, Words};

/// What a slide is rendered against: the bundled guide's configuration, slides and checker rules,
/// and the built-in theme.
pub struct Fixture {
    pub guide: Guide,
    pub checker: Option<Rules>,
    pub theme: Theme,
}

impl Fixture {
    /// The guide in `root` (this repository): its configuration and checker rules must load; its
    /// slides are taken as they load (the slide tests check them).
    pub fn new(root: &Path) -> Fixture {
        let config = tebiki::config::load(root).expect("content/guide.toml loads");
        let (slides, _) = content::load_slides(root, &config.languages);
        let checker = Rules::load(root, &config.languages).expect("content/checker.toml loads");
        let theme = theme::builtin(&config.languages).expect("the built-in theme loads");
        let (guide, _) = site::resolve(config, slides);
        Fixture { guide, checker, theme }
    }
}

/// The language of a slide: one of the guide's two.
pub fn lang(english: bool) -> &'static str {
    if english { "en" } else { "ja" }
}

/// One fuzz input: its first byte picks the entry point (and the language), the rest is the text.
pub fn check(fx: &Fixture, data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else { return };
    let lang = lang(pick & 0x80 != 0);
    match pick % 4 {
        0 => {
            slide_file(fx, rest.to_vec(), lang);
        }
        1 => {
            body(fx, &String::from_utf8_lossy(rest), lang);
        }
        2 => {
            screen(fx, &String::from_utf8_lossy(rest), lang);
        }
        _ => {
            front_matter(fx, &String::from_utf8_lossy(rest), lang);
        }
    }
}

/// A whole slide file as bytes: decoded, its front matter read, its body rendered.
pub fn slide_file(fx: &Fixture, bytes: Vec<u8>, lang: &str) -> Option<SlideSource> {
    let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    let text = match source::decode(Path::new("content/slides/001-x.ja.md"), bytes) {
        Ok(text) => text,
        Err(d) => {
            let n: usize = d
                .message
                .strip_prefix("line ")
                .and_then(|m| m.split(':').next())
                .and_then(|n| n.parse().ok())
                .expect(&d.message);
            assert!((1..=lines).contains(&n), "{}: the file has {lines} lines", d.message);
            check_diagnostic(&d, "");
            return None;
        }
    };
    assert!(!text.contains('\r'), "decoded text keeps a carriage return");
    slide_text(fx, text, lang)
}

/// A decoded slide file: its front matter read, its body rendered.
pub fn slide_text(fx: &Fixture, text: String, lang: &str) -> Option<SlideSource> {
    let file = SourceFile { rel: PathBuf::from("content/slides/001-x.ja.md"), text: text.clone() };
    match content::parse(file, lang.to_string()) {
        Err(d) => {
            check_diagnostic(&d, &text);
            None
        }
        Ok(slide) => {
            assert!(
                slide.body_start <= text.len() && text.is_char_boundary(slide.body_start),
                "body at {}",
                slide.body_start
            );
            assert!(slide.number >= 1);
            assert!(!slide.title.is_empty() && slide.title == slide.title.trim());
            let range = content::slide_key_range(&slide);
            check_diagnostic(
                &Diagnostic::new(&slide.file.rel, "slide").at_range(&text, range).help("-"),
                &text,
            );
            render(fx, &slide);
            Some(slide)
        }
    }
}

/// `fm` as the front matter of a slide file with a small body.
pub fn front_matter(fx: &Fixture, fm: &str, lang: &str) -> Option<SlideSource> {
    slide_file(fx, format!("+++\n{fm}\n+++\n[[slide:3]] [[link:support]]\n").into_bytes(), lang)
}

/// `body` as the body of slide 5 (after four lines of front matter).
/// The text is decoded as a file is (line breaks become LF).
pub fn body(fx: &Fixture, body: &str, lang: &str) -> (RenderedBody, Vec<Diagnostic>) {
    let front = "+++\nslide = 5\ntitle = \"t\"\n+++\n";
    let rel = PathBuf::from("content/slides/005-x.ja.md");
    let text = match source::decode(&rel, format!("{front}{body}").into_bytes()) {
        Ok(text) => text,
        // A control character is refused with its line (a string is always UTF-8).
        Err(d) => {
            assert!(d.message.contains("control character"), "{d}");
            return (RenderedBody::default(), vec![d]);
        }
    };
    let slide = SlideSource {
        lang: lang.to_string(),
        number: 5,
        title: "t".into(),
        explains: Vec::new(),
        translates: None,
        body_start: front.len(),
        file: SourceFile { rel, text },
    };
    render(fx, &slide)
}

/// Renders `slide` as on a chapter page and checks what comes back.
pub fn render(fx: &Fixture, slide: &SlideSource) -> (RenderedBody, Vec<Diagnostic>) {
    let ctx = MarkdownContext {
        links: &fx.guide.config.links,
        pages: &[],
        checker: fx.checker.as_ref(),
        strings: &fx.theme.strings,
        components: Components::new(&fx.theme.tera),
        a11y: None,
        heading_shift: 0,
        top_heading: HeadingLevel::H3,
    };
    let (rendered, problems) = markdown::render(slide, &ctx);
    let text = &slide.file.text;
    let problems: Vec<Diagnostic> = problems.iter().cloned().collect();
    for d in &problems {
        check_diagnostic(d, text);
        assert!(d.location.is_some(), "a problem in a slide body has a line: {d}");
        assert!(
            d.location.as_ref().unwrap().line > text[..slide.body_start].matches('\n').count(),
            "a body problem points into the front matter: {d}"
        );
    }
    for (n, range) in &rendered.slide_refs {
        assert!(*n >= 1, "reference to slide 0");
        check_range(text, range, slide.body_start);
        let missing = site::check_reference(&fx.guide, slide, *n, range.clone());
        assert_eq!(missing.is_none(), (1..=fx.guide.last).contains(n));
        if let Some(d) = missing {
            check_diagnostic(&d, text);
        }
    }
    for block in &rendered.screens {
        let at = &block.at;
        for range in [&at.block, &at.image].into_iter().chain(&at.callouts) {
            check_range(text, range, slide.body_start);
            assert!(at.block.start <= range.start && range.end <= at.block.end, "{at:?}");
        }
        assert!(
            text[at.block.clone()].contains("screen"),
            "a screen block's range: {:?}",
            &text[at.block.clone()]
        );
    }
    if problems.is_empty() {
        if let Some(tag) = script_tag(&rendered.html) {
            panic!("a body with no problem renders <{tag}: {}", rendered.html);
        }
        // The post-process stage points the references at their pages. Raw HTML may carry its own
        // data-xref, which that stage refuses (as a page error, not a panic).
        let page = Page {
            path: PathBuf::from(slide.lang.as_str()).join("index.html"),
            lang: slide.lang.clone(),
            html: rendered.html.clone(),
            slides: vec![slide.number],
            pages: Vec::new(),
            parts: Default::default(),
        };
        match tebiki::postprocess::finish(&page, &fx.guide, &fx.theme.strings) {
            Ok(bytes) => {
                let html = String::from_utf8(bytes).expect("the finished page is UTF-8");
                for (n, _) in &rendered.slide_refs {
                    assert!(
                        html.contains(&format!("#slide-{n}")),
                        "the reference to slide {n} is lost: {html}"
                    );
                }
                if let Some(tag) = script_tag(&html) {
                    panic!("the finished page has <{tag}: {html}");
                }
            }
            Err(e) => assert!(slide.body().contains("data-xref"), "post-processing failed: {e}"),
        }
    }
    (rendered, problems)
}

/// A screen block's text: parsed, and when valid, drawn as a figure.
pub fn screen(fx: &Fixture, text: &str, lang: &str) -> Option<ScreenSpec> {
    match ScreenSpec::parse(text) {
        Err(problems) => {
            assert!(!problems.is_empty());
            for p in problems {
                assert!(!p.message.is_empty() && !p.help.is_empty());
            }
            None
        }
        Ok((spec, spans)) => {
            assert!(!spec.alt.trim().is_empty());
            for range in std::iter::once(&spans.image).chain(&spans.callouts) {
                assert!(range.end <= text.len() && text.is_char_boundary(range.start), "{spans:?}");
            }
            let callouts = spec.callouts.clone().unwrap_or_default();
            for c in &callouts {
                assert!((0.0..=100.0).contains(&c.x) && (0.0..=100.0).contains(&c.y), "{c:?}");
            }
            for r in spec.redact.iter().flatten() {
                for (w, h) in [(1, 1), (640, 480), (u32::MAX, 3)] {
                    let (x0, y0, x1, y1) = r.pixels(w, h);
                    assert!(
                        x0 <= x1 && x1 <= w && y0 <= y1 && y1 <= h,
                        "{r:?} on {w}×{h}: {:?}",
                        (x0, y0, x1, y1)
                    );
                }
            }
            let picture = screens::Picture {
                width: 1280,
                height: 720,
                variants: vec![screens::Variant {
                    width: 1280,
                    path: "images/a.1.1280.webp".into(),
                }],
                ink: Default::default(),
            };
            let words = Words::new(&fx.theme.strings, lang);
            let view = ScreenView::new(&spec, &callouts, &picture, words, "../");
            let html = Components::new(&fx.theme.tera)
                .render(components::SCREEN, &view)
                .expect("the built-in screen template renders");
            if let Some(tag) = script_tag(&html) {
                panic!("a screen's figure has <{tag}: {html}");
            }
            Some(spec)
        }
    }
}

/// A problem's location is a real line of `text`, and it renders.
pub fn check_diagnostic(d: &Diagnostic, text: &str) {
    if let Some(l) = &d.location {
        let lines: Vec<&str> = text.split('\n').collect();
        assert!((1..=lines.len()).contains(&l.line), "{d}: line {} of {}", l.line, lines.len());
        // The line, or (of a long line) the part of it around the problem.
        let line = lines[l.line - 1];
        assert!(line.contains(&l.line_text), "{d}: {:?} is not in its line", l.line_text);
        assert!(l.line_text.len() <= 3 * 120 + 8, "{d}: {} bytes shown", l.line_text.len());
        assert!(l.column >= 1 && l.column <= line.chars().count() + 1, "{d}: column {}", l.column);
        assert!(
            l.span.start <= l.span.end && l.span.end <= l.line_text.len(),
            "{d}: span {:?}",
            l.span
        );
        assert!(
            l.line_text.is_char_boundary(l.span.start) && l.line_text.is_char_boundary(l.span.end),
            "{d}: span {:?}",
            l.span
        );
    }
    assert!(d.help.is_some(), "every problem says how to fix it: {d}");
    let report = d.render(false);
    assert!(report.contains(&d.message), "{report}");
    let _ = d.to_json();
}

/// `range` is inside the body of `text`, on character boundaries.
fn check_range(text: &str, range: &Range<usize>, body_start: usize) {
    assert!(
        body_start <= range.start && range.start <= range.end && range.end <= text.len(),
        "range {range:?} in {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "range {range:?}"
    );
}

/// The first element or attribute in `html` that runs or loads code, if any: found as a browser
/// would find it (a tag inside an attribute value is none), with character references in URLs
/// decoded.
pub fn script_tag(html: &str) -> Option<String> {
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let found = std::cell::RefCell::new(None);
    let result = rewrite_str(
        html,
        RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
            let tag = el.tag_name();
            let mut what =
                ["script", "iframe", "object", "embed", "style", "base", "form", "meta", "link"]
                    .contains(&tag.as_str())
                    .then(|| tag.clone());
            for a in el.attributes() {
                let name = a.name();
                let url = ["href", "src", "action", "formaction", "xlink:href", "data"]
                    .contains(&name.as_str());
                if name.starts_with("on") || (url && is_script_url(&decode_references(&a.value())))
                {
                    what = what.or(Some(format!("{tag} {name}=\"{}\"", a.value())));
                }
            }
            if let Some(what) = what {
                found.borrow_mut().get_or_insert(what);
            }
            Ok(())
        })),
    );
    result.expect("the HTML is read");
    found.into_inner()
}

fn is_script_url(url: &str) -> bool {
    let compact: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    compact.to_ascii_lowercase().starts_with("javascript:")
}

/// `value` with character references decoded the way a browser reads them in a URL: numeric ones
/// (`&#106;`, `&#x6A`, with or without `;`) and the named ones that can hide a scheme.
fn decode_references(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '&' {
            out.push(c);
            continue;
        }
        let mut name = String::new();
        while let Some(&next) = chars.peek() {
            let numeric = name.starts_with('#');
            let hex = name.len() >= 2 && name[1..].starts_with(['x', 'X']);
            let takes = match () {
                _ if name.is_empty() => next == '#' || next.is_ascii_alphabetic(),
                _ if name == "#" => next.is_ascii_digit() || next == 'x' || next == 'X',
                _ if hex => next.is_ascii_hexdigit(),
                _ if numeric => next.is_ascii_digit(),
                _ => next.is_ascii_alphabetic(),
            };
            if !takes {
                break;
            }
            name.push(next);
            chars.next();
        }
        let decoded = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
        {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = name.strip_prefix('#') {
            dec.parse().ok().and_then(char::from_u32)
        } else {
            match name.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" | "newline" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                if chars.peek() == Some(&';') {
                    chars.next();
                }
            }
            None => {
                out.push('&');
                out.push_str(&name);
            }
        }
    }
    out
}
