//! One language's slide bodies, step by step (the pipeline calls each, in this order):
//! [`render_slide`] (Markdown → HTML for the chapter page and, a heading level lower, the print
//! page, with the addresses box for paper), [`check_references`], [`plan_screens`] (callouts and
//! redactions inherited from the default language's slide, checked against the slide's steps;
//! each picture job once), then, once the pictures are made, [`place_figures`] and [`pack`].

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::components::{self, LinksView, ScreenView};
use crate::content::SlideSource;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::highlight;
use crate::images::{self, Job};
use crate::markdown::{self, HeadingLevel, RenderedBody};
use crate::project::Lang;
use crate::screens::{Callout, Picture, ScreenSpec};
use crate::search;
use crate::site::{Guide, check_reference};

/// A slide of a language: (language, number).
pub type SlideKey = (String, u32);

/// One slide rendered, with the problems found in it. `rendered.print_html` ends with the box of
/// the slide's addresses (printed with QR codes).
#[derive(Debug, Clone)]
pub struct SlideBody {
    pub rendered: RenderedBody,
    pub problems: Diagnostics,
}

/// The screens of the default language's slides, by slide number: a translation's screens take
/// their callouts and redactions unless they give their own.
pub type Inherited = BTreeMap<u32, Vec<ScreenSpec>>;

/// The pictures a build has made, by the job that made each (or why it failed).
pub type Pictures = Vec<(Job, Result<Picture, String>)>;

/// Renders `slide` for its chapter page and for the print page.
pub fn render_slide(lang: Lang, slide: &SlideSource) -> SlideBody {
    let ctx = lang.markdown(HeadingLevel::H3);
    let (mut rendered, mut problems) = markdown::render(slide, &ctx);
    if !rendered.external.is_empty() {
        let view = LinksView::new(&rendered.external, lang.words());
        match ctx.components.render(components::LINKS, &view) {
            Ok(html) => rendered.print_html.push_str(&html),
            Err(d) => problems.push(d),
        }
    }
    SlideBody { rendered, problems }
}

/// A problem for each reference to a slide the guide does not have.
pub fn check_references(guide: &Guide, slide: &SlideSource, body: &RenderedBody) -> Diagnostics {
    let mut problems = Diagnostics::default();
    for (target, range) in &body.slide_refs {
        if !(1..=guide.last).contains(target) && problems.is_full(&slide.file.rel) {
            problems.left_out(&slide.file.rel);
        } else if let Some(d) = check_reference(guide, slide, *target, range.clone()) {
            problems.push(d);
        }
    }
    problems
}

/// One screen block of a slide, resolved: the picture job it needs and the callouts to draw.
pub struct ScreenUse {
    slide: SlideKey,
    index: usize,
    job: usize,
    callouts: Vec<Callout>,
    spec: ScreenSpec,
    /// The picture's name in the slide's file.
    image: Range<usize>,
}

/// The screens of one language's slides: the picture jobs (each once) and where each is used.
pub struct ScreenPlan {
    pub jobs: Vec<Job>,
    uses: Vec<ScreenUse>,
}

/// Resolves the screens of `rendered`: callouts and redactions come from the default language's
/// slide (`inherited`) unless given; each callout must be a step of its slide, each picture a file
/// of `images/`.
pub fn plan_screens(
    lang: Lang,
    rendered: &BTreeMap<SlideKey, RenderedBody>,
    inherited: &Inherited,
    problems: &mut Diagnostics,
) -> ScreenPlan {
    let mut plan = ScreenPlan { jobs: Vec::new(), uses: Vec::new() };
    let guide = lang.guide();
    let default = &guide.config.default_language;
    for (key, body) in rendered {
        let slide = &guide.slides[key];
        for (index, block) in body.screens.iter().enumerate() {
            let original = (&key.0 != default)
                .then(|| inherited.get(&key.1).and_then(|screens| screens.get(index)))
                .flatten();
            if let Some(original) = original.filter(|o| o.image != block.spec.image) {
                problems.push(Location::from(slide, &block.at.image).problem(
                    format!(
                        "this screen shows images/{}, but the `{default}` slide shows images/{} \
                         here",
                        block.spec.image, original.image
                    ),
                    "a translation shows the same pictures, in the same order, as the original \
                     slide",
                ));
            }
            let (callouts, redact) = inherit(slide, body, block, original, problems);
            if let Err((message, help)) = images::locate(&lang.project.root, &block.spec.image) {
                let d = Diagnostic::new(&slide.file.rel, message).help(help);
                problems.push(d.at_range(&slide.file.text, block.at.image.clone()));
                continue;
            }
            let job = plan.job(Job { image: block.spec.image.clone(), redact });
            plan.uses.push(ScreenUse {
                slide: key.clone(),
                index,
                job,
                callouts,
                spec: block.spec.clone(),
                image: block.at.image.clone(),
            });
        }
    }
    plan
}

