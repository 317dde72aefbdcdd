//! A slide's Markdown body → HTML, with tebiki's extensions:
//! `[[slide:N]]` / `[text](slide:N)` cross-references, `[[link:KEY]]` / `[text](link:KEY)` external
//! addresses from guide.toml, ```` ```memo ```` boxes, syntect code blocks and Japanese runs marked
//! in English text.
//!
//! Cross-references come out as `<a href="#slide-N" data-xref="N">`; the post-process stage points
//! them at the page that holds slide N. Their numbers are returned so the resolve stage can check
//! that each slide exists.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

pub use pulldown_cmark::HeadingLevel;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::checker::Rules;
use crate::config::LinkConfig;
use crate::content::SlideSource;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::highlight;
use crate::screens::ScreenSpec;
use crate::text::{escape_html, html_for, is_japanese};
use crate::theme::Strings;

/// What a slide body is rendered against.
pub struct MarkdownContext<'a> {
    pub links: &'a BTreeMap<String, LinkConfig>,
    /// The format checker's rules, when the project has `content/checker.toml`.
    pub checker: Option<&'a Rules>,
    pub strings: &'a Strings,
    /// Added to every heading level (0 on chapter pages, where `###` is an h3; 1 on the print page).
    pub heading_shift: u8,
    /// The project folder (for files a block reads, such as the accessibility test results).
    pub root: &'a std::path::Path,
    /// The largest heading allowed in the body: `###` in a slide (its title is the h2), `##` in a page.
    pub top_heading: HeadingLevel,
}

/// A slide body as HTML.
#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    /// The HTML, with a [`screen_placeholder`] where each screen block goes.
    pub html: String,
    /// The same, with every heading one level lower (for the print page, where the slide's title
    /// is one level lower too).
    pub print_html: String,
    /// Slides referred to, with the byte range of the reference in the slide's file.
    pub slide_refs: Vec<(u32, Range<usize>)>,
    /// Screen blocks, in order, with the byte range of each block in the slide's file.
    pub screens: Vec<(ScreenSpec, Range<usize>)>,
    /// The numbers of the ordered-list items (the steps) of the slide.
    pub steps: BTreeSet<u64>,
    /// Whether the slide holds a format checker (its page then loads the checker's script).
    pub has_checker: bool,
    /// The slide's words as plain text (for the search index), without its sub-headings.
    pub text: String,
    /// The text of its sub-headings.
    pub headings: Vec<String>,
    /// External addresses it links to, each once, in order: (address, name).
    pub external: Vec<(String, String)>,
}

/// Marks where screen block `index` of a slide goes, until its picture is processed.
pub fn screen_placeholder(index: usize) -> String {
    format!("<!--tebiki-screen-{index}-->")
}

/// The default label of an external link on a page in `lang`.
pub fn link_label(link: &LinkConfig, lang: &str) -> String {
    if lang == "ja" { link.name.clone() } else { format!("{} (「{}」)", link.en, link.name) }
}

enum OpenLink {
    /// A Markdown link passed through as it is.
    Plain,
    /// A link we opened as HTML; close it with `</a>`.
    Ours,
    /// A wiki-link whose label we already wrote: drop its text up to the end.
    Replaced,
}

