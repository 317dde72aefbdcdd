//! The page stage: each page through its Tera template. Per language: a page per chapter (the
//! first is `index.html`), the print page (every slide), the pages beside the slides and the
//! checker's page; and the entry page (`index.html`). In a page, each slide body is a mark
//! ([`part_mark`]) until post-processing puts the body in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tera::Context;

use crate::assets::Assets;
use crate::bodies::Bodies;
use crate::checker::Rules;
use crate::components::{self, CheckerView};
use crate::content::PageSource;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::edition::{CHANGES_PAGE, LangChanges, Mark, Pair};
use crate::markdown::{self, HeadingLevel};
use crate::project::{Lang, Project};
use crate::site::{Chapter, slide_href};
use crate::text::html_for;
use crate::theme::{Words, template_error};

/// A rendered page before post-processing.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path under the output folder, e.g. `ja/certificate.html`.
    pub path: PathBuf,
    pub lang: String,
    /// The page from its template, where each slide body is a [`part_mark`]: bodies are made
    /// once, already compact, and put in after the rest of the page is minified.
    pub html: String,
    /// Slides whose `id="slide-N"` is on this page (cross-references to them stay on the page).
    pub slides: Vec<u32>,
    /// Pages of content/pages whose `id="page-NAME"` is on this page (the print page's handout
    /// pages; links to them stay on the page).
    pub pages: Vec<String>,
    /// The slide bodies the marks name.
    pub parts: Arc<Vec<String>>,
}

const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

/// Stands for body `index` in a page's HTML until the page is finished.
pub fn part_mark(index: usize) -> String {
    format!("{MARK_OPEN}{index}{MARK_CLOSE}")
}

impl Page {
    /// Calls `text` with the page's HTML in order, each mark replaced by its body.
    pub fn for_each_piece<'a>(html: &'a str, parts: &'a [String], mut text: impl FnMut(&'a str)) {
        let mut rest = html;
        while let Some(open) = rest.find(MARK_OPEN) {
            let after = &rest[open + MARK_OPEN.len_utf8()..];
            let part = after
                .find(MARK_CLOSE)
                .and_then(|close| Some((after[..close].parse::<usize>().ok()?, close)));
            match part.and_then(|(i, close)| Some((parts.get(i)?, close))) {
                Some((body, close)) => {
                    text(&rest[..open]);
                    text(body);
                    rest = &after[close + MARK_CLOSE.len_utf8()..];
                }
                None => {
                    text(&rest[..open + MARK_OPEN.len_utf8()]);
                    rest = after;
                }
            }
        }
        text(rest);
    }

    /// `html` (the page, or the page minified) with every mark replaced by its body.
    pub fn assemble(html: &str, parts: &[String]) -> String {
        let mut size = 0;
        Page::for_each_piece(html, parts, |piece| size += piece.len());
        let mut out = String::with_capacity(size);
        Page::for_each_piece(html, parts, |piece| out.push_str(piece));
        out
    }
}

#[derive(Serialize)]
struct GuideView {
    title: String,
    title_html: String,
    edition_html: String,
    publisher_html: String,
    app_version_html: Option<String>,
}

#[derive(Serialize)]
struct SlideView {
    number: u32,
    label: String,
    title_html: String,
    body: String,
    /// Of a translation behind its source: the note at the top of the slide.
    behind: Option<BehindView>,
    /// "Updated in this edition" or "New in this edition", when there is a previous edition.
    mark: Option<MarkView>,
}

/// The note on a translation behind its source (`translation_note` in `macros.html`): what it
/// says, and the link to the source slide in the default language.
#[derive(Serialize)]
struct BehindView {
    title_html: String,
    text_html: String,
    link_html: String,
    href: String,
    /// The source's language (the link's `hreflang`).
    lang: String,
}

#[derive(Serialize)]
struct MarkView {
    /// `changed` or `added`.
    kind: &'static str,
    text: String,
}

