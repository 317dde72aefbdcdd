//! The render stage: slide bodies (Markdown → HTML) and pages (Tera templates) for every language:
//! the entry page, a start page and one page per chapter, and the whole guide on one print page.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::checker::Rules;
use crate::content::PageSource;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::images::{self, Job};
use crate::markdown::{self, MarkdownContext, RenderedBody};
use crate::memo::Memo;
use crate::screens::{self, Callout, ScreenSpec};
use crate::site::{Chapter, Guide, check_reference};
use crate::text::html_for;
use crate::theme::{Theme, template_error};

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

/// Names of the published stylesheet and script, under the output root.
#[derive(Debug, Clone, Serialize)]
pub struct Assets {
    pub css: String,
    pub js: String,
    pub syntax: String,
    /// The checker's script and its rules, when the project has a checker.
    pub checker_js: Option<String>,
    pub checker_rules: Option<BTreeMap<String, String>>,
    /// The search script, and the search index of each language.
    pub search_js: String,
    pub search: BTreeMap<String, String>,
    /// The print margins (title, page numbers) of each language.
    pub print_css: BTreeMap<String, String>,
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

#[derive(Serialize)]
struct NeighbourView {
    href: String,
    title_html: String,
}

/// One language's slide bodies rendered for chapter pages (`###` = h3) and for the print page (one
/// level lower), with their screens in place, and the picture files to publish.
pub struct Bodies {
    /// What the search index needs of each slide: its text (with picture alt text) and sub-headings.
    pub search: BTreeMap<(String, u32), (String, Vec<String>)>,
    /// Slides (language, number) holding a format checker, and those showing code.
    checkers: BTreeSet<(String, u32)>,
    code: BTreeSet<(String, u32)>,
    /// Each slide's body for its chapter page and for the print page, as indexes into `parts`.
    chapter: BTreeMap<(String, u32), usize>,
    print: BTreeMap<(String, u32), usize>,
    parts: Arc<Vec<String>>,
    /// The files of the pictures made for this language (not those an earlier language made).
    pub pictures: Vec<(PathBuf, Vec<u8>)>,
    pub image_stats: images::Stats,
    /// The screens of each slide, for the translations of the default language's slides.
    pub screens: BTreeMap<u32, Vec<ScreenSpec>>,
}

/// The pictures a build has made, by the job that made each (or why it failed).
pub type Pictures = Vec<(Job, Result<screens::Picture, String>)>;

/// Where pictures come from and how they are processed.
pub struct ImageSettings {
    pub root: PathBuf,
    pub cache_dir: PathBuf,
    pub mode: images::Mode,
}

/// One screen block in a slide, resolved: the picture job it needs and the callouts to draw.
struct ScreenUse {
    slide: (String, u32),
    index: usize,
    job: usize,
    callouts: Vec<Callout>,
    spec: ScreenSpec,
    block: Range<usize>,
}

/// Renders every slide body of one language, checks its references and screens, and processes its
/// pictures. `inherited` holds the screens of the default language's slides (made first), whose
/// callouts and redactions a translation takes unless it gives its own.
/// With `only`, just those slides are rendered (for a preview of the pages holding them).
/// `pictures` holds the pictures made so far in this build (by an earlier language); those this
/// language needs besides are made and added, and only their files are in the [`Bodies`].
#[allow(clippy::too_many_arguments)]
pub fn render_bodies(
    guide: &Guide,
    lang: &str,
    only: Option<&BTreeSet<u32>>,
    inherited: &BTreeMap<u32, Vec<ScreenSpec>>,
    pictures: &mut Pictures,
    theme: &Theme,
    checker: Option<&Rules>,
    settings: &ImageSettings,
    mut memo: Option<&mut Memo>,
) -> Result<Bodies, Diagnostics> {
    let mut errors = Diagnostics::default();
    // Each slide is rendered on its own (in parallel): for chapter pages and, one heading level
    // lower, for the print page. In `serve`, a slide whose file is unchanged is taken from the memo.
    let known = memo.as_deref();
    let each: Vec<_> = guide
        .slides
        .par_iter()
        .filter(|((l, n), _)| l == lang && only.is_none_or(|o| o.contains(n)))
        .map(|(key, slide)| {
            let id = known.map(|m| {
                crate::fingerprint(&[
                    &m.world().to_le_bytes(),
                    slide.file.rel.as_os_str().as_encoded_bytes(),
                    slide.file.text.as_bytes(),
                ])
            });
            let (rendered, origin) = crate::memo::recall(known.map(|m| &m.bodies), id, || {
                let ctx = MarkdownContext {
                    links: &guide.config.links,
                    checker,
                    strings: &theme.strings,
                    heading_shift: 0,
                    top_heading: markdown::HeadingLevel::H3,
                    root: &settings.root,
                };
                let (mut body, problems) = markdown::render(slide, &ctx);
                let print = std::mem::take(&mut body.print_html)
                    + &crate::handout::links_box(&body.external, &slide.lang, &theme.strings);
                Ok::<_, std::convert::Infallible>((body, print, problems))
            });
            let Ok(rendered) = rendered;
            (key.clone(), rendered, origin)
        })
        .collect();
    let mut rendered: BTreeMap<(String, u32), (RenderedBody, String)> = BTreeMap::new();
    for (key, done, origin) in each {
        if let Some(memo) = memo.as_deref_mut() {
            memo.bodies.keep(origin, &done);
            memo.tally(origin);
        }
        let (body, print, problems) = done;
        errors.extend(problems);
        let slide = &guide.slides[&key];
        for (target, range) in &body.slide_refs {
            if let Some(d) = check_reference(guide, slide, *target, range.clone()) {
                errors.push(d);
            }
        }
        rendered.insert(key, (body, print));
    }

    // Screens: callouts and redactions come from the default language's slide unless given.
    let default = &guide.config.default_language;
    let mut jobs: Vec<Job> = Vec::new();
    let mut uses: Vec<ScreenUse> = Vec::new();
    for (key, (body, _)) in &rendered {
        let slide = &guide.slides[key];
        let at = |block: &Range<usize>, needle: &str| {
            let text = &slide.file.text[block.clone()];
            let start = block.start + text.find(needle).unwrap_or(0);
            start..start + needle.len()
        };
        for (index, (spec, block)) in body.screens.iter().enumerate() {
            let inherited = (&key.0 != default)
                .then(|| inherited.get(&key.1))
                .flatten()
                .and_then(|screens| screens.get(index));
            if let Some(original) = inherited.filter(|o| o.image != spec.image) {
                errors.push(
                    Diagnostic::new(&slide.file.rel, format!("this screen shows images/{}, but the `{default}` slide shows images/{} here", spec.image, original.image))
                        .at_range(&slide.file.text, at(block, "image"))
                        .help("a translation shows the same pictures, in the same order, as the original slide"),
                );
            }
            let callouts = spec
                .callouts
                .clone()
                .or_else(|| inherited.and_then(|o| o.callouts.clone()))
                .unwrap_or_default();
            let redact = spec
                .redact
                .clone()
                .or_else(|| inherited.and_then(|o| o.redact.clone()))
                .unwrap_or_default();
            for c in &callouts {
                if !body.steps.contains(&u64::from(c.n)) {
                    errors.push(
                        Diagnostic::new(&slide.file.rel, format!("callout {} has no matching step", c.n))
                            .at_range(&slide.file.text, block.start..block.start + 3)
                            .help(format!("the slide's numbered steps are {:?}; number a step {} (`{}. …`) or remove the callout", body.steps, c.n, c.n)),
                    );
                }
            }
            if let Err((message, help)) = images::locate(&settings.root, &spec.image) {
                errors.push(
                    Diagnostic::new(&slide.file.rel, message)
                        .at_range(&slide.file.text, at(block, "image"))
                        .help(help),
                );
                continue;
            }
            let job = Job { image: spec.image.clone(), redact };
            let job = match jobs.iter().position(|j| *j == job) {
                Some(i) => i,
                None => {
                    jobs.push(job);
                    jobs.len() - 1
                }
            };
            uses.push(ScreenUse {
                slide: key.clone(),
                index,
                job,
                callouts,
                spec: spec.clone(),
                block: at(block, "image"),
            });
        }
    }

    // Pictures already made for another language are not made again. The pictures' files are
    // named in `world`; the jobs say what is done to them.
    let fresh: Vec<Job> =
        jobs.iter().filter(|j| !pictures.iter().any(|(done, _)| done == *j)).cloned().collect();
    let picture_id = memo.as_deref().map(|m| {
        crate::fingerprint(&[
            &m.world().to_le_bytes(),
            format!("{fresh:?}{:?}", settings.mode).as_bytes(),
        ])
    });
    let (processed, origin) =
        crate::memo::recall(memo.as_deref().map(|m| &m.pictures), picture_id, || {
            Ok::<_, std::convert::Infallible>(images::process(
                &settings.root,
                &settings.cache_dir,
                &fresh,
                settings.mode,
            ))
        });
    let Ok((outcomes, image_stats)) = processed;
    if let Some(memo) = memo {
        memo.pictures.keep(origin, &(outcomes.clone(), image_stats));
    }
    let mut files = Vec::new();
    for (job, outcome) in fresh.into_iter().zip(outcomes) {
        let outcome = outcome.map(|o| {
            files.extend(o.files);
            o.picture
        });
        pictures.push((job, outcome));
    }
    let checkers =
        rendered.iter().filter(|(_, (b, _))| b.has_checker).map(|(k, _)| k.clone()).collect();
    let code = rendered
        .iter()
        .filter(|(_, (b, _))| b.html.contains(crate::highlight::CODE_BLOCK))
        .map(|(k, _)| k.clone())
        .collect();
    let search = rendered
        .iter()
        .map(|(k, (b, _))| {
            let alts = b.screens.iter().map(|(spec, _)| spec.alt.as_str());
            let text = std::iter::once(b.text.as_str()).chain(alts).collect::<Vec<_>>().join(" ");
            (k.clone(), (text, b.headings.clone()))
        })
        .collect();
    let screens = rendered
        .iter()
        .map(|((_, n), (b, _))| (*n, b.screens.iter().map(|(s, _)| s.clone()).collect()))
        .collect();
    let mut bodies = Bodies {
        search,
        checkers,
        code,
        screens,
        chapter: BTreeMap::new(),
        print: BTreeMap::new(),
        parts: Arc::default(),
        pictures: Vec::new(),
        image_stats,
    };
    bodies.pictures = files;
    for u in &uses {
        let slide = &guide.slides[&u.slide];
        // Every job is in `pictures` by now: made earlier, or just above.
        let Some((_, outcome)) = pictures.iter().find(|(done, _)| *done == jobs[u.job]) else {
            continue;
        };
        match outcome {
            Ok(picture) => {
                let figure = screens::figure_html(&u.spec, &u.callouts, picture, &u.slide.0, &theme.strings, "../");
                if let Some((body, print)) = rendered.get_mut(&u.slide) {
                    let mark = markdown::screen_placeholder(u.index);
                    body.html = body.html.replacen(&mark, &figure, 1);
                    *print = print.replacen(&mark, &figure, 1);
                }
            }
            Err(message) => errors.push(
                Diagnostic::new(&slide.file.rel, message.clone())
                    .at_range(&slide.file.text, u.block.clone())
                    .help("use a PNG, JPEG or WebP screenshot of a sensible size (at most 8000 pixels a side)"),
            ),
        }
    }
    let mut parts = Vec::with_capacity(rendered.len() * 2);
    for (key, (body, print)) in rendered {
        bodies.chapter.insert(key.clone(), parts.len());
        parts.push(body.html);
        bodies.print.insert(key, parts.len());
        parts.push(print);
    }
    bodies.parts = Arc::new(parts);
    errors.into_result(bodies)
}

/// The standalone format-checker page of each language.
pub const CHECKER_PAGE: &str = "checker.html";

/// The entry page (`index.html`): the guide's title and a link to each language.
pub fn render_landing(guide: &Guide, theme: &Theme, assets: &Assets) -> Result<Page, Diagnostic> {
    let default_lang = guide.config.default_language.as_str();
    let mut landing = base_context(guide, theme, default_lang, "", assets);
    let languages: Vec<LinkView> = guide
        .languages()
        .iter()
        .map(|l| language_link(theme, l, format!("{l}/index.html")))
        .collect();
    landing.insert("languages", &languages);
    landing.insert("alternates", &languages);
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
    match theme.tera.render("landing.html", &landing) {
        Ok(html) => Ok(Page {
            path: PathBuf::from("index.html"),
            lang: default_lang.to_string(),
            html,
            slides: Vec::new(),
            parts: Arc::default(),
        }),
        Err(e) => Err(template_error(&PathBuf::from("theme/templates/landing.html"), &e)),
    }
}

/// Renders every page of one language: a page per chapter, the print page, the extra pages and the
/// checker's page; with `only`, just the pages at those paths.
#[allow(clippy::too_many_arguments)]
pub fn render_pages(
    guide: &Guide,
    lang: &str,
    theme: &Theme,
    checker: Option<&Rules>,
    assets: &Assets,
    bodies: &Bodies,
    extra: &[PageSource],
    root: &std::path::Path,
    only: Option<&BTreeSet<PathBuf>>,
) -> Result<Vec<Page>, Diagnostics> {
    let mut errors = Diagnostics::default();
    let mut pages = Vec::new();
    let mut page_problems = Diagnostics::default();
    let footer_links = |lang: &str| -> Vec<NeighbourView> {
        extra
            .iter()
            .filter(|p| p.lang == lang)
            .map(|p| NeighbourView {
                href: format!("{}.html", p.name),
                title_html: html_for(&p.title, lang),
            })
            .collect()
    };
    let wanted = |path: &PathBuf| only.is_none_or(|o| o.contains(path));
    let mut render =
        |template: &str, ctx: &Context, path: PathBuf, lang: &str, slides: Vec<u32>| {
            if !wanted(&path) {
                return;
            }
            let mut ctx = ctx.clone();
            ctx.insert("footer_links", &footer_links(lang));
            match theme.tera.render(template, &ctx) {
                Ok(html) => pages.push(Page {
                    path,
                    lang: lang.to_string(),
                    html,
                    slides,
                    parts: bodies.parts.clone(),
                }),
                Err(e) => errors
                    .push(template_error(&PathBuf::from("theme/templates").join(template), &e)),
            }
        };

    let lang = &lang.to_string();
    let slide_view = |n: u32, print: bool| -> Option<SlideView> {
        let slide = guide.slide(lang, n)?;
        let table = if print { &bodies.print } else { &bodies.chapter };
        Some(SlideView {
            number: n,
            label: theme.strings.slide_label(lang, n),
            title_html: html_for(&slide.title, lang),
            body: table.get(&(lang.clone(), n)).map(|i| part_mark(*i)).unwrap_or_default(),
        })
    };
    for (i, ch) in guide.chapters.iter().enumerate() {
        let file = ch.file_name();
        if !wanted(&PathBuf::from(lang).join(&file)) {
            continue;
        }
        let mut ctx = base_context(guide, theme, lang, "../", assets);
        ctx.insert("others", &others(guide, theme, lang, &format!("{file}#slide-{}", ch.first)));
        ctx.insert("alternates", &alternates(guide, theme, &file));
        ctx.insert("chapters", &chapter_views(guide, theme, lang, Some(i), |_| Vec::new()));
        ctx.insert(
            "page",
            &PageView {
                kind: "chapter",
                checker: ch.slides().any(|n| bodies.checkers.contains(&(lang.clone(), n))),
                code: ch.slides().any(|n| bodies.code.contains(&(lang.clone(), n))),
                slug: ch.slug.clone(),
                title: title(ch, lang).to_string(),
                title_html: html_for(title(ch, lang), lang),
                step_label: step_label(theme, lang, ch),
            },
        );
        let neighbour = |c: Option<&Chapter>| {
            c.map(|c| NeighbourView {
                href: c.file_name(),
                title_html: html_for(title(c, lang), lang),
            })
        };
        ctx.insert("prev", &neighbour(i.checked_sub(1).and_then(|p| guide.chapters.get(p))));
        ctx.insert("next", &neighbour(guide.chapters.get(i + 1)));
        let slides: Vec<SlideView> = ch.slides().filter_map(|n| slide_view(n, false)).collect();
        ctx.insert("slides", &slides);
        render("chapter.html", &ctx, PathBuf::from(lang).join(&file), lang, ch.slides().collect());
    }

    // The print page (every slide) is left out of a preview.
    if wanted(&PathBuf::from(lang).join("print.html")) {
        let mut ctx = base_context(guide, theme, lang, "../", assets);
        ctx.insert("others", &others(guide, theme, lang, "print.html"));
        ctx.insert("alternates", &alternates(guide, theme, "print.html"));
        ctx.insert(
            "chapters",
            &chapter_views(guide, theme, lang, None, |ch| {
                ch.slides().filter_map(|n| slide_view(n, true)).collect()
            }),
        );
        ctx.insert(
            "page",
            &PageView {
                kind: "print",
                checker: bodies.checkers.iter().any(|(l, _)| l == lang),
                code: bodies.code.iter().any(|(l, _)| l == lang),
                slug: "print".into(),
                title: theme.strings.get(lang, "print_version").to_string(),
                title_html: html_for(theme.strings.get(lang, "print_version"), lang),
                step_label: None,
            },
        );
        render(
            "print.html",
            &ctx,
            PathBuf::from(lang).join("print.html"),
            lang,
            (1..=guide.last).collect(),
        );
    }

    for page in extra.iter().filter(|p| &p.lang == lang) {
        let md = MarkdownContext {
            links: &guide.config.links,
            checker,
            strings: &theme.strings,
            heading_shift: 0,
            top_heading: markdown::HeadingLevel::H2,
            root,
        };
        let (body, problems) = markdown::render(&page.source, &md);
        page_problems.extend(problems);
        let file = format!("{}.html", page.name);
        let mut ctx = base_context(guide, theme, lang, "../", assets);
        ctx.insert("others", &others(guide, theme, lang, &file));
        ctx.insert("alternates", &alternates(guide, theme, &file));
        ctx.insert("chapters", &chapter_views(guide, theme, lang, None, |_| Vec::new()));
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
        render("page.html", &ctx, PathBuf::from(lang).join(&file), lang, Vec::new());
    }

    if let Some(rules) = checker {
        let mut ctx = base_context(guide, theme, lang, "../", assets);
        ctx.insert("others", &others(guide, theme, lang, CHECKER_PAGE));
        ctx.insert("alternates", &alternates(guide, theme, CHECKER_PAGE));
        ctx.insert("chapters", &chapter_views(guide, theme, lang, None, |_| Vec::new()));
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
        ctx.insert("checker_html", &rules.block_html(&rules.page.fields, lang, "checker-page"));
        render("checker.html", &ctx, PathBuf::from(lang).join(CHECKER_PAGE), lang, Vec::new());
    }
    errors.extend(page_problems);
    errors.into_result(pages)
}

fn title<'a>(ch: &'a Chapter, lang: &str) -> &'a str {
    ch.title.get(lang).map(String::as_str).unwrap_or_default()
}