pub fn render(slide: &SlideSource, ctx: &MarkdownContext) -> (RenderedBody, Diagnostics) {
    let lang = slide.lang.as_str();
    let body = slide.body();
    let base = slide.body_start;
    let text = &slide.file.text;
    let mut errors = Diagnostics::default();
    let mut error = |range: &Range<usize>, message: String, help: &str| {
        errors.push(
            Diagnostic::new(&slide.file.rel, message)
                .at_range(text, range.start + base..range.end + base)
                .help(help),
        )
    };
    let mut out: Vec<Event> = Vec::new();
    let mut refs = Vec::new();
    let mut links: Vec<OpenLink> = Vec::new();
    let mut code: Option<(String, String, Range<usize>)> = None;
    let mut screens = Vec::new();
    let mut steps = BTreeSet::new();
    // The next item number of each open list (None: a bullet list).
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut memo_count = 0;
    let mut checker_count = 0;
    // A line break inside a paragraph: a space, except between two Japanese characters.
    let mut soft_break = false;
    let mut plain = String::new();
    let mut headings: Vec<String> = Vec::new();
    let mut in_heading = false;
    let mut external: Vec<(String, String)> = Vec::new();
    let mut last_char: Option<char> = None;
    let options = Options::ENABLE_TABLES | Options::ENABLE_WIKILINKS;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        if matches!(links.last(), Some(OpenLink::Replaced))
            && !matches!(event, Event::End(TagEnd::Link))
        {
            continue;
        }
        if let Some((_, buf, _)) = code.as_mut() {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let Some((info, buf, block)) = code.take() else { continue };
                    let html = match info.trim() {
                        "memo" => {
                            memo_count += 1;
                            memo_html(&buf, ctx.strings, slide.number, memo_count, lang)
                        }
                        "screen" => match ScreenSpec::parse(&buf) {
                            Ok(spec) => {
                                screens.push((spec, block.start + base..block.end + base));
                                screen_placeholder(screens.len() - 1)
                            }
                            Err(problems) => {
                                for p in problems {
                                    let at = p
                                        .needle
                                        .and_then(|n| {
                                            body[block.clone()]
                                                .find(&n)
                                                .map(|i| block.start + i..block.start + i + n.len())
                                        })
                                        .unwrap_or(block.start..block.start + 3);
                                    error(&at, p.message, &p.help);
                                }
                                String::new()
                            }
                        },
                        "checker" => {
                            checker_count += 1;
                            let fields: Vec<String> = buf
                                .lines()
                                .map(str::trim)
                                .filter(|l| !l.is_empty())
                                .map(String::from)
                                .collect();
                            match ctx.checker {
                                None => {
                                    error(&(block.start..block.start + 3), "a checker block, but the project has no content/checker.toml".into(),
                                        "add content/checker.toml (see tebiki's own) or remove the block");
                                    String::new()
                                }
                                Some(rules) => {
                                    for f in
                                        fields.iter().filter(|f| !rules.fields.contains_key(*f))
                                    {
                                        let at = body[block.clone()]
                                            .find(f.as_str())
                                            .map_or(block.start..block.start + 3, |i| {
                                                block.start + i..block.start + i + f.len()
                                            });
                                        let known: Vec<&str> =
                                            rules.fields.keys().map(String::as_str).collect();
                                        error(
                                            &at,
                                            format!("unknown checker field `{f}`"),
                                            &format!(
                                                "use one of the fields of content/checker.toml: {}",
                                                known.join(", ")
                                            ),
                                        );
                                    }
                                    rules.block_html(
                                        &fields,
                                        lang,
                                        &format!("checker-{}-{checker_count}", slide.number),
                                    )
                                }
                            }
                        }
                        "test-results" => crate::a11y::results_html(ctx.root, lang, ctx.strings),
                        _ => highlight::code_block(&buf, &info),
                    };
                    out.push(Event::Html(html.into()));
                }
                _ => {}
            }
            continue;
        }
        if let Event::Text(t) | Event::Code(t) = &event {
            match headings.last_mut() {
                Some(h) if in_heading => h.push_str(t),
                _ => {
                    plain.push_str(t);
                    plain.push(' ');
                }
            }
            if std::mem::take(&mut soft_break) {
                let joined =
                    last_char.is_some_and(is_japanese) && t.chars().next().is_some_and(is_japanese);
                if !joined {
                    out.push(Event::Text(" ".into()));
                }
            }
            last_char = t.chars().last();
        } else if soft_break && !matches!(event, Event::SoftBreak) {
            soft_break = false;
            out.push(Event::SoftBreak);
        }
        match event {
            Event::SoftBreak => soft_break = true,
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                in_heading = true;
                headings.push(String::new());
                if level < ctx.top_heading {
                    error(
                        &range,
                        "a heading inside a slide must be `###` or smaller".into(),
                        "the slide's title (front matter) is its main heading; use `###` for a sub-heading",
                    );
                }
                out.push(Event::Start(Tag::Heading {
                    level: shift(level, ctx.heading_shift),
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                in_heading = false;
                out.push(Event::End(TagEnd::Heading(shift(level, ctx.heading_shift))));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let wiki_label = matches!(link_type, LinkType::WikiLink { has_pothole: false });
                let opened = if let Some(n) = dest_url.strip_prefix("slide:") {
                    match n.trim().parse::<u32>() {
                        Ok(n) if n > 0 => {
                            refs.push((n, range.start + base..range.end + base));
                            Some((
                                format!("<a href=\"#slide-{n}\" data-xref=\"{n}\">"),
                                ctx.strings.slide_label(lang, n),
                            ))
                        }
                        _ => {
                            error(
                                &range,
                                format!("`{dest_url}` is not a slide reference"),
                                "write a slide number, e.g. [[slide:13]]",
                            );
                            Some((String::from("<a>"), String::new()))
                        }
                    }
                } else if let Some(key) = dest_url.strip_prefix("link:") {
                    match ctx.links.get(key.trim()) {
                        Some(link) => {
                            if !external.iter().any(|(u, _)| *u == link.url) {
                                external.push((link.url.clone(), link_label(link, lang)));
                            }
                            Some((
                                format!("<a href=\"{}\">", escape_html(&link.url)),
                                link_label(link, lang),
                            ))
                        }
                        None => {
                            let known: Vec<&str> = ctx.links.keys().map(String::as_str).collect();
                            error(
                                &range,
                                format!("unknown link key `{key}`"),
                                &format!(
                                    "use one of the keys defined under [links] in content/guide.toml: {}",
                                    known.join(", ")
                                ),
                            );
                            Some((String::from("<a>"), String::new()))
                        }
                    }
                } else if matches!(link_type, LinkType::WikiLink { .. }) {
                    error(
                        &range,
                        format!("unknown reference `[[{dest_url}]]`"),
                        "write [[slide:N]] for a slide or [[link:KEY]] for an address from content/guide.toml",
                    );
                    Some((String::from("<a>"), String::new()))
                } else {
                    if (dest_url.starts_with("https://") || dest_url.starts_with("http://"))
                        && !external.iter().any(|(u, _)| **u == *dest_url)
                    {
                        external.push((dest_url.to_string(), dest_url.to_string()));
                    }
                    if is_script_url(&dest_url) {
                        error(
                            &range,
                            "a `javascript:` link is not allowed".into(),
                            "link to a slide or a web address instead",
                        );
                    }
                    None
                };
                match opened {
                    Some((open, label)) if wiki_label => {
                        out.push(Event::InlineHtml(
                            format!("{open}{}</a>", html_for(&label, lang)).into(),
                        ));
                        links.push(OpenLink::Replaced);
                    }
                    Some((open, _)) => {
                        out.push(Event::InlineHtml(open.into()));
                        links.push(OpenLink::Ours);
                    }
                    None => {
                        out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                        links.push(OpenLink::Plain);
                    }
                }
            }
            Event::End(TagEnd::Link) => match links.pop() {
                Some(OpenLink::Plain) | None => out.push(Event::End(TagEnd::Link)),
                Some(OpenLink::Ours) => out.push(Event::InlineHtml("</a>".into())),
                Some(OpenLink::Replaced) => {}
            },
            Event::Start(Tag::Image { .. }) => {
                error(
                    &range,
                    "pictures in the Markdown body are not supported".into(),
                    "remove the image; screen pictures are added with screen blocks",
                );
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((info, String::new(), range.clone()));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(what) = unsafe_html(&html) {
                    error(
                        &range,
                        format!("raw HTML with {what} is not allowed"),
                        "the pages carry a strict Content-Security-Policy: write Markdown instead of HTML",
                    );
                } else {
                    out.push(Event::InlineHtml(html));
                }
            }
            Event::Text(t) if lang != "ja" => {
                out.push(Event::InlineHtml(html_for(&t, lang).into()))
            }
            Event::Code(c) if lang != "ja" => {
                out.push(Event::InlineHtml(format!("<code>{}</code>", html_for(&c, lang)).into()))
            }
            Event::Start(Tag::List(start)) => {
                lists.push(start);
                out.push(Event::Start(Tag::List(start)));
            }
            Event::End(TagEnd::List(ordered)) => {
                lists.pop();
                out.push(Event::End(TagEnd::List(ordered)));
            }
            Event::Start(Tag::Item) => {
                if let Some(Some(n)) = lists.last_mut() {
                    steps.insert(*n);
                    *n += 1;
                }
                out.push(Event::Start(Tag::Item));
            }
            Event::Start(Tag::Table(a)) => {
                out.push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">")));
                out.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            other => out.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 2);
    // The same body for the print page, where headings sit one level lower.
    let mut print_html = String::with_capacity(html.capacity());
    pulldown_cmark::html::push_html(
        &mut print_html,
        out.iter().cloned().map(|event| match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                Event::Start(Tag::Heading { level: shift(level, 1), id, classes, attrs })
            }
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level, 1))),
            other => other,
        }),
    );
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    let text = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    (
        RenderedBody {
            html,
            print_html,
            slide_refs: refs,
            screens,
            steps,
            has_checker: checker_count > 0,
            text,
            headings,
            external,
        },
        errors,
    )
}