#[derive(Serialize)]
struct ChapterView {
    slug: String,
    href: String,
    title_html: String,
    step: Option<u32>,
    step_label: Option<String>,
    range: String,
    current: bool,
    slides: Vec<SlideView>,
}

/// A line of the print page's contents: a step (or a chapter that is none) with its chapters,
/// each with the page label it starts on (its first slide's number).
#[derive(Serialize)]
struct PartView {
    step_label: Option<String>,
    title_html: String,
    first: u32,
    /// Its slides, e.g. 「スライド13〜43」 (shown on screen; paper shows `first`).
    range: String,
    chapters: Vec<ContentsChapter>,
}

#[derive(Serialize)]
struct ContentsChapter {
    slug: String,
    title_html: String,
    first: u32,
    range: String,
}

#[derive(Serialize)]
struct LinkView {
    lang: String,
    href: String,
    name: String,
    read_in: String,
}

#[derive(Serialize)]
struct PageView {
    kind: &'static str,
    /// Whether the page holds a format checker (and so loads its script).
    checker: bool,
    /// Whether the page shows highlighted code (and so loads the code colours).
    code: bool,
    slug: String,
    title: String,
    title_html: String,
    step_label: Option<String>,
}

/// A page of content/pages printed in the handout: its name (`id="page-NAME"`), title and body.
#[derive(Serialize)]
struct HandoutPageView {
    name: String,
    title_html: String,
    body: String,
}

#[derive(Serialize)]
struct NeighbourView {
    href: String,
    title_html: String,
}

pub use crate::checker::CHECKER_PAGE;

/// Renders every page of one language: a page per chapter, the print page, the pages beside the
/// slides and the checker's page; with `only`, just the pages at those paths (a preview).
pub fn render_pages(
    lang: Lang,
    assets: &Assets,
    bodies: &Bodies,
    only: Option<&BTreeSet<PathBuf>>,
) -> (Vec<Page>, Diagnostics) {
    let mut maker =
        Maker { lang, assets, bodies, only, pages: Vec::new(), problems: Diagnostics::default() };
    for (i, ch) in lang.guide().chapters.iter().enumerate() {
        maker.chapter(i, ch);
    }
    maker.print();
    for page in lang.project.pages.iter().filter(|p| p.lang == lang.lang) {
        maker.extra(page);
    }
    if let Some(rules) = lang.checker() {
        maker.checker(rules);
    }
    if let Some(changes) = lang.changes() {
        maker.changes(changes);
    }
    (maker.pages, maker.problems)
}

/// The pages of one language as they are made, and the problems met.
struct Maker<'a> {
    lang: Lang<'a>,
    assets: &'a Assets,
    bodies: &'a Bodies,
    only: Option<&'a BTreeSet<PathBuf>>,
    pages: Vec<Page>,
    problems: Diagnostics,
}

