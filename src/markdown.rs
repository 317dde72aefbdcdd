//! A slide's Markdown body → HTML, with tebiki's extensions:
//! `[[slide:N]]` / `[text](slide:N)` cross-references, `[[link:KEY]]` / `[text](link:KEY)` external
//! addresses from guide.toml, `[[page:NAME]]` / `[text](page:NAME)` links to a page of
//! content/pages (labelled with its title), ```` ```memo ```` boxes, syntect code blocks and Japanese runs marked
//! in English text.
//!
//! Cross-references come out as `<a href="#slide-N" data-xref="N">`; the post-process stage points
//! them at the page that holds slide N. Their numbers are returned so the resolve stage can check
//! that each slide exists. Page links come out as `<a href="NAME.html" data-page="NAME">`; on the
//! print page, which holds the pages printed in the handout, the post-process stage points them
//! at `#page-NAME`.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

pub use pulldown_cmark::HeadingLevel;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::a11y;
use crate::checker::Rules;
use crate::components::{self, CheckerView, Components, LoginHelpView, MemoView, ResultsView};
use crate::config::LinkConfig;
use crate::content::{PageSource, SlideSource};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::screens::{BlockSpans, ScreenSpec};
use crate::text::{escape_html, html_for, is_japanese};
use crate::theme::{Strings, Words};
use crate::{handout, highlight, raw_html};

/// What a slide body is rendered against.
pub struct MarkdownContext<'a> {
    pub links: &'a BTreeMap<String, LinkConfig>,
    /// The pages beside the slides (content/pages/), every language: `[[page:NAME]]` links to one.
    pub pages: &'a [PageSource],
    /// The format checker's rules, when the project has `content/checker.toml`.
    pub checker: Option<&'a Rules>,
    pub strings: &'a Strings,
    /// The theme's templates for the memo box, the checker and the test results.
    pub components: Components<'a>,
    /// The last automated accessibility run, for a `test-results` block.
    pub a11y: Option<&'a a11y::Results>,
    /// Added to every heading level (0 on chapter pages, where `###` is an h3; 1 on the print page).
    pub heading_shift: u8,
    /// The largest heading allowed in the body: `###` in a slide (its title is the h2), `##` in a
    /// page.
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
    /// Screen blocks, in order.
    pub screens: Vec<ScreenBlock>,
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

/// A screen block of a slide, with where its parts are in the slide's file.
#[derive(Debug, Clone)]
pub struct ScreenBlock {
    pub spec: ScreenSpec,
    pub at: BlockSpans,
}

/// Marks where screen block `index` of a slide goes, until its picture is processed.
pub fn screen_placeholder(index: usize) -> String {
    format!("<!--tebiki-screen-{index}-->")
}

/// The default label of an external link on a page in `lang`: the site's name, after what the
/// site is where the link says so in that language.
pub fn link_label(link: &LinkConfig, lang: &str) -> String {
    match link.about.get(lang) {
        Some(about) => format!("{about} (「{}」)", link.name),
        None => link.name.clone(),
    }
}

enum OpenLink {
    /// A Markdown link passed through as it is.
    Plain,
    /// A link we opened as HTML; close it with `</a>`.
    Ours,
    /// A wiki-link whose label we already wrote: drop its text up to the end.
    Replaced,
}

/// Renders `slide`'s body; every problem found is returned with it.
pub fn render(slide: &SlideSource, ctx: &MarkdownContext) -> (RenderedBody, Diagnostics) {
    let options = Options::ENABLE_TABLES | Options::ENABLE_WIKILINKS;
    let mut renderer = Renderer::new(slide, ctx);
    for (event, range) in Parser::new_ext(slide.body(), options).into_offset_iter() {
        renderer.event(event, range);
    }
    renderer.finish()
}

/// A fenced block being read: its info string, its text and where each piece of the text is in
/// the body (so a position inside the block maps back to the file, even in an indented list).
struct CodeBlock<'s> {
    info: String,
    text: String,
    /// The whole block, fences included, in the body.
    range: Range<usize>,
    /// (offset in `text`, offset in the body) of each piece.
    pieces: Vec<(usize, usize)>,
    /// For a block of raw HTML: its events, passed on once the whole block is checked.
    events: Vec<Event<'s>>,
}