fn shift(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as usize + by as usize).min(6);
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

fn is_script_url(url: &str) -> bool {
    let compact: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    compact.to_ascii_lowercase().starts_with("javascript:")
}

/// What makes a piece of raw HTML unsafe, if anything: script-bearing elements, event-handler
/// attributes and `javascript:` URLs.
pub fn unsafe_html(html: &str) -> Option<&'static str> {
    let lower = html.to_ascii_lowercase();
    for tag in ["script", "style", "iframe", "object", "embed", "link", "meta", "base", "form"] {
        let open = format!("<{tag}");
        if lower.match_indices(&open).any(|(i, _)| {
            lower[i + open.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || c == '>' || c == '/')
        }) {
            return Some(match tag {
                "script" => "a <script> element",
                "style" => "a <style> element",
                _ => "an element that loads or submits content",
            });
        }
    }
    let bytes = lower.as_bytes();
    for (i, _) in lower.match_indices("on") {
        let before_ok = i > 0
            && (bytes[i - 1].is_ascii_whitespace()
                || bytes[i - 1] == b'/'
                || bytes[i - 1] == b'"'
                || bytes[i - 1] == b'\'');
        let name_len = bytes[i + 2..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let after = lower[i + 2 + name_len..].trim_start();
        if before_ok && name_len > 0 && after.starts_with('=') && lower[..i].contains('<') {
            return Some("an event-handler attribute (on…=)");
        }
    }
    if has_attribute(&lower, "style") {
        return Some(
            "a style attribute (inline styles are blocked by the pages' policy; the theme's CSS styles the page)",
        );
    }
    if has_attribute(&lower, "data-xref") {
        return Some(
            "a data-xref attribute (tebiki's own; write [[slide:N]] for a cross-reference)",
        );
    }
    if has_script_scheme(&lower) {
        return Some("a javascript: URL");
    }
    None
}