impl Maker<'_> {
    /// The page `file` of this language, if this run makes it.
    fn wanted(&self, file: &str) -> Option<PathBuf> {
        let path = PathBuf::from(self.lang.lang).join(file);
        self.only.is_none_or(|o| o.contains(&path)).then_some(path)
    }

    /// What every page of the language receives: the guide, the words, the assets, the language
    /// links for `file`, the chapters (none current) and the footer's links.
    fn context(&self, file: &str) -> Context {
        let lang = self.lang;
        let mut ctx = base_context(lang.project, lang.lang, "../", self.assets);
        ctx.insert("others", &others(lang, file));
        ctx.insert("alternates", &alternates(lang, file));
        ctx.insert("chapters", &chapter_views(lang, None, |_| Vec::new()));
        let footer: Vec<NeighbourView> = lang
            .project
            .pages
            .iter()
            .filter(|p| p.lang == lang.lang)
            .map(|p| NeighbourView {
                href: format!("{}.html", p.name),
                title_html: html_for(&p.title, lang.lang),
            })
            .collect();
        ctx.insert("footer_links", &footer);
        ctx.insert("changes_link", &lang.changes().is_some());
        ctx
    }

    fn render(&mut self, template: &str, ctx: &Context, path: PathBuf, slides: Vec<u32>) {
        match self.lang.theme().tera.render(template, ctx) {
            Ok(html) => self.pages.push(Page {
                path,
                lang: self.lang.lang.to_string(),
                html,
                slides,
                pages: Vec::new(),
                parts: self.bodies.parts.clone(),
            }),
            Err(e) => self.problems.push(template_error(&templates_dir().join(template), &e)),
        }
    }

    /// A slide's title and its body's mark, for a chapter page or (`print`) the print page.
    fn slide_view(&self, n: u32, print: bool) -> Option<SlideView> {
        let lang = self.lang.lang;
        let slide = self.lang.guide().slide(lang, n)?;
        let table = if print { &self.bodies.print } else { &self.bodies.chapter };
        Some(SlideView {
            number: n,
            label: self.lang.theme().strings.slide_label(lang, n),
            title_html: html_for(&slide.title, lang),
            body: table.get(&(lang.to_string(), n)).map(|i| part_mark(*i)).unwrap_or_default(),
            behind: self
                .lang
                .project
                .behind
                .contains(&(lang.to_string(), n))
                .then(|| behind(self.lang, n)),
            mark: self
                .lang
                .changes()
                .and_then(|c| c.mark(n))
                .map(|m| mark_view(self.lang.words(), m)),
        })
    }

    fn holds(&self, set: &BTreeSet<(String, u32)>, mut slides: impl Iterator<Item = u32>) -> bool {
        slides.any(|n| set.contains(&(self.lang.lang.to_string(), n)))
    }

    fn chapter(&mut self, i: usize, ch: &Chapter) {
        let file = ch.file_name();
        let Some(path) = self.wanted(&file) else { return };
        let lang = self.lang;
        let guide = lang.guide();
        let mut ctx = self.context(&file);
        ctx.insert("others", &others(lang, &format!("{file}#slide-{}", ch.first)));
        ctx.insert("chapters", &chapter_views(lang, Some(i), |_| Vec::new()));
        ctx.insert(
            "page",
            &PageView {
                kind: "chapter",
                checker: self.holds(&self.bodies.checkers, ch.slides()),
                code: self.holds(&self.bodies.code, ch.slides()),
                slug: ch.slug.clone(),
                title: title(ch, lang.lang).to_string(),
                title_html: html_for(title(ch, lang.lang), lang.lang),
                step_label: step_label(lang.words(), ch),
            },
        );
        let neighbour = |c: Option<&Chapter>| {
            c.map(|c| NeighbourView {
                href: c.file_name(),
                title_html: html_for(title(c, lang.lang), lang.lang),
            })
        };
        ctx.insert("prev", &neighbour(i.checked_sub(1).and_then(|p| guide.chapters.get(p))));
        ctx.insert("next", &neighbour(guide.chapters.get(i + 1)));
        let slides: Vec<SlideView> =
            ch.slides().filter_map(|n| self.slide_view(n, false)).collect();
        ctx.insert("slides", &slides);
        self.render("chapter.html", &ctx, path, ch.slides().collect());
    }

    /// The print page (every slide), left out of a preview.
    fn print(&mut self) {
        let Some(path) = self.wanted("print.html") else { return };
        let lang = self.lang;
        let mut ctx = self.context("print.html");
        // The cover is slide 1; the chapters hold the others.
        let chapters = chapter_views(lang, None, |ch| {
            ch.slides().filter(|n| *n != 1).filter_map(|n| self.slide_view(n, true)).collect()
        });
        ctx.insert("chapters", &chapters);
        ctx.insert("cover", &self.slide_view(1, true));
        ctx.insert("contents", &contents(lang));
        ctx.insert("changes", &lang.changes().map(|c| changes_view(lang, c, true)));
        let printed = self.handout_pages();
        ctx.insert("handout_pages", &printed);
        let print_version = lang.words().get("print_version");
        ctx.insert(
            "page",
            &PageView {
                kind: "print",
                checker: self.bodies.checkers.iter().any(|(l, _)| l == lang.lang),
                code: self.bodies.code.iter().any(|(l, _)| l == lang.lang),
                slug: "print".into(),
                title: print_version.to_string(),
                title_html: html_for(print_version, lang.lang),
                step_label: None,
            },
        );
        self.render("print.html", &ctx, path, (1..=lang.guide().last).collect());
        if let Some(page) = self.pages.last_mut().filter(|p| p.path.ends_with("print.html")) {
            page.pages = printed.into_iter().map(|p| p.name).collect();
        }
    }

    /// The pages of content/pages printed in the handout after the contents (`handout = true`),
    /// headings a level lower. Their problems are reported with their own page.
    fn handout_pages(&self) -> Vec<HandoutPageView> {
        let ctx = self.lang.markdown(HeadingLevel::H2);
        let lang = self.lang.lang;
        let printed = self.lang.project.pages.iter().filter(|p| p.lang == lang && p.handout);
        printed
            .map(|page| HandoutPageView {
                name: page.name.clone(),
                title_html: html_for(&page.title, lang),
                body: markdown::render(&page.source, &ctx).0.print_html,
            })
            .collect()
    }

    /// A page beside the slides (`content/pages/NAME.LANG.md`).
    fn extra(&mut self, page: &PageSource) {
        let file = format!("{}.html", page.name);
        let Some(path) = self.wanted(&file) else { return };
        let lang = self.lang.lang;
        let (body, problems) =
            markdown::render(&page.source, &self.lang.markdown(HeadingLevel::H2));
        self.problems.extend(problems);
        let mut ctx = self.context(&file);
        ctx.insert(
            "page",
            &PageView {
                kind: "page",
                checker: body.has_checker,
                code: body.html.contains(crate::highlight::CODE_BLOCK),
                slug: page.name.clone(),
                title_html: html_for(&page.title, lang),
                title: page.title.clone(),
                step_label: None,
            },
        );
        ctx.insert("body", &body.html);
        self.render("page.html", &ctx, path, Vec::new());
    }

    /// The format checker's own page, with every field of `[page]`.
    fn checker(&mut self, rules: &Rules) {
        let Some(path) = self.wanted(CHECKER_PAGE) else { return };
        let lang = self.lang.lang;
        let mut ctx = self.context(CHECKER_PAGE);
        let title = rules.text.get("title").and_then(|t| t.get(lang)).cloned().unwrap_or_default();
        ctx.insert(
            "page",
            &PageView {
                kind: "checker",
                checker: true,
                code: false,
                slug: "checker".into(),
                title_html: html_for(&title, lang),
                title,
                step_label: None,
            },
        );
        let view = CheckerView::new(rules, &rules.page.fields, lang, "checker-page");
        match self.lang.components().render(components::CHECKER, &view) {
            Ok(html) => ctx.insert("checker_html", &html),
            Err(d) => return self.problems.push(d),
        }
        self.render("checker.html", &ctx, path, Vec::new());
    }
}