impl CodeBlock<'_> {
    /// A range of `text` as a range of the body.
    fn to_body(&self, range: Range<usize>) -> Range<usize> {
        let at = |i: usize| match self.pieces.iter().rev().find(|(text, _)| *text <= i) {
            Some((text, body)) => body + (i - text),
            None => self.range.start,
        };
        at(range.start)..at(range.end).max(at(range.start))
    }

    /// The block's opening fence, for problems with the block as a whole.
    fn fence(&self) -> Range<usize> {
        self.range.start..self.range.start + 3
    }

    /// The block's non-empty lines, trimmed, with their ranges in `text`.
    fn lines(&self) -> Vec<(String, Range<usize>)> {
        let mut at = 0;
        let mut lines = Vec::new();
        for line in self.text.split_inclusive('\n') {
            let trimmed = line.trim();
            if !trimmed.is_empty() {
                let start = at + (line.len() - line.trim_start().len());
                lines.push((trimmed.to_string(), start..start + trimmed.len()));
            }
            at += line.len();
        }
        lines
    }
}

/// The state of one body's rendering: the events passed on to pulldown-cmark's HTML writer, what
/// is gathered for the rest of the build, and the problems.
struct Renderer<'s, 'c> {
    slide: &'s SlideSource,
    ctx: &'c MarkdownContext<'c>,
    lang: &'s str,
    out: Vec<Event<'s>>,
    errors: Diagnostics,
    found: RenderedBody,
    links: Vec<OpenLink>,
    code: Option<CodeBlock<'s>>,
    /// A block of raw HTML being read.
    html_block: Option<CodeBlock<'s>>,
    /// The next item number of each open list (None: a bullet list).
    lists: Vec<Option<u64>>,
    memos: usize,
    checkers: usize,
    /// A line break inside a paragraph: a space, except between two Japanese characters.
    soft_break: bool,
    in_heading: bool,
    last_char: Option<char>,
    plain: String,
}

impl<'s, 'c> Renderer<'s, 'c> {
    fn new(slide: &'s SlideSource, ctx: &'c MarkdownContext<'c>) -> Renderer<'s, 'c> {
        Renderer {
            slide,
            ctx,
            lang: &slide.lang,
            out: Vec::new(),
            errors: Diagnostics::default(),
            found: RenderedBody::default(),
            links: Vec::new(),
            code: None,
            html_block: None,
            lists: Vec::new(),
            memos: 0,
            checkers: 0,
            soft_break: false,
            in_heading: false,
            last_char: None,
            plain: String::new(),
        }
    }

    /// A problem at `range` of the body (past the most one file reports, only counted).
    fn error(&mut self, range: Range<usize>, message: String, help: &str) {
        if self.errors.is_full(&self.slide.file.rel) {
            return self.errors.left_out(&self.slide.file.rel);
        }
        let base = self.slide.body_start;
        let at = range.start + base..range.end + base;
        self.errors.push(
            Diagnostic::new(&self.slide.file.rel, message)
                .at_range(&self.slide.file.text, at)
                .help(help),
        );
    }