/// A screen block's callouts and redactions (its own, or those of the original it translates),
/// each callout checked against the slide's steps.
fn inherit(
    slide: &SlideSource,
    body: &RenderedBody,
    block: &markdown::ScreenBlock,
    original: Option<&ScreenSpec>,
    problems: &mut Diagnostics,
) -> (Vec<Callout>, Vec<crate::screens::Rect>) {
    let spec = &block.spec;
    let own = spec.callouts.is_some();
    let callouts = spec.callouts.clone().or_else(|| original.and_then(|o| o.callouts.clone()));
    let redact = spec.redact.clone().or_else(|| original.and_then(|o| o.redact.clone()));
    for (i, c) in callouts.iter().flatten().enumerate() {
        if body.steps.contains(&u64::from(c.n)) {
            continue;
        }
        let fence = block.at.block.start..block.at.block.start + 3;
        let place = if own { block.at.callouts.get(i).unwrap_or(&fence) } else { &fence };
        problems.push(Location::from(slide, place).problem(
            format!("callout {} has no matching step", c.n),
            format!(
                "the slide's numbered steps are {:?}; number a step {} (`{}. …`) or remove the \
                 callout",
                body.steps, c.n, c.n
            ),
        ));
    }
    (callouts.unwrap_or_default(), redact.unwrap_or_default())
}

/// A place in a slide's file, to make a problem there.
struct Location<'a> {
    slide: &'a SlideSource,
    range: Range<usize>,
}

impl<'a> Location<'a> {
    fn from(slide: &'a SlideSource, range: &Range<usize>) -> Location<'a> {
        Location { slide, range: range.clone() }
    }

    fn problem(&self, message: String, help: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.slide.file.rel, message)
            .at_range(&self.slide.file.text, self.range.clone())
            .help(help)
    }
}

impl ScreenPlan {
    /// The index of `job`, added if it is new.
    fn job(&mut self, job: Job) -> usize {
        match self.jobs.iter().position(|j| *j == job) {
            Some(i) => i,
            None => {
                self.jobs.push(job);
                self.jobs.len() - 1
            }
        }
    }
}