impl Maker<'_> {
    /// The changes page: what changed since the previous edition.
    fn changes(&mut self, changes: &LangChanges) {
        let Some(path) = self.wanted(CHANGES_PAGE) else { return };
        let title = self.lang.words().get("changes_title");
        let mut ctx = self.context(CHANGES_PAGE);
        ctx.insert(
            "page",
            &PageView {
                kind: "changes",
                checker: false,
                code: false,
                slug: "changes".into(),
                title: title.to_string(),
                title_html: html_for(title, self.lang.lang),
                step_label: None,
            },
        );
        ctx.insert("changes", &changes_view(self.lang, changes, false));
        self.render("changes.html", &ctx, path, Vec::new());
    }
}

/// The entry page (`index.html`): the guide's title, a link to each language and a search box
/// that searches them all.
pub fn render_landing(project: &Project, assets: &Assets) -> Result<Page, Diagnostic> {
    let default_lang = project.guide.config.default_language.as_str();
    let mut landing = base_context(project, default_lang, "", assets);
    let languages: Vec<LinkView> = project
        .guide
        .languages()
        .iter()
        .map(|l| language_link(Words::new(&project.theme.strings, l), format!("{l}/index.html")))
        .collect();
    landing.insert("languages", &languages);
    landing.insert("alternates", &languages);
    // Its search box speaks every language.
    let words: BTreeMap<&str, _> = languages
        .iter()
        .map(|l| (l.lang.as_str(), project.theme.strings.for_lang(&l.lang)))
        .collect();
    landing.insert("words", &words);
    landing.insert(
        "page",
        &PageView {
            kind: "landing",
            checker: false,
            code: false,
            slug: "landing".into(),
            title: String::new(),
            title_html: String::new(),
            step_label: None,
        },
    );
    landing.insert("footer_links", &Vec::<NeighbourView>::new());
    let html = project
        .theme
        .tera
        .render("landing.html", &landing)
        .map_err(|e| template_error(&templates_dir().join("landing.html"), &e))?;
    Ok(Page {
        path: PathBuf::from("index.html"),
        lang: default_lang.to_string(),
        html,
        slides: Vec::new(),
        pages: Vec::new(),
        parts: Arc::default(),
    })
}