/// Whether lower-cased HTML has an attribute `name` (`… name=…` inside a tag).
fn has_attribute(lower: &str, name: &str) -> bool {
    let bytes = lower.as_bytes();
    lower.match_indices(name).any(|(i, _)| {
        let before_ok = i > 0
            && (bytes[i - 1].is_ascii_whitespace()
                || bytes[i - 1] == b'/'
                || bytes[i - 1] == b'"'
                || bytes[i - 1] == b'\'');
        before_ok
            && lower[i + name.len()..].trim_start().starts_with('=')
            && lower[..i].contains('<')
    })
}

/// Whether lower-cased HTML holds `javascript:` as a browser reads a URL: with character references
/// decoded (`&#106;`, `&#x6a`, `&colon;`, `&tab;`) and tabs and line breaks dropped.
fn has_script_scheme(lower: &str) -> bool {
    let mut text = String::with_capacity(lower.len());
    let mut rest = lower;
    while let Some(i) = rest.find('&') {
        text.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let (digits, radix) = match rest.strip_prefix("#x") {
            Some(hex) => (hex, 16),
            None => (rest.strip_prefix('#').unwrap_or(""), 10),
        };
        let n = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
        let numeric = (n > 0).then(|| {
            (
                u32::from_str_radix(&digits[..n], radix).ok().and_then(char::from_u32),
                rest.len() - digits.len() + n,
            )
        });
        let named = ["colon", "tab", "newline"]
            .into_iter()
            .find(|n| rest.starts_with(n))
            .map(|n| (Some(if n == "colon" { ':' } else { '\t' }), n.len()));
        match numeric.or(named) {
            Some((Some(c), len)) => {
                text.push(c);
                rest = rest[len..].strip_prefix(';').unwrap_or(&rest[len..]);
            }
            _ => text.push('&'),
        }
    }
    text.push_str(rest);
    text.retain(|c| !matches!(c, '\t' | '\n' | '\r'));
    text.to_ascii_lowercase().contains("javascript:")
}