fn step_label(theme: &Theme, lang: &str, ch: &Chapter) -> Option<String> {
    ch.step.map(|n| theme.strings.get(lang, "step_label").replace("{n}", &n.to_string()))
}

fn base_context(guide: &Guide, theme: &Theme, lang: &str, root: &str, assets: &Assets) -> Context {
    let c = &guide.config;
    let text = |map| html_for(c.text(map, lang), lang);
    let mut ctx = Context::new();
    ctx.insert("lang", lang);
    ctx.insert("root", root);
    ctx.insert("assets", assets);
    ctx.insert("t", &theme.strings.for_lang(lang));
    ctx.insert(
        "guide",
        &GuideView {
            title: c.text(&c.title, lang).to_string(),
            title_html: text(&c.title),
            edition_html: text(&c.edition_label),
            publisher_html: text(&c.publisher),
            app_version_html: c
                .app_version
                .as_ref()
                .map(|v| html_for(&theme.strings.get(lang, "app_version").replace("{v}", v), lang)),
        },
    );
    ctx
}

fn language_link(theme: &Theme, lang: &str, href: String) -> LinkView {
    LinkView {
        lang: lang.to_string(),
        href,
        name: theme.strings.get(lang, "language_name").to_string(),
        read_in: theme.strings.get(lang, "read_in").to_string(),
    }
}

