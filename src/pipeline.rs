//! The pipeline: [`run`] reads as the list of the build's steps, each a function below, called in
//! this order:
//!
//! load and resolve → publish the theme's assets → for each language, the default first: slide
//! bodies (with their pictures) → search index → pages → post-process → one-file edition → the
//! entry page → the PDF handouts, printed from the finished print pages → done.
//!
//! Every step adds the problems it finds to one list and the run goes on where it can, so a run
//! reports every problem at once; a language whose bodies or pages have problems skips the steps
//! that would build on them. What `serve` remembers between builds is asked for here, and only
//! here ([`Memo`]); a `build` passes a memo that remembers nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::assets::{self, Assets};
use crate::bodies::{self, Bodies, Inherited, Pictures, ScreenPlan, SlideKey};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::CACHE_DIR;
use crate::images::{self, Mode};
use crate::markdown::RenderedBody;
use crate::measure::{Timer, release_freed_memory};
use crate::memo::{Last, Memo};
use crate::output::{self, Output};
use crate::pages::{self, Page};
use crate::pdf::{self, Handouts, Printer};
use crate::project::{Lang, PictureSettings, Project};
use crate::{
    a11y, checker, config, content, edition, offline, postprocess, search, site, theme,
    translations,
};

/// The finished site in memory: file contents by path under the output folder.
#[derive(Debug)]
pub struct Site {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
    pub slides: u32,
    pub languages: Vec<String>,
    pub image_stats: images::Stats,
    /// What the run warns of (it succeeded all the same).
    pub warnings: Diagnostics,
}

/// What a build made, once its files are in their [`Output`].
#[derive(Debug)]
pub struct Summary {
    pub slides: u32,
    pub languages: Vec<String>,
    pub image_stats: images::Stats,
    /// How many files the site has.
    pub files: usize,
    pub handouts: Handouts,
    /// What the run warns of (it succeeded all the same): translations behind their source.
    pub warnings: Diagnostics,
}

impl Site {
    fn new(summary: Summary, output: Output) -> Site {
        let Summary { slides, languages, image_stats, warnings, .. } = summary;
        Site { files: output.into_files(), slides, languages, image_stats, warnings }
    }
}

/// Loads, checks and renders the project at `root`, keeping the site in memory. Nothing is written
/// but the picture cache (and not even that in `Mode::Check`). Every problem found is returned at
/// once.
pub fn generate(root: &Path, mode: Mode) -> Result<Site, Diagnostics> {
    let output = Output::memory();
    let summary = run(root, mode, &mut Memo::off(), &output, &Printer::Off)?;
    Ok(Site::new(summary, output))
}

/// Builds the project at `root` into `out` (relative to `root` unless absolute). Each file is
/// written into a staging folder as soon as it is made; the previous output stays untouched unless
/// the whole build succeeds. An output folder that cannot be used is reported together with every
/// problem of the project (checked as `tebiki check` checks it). `printer` says whether, and with
/// which browser, each language's PDF handout is printed.
pub fn build(
    root: &Path,
    out: &Path,
    printer: &Printer,
) -> Result<(Summary, PathBuf), Diagnostics> {
    let staging =
        output::check_out_dir(root, out).and_then(|out| Ok((Output::staging(&out)?, out)));
    let (output, out) = match staging {
        Ok(ready) => ready,
        Err(refused) => {
            let mut problems = Diagnostics::from(refused);
            match run(root, Mode::Check, &mut Memo::off(), &Output::memory(), &Printer::Off) {
                Ok(checked) => problems.extend(checked.warnings),
                Err(more) => problems.extend(more),
            }
            return Err(problems);
        }
    };
    let summary = run(root, Mode::Build, &mut Memo::off(), &output, printer)?;
    let timer = Timer::new();
    output.commit()?;
    timer.lap("write");
    Ok((summary, out))
}

/// Builds one project again and again (for `tebiki serve`), remembering what it may reuse.
pub struct Builder {
    root: PathBuf,
    pub memo: Memo,
}