fn templates_dir() -> &'static Path {
    Path::new("theme/templates")
}

fn title<'a>(ch: &'a Chapter, lang: &str) -> &'a str {
    ch.title.get(lang).map(String::as_str).unwrap_or_default()
}

/// 「スライド13〜16」, or 「スライド13」 for one.
fn slides_range(lang: Lang, first: u32, last: u32) -> String {
    let words = lang.words();
    if first == last {
        words.strings.slide_label(lang.lang, first)
    } else {
        let text = words.get("slides_range").replace("{first}", &first.to_string());
        text.replace("{last}", &last.to_string())
    }
}

/// The print page's contents: each part of the guide with its chapters.
fn contents(lang: Lang) -> Vec<PartView> {
    let guide = lang.guide();
    let html = |text: &str| html_for(text, lang.lang);
    let parts = guide.parts();
    parts
        .iter()
        .map(|part| PartView {
            step_label: part
                .step
                .map(|n| lang.words().get("step_label").replace("{n}", &n.to_string())),
            title_html: html(&guide.part_title(part, lang.lang)),
            first: part.chapters.first().map_or(1, |ch| ch.first),
            range: slides_range(
                lang,
                part.chapters.first().map_or(1, |ch| ch.first),
                part.chapters.last().map_or(1, |ch| ch.last),
            ),
            chapters: part
                .chapters
                .iter()
                .map(|ch| ContentsChapter {
                    slug: ch.slug.clone(),
                    title_html: html(title(ch, lang.lang)),
                    first: ch.first,
                    range: slides_range(lang, ch.first, ch.last),
                })
                .collect(),
        })
        .collect()
}

fn mark_view(words: Words, mark: Mark) -> MarkView {
    match mark {
        Mark::Changed => MarkView { kind: "changed", text: words.get("mark_changed").to_string() },
        Mark::Added => MarkView { kind: "added", text: words.get("mark_added").to_string() },
    }
}

/// What changed since the previous edition, for the changes page or (`print`) the print page,
/// whose links stay on the page.
#[derive(Serialize)]
struct ChangesView {
    intro_html: String,
    groups: Vec<ChangeGroup>,
}