/// Links to the same place in the other languages.
fn others(guide: &Guide, theme: &Theme, lang: &str, target: &str) -> Vec<LinkView> {
    guide
        .languages()
        .iter()
        .filter(|l| *l != lang)
        .map(|l| language_link(theme, l, format!("../{l}/{target}")))
        .collect()
}

/// `hreflang` alternates of a page (every language, itself included).
fn alternates(guide: &Guide, theme: &Theme, file: &str) -> Vec<LinkView> {
    guide.languages().iter().map(|l| language_link(theme, l, format!("../{l}/{file}"))).collect()
}

fn chapter_views(
    guide: &Guide,
    theme: &Theme,
    lang: &str,
    current: Option<usize>,
    slides: impl Fn(&Chapter) -> Vec<SlideView>,
) -> Vec<ChapterView> {
    guide
        .chapters
        .iter()
        .enumerate()
        .map(|(i, ch)| ChapterView {
            slug: ch.slug.clone(),
            href: ch.file_name(),
            title_html: html_for(title(ch, lang), lang),
            step: ch.step,
            step_label: step_label(theme, lang, ch),
            range: if ch.first == ch.last {
                theme.strings.slide_label(lang, ch.first)
            } else {
                theme
                    .strings
                    .get(lang, "slides_range")
                    .replace("{first}", &ch.first.to_string())
                    .replace("{last}", &ch.last.to_string())
            },
            current: current == Some(i),
            slides: slides(ch),
        })
        .collect()
}

/// A problem found while writing pages out, as a diagnostic about the page.
pub fn page_error(page: &Page, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(&page.path, message)
}