impl Builder {
    pub fn new(root: &Path) -> Builder {
        Builder { root: root.to_path_buf(), memo: Memo::on() }
    }

    pub fn generate(&mut self, mode: Mode) -> Result<Site, Diagnostics> {
        let output = Output::memory();
        let summary = run(&self.root, mode, &mut self.memo, &output, &Printer::Off)?;
        Ok(Site::new(summary, output))
    }

    /// The chapter pages holding the slides whose files changed since the last build, made with
    /// the last good build's assets, for `serve` to show an edit before the whole site is remade.
    /// `None` when there is nothing to preview: no good build yet, the settings, theme or
    /// pictures changed (the memo was emptied), or no slide file changed.
    pub fn preview(&mut self) -> Option<Result<Site, Diagnostics>> {
        let output = Output::memory();
        match preview(&self.root, &mut self.memo, &output) {
            Ok(summary) if summary.files == 0 => None,
            Ok(summary) => Some(Ok(Site::new(summary, output))),
            Err(problems) => Some(Err(problems)),
        }
    }
}

/// The whole site, step by step.
fn run(
    root: &Path,
    mode: Mode,
    memo: &mut Memo,
    output: &Output,
    printer: &Printer,
) -> Result<Summary, Diagnostics> {
    let timer = Timer::new();
    memo.begin(root);
    let mut problems = Diagnostics::default();
    let Some(mut project) = load(root, mode, memo, &mut problems) else { return Err(problems) };
    timer.lap("load");
    // Whether there will be handouts is known before the pages are made, so the print page can
    // link to its PDF.
    let browser = printer.browser().map(|b| b.filter(|_| output.folder().is_some()));
    project.handout = matches!(browser, Ok(Some(_)));
    let mut run = Run::new(&project, memo, output, problems, timer);
    run.publish_assets();
    run.edition_record();
    for lang in project.languages() {
        run.language(project.lang(lang));
    }
    run.entry_page();
    run.handout_pdfs(browser, matches!(printer, Printer::Find));
    run.finish()
}

/// For `serve`, to show an edit at once: only the chapter pages holding the slides whose files
/// changed since the last run, with the asset names (search indexes among them) and the screens of
/// the last good build of the whole site. Nothing is made when there is no such build.
fn preview(root: &Path, memo: &mut Memo, output: &Output) -> Result<Summary, Diagnostics> {
    let timer = Timer::new();
    memo.begin(root);
    let Some(last) = memo.last.clone() else { return Ok(Summary::nothing()) };
    let mut problems = Diagnostics::default();
    let Some(project) = load(root, Mode::Build, memo, &mut problems) else { return Err(problems) };
    let pages = changed_pages(&project, memo.changed_slides());
    if pages.is_empty() || !problems.is_empty() {
        return problems.into_result(Summary::nothing());
    }
    let mut run = Run::new(&project, memo, output, problems, timer);
    (run.assets, run.inherited) = (last.assets, last.inherited);
    for lang in project.languages() {
        run.preview_language(project.lang(lang), &pages);
    }
    let summary = run.summary();
    run.problems.into_result(summary)
}