/// Puts each screen's figure in place of its placeholder, in both bodies of its slide; a picture
/// that could not be made is a problem at the block's `image`. Every job of `plan` is in
/// `pictures` by now.
pub fn place_figures(
    lang: Lang,
    rendered: &mut BTreeMap<SlideKey, RenderedBody>,
    plan: &ScreenPlan,
    pictures: &Pictures,
    problems: &mut Diagnostics,
) {
    let components = lang.components();
    for u in &plan.uses {
        let slide = &lang.guide().slides[&u.slide];
        let Some((_, outcome)) = pictures.iter().find(|(done, _)| *done == plan.jobs[u.job]) else {
            continue;
        };
        let picture = match outcome {
            Ok(picture) => picture,
            Err(message) => {
                problems.push(Location::from(slide, &u.image).problem(
                    message.clone(),
                    "use a PNG, JPEG or WebP screenshot of a sensible size (at most 8000 pixels \
                     a side)",
                ));
                continue;
            }
        };
        let mut view = ScreenView::new(&u.spec, &u.callouts, picture, lang.words(), "../");
        // A translation's screen is redacted as its original is.
        view.redactions = plan.jobs[u.job].redact.len();
        let figure = match components.render(components::SCREEN, &view) {
            Ok(html) => html,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        if let Some(body) = rendered.get_mut(&u.slide) {
            let mark = markdown::screen_placeholder(u.index);
            body.html = body.html.replacen(&mark, &figure, 1);
            body.print_html = body.print_html.replacen(&mark, &figure, 1);
        }
    }
}

/// One language's slide bodies, ready for its pages: each slide's body for its chapter page and
/// for the print page (indexes into `parts`), and what the search index and the translations
/// need.
pub struct Bodies {
    /// What the search index needs of each slide: its text (with picture alt text) and
    /// sub-headings.
    pub search: BTreeMap<SlideKey, (String, Vec<String>)>,
    /// Slides holding a format checker, and those showing code.
    pub checkers: BTreeSet<SlideKey>,
    pub code: BTreeSet<SlideKey>,
    pub chapter: BTreeMap<SlideKey, usize>,
    pub print: BTreeMap<SlideKey, usize>,
    pub parts: Arc<Vec<String>>,
    /// The screens of each slide, for the translations of the default language's slides.
    pub screens: Inherited,
}

/// Packs the finished bodies: every body once in `parts`, the rest by slide.
pub fn pack(rendered: BTreeMap<SlideKey, RenderedBody>) -> Bodies {
    let keys = |keep: &dyn Fn(&RenderedBody) -> bool| -> BTreeSet<SlideKey> {
        rendered.iter().filter(|(_, b)| keep(b)).map(|(k, _)| k.clone()).collect()
    };
    let checkers = keys(&|b| b.has_checker);
    let code = keys(&|b| b.html.contains(highlight::CODE_BLOCK));
    let search = rendered
        .iter()
        .map(|(k, b)| {
            let alts = b.screens.iter().map(|s| s.spec.alt.as_str());
            let text = std::iter::once(b.text.as_str()).chain(alts).collect::<Vec<_>>().join(" ");
            (k.clone(), (text, b.headings.clone()))
        })
        .collect();
    let screens = rendered
        .iter()
        .map(|((_, n), b)| (*n, b.screens.iter().map(|s| s.spec.clone()).collect()))
        .collect();
    let mut bodies = Bodies {
        search,
        checkers,
        code,
        chapter: BTreeMap::new(),
        print: BTreeMap::new(),
        parts: Arc::default(),
        screens,
    };
    let mut parts = Vec::with_capacity(rendered.len() * 2);
    for (key, body) in rendered {
        bodies.chapter.insert(key.clone(), parts.len());
        parts.push(body.html);
        bodies.print.insert(key, parts.len());
        parts.push(body.print_html);
    }
    bodies.parts = Arc::new(parts);
    bodies
}

/// What the search index holds of each slide of `lang` (its title, the terms it explains, its
/// page, and its text and sub-headings: `texts`, from [`Bodies::search`]), then of each page
/// beside the slides.
pub fn search_documents(
    lang: Lang,
    mut texts: BTreeMap<SlideKey, (String, Vec<String>)>,
) -> Vec<search::Document> {
    let guide = lang.guide();
    let slides = guide.slides.iter().filter(|((l, _), _)| l == lang.lang);
    let mut docs: Vec<search::Document> = slides
        .map(|((_, n), slide)| {
            let (text, headings) = texts.remove(&(lang.lang.to_string(), *n)).unwrap_or_default();
            search::Document {
                slide: *n,
                page: guide.chapter_of(*n).map(|c| c.file_name()).unwrap_or_default(),
                title: slide.title.clone(),
                explains: slide.explains.clone(),
                headings,
                text,
            }
        })
        .collect();
    docs.extend(page_documents(lang));
    docs
}

/// The pages beside the slides, for search: each of `content/pages/` (its problems are reported
/// when the page is made) and the checker's page (its introduction and its fields' labels and
/// hints).
fn page_documents(lang: Lang) -> Vec<search::Document> {
    let pages = lang.project.pages.iter().filter(|p| p.lang == lang.lang);
    let mut docs: Vec<search::Document> = pages
        .map(|page| {
            let (body, _) = markdown::render(&page.source, &lang.markdown(HeadingLevel::H2));
            search::Document {
                slide: 0,
                page: format!("{}.html", page.name),
                title: page.title.clone(),
                explains: Vec::new(),
                headings: body.headings,
                text: body.text,
            }
        })
        .collect();
    if let Some(rules) = lang.checker() {
        let fields = rules.page.fields.iter().filter_map(|f| rules.fields.get(f));
        let words = fields.flat_map(|f| [f.label.get(lang.lang), f.hint.get(lang.lang)]);
        let intro = lang.words().get("checker_intro").to_string();
        let text = std::iter::once(intro).chain(words.flatten().cloned());
        docs.push(search::Document {
            slide: 0,
            page: crate::checker::CHECKER_PAGE.to_string(),
            title: rules.text("title", lang.lang),
            explains: Vec::new(),
            headings: Vec::new(),
            text: text.collect::<Vec<_>>().join(" "),
        });
    }
    docs.extend(changes_document(lang));
    docs
}

/// The changes page, for search (when there is a previous edition): its headings and the titles
/// of the slides it lists.
fn changes_document(lang: Lang) -> Option<search::Document> {
    let changes = lang.changes()?;
    let words = lang.words();
    let title_of = |n: u32| lang.guide().slide(lang.lang, n).map(|s| s.title.clone());
    let titles = changes.changed.iter().map(|p| p.now).chain(changes.added.iter().copied());
    let mut text: Vec<String> = titles.filter_map(title_of).collect();
    text.extend(changes.removed.iter().map(|s| s.title.clone()));
    let kinds = ["changes_changed", "changes_added", "changes_removed", "changes_moved"];
    Some(search::Document {
        slide: 0,
        page: crate::edition::CHANGES_PAGE.to_string(),
        title: words.get("changes_title").to_string(),
        explains: Vec::new(),
        headings: kinds.iter().map(|k| words.get(k).to_string()).collect(),
        text: text.join(" "),
    })
}

/// Adds the pictures just made for `jobs` to `pictures`; returns their files, to publish.
pub fn add_pictures(
    pictures: &mut Pictures,
    jobs: Vec<Job>,
    outcomes: Vec<Result<images::Outcome, String>>,
) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for (job, outcome) in jobs.into_iter().zip(outcomes) {
        let picture = outcome.map(|o| {
            files.extend(o.files);
            o.picture
        });
        pictures.push((job, picture));
    }
    files
}

/// The jobs of `plan` that no earlier language's pictures did.
pub fn fresh_jobs(plan: &ScreenPlan, pictures: &Pictures) -> Vec<Job> {
    let done = |j: &Job| pictures.iter().any(|(made, _)| made == j);
    plan.jobs.iter().filter(|j| !done(j)).cloned().collect()
}