/// One kind of change: updated, new, removed or renumbered slides.
#[derive(Serialize)]
struct ChangeGroup {
    kind: &'static str,
    heading: String,
    /// How many slides it lists (「（3枚）」).
    count: String,
    note: Option<String>,
    items: Vec<ChangeItem>,
}

#[derive(Serialize)]
struct ChangeItem {
    /// 「スライド17」, 「スライド4〜80」 or 「前の版のスライド3」.
    label: String,
    /// None for a removed slide.
    href: Option<String>,
    title_html: String,
    /// Its number in the previous edition, when that was another.
    was: Option<String>,
}

fn changes_view(lang: Lang, changes: &LangChanges, print: bool) -> ChangesView {
    let words = lang.words();
    let guide = lang.guide();
    let config = &guide.config;
    let previous = lang.project.changes.as_ref().map_or("", |c| c.previous.label(lang.lang));
    let intro = words
        .get("changes_intro")
        .replace("{current}", config.text(&config.edition_label, lang.lang))
        .replace("{previous}", previous);
    let intro = if changes.is_empty() { words.get("changes_none").to_string() } else { intro };
    let href = |n: u32| if print { format!("#slide-{n}") } else { slide_href(guide, n) };
    let was = |now: u32, was: u32| {
        (now != was).then(|| {
            words.get("changes_was").replace("{slides}", &words.strings.slide_label(lang.lang, was))
        })
    };
    let item = |now: u32, was_n: u32| ChangeItem {
        label: words.strings.slide_label(lang.lang, now),
        href: Some(href(now)),
        title_html: slide_title_html(lang, now),
        was: was(now, was_n),
    };
    let changed = changes.changed.iter().map(|p| item(p.now, p.was.slide)).collect();
    let added = changes.added.iter().map(|n| item(*n, *n)).collect();
    let removed = changes
        .removed
        .iter()
        .map(|s| ChangeItem {
            label: words.get("changes_old_slide").replace("{n}", &s.slide.to_string()),
            href: None,
            title_html: html_for(&s.title, lang.lang),
            was: None,
        })
        .collect();
    let group = |kind, items: Vec<ChangeItem>, note: Option<&str>, count: usize| ChangeGroup {
        kind,
        heading: words.get(&format!("changes_{kind}")).to_string(),
        count: words.get("changes_count").replace("{n}", &count.to_string()),
        note: note.map(|key| words.get(key).to_string()),
        items,
    };
    let moved = moved_items(lang, &changes.moved, &href);
    let groups = [
        group("changed", changed, None, changes.changed.len()),
        group("added", added, None, changes.added.len()),
        group("removed", removed, Some("changes_removed_note"), changes.removed.len()),
        group("moved", moved, Some("changes_moved_note"), changes.moved.len()),
    ];
    ChangesView {
        intro_html: html_for(&intro, lang.lang),
        groups: groups.into_iter().filter(|g| !g.items.is_empty()).collect(),
    }
}

/// Slide `n`'s title as HTML in `lang` (empty if the language has no such slide).
fn slide_title_html(lang: Lang, n: u32) -> String {
    lang.guide().slide(lang.lang, n).map_or(String::new(), |s| html_for(&s.title, lang.lang))
}

/// Renumbered slides, a run of them that moved together as one line (「スライド4〜80」, which were
/// 3〜79).
fn moved_items(lang: Lang, moved: &[Pair], href: &dyn Fn(u32) -> String) -> Vec<ChangeItem> {
    let mut runs: Vec<(u32, u32, u32)> = Vec::new(); // (first now, last now, first was)
    for p in moved {
        match runs.last_mut() {
            Some((first, last, was))
                if p.now == *last + 1 && p.was.slide == *was + (p.now - *first) =>
            {
                *last = p.now;
            }
            _ => runs.push((p.now, p.now, p.was.slide)),
        }
    }
    let words = lang.words();
    runs.into_iter()
        .map(|(first, last, was)| ChangeItem {
            label: slides_range(lang, first, last),
            href: Some(href(first)),
            title_html: if first == last { slide_title_html(lang, first) } else { String::new() },
            was: Some(
                words
                    .get("changes_was")
                    .replace("{slides}", &slides_range(lang, was, was + (last - first))),
            ),
        })
        .collect()
}