/// Loads and resolves the project: settings, slide files, pages, theme, checker rules and
/// accessibility results. `None` when there is no guide to make (the settings, theme or checker
/// cannot be read); every problem found, in the project's files too, is in `problems`.
fn load(root: &Path, mode: Mode, memo: &mut Memo, problems: &mut Diagnostics) -> Option<Project> {
    let config = config::load(root);
    let previous = match &config {
        Ok(c) => edition::load_previous(root, c).unwrap_or_else(|p| {
            problems.extend(p);
            None
        }),
        Err(_) => None,
    };
    let languages =
        config.as_ref().map_or_else(|_| config::languages_written(root), |c| c.languages.clone());
    let slides = read_slides(root, &languages, memo, problems);
    let (pages, page_problems) = content::load_pages(root, &languages);
    problems.extend(page_problems);
    let theme = theme::load(root, &languages);
    let checker = checker::Rules::load(root, &languages);
    let a11y = a11y::load(root).map_err(Diagnostics::from);
    let synonyms = search::synonyms::load(root, &languages);
    let (config, theme, checker, a11y, synonyms) = match (config, theme, checker, a11y, synonyms) {
        (Ok(c), Ok(t), Ok(k), Ok(a), Ok(s)) => (c, t, k, a, s),
        (c, t, k, a, s) => {
            for failed in [c.err(), t.err(), k.err(), a.err(), s.err()] {
                problems.extend(failed.unwrap_or_default());
            }
            return None;
        }
    };
    let (guide, mut resolve_problems) = site::resolve(config, slides);
    resolve_problems.extend(site::page_name_problems(&guide, &pages));
    let whole = resolve_problems.is_empty();
    let changes = previous.map(|p| edition::compare(p, &guide));
    problems.extend(resolve_problems);
    let (freshness, behind) = translations::check(&guide);
    problems.extend(freshness);
    let pictures = PictureSettings { cache_dir: root.join(CACHE_DIR).join("images"), mode };
    let root = root.to_path_buf();
    let handout = false;
    Some(Project {
        root,
        guide,
        theme,
        checker,
        pages,
        a11y,
        synonyms,
        pictures,
        whole,
        handout,
        behind,
        changes,
    })
}

/// Every slide file, read (those `serve` read before and that did not change, from the memo).
fn read_slides(
    root: &Path,
    languages: &[String],
    memo: &mut Memo,
    problems: &mut Diagnostics,
) -> Vec<content::SlideSource> {
    let (files, listing) = content::list_slides(root, languages);
    problems.extend(listing);
    let read = memo.read_slides(root, files, |f| content::read_slide(root, f));
    let mut slides = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok(slide) => slides.push(slide),
            Err(d) => problems.push(d),
        }
    }
    slides
}

/// The chapter pages (`LANG/FILE.html`) holding the slides of `changed` files.
fn changed_pages(project: &Project, changed: &[PathBuf]) -> BTreeSet<PathBuf> {
    let changed: BTreeSet<&PathBuf> = changed.iter().collect();
    let guide = &project.guide;
    let slides = guide.slides.iter().filter(|(_, s)| changed.contains(&s.file.rel));
    slides
        .filter_map(|((lang, n), _)| {
            Some(PathBuf::from(lang).join(guide.chapter_of(*n)?.file_name()))
        })
        .collect()
}

/// A run of the pipeline over a loaded project: what the steps share.
struct Run<'a> {
    project: &'a Project,
    memo: &'a mut Memo,
    output: &'a Output,
    problems: Diagnostics,
    assets: Assets,
    /// The pictures made so far in this run (a later language makes only those it adds).
    pictures: Pictures,
    /// The default language's screens, for its translations.
    inherited: Inherited,
    image_stats: images::Stats,
    handouts: Handouts,
    timer: Timer,
}