    fn event(&mut self, event: Event<'s>, range: Range<usize>) {
        if matches!(self.links.last(), Some(OpenLink::Replaced))
            && !matches!(event, Event::End(TagEnd::Link))
        {
            return;
        }
        if self.code.is_some() {
            return self.code_event(event, range);
        }
        if self.html_block.is_some() {
            return self.html_block_event(event, range);
        }
        self.track_text(&event);
        match event {
            Event::SoftBreak => self.soft_break = true,
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                self.in_heading = true;
                self.found.headings.push(String::new());
                if level < self.ctx.top_heading {
                    self.error(
                        range,
                        "a heading inside a slide must be `###` or smaller".into(),
                        "the slide's title (front matter) is its main heading; use `###` for a \
                         sub-heading",
                    );
                }
                let level = shift(level, self.ctx.heading_shift);
                self.out.push(Event::Start(Tag::Heading { level, id, classes, attrs }));
            }
            Event::End(TagEnd::Heading(level)) => {
                self.in_heading = false;
                self.out.push(Event::End(TagEnd::Heading(shift(level, self.ctx.heading_shift))));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                self.link_start(Tag::Link { link_type, dest_url, title, id }, range)
            }
            Event::End(TagEnd::Link) => self.link_end(),
            Event::Start(Tag::Image { .. }) => self.error(
                range,
                "pictures in the Markdown body are not supported".into(),
                "remove the image; screen pictures are added with screen blocks",
            ),
            Event::Start(Tag::CodeBlock(kind)) => self.code_start(kind, range),
            Event::Start(Tag::HtmlBlock) => {
                self.html_block = Some(CodeBlock {
                    info: String::new(),
                    text: String::new(),
                    range,
                    pieces: Vec::new(),
                    events: Vec::new(),
                })
            }
            Event::Html(html) | Event::InlineHtml(html) => self.raw_html(html, range),
            other => self.structure(other),
        }
    }

    /// Gathers text for search and headings, and resolves a pending line break before it. Blocks
    /// and line breaks part the words of the plain text; inline markup (links, emphasis) does not.
    fn track_text(&mut self, event: &Event<'s>) {
        let (Event::Text(t) | Event::Code(t)) = event else {
            let parts = match event {
                Event::End(end) => !is_inline(end),
                _ => matches!(event, Event::HardBreak | Event::Rule),
            };
            if parts {
                self.plain.push(' ');
            }
            if self.soft_break && !matches!(event, Event::SoftBreak) {
                self.soft_break = false;
                self.out.push(Event::SoftBreak);
                // A line ending before a link: its words stay apart (but Japanese runs on).
                if !self.last_char.is_some_and(is_japanese) {
                    self.plain.push(' ');
                }
            }
            return;
        };
        let joined =
            self.last_char.is_some_and(is_japanese) && t.chars().next().is_some_and(is_japanese);
        let soft_break = std::mem::take(&mut self.soft_break);
        if soft_break && !joined {
            self.out.push(Event::Text(" ".into()));
        }
        match self.found.headings.last_mut() {
            Some(h) if self.in_heading => h.push_str(t),
            _ => {
                if soft_break && !joined {
                    self.plain.push(' ');
                }
                self.plain.push_str(t);
            }
        }
        self.last_char = t.chars().last();
    }

    /// Text, lists and tables: Japanese marked on other languages' pages, steps counted, tables
    /// wrapped so they scroll on a phone.
    fn structure(&mut self, event: Event<'s>) {
        let marked = crate::text::marks_japanese(self.lang);
        match event {
            Event::Text(t) if marked => {
                self.out.push(Event::InlineHtml(html_for(&t, self.lang).into()))
            }
            Event::Code(c) if marked => self.out.push(Event::InlineHtml(
                format!("<code>{}</code>", html_for(&c, self.lang)).into(),
            )),
            Event::Start(Tag::List(start)) => {
                self.lists.push(start);
                self.out.push(Event::Start(Tag::List(start)));
            }
            Event::End(TagEnd::List(ordered)) => {
                self.lists.pop();
                self.out.push(Event::End(TagEnd::List(ordered)));
            }
            Event::Start(Tag::Item) => {
                if let Some(Some(n)) = self.lists.last_mut() {
                    self.found.steps.insert(*n);
                    *n += 1;
                }
                self.out.push(Event::Start(Tag::Item));
            }
            Event::Start(Tag::Table(a)) => {
                self.out.push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">")));
                self.out.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                self.out.push(Event::End(TagEnd::Table));
                self.out.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            other => self.out.push(other),
        }
    }

    /// Raw HTML inside a paragraph: one tag (or comment) at a time.
    fn raw_html(&mut self, html: CowStr<'s>, range: Range<usize>) {
        match raw_html::check(&html) {
            Some(refused) => self.refused_html(&refused, range.start),
            None => self.out.push(Event::InlineHtml(html)),
        }
    }

    /// A block of raw HTML, checked as a whole once it ends (a tag may run over several lines).
    fn html_block_event(&mut self, event: Event<'s>, range: Range<usize>) {
        let Some(block) = self.html_block.as_mut() else { return };
        match event {
            Event::Html(html) => {
                block.pieces.push((block.text.len(), range.start));
                block.text.push_str(&html);
                block.events.push(Event::InlineHtml(html));
            }
            Event::End(TagEnd::HtmlBlock) => {
                let Some(block) = self.html_block.take() else { return };
                match raw_html::check(&block.text) {
                    Some(refused) => {
                        let at = block.to_body(refused.at..refused.at).start;
                        self.refused_html(&refused, at);
                    }
                    None => self.out.extend(block.events),
                }
            }
            _ => {}
        }
    }

    fn refused_html(&mut self, refused: &raw_html::Refusal, at: usize) {
        self.error(
            at..at + 1,
            format!("raw HTML with {} is not allowed", refused.what),
            "the pages carry a strict Content-Security-Policy: write Markdown instead of HTML",
        );
    }

    fn link_start(&mut self, link: Tag<'s>, range: Range<usize>) {
        let Tag::Link { link_type, dest_url, title, id } = link else { return };
        let opened = if let Some(n) = dest_url.strip_prefix("slide:") {
            Some(self.slide_link(n, &dest_url, range))
        } else if let Some(key) = dest_url.strip_prefix("link:") {
            Some(self.named_link(key, range))
        } else if let Some(name) = dest_url.strip_prefix("page:") {
            Some(self.page_link(name, range))
        } else if matches!(link_type, LinkType::WikiLink { .. }) {
            self.error(
                range,
                format!("unknown reference `[[{dest_url}]]`"),
                "write [[slide:N]] for a slide, [[page:NAME]] for a page of content/pages or \
                 [[link:KEY]] for an address from content/guide.toml",
            );
            Some((String::from("<a>"), String::new()))
        } else {
            self.plain_link(&dest_url, range);
            None
        };
        let wiki_label = matches!(link_type, LinkType::WikiLink { has_pothole: false });
        match opened {
            Some((open, label)) if wiki_label => {
                let html = format!("{open}{}</a>", html_for(&label, self.lang));
                // The label is text of the slide for search too ("see スライド17").
                self.plain.push_str(&label);
                self.out.push(Event::InlineHtml(html.into()));
                self.links.push(OpenLink::Replaced);
            }
            Some((open, _)) => {
                self.out.push(Event::InlineHtml(open.into()));
                self.links.push(OpenLink::Ours);
            }
            None => {
                self.out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                self.links.push(OpenLink::Plain);
            }
        }
    }

    /// `[[slide:N]]`: the opening tag and the default label.
    fn slide_link(&mut self, n: &str, dest_url: &str, range: Range<usize>) -> (String, String) {
        match n.trim().parse::<u32>() {
            Ok(n) if n > 0 => {
                let base = self.slide.body_start;
                self.found.slide_refs.push((n, range.start + base..range.end + base));
                let open = format!("<a href=\"#slide-{n}\" data-xref=\"{n}\">");
                (open, self.ctx.strings.slide_label(self.lang, n))
            }
            _ => {
                self.error(
                    range,
                    format!("`{dest_url}` is not a slide reference"),
                    "write a slide number, e.g. [[slide:13]]",
                );
                (String::from("<a>"), String::new())
            }
        }
    }

    /// `[[link:KEY]]`: the address from guide.toml, and its default label.
    fn named_link(&mut self, key: &str, range: Range<usize>) -> (String, String) {
        match self.ctx.links.get(key.trim()) {
            Some(link) => {
                if !self.found.external.iter().any(|(u, _)| *u == link.url) {
                    self.found.external.push((link.url.clone(), link_label(link, self.lang)));
                }
                let open = format!("<a href=\"{}\">", escape_html(&link.url));
                (open, link_label(link, self.lang))
            }
            None => {
                let known: Vec<&str> = self.ctx.links.keys().map(String::as_str).collect();
                self.error(
                    range,
                    format!("unknown link key `{key}`"),
                    &format!(
                        "use one of the keys defined under [links] in content/guide.toml: {}",
                        known.join(", ")
                    ),
                );
                (String::from("<a>"), String::new())
            }
        }
    }

    /// `[[page:NAME]]`: a page of content/pages in this language, labelled with its title.
    fn page_link(&mut self, name: &str, range: Range<usize>) -> (String, String) {
        let name = name.trim();
        let mine = || self.ctx.pages.iter().filter(|p| p.lang == self.lang);
        if let Some(page) = mine().find(|p| p.name == name) {
            let open = format!("<a href=\"{name}.html\" data-page=\"{name}\">");
            return (open, page.title.clone());
        }
        let known: Vec<String> = mine().map(|p| format!("[[page:{}]]", p.name)).collect();
        let help = if known.is_empty() {
            format!("add content/pages/{name}.{}.md, or remove the link", self.lang)
        } else {
            format!(
                "the pages in this language are {}; or add content/pages/{name}.{}.md",
                known.join(", "),
                self.lang
            )
        };
        self.error(range, format!("there is no page `{name}` in `{}`", self.lang), &help);
        (String::from("<a>"), String::new())
    }

    /// An ordinary Markdown link: web addresses are kept for the print page's list (each must fit
    /// in a QR code).
    fn plain_link(&mut self, dest_url: &str, range: Range<usize>) {
        let web = dest_url.starts_with("https://") || dest_url.starts_with("http://");
        if web && !handout::fits_in_qr(dest_url) {
            let n = dest_url.chars().count();
            let message =
                format!("the address ({n} characters) is too long for a QR code on paper");
            self.error(range.clone(), message, handout::SHORTER_ADDRESS);
        }
        if web && !self.found.external.iter().any(|(u, _)| u == dest_url) {
            self.found.external.push((dest_url.to_string(), dest_url.to_string()));
        }
        match raw_html::refused_scheme(dest_url).as_deref() {
            Some("javascript") => self.error(
                range,
                "a `javascript:` link is not allowed".into(),
                "link to a slide or a web address instead",
            ),
            Some(scheme) => self.error(
                range,
                format!("a link to a `{scheme}:` address is not allowed"),
                "link to a slide, a web address (https:), mailto: or tel:",
            ),
            None => {}
        }
    }

    fn link_end(&mut self) {
        match self.links.pop() {
            Some(OpenLink::Plain) | None => self.out.push(Event::End(TagEnd::Link)),
            Some(OpenLink::Ours) => self.out.push(Event::InlineHtml("</a>".into())),
            Some(OpenLink::Replaced) => {}
        }
    }

    fn code_start(&mut self, kind: CodeBlockKind<'s>, range: Range<usize>) {
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let (text, pieces, events) = (String::new(), Vec::new(), Vec::new());
        self.code = Some(CodeBlock { info, text, range, pieces, events });
    }

    fn code_event(&mut self, event: Event<'s>, range: Range<usize>) {
        match event {
            Event::Text(t) => {
                if let Some(block) = self.code.as_mut() {
                    block.pieces.push((block.text.len(), range.start));
                    block.text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(block) = self.code.take() {
                    let html = self.code_block(&block);
                    self.out.push(Event::Html(html.into()));
                }
            }
            _ => {}
        }
    }

    /// A fenced block by its info string: tebiki's blocks, or code (highlighted).
    fn code_block(&mut self, block: &CodeBlock) -> String {
        match block.info.trim() {
            "memo" => {
                self.memos += 1;
                let words = Words::new(self.ctx.strings, self.lang);
                let view = MemoView::new(&block.text, words, self.slide.number, self.memos);
                self.component(components::MEMO, &view)
            }
            "screen" => self.screen(block),
            "checker" => self.checker(block),
            "login-help" => self.login_help(block),
            "test-results" => {
                let view = ResultsView::new(self.ctx.a11y, Words::new(self.ctx.strings, self.lang));
                self.component(components::TEST_RESULTS, &view)
            }
            info => highlight::code_block(&block.text, info),
        }
    }

    /// A component of the theme; a template that fails is a problem of the build.
    fn component(&mut self, name: &str, values: &impl Serialize) -> String {
        match self.ctx.components.render(name, values) {
            Ok(html) => html,
            Err(d) => {
                self.errors.push(d);
                String::new()
            }
        }
    }

    /// A screen block: checked now, its figure put in once its picture is made.
    fn screen(&mut self, block: &CodeBlock) -> String {
        let base = self.slide.body_start;
        match ScreenSpec::parse(&block.text) {
            Ok((spec, spans)) => {
                let mut at = spans.map(|r| {
                    let r = block.to_body(r);
                    r.start + base..r.end + base
                });
                at.block = block.range.start + base..block.range.end + base;
                self.found.screens.push(ScreenBlock { spec, at });
                screen_placeholder(self.found.screens.len() - 1)
            }
            Err(problems) => {
                for p in problems {
                    let at = p.span.map_or_else(|| block.fence(), |r| block.to_body(r));
                    self.error(at, p.message, &p.help);
                }
                String::new()
            }
        }
    }

    /// A login-help block: the slides that help when a login fails (numbers, e.g. `10 11 12`),
    /// each a cross-reference checked like `[[slide:N]]`; the checker's page is added by itself.
    fn login_help(&mut self, block: &CodeBlock) -> String {
        let mut slides = Vec::new();
        for word in block.text.split_whitespace() {
            match word.parse::<u32>() {
                Ok(n) if n > 0 => slides.push(n),
                _ => self.error(
                    block.fence(),
                    format!("`{word}` in a login-help block is not a slide number"),
                    "list the slides that help when a login fails, e.g. `10 11 12`",
                ),
            }
        }
        if slides.is_empty() {
            self.error(
                block.fence(),
                "a login-help block names no slide".into(),
                "list the slides that help when a login fails, e.g. `10 11 12`",
            );
        }
        let base = self.slide.body_start;
        let at = block.range.start + base..block.range.end + base;
        self.found.slide_refs.extend(slides.iter().map(|n| (*n, at.clone())));
        let refs = self.found.slide_refs.len();
        let id = format!("login-help-{}-{refs}", self.slide.number);
        let words = Words::new(self.ctx.strings, self.lang);
        let view = LoginHelpView::new(id, &slides, self.ctx.checker, words);
        self.component(components::LOGIN_HELP, &view)
    }

    /// A checker block: one field of content/checker.toml per line.
    fn checker(&mut self, block: &CodeBlock) -> String {
        self.checkers += 1;
        let Some(rules) = self.ctx.checker else {
            self.error(
                block.fence(),
                "a checker block, but the project has no content/checker.toml".into(),
                "add content/checker.toml (see tebiki's own) or remove the block",
            );
            return String::new();
        };
        let lines = block.lines();
        for (field, range) in lines.iter().filter(|(f, _)| !rules.fields.contains_key(f)) {
            let known: Vec<&str> = rules.fields.keys().map(String::as_str).collect();
            self.error(
                block.to_body(range.clone()),
                format!("unknown checker field `{field}`"),
                &format!("use one of the fields of content/checker.toml: {}", known.join(", ")),
            );
        }
        let fields: Vec<String> = lines.into_iter().map(|(f, _)| f).collect();
        let id = format!("checker-{}-{}", self.slide.number, self.checkers);
        self.component(components::CHECKER, &CheckerView::new(rules, &fields, self.lang, &id))
    }

    /// The HTML for the chapter page and, headings one level lower, for the print page.
    fn finish(self) -> (RenderedBody, Diagnostics) {
        let mut found = self.found;
        let capacity = self.slide.body().len() * 2;
        found.print_html = String::with_capacity(capacity);
        pulldown_cmark::html::push_html(
            &mut found.print_html,
            self.out.iter().cloned().map(|event| match event {
                Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                    Event::Start(Tag::Heading { level: shift(level, 1), id, classes, attrs })
                }
                Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level, 1))),
                other => other,
            }),
        );
        found.html = String::with_capacity(capacity);
        pulldown_cmark::html::push_html(&mut found.html, self.out.into_iter());
        found.text = self.plain.split_whitespace().collect::<Vec<_>>().join(" ");
        found.has_checker = self.checkers > 0;
        (found, self.errors)
    }
}