fn step_label(words: Words, ch: &Chapter) -> Option<String> {
    ch.step.map(|n| words.get("step_label").replace("{n}", &n.to_string()))
}

fn base_context(project: &Project, lang: &str, root: &str, assets: &Assets) -> Context {
    let c = &project.guide.config;
    let strings = &project.theme.strings;
    let text = |map| html_for(c.text(map, lang), lang);
    let mut ctx = Context::new();
    ctx.insert("lang", lang);
    ctx.insert("root", root);
    ctx.insert("assets", assets);
    ctx.insert("t", &strings.for_lang(lang));
    ctx.insert("handout_pdf", &project.handout);
    let app_version =
        |v: &String| html_for(&strings.get(lang, "app_version").replace("{v}", v), lang);
    ctx.insert(
        "guide",
        &GuideView {
            title: c.text(&c.title, lang).to_string(),
            title_html: text(&c.title),
            edition_html: text(&c.edition_label),
            publisher_html: text(&c.publisher),
            app_version_html: c.app_version.as_ref().map(app_version),
        },
    );
    ctx
}

/// A link to a page in the language of `words`, named in that language.
fn language_link(words: Words, href: String) -> LinkView {
    LinkView {
        lang: words.lang.to_string(),
        href,
        name: words.get("language_name").to_string(),
        read_in: words.get("read_in").to_string(),
    }
}

/// Links to the same place in the other languages.
fn others(lang: Lang, target: &str) -> Vec<LinkView> {
    let strings = &lang.theme().strings;
    let other = lang.guide().languages().iter().filter(|l| *l != lang.lang);
    other.map(|l| language_link(Words::new(strings, l), format!("../{l}/{target}"))).collect()
}

/// `hreflang` alternates of a page (every language, itself included).
fn alternates(lang: Lang, file: &str) -> Vec<LinkView> {
    let strings = &lang.theme().strings;
    let all = lang.guide().languages().iter();
    all.map(|l| language_link(Words::new(strings, l), format!("../{l}/{file}"))).collect()
}

fn chapter_views(
    lang: Lang,
    current: Option<usize>,
    slides: impl Fn(&Chapter) -> Vec<SlideView>,
) -> Vec<ChapterView> {
    let words = lang.words();
    let range = |ch: &Chapter| slides_range(lang, ch.first, ch.last);
    let chapters = lang.guide().chapters.iter().enumerate();
    chapters
        .map(|(i, ch)| ChapterView {
            slug: ch.slug.clone(),
            href: ch.file_name(),
            title_html: html_for(title(ch, lang.lang), lang.lang),
            step: ch.step,
            step_label: step_label(words, ch),
            range: range(ch),
            current: current == Some(i),
            slides: slides(ch),
        })
        .collect()
}

/// The note on slide `n` of `lang`, a translation behind its source: it links to the source slide
/// on its chapter page in the default language.
fn behind(lang: Lang, n: u32) -> BehindView {
    let source = lang.guide().config.default_language.as_str();
    let words = lang.words();
    let language = Words::new(words.strings, source).get("language_name");
    let link = words.get("translation_behind_link").replace("{n}", &n.to_string());
    BehindView {
        title_html: words.html("translation_behind_title"),
        text_html: words.html("translation_behind"),
        link_html: html_for(&link.replace("{language}", language), lang.lang),
        href: format!("../{source}/{}", slide_href(lang.guide(), n)),
        lang: source.to_string(),
    }
}

/// A problem found while writing pages out, as a diagnostic about the page.
pub fn page_error(page: &Page, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(&page.path, message)
}