fn memo_html(labels: &str, strings: &Strings, slide: u32, index: usize, lang: &str) -> String {
    let id = format!("memo-{slide}-{index}");
    let mut html = format!(
        "<div class=\"memo\" role=\"group\" aria-labelledby=\"{id}\"><p class=\"memo-title\" id=\"{id}\">{}</p><p class=\"memo-note\">{}</p><ul class=\"memo-fields\">",
        html_for(strings.get(lang, "memo_title"), lang),
        html_for(strings.get(lang, "memo_note"), lang),
    );
    for label in labels.lines().map(str::trim).filter(|l| !l.is_empty()) {
        html.push_str(&format!(
            "<li><span class=\"memo-label\">{}</span><span class=\"memo-line\"></span></li>",
            html_for(label, lang)
        ));
    }
    html.push_str("</ul></div>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use std::path::PathBuf;

    fn slide(lang: &str, body: &str) -> SlideSource {
        let text = format!("+++\nslide = 5\ntitle = \"t\"\n+++\n{body}");
        let body_start = text.find("+++\n").map(|_| text.rfind("+++\n").unwrap() + 4).unwrap();
        SlideSource {
            lang: lang.into(),
            number: 5,
            title: "t".into(),
            explains: Vec::new(),
            file: SourceFile { rel: PathBuf::from("content/slides/005-x.ja.md"), text },
            body_start,
        }
    }

    fn render_one(lang: &str, body: &str) -> (RenderedBody, Diagnostics) {
        let mut links = BTreeMap::new();
        links.insert(
            "site".to_string(),
            LinkConfig {
                url: "https://example.jp/".into(),
                name: "サイト".into(),
                en: "the site".into(),
            },
        );
        let strings = Strings::builtin();
        render(
            &slide(lang, body),
            &MarkdownContext {
                links: &links,
                checker: None,
                strings: &strings,
                heading_shift: 0,
                top_heading: HeadingLevel::H3,
                root: std::path::Path::new("."),
            },
        )
    }

    #[test]
    fn slide_reference_renders_label_and_placeholder() {
        let (r, e) = render_one("ja", "[[slide:13]]へ進みます。\n");
        assert!(e.is_empty());
        assert!(
            r.html.contains("<a href=\"#slide-13\" data-xref=\"13\">スライド13</a>へ"),
            "{}",
            r.html
        );
        assert_eq!(r.slide_refs.len(), 1);
        let (r, _) = render_one("en", "Go to [[slide:13]] or [the memo](slide:17).\n");
        assert!(r.html.contains(">Slide 13</a>"), "{}", r.html);
        assert!(r.html.contains("data-xref=\"17\">the memo</a>"), "{}", r.html);
    }

    #[test]
    fn reference_position_is_in_the_file() {
        let (r, _) = render_one("ja", "一行目\n\n[[slide:13]]\n");
        let s = slide("ja", "一行目\n\n[[slide:13]]\n");
        let loc = crate::diagnostics::Location::in_source(&s.file.text, r.slide_refs[0].1.clone());
        assert_eq!(loc.line, 7);
    }

    #[test]
    fn external_links_from_config() {
        let (r, e) = render_one("en", "See [[link:site]].\n");
        assert!(e.is_empty());
        assert!(
            r.html.contains(
                "<a href=\"https://example.jp/\">the site (<span lang=\"ja\">「サイト」</span>)</a>"
            ),
            "{}",
            r.html
        );
        let (_, e) = render_one("ja", "[[link:nope]]\n");
        assert_eq!(e.len(), 1);
        assert!(e.iter().next().unwrap().message.contains("nope"));
    }

    #[test]
    fn refuses_unsafe_html_and_big_headings() {
        let (_, e) =
            render_one("ja", "<script>alert(1)</script>\n\n<p onclick=\"x()\">a</p>\n\n# 見出し\n");
        assert_eq!(e.len(), 3, "{e:?}");
        let (_, e) = render_one("ja", "a <br> b and the word onion=3\n");
        assert!(e.is_empty(), "{e:?}");
        // A scheme hidden behind character references or a tab is still refused.
        for html in [
            "<a href=\"&#106;avascript:x()\">",
            "<a href=\"&#x4A;avascript&colon;x()\">",
            "<a href=\"java\tscript:x()\">",
            "<a href=\"&#0106avascript:x()\">",
        ] {
            assert_eq!(unsafe_html(html), Some("a javascript: URL"), "{html}");
        }
        assert_eq!(unsafe_html("<a href=\"a&amp;b&#x;&#99999999999;\">"), None);
        assert!(
            unsafe_html("<span style=\"color: red\">x</span>")
                .is_some_and(|w| w.contains("style attribute"))
        );
        assert!(unsafe_html("<a data-xref=\"3\">x</a>").is_some_and(|w| w.contains("[[slide:N]]")));
        assert_eq!(unsafe_html("<kbd>style = x</kbd>"), None);
    }

    #[test]
    fn memo_box_and_tables() {
        let (r, _) =
            render_one("ja", "```memo\n新しいパスワード\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(r.html.contains("class=\"memo\""));
        assert!(r.html.contains("新しいパスワード"));
        assert!(!r.html.contains("<input"));
        assert!(r.html.contains("<div class=\"table-wrap\"><table>"), "{}", r.html);
    }

    #[test]
    fn line_breaks_join_japanese_without_a_space() {
        let (r, _) = render_one("ja", "パソコンを\n確認します。Windows\nUpdate\n");
        assert!(r.html.contains("パソコンを確認します。Windows Update"), "{}", r.html);
    }

    #[test]
    fn japanese_marked_in_english() {
        let (r, _) = render_one("en", "Click 「ログイン」 (Log in).\n");
        assert!(
            r.html.contains("Click <span lang=\"ja\">「ログイン」</span> (Log in)."),
            "{}",
            r.html
        );
    }
}