impl<'a> Run<'a> {
    fn new(
        project: &'a Project,
        memo: &'a mut Memo,
        output: &'a Output,
        problems: Diagnostics,
        timer: Timer,
    ) -> Run<'a> {
        Run {
            project,
            memo,
            output,
            problems,
            assets: Assets::default(),
            pictures: Vec::new(),
            inherited: BTreeMap::new(),
            image_stats: images::Stats::default(),
            handouts: Handouts::Off,
            timer,
        }
    }

    /// Adds a file to the site; a file that cannot be written is a problem.
    fn put(&mut self, path: PathBuf, bytes: Vec<u8>) {
        if let Err(d) = self.output.put(path, bytes) {
            self.problems.push(d);
        }
    }

    /// Between stages of a build, memory that finished work freed goes back to the system.
    fn release_memory(&self) {
        if !self.memo.remembers() {
            release_freed_memory();
        }
    }

    /// The theme's stylesheets and scripts, the checker's rules and the print margins.
    fn publish_assets(&mut self) {
        self.assets = assets::publish_theme(self.project, self.output, &mut self.problems);
        let (assets, output) = (&mut self.assets, self.output);
        assets::publish_print_margins(self.project, assets, output, &mut self.problems);
    }

    /// `edition.json`: every slide's title and fingerprint, for the next edition to compare with.
    fn edition_record(&mut self) {
        if self.project.whole {
            let record = edition::Record::of(&self.project.guide);
            self.put(PathBuf::from(edition::EDITION_FILE), record.to_json());
        }
    }

    /// Every file of one language. Without a whole structure (slides missing, say) only the
    /// slides are checked: pages would be made for slides that are not there.
    fn language(&mut self, lang: Lang) {
        let Some(mut bodies) = self.slide_bodies(lang, None) else { return };
        if !self.project.whole {
            return;
        }
        let search_parts = self.search_index(lang, &mut bodies);
        let Some(pages) = self.pages(lang, &bodies, None) else { return };
        drop(bodies);
        let print = self.finish_pages(&pages, &PathBuf::from(lang.lang).join("print.html"));
        drop(pages);
        self.release_memory();
        self.timer.lap(&format!("{}: post-process", lang.lang));
        if let Some(print) = print {
            self.one_file_edition(lang, &print, &search_parts);
        }
    }

    /// A preview's pages of one language: those in `pages`, with the slides they hold.
    fn preview_language(&mut self, lang: Lang, pages: &BTreeSet<PathBuf>) {
        let chapters = lang.guide().chapters.iter();
        let on_page = |file: String| pages.contains(&PathBuf::from(lang.lang).join(file));
        let slides: BTreeSet<u32> =
            chapters.filter(|c| on_page(c.file_name())).flat_map(|c| c.slides()).collect();
        if slides.is_empty() {
            return;
        }
        let Some(bodies) = self.slide_bodies(lang, Some(&slides)) else { return };
        let Some(pages) = self.pages(lang, &bodies, Some(pages)) else { return };
        self.finish_pages(&pages, Path::new(""));
    }

    /// One language's slide bodies (`only`: just those slides), with their screens' figures in
    /// place and the pictures they need made and published. `None` if any has a problem.
    fn slide_bodies(&mut self, lang: Lang, only: Option<&BTreeSet<u32>>) -> Option<Bodies> {
        let before = self.problems.len();
        let mut rendered = self.render_slides(lang, only);
        let plan = bodies::plan_screens(lang, &rendered, &self.inherited, &mut self.problems);
        self.make_pictures(&plan);
        bodies::place_figures(lang, &mut rendered, &plan, &self.pictures, &mut self.problems);
        self.timer.lap(&format!("{}: slides and pictures", lang.lang));
        if self.problems.len() > before {
            return None;
        }
        let bodies = bodies::pack(rendered);
        if lang.lang == lang.guide().config.default_language {
            // A preview made only some slides: the others keep their screens from the last build.
            self.inherited.extend(bodies.screens.clone());
        }
        Some(bodies)
    }

    /// Each slide's Markdown rendered (in parallel), or taken from the memo if its file did not
    /// change; its references checked.
    fn render_slides(
        &mut self,
        lang: Lang,
        only: Option<&BTreeSet<u32>>,
    ) -> BTreeMap<SlideKey, RenderedBody> {
        let memo = &*self.memo;
        let wanted = |(l, n): &SlideKey| l == lang.lang && only.is_none_or(|o| o.contains(n));
        let made: Vec<_> = lang
            .guide()
            .slides
            .par_iter()
            .filter(|(key, _)| wanted(key))
            .map(|(key, slide)| {
                let id = memo.key(|k| {
                    k.str(&slide.file.rel.to_string_lossy()).str(&slide.file.text);
                });
                let (body, origin) = memo.bodies.get_or(id, || bodies::render_slide(lang, slide));
                (key.clone(), body, origin)
            })
            .collect();
        let mut rendered = BTreeMap::new();
        for (key, body, origin) in made {
            self.memo.bodies.keep(origin, &body);
            self.memo.tally(origin);
            let slide = &lang.guide().slides[&key];
            self.problems.extend(body.problems);
            self.problems.extend(bodies::check_references(lang.guide(), slide, &body.rendered));
            rendered.insert(key, body.rendered);
        }
        rendered
    }

    /// The pictures `plan` needs that no earlier language made: processed (or taken from the
    /// picture cache, or the memo) and published.
    fn make_pictures(&mut self, plan: &ScreenPlan) {
        let fresh = bodies::fresh_jobs(plan, &self.pictures);
        let PictureSettings { cache_dir, mode } = &self.project.pictures;
        let id = self.memo.key(|k| {
            fresh.iter().for_each(|job| job.add_to(k));
            k.u64(*mode as u64);
        });
        let root = &self.project.root;
        let make = || images::process(root, cache_dir, &fresh, *mode);
        let (made, origin) = self.memo.pictures.get_or(id, make);
        self.memo.pictures.keep(origin, &made);
        let (outcomes, stats) = made;
        self.image_stats.processed += stats.processed;
        self.image_stats.cached += stats.cached;
        self.image_stats.discarded += stats.discarded;
        for (path, bytes) in bodies::add_pictures(&mut self.pictures, fresh, outcomes) {
            self.put(path, bytes);
        }
    }

    /// The language's search index, published; returns the names of its parts (under
    /// `assets/`), which the one-file edition takes in.
    fn search_index(&mut self, lang: Lang, bodies: &mut Bodies) -> Vec<String> {
        let docs = bodies::search_documents(lang, std::mem::take(&mut bodies.search));
        let setting = search::Setting {
            lang: lang.lang,
            stemmer: search::Stemmer::of_language(lang.lang),
            words: index_words(lang.words()),
            synonyms: &lang.project.synonyms,
        };
        let id = self.memo.key(|k| {
            setting.add_to(k);
            docs.iter().for_each(|d| d.add_to(k));
        });
        let (index, origin) = self.memo.search.get_or(id, || search::index_files(setting, &docs));
        drop(docs);
        self.memo.search.keep(origin, &index);
        let mut names = Vec::new();
        for (name, script) in index.parts {
            self.put(PathBuf::from("assets").join(&name), script.into_bytes());
            names.push(name);
        }
        let meta = format!("search-index.{}.js", lang.lang);
        let script =
            [assets::search_engine(self.project), b"\n".to_vec(), index.meta.into_bytes()].concat();
        match assets::publish(self.output, &meta, script) {
            Ok(path) => {
                self.assets.search.insert(lang.lang.to_string(), path);
            }
            Err(d) => self.problems.push(d),
        }
        self.release_memory();
        self.timer.lap(&format!("{}: search index", lang.lang));
        names
    }

    /// The language's pages through their templates (`only`: just those). `None` on a problem.
    fn pages(
        &mut self,
        lang: Lang,
        bodies: &Bodies,
        only: Option<&BTreeSet<PathBuf>>,
    ) -> Option<Vec<Page>> {
        let (pages, problems) = pages::render_pages(lang, &self.assets, bodies, only);
        let failed = !problems.is_empty();
        self.problems.extend(problems);
        self.timer.lap(&format!("{}: pages", lang.lang));
        (!failed).then_some(pages)
    }

    /// Finishes `pages` in parallel (minify, then the lol_html pass) and hands each to the output
    /// as soon as it is done; returns the finished page at `keep` (the print page, for the
    /// one-file edition). A page whose rendered HTML the memo knows is taken from it.
    fn finish_pages(&mut self, pages: &[Page], keep: &Path) -> Option<Vec<u8>> {
        let (memo, output, project) = (&*self.memo, self.output, self.project);
        let finished: Vec<_> = pages
            .par_iter()
            .map(|page| {
                let id = memo.key(|k| {
                    k.bytes(page.path.as_os_str().as_encoded_bytes());
                    Page::for_each_piece(&page.html, &page.parts, |piece| {
                        k.bytes(piece.as_bytes());
                    });
                });
                let finish = || postprocess::finish(page, &project.guide, &project.theme.strings);
                let (result, origin) = memo.pages.recall(id, finish);
                // Only what is needed later is held: the kept page, and what the memo keeps.
                let held = result.and_then(|bytes| {
                    output.create(&page.path, |w| w.write_all(&bytes))?;
                    let made = origin.is_some_and(|(_, made)| made);
                    Ok((page.path == keep || made).then_some(bytes))
                });
                (page.path == keep, held, origin)
            })
            .collect();
        let mut kept = None;
        for (is_kept, held, origin) in finished {
            match held {
                Ok(held) => {
                    match &held {
                        Some(bytes) => self.memo.pages.keep(origin, bytes),
                        None => self.memo.pages.keep_known(origin),
                    }
                    self.memo.tally(origin);
                    kept = if is_kept { held } else { kept };
                }
                Err(d) => self.problems.push(d),
            }
        }
        kept
    }

    /// `LANG/guide-offline.html`, made from the finished print page (whose text names every file it
    /// takes in by content hash). It needs the encoded pictures, which `check` does not make.
    fn one_file_edition(&mut self, lang: Lang, print: &[u8], search_parts: &[String]) {
        if self.project.pictures.mode != Mode::Build {
            return;
        }
        let path = PathBuf::from(lang.lang).join(offline::OFFLINE_PAGE);
        let output = self.output;
        let failure = std::cell::RefCell::new(None);
        let read = |p: &Path| output.read(p);
        let words = lang.words();
        let config = &lang.guide().config;
        let title =
            format!("{} | {}", words.get("offline_title"), config.text(&config.title, lang.lang));
        let intro_html = words.html("offline_intro");
        let edition = offline::Edition { lang: lang.lang, title: &title, intro_html: &intro_html };
        let make = |w: &mut dyn Write| {
            offline::single_file(print, &edition, search_parts, &read, w).map_err(|e| {
                *failure.borrow_mut() = Some(e.clone());
                std::io::Error::other(e)
            })
        };
        let key = self.memo.key(|k| {
            k.str(lang.lang).str(&title).str(&intro_html).bytes(print);
        });
        let written = match key {
            None => output.create(&path, make),
            Some(id) => self.remembered_edition(id, &path, make),
        };
        if let Err(d) = written {
            self.problems.push(match failure.into_inner() {
                Some(e) => Diagnostic::new(&path, format!("cannot make the one-file edition: {e}"))
                    .help("this is a bug in tebiki or the theme: report it with the theme files you changed"),
                None => d,
            });
        }
        self.timer.lap(&format!("{}: one-file edition", lang.lang));
    }

    /// The one-file edition from the memo, or made and remembered.
    fn remembered_edition(
        &mut self,
        id: u64,
        path: &Path,
        make: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Diagnostic> {
        let (made, origin) = self.memo.offline.recall(Some(id), || {
            let mut bytes = Vec::new();
            make(&mut bytes).map(|()| bytes)
        });
        let bytes = made.map_err(|e| Diagnostic::new(path, e.to_string()))?;
        self.memo.offline.keep(origin, &bytes);
        self.output.put(path.to_path_buf(), bytes)
    }

    /// The entry page, which shows the default language's search and so waits for every
    /// language's index.
    fn entry_page(&mut self) {
        let languages = self.project.guide.languages();
        if !languages.iter().all(|l| self.assets.search.contains_key(l)) {
            return;
        }
        match pages::render_landing(self.project, &self.assets) {
            Ok(landing) => {
                self.finish_pages(&[landing], Path::new(""));
            }
            Err(d) => self.problems.push(d),
        }
    }

    /// Each language's PDF handout (`LANG/guide.pdf`), printed by a browser from the finished
    /// print page in the staging folder (so only a build on disk makes them, and only a build
    /// with no problem so far), the languages side by side.
    /// `browser`: the one chosen, if any; `say_skipped`: whether to say so when there is none.
    fn handout_pdfs(&mut self, browser: Result<Option<PathBuf>, String>, say_skipped: bool) {
        let Some(folder) = self.output.folder() else { return };
        if !self.problems.is_empty() || !self.project.whole {
            return;
        }
        let browser = match browser {
            Ok(Some(browser)) => browser,
            Ok(None) => {
                if say_skipped {
                    self.handouts = Handouts::Skipped;
                }
                return;
            }
            Err(e) => {
                let help = "give the path of Chromium, Google Chrome or Microsoft Edge, or build \
                    without the handouts with --no-pdf";
                return self.problems.push(Diagnostic::new("--browser", e).help(help));
            }
        };
        let languages = self.project.languages();
        let (project, output) = (self.project, self.output);
        let made: Vec<_> = languages
            .par_iter()
            .map(|lang| print_handout(project.lang(lang), output, &browser, folder))
            .collect();
        let mut handouts = Vec::new();
        for result in made {
            match result {
                Ok(made) => handouts.push(made),
                Err(d) => self.problems.push(d),
            }
        }
        self.handouts = Handouts::Made(handouts);
        self.timer.lap("PDF handouts");
    }

    fn summary(&self) -> Summary {
        Summary {
            slides: self.project.guide.last,
            languages: self.project.guide.config.languages.clone(),
            image_stats: self.image_stats,
            files: self.output.len(),
            handouts: self.handouts.clone(),
            warnings: Diagnostics::default(),
        }
    }

    /// Every problem (errors and warnings), or what was made with its warnings; a run that
    /// succeeded is what the next preview starts from.
    fn finish(mut self) -> Result<Summary, Diagnostics> {
        let mut summary = self.summary();
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        self.memo.end(Last { assets: self.assets, inherited: self.inherited });
        summary.warnings = self.problems.take_warnings();
        Ok(summary)
    }
}