fn shift(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as usize + by as usize).min(6);
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

/// Whether a tag's end closes inline markup (its text runs on into the words around it).
fn is_inline(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
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
            translates: None,
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
                about: [("en".to_string(), "the site".to_string())].into(),
            },
        );
        let theme = crate::theme::builtin(&["ja".into(), "en".into()]).unwrap();
        let pages = [PageSource {
            name: "passwords".into(),
            lang: "ja".into(),
            title: "パスワードとIDの早見表".into(),
            handout: true,
            source: slide("ja", ""),
        }];
        render(
            &slide(lang, body),
            &MarkdownContext {
                links: &links,
                pages: &pages,
                checker: None,
                strings: &theme.strings,
                components: Components::new(&theme.tera),
                a11y: None,
                heading_shift: 0,
                top_heading: HeadingLevel::H3,
            },
        )
    }

    #[test]
    fn plain_text_for_search_holds_link_labels_and_parts_words_only_between_blocks() {
        let (r, _) = render_one(
            "ja",
            "「パスワード」に[[slide:17]]でメモした**大事な**\n文字。\n\n- 次へ\n",
        );
        assert_eq!(r.text, "「パスワード」にスライド17でメモした大事な文字。 次へ");
        let (r, _) = render_one("en", "Note it on\n[[slide:17]] and *keep*it.\n");
        assert_eq!(r.text, "Note it on Slide 17 and keepit.");
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
    fn page_links_take_the_pages_title_and_an_unknown_page_is_an_error_at_its_place() {
        let (r, e) = render_one("ja", "迷ったら：[[page:passwords]]\n");
        assert!(e.is_empty(), "{e:?}");
        let link = "<a href=\"passwords.html\" data-page=\"passwords\">パスワードとIDの早見表</a>";
        assert!(r.html.contains(link), "{}", r.html);
        assert!(r.text.contains("パスワードとIDの早見表"), "the label is searchable: {}", r.text);
        let (r, _) = render_one("ja", "[表](page:passwords)\n");
        assert!(r.html.contains("data-page=\"passwords\">表</a>"), "{}", r.html);
        // The page exists in Japanese only: in English it is unknown, and so is a misspelt one.
        for (lang, body) in
            [("en", "See [[page:passwords]].\n"), ("ja", "一行目\n\n[[page:pasword]]\n")]
        {
            let (_, e) = render_one(lang, body);
            let d = e.iter().next().unwrap_or_else(|| panic!("{lang}: no error"));
            assert!(d.message.contains("there is no page"), "{}", d.message);
            let line = d.location.as_ref().unwrap().line;
            assert_eq!(line, body.lines().count() + 4, "{lang}: at the link's line");
        }
    }

    #[test]
    fn a_login_help_block_links_its_slides_once_each_and_checks_them() {
        let (r, e) = render_one("ja", "```login-help\n10 11 12\n```\n");
        assert!(e.is_empty(), "{e:?}");
        assert!(r.html.contains("ログインできないときは"), "{}", r.html);
        for n in [10, 11, 12] {
            let link = format!("<a href=\"#slide-{n}\" data-xref=\"{n}\">スライド{n}</a>");
            assert_eq!(r.html.matches(&link).count(), 1, "{}", r.html);
        }
        let refs: Vec<u32> = r.slide_refs.iter().map(|(n, _)| *n).collect();
        assert_eq!(refs, [10, 11, 12], "checked like [[slide:N]]");
        // Without a checker, no link to its page.
        assert!(!r.html.contains("checker.html"), "{}", r.html);
        let (r, _) = render_one("en", "```login-help\n10 11 12\n```\n");
        assert!(r.html.contains("If you cannot log in"), "{}", r.html);
        let (_, e) = render_one("ja", "```login-help\nten\n```\n");
        assert!(e.iter().any(|d| d.message.contains("`ten`")), "{e:?}");
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
        // A tag written over two lines of an HTML block is read whole, at the line it starts.
        let (_, e) = render_one("en", "Text.\n\n<div\nonclick=\"x()\">a</div>\n");
        let problems: Vec<_> = e.iter().collect();
        assert_eq!(problems.len(), 1, "{e:?}");
        assert!(problems[0].message.contains("event-handler"), "{e:?}");
        assert_eq!(problems[0].location.as_ref().map(|l| l.line), Some(7));
        assert_eq!(raw_html::check("<a href=\"a&amp;b&#x;&#99999999999;\">"), None);
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