/// One language's handout: printed, finished (page labels, bookmarks, title) and published.
/// The words a language's search index carries (see [`search::IndexWords`]).
fn index_words(words: theme::Words<'_>) -> search::IndexWords<'_> {
    search::IndexWords {
        label: words.get("slide_label"),
        name: words.get("language_name"),
        none: words.get("search_none"),
        count: words.get("search_count"),
        count_one: words.get("search_count_one"),
        count_in: words.get("search_in"),
        partial: words.get("search_partial"),
        direct: words.get("search_direct"),
        page: words.get("search_page"),
    }
}

fn print_handout(
    lang: Lang,
    output: &Output,
    browser: &Path,
    folder: &Path,
) -> Result<pdf::Made, Diagnostic> {
    let print = PathBuf::from(lang.lang).join("print.html");
    let path = PathBuf::from(lang.lang).join(pdf::PDF_FILE);
    let failed = |what: String| {
        Diagnostic::new(
            &print,
            format!("{} could not print the handout: {what}", browser.display()),
        )
        .help(
            "check that the browser starts (run it with --version), name another with \
                --browser PATH, or build without the handouts with --no-pdf",
        )
    };
    let scratch = tempfile::tempdir().map_err(|e| failed(e.to_string()))?;
    let printed = scratch.path().join(pdf::PDF_FILE);
    pdf::print(browser, &folder.join(&print), &printed).map_err(failed)?;
    let bytes = std::fs::read(&printed).map_err(|e| failed(e.to_string()))?;
    let how = pdf::Finish {
        title: lang.guide().config.text(&lang.guide().config.title, lang.lang).to_string(),
        lang: lang.lang.to_string(),
        contents: lang.words().get("contents").to_string(),
        changes: lang.words().get("changes_title").to_string(),
        pages: lang
            .project
            .pages
            .iter()
            .filter(|p| p.lang == lang.lang && p.handout)
            .map(|p| (format!("page-{}", p.name), p.title.clone()))
            .collect(),
        bookmarks: pdf::bookmarks(lang),
    };
    let (done, pages) = pdf::finish(&bytes, &how).map_err(failed)?;
    let bytes = done.len();
    output.put(path.clone(), done)?;
    Ok(pdf::Made { path, pages, bytes })
}

impl Summary {
    /// Nothing made (a preview with nothing to show).
    fn nothing() -> Summary {
        Summary {
            slides: 0,
            languages: Vec::new(),
            image_stats: images::Stats::default(),
            files: 0,
            handouts: Handouts::Off,
            warnings: Diagnostics::default(),
        }
    }
}
