//! tebiki (手引き, "a guide"): turns Markdown slide files into an accessible, printable, bilingual
//! HTML guide that works from a web server, a USB stick (`file://`) and paper.
//!
//! The stages, each in its own module, run one way (see ARCHITECTURE.md):
//! load ([`config`], [`content`], [`theme`]) → resolve ([`site`]) → render ([`markdown`], [`render`])
//! → post-process ([`postprocess`]) → write ([`output`]).

pub mod a11y;
pub mod checker;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod handout;
pub mod highlight;
pub mod images;
pub mod markdown;
pub mod memo;
pub mod offline;
pub mod output;
pub mod postprocess;
pub mod render;
pub mod screens;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
pub mod starter;
pub mod text;
pub mod theme;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use diagnostics::Diagnostics;
use rayon::prelude::*;
use render::Assets;

/// The finished site in memory: file contents by path under the output folder.
#[derive(Debug)]
pub struct Site {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
    pub slides: u32,
    pub languages: Vec<String>,
    pub image_stats: images::Stats,
}

/// What a build made, once its files are in their [`output::Output`].
#[derive(Debug)]
pub struct Summary {
    pub slides: u32,
    pub languages: Vec<String>,
    pub image_stats: images::Stats,
    /// How many files the site has.
    pub files: usize,
}

/// The project's cache folder (processed pictures), relative to its root.
pub const CACHE_DIR: &str = ".tebiki-cache";

/// Loads, checks and renders the project at `root`, keeping the site in memory. Nothing is written
/// but the picture cache (and not even that in `Mode::Check`). Every problem found is returned at
/// once.
pub fn generate(root: &Path, mode: images::Mode) -> Result<Site, Diagnostics> {
    let output = output::Output::memory();
    let summary = generate_with(root, mode, None, &output)?;
    Ok(Site {
        files: output.into_files(),
        slides: summary.slides,
        languages: summary.languages,
        image_stats: summary.image_stats,
    })
}

/// [`generate`] into `output`, taking what it can from `memo` (the last builds of the same
/// project, in `serve`) and keeping what the next build may reuse.
///
/// The languages are made one after another, the default first (its screens lend their callouts
/// to the translations): a language's slide bodies, search index, pages and one-file edition are
/// made, handed to `output` and let go before the next language starts, so a build holds one
/// language's work at a time. Within a language, slides and pages are made in parallel.
pub fn generate_with(
    root: &Path,
    mode: images::Mode,
    memo: Option<&mut memo::Memo>,
    output: &output::Output,
) -> Result<Summary, Diagnostics> {
    run(root, mode, memo, output, Scope::Site)
}

/// What a run makes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The whole site.
    Site,
    /// For `serve`, to show an edit at once: only the chapter pages holding the slides whose files
    /// changed since the last run, with the asset names (search indexes among them) of the last
    /// good build of the whole site. Nothing is made when there is no such build.
    Preview,
}

fn run(
    root: &Path,
    mode: images::Mode,
    mut memo: Option<&mut memo::Memo>,
    output: &output::Output,
    scope: Scope,
) -> Result<Summary, Diagnostics> {
    let timer = Timer::new();
    if let Some(memo) = memo.as_deref_mut() {
        memo.begin(root);
    }
    let config = config::load(root);
    let languages = config
        .as_ref()
        .map(|c| c.languages.clone())
        .unwrap_or_else(|_| vec!["ja".into(), "en".into()]);
    let (slides, mut errors) =
        content::load_slides(root, &languages, memo.as_deref_mut().map(|m| &mut m.sources));
    let (pages, page_errors) = content::load_pages(root, &languages);
    errors.extend(page_errors);
    let theme = theme::load(root, &languages);
    let checker = checker::Rules::load(root, &languages);
    let (config, theme, checker) = match (config, theme, checker) {
        (Ok(c), Ok(t), Ok(k)) => (c, t, k),
        (c, t, k) => {
            errors.extend(c.err().unwrap_or_default());
            errors.extend(t.err().unwrap_or_default());
            errors.extend(k.err().unwrap_or_default());
            return Err(errors);
        }
    };
    timer.lap("load");
    let (guide, problems) = site::resolve(config, slides);
    errors.extend(problems);

    // A preview makes the chapter pages of the changed slides, with the last build's assets.
    let last = memo.as_deref().and_then(|m| m.last.as_ref()).filter(|_| scope == Scope::Preview);
    let previewed: BTreeSet<PathBuf> = match (scope, last, memo.as_deref()) {
        (Scope::Site, ..) => BTreeSet::new(),
        (Scope::Preview, Some(_), Some(m)) => {
            let changed: BTreeSet<&PathBuf> = m.sources.changed.iter().collect();
            guide
                .slides
                .iter()
                .filter(|(_, s)| changed.contains(&s.file.rel))
                .filter_map(|((lang, n), _)| {
                    Some(PathBuf::from(lang).join(guide.chapter_of(*n)?.file_name()))
                })
                .collect()
        }
        (Scope::Preview, ..) => BTreeSet::new(),
    };
    if scope == Scope::Preview && (previewed.is_empty() || !errors.is_empty()) {
        return errors.into_result(Summary {
            slides: guide.last,
            languages: guide.config.languages.clone(),
            image_stats: images::Stats::default(),
            files: 0,
        });
    }
    let only_pages = (scope == Scope::Preview).then_some(&previewed);
    let (mut assets, mut inherited) = match last {
        Some(last) => (last.assets.clone(), last.inherited.clone()),
        None => (
            publish_assets(&theme, checker.as_ref(), &guide.config.languages, output)?,
            BTreeMap::new(),
        ),
    };
    let config = &guide.config;
    for lang in config.languages.iter().filter(|_| scope == Scope::Site) {
        let css = handout::margin_css(
            config.text(&config.title, lang),
            theme.strings.get(lang, "page_label"),
        );
        assets
            .print_css
            .insert(lang.clone(), publish(output, &format!("print.{lang}.css"), css.into_bytes())?);
    }

    let settings = render::ImageSettings {
        root: root.to_path_buf(),
        cache_dir: root.join(CACHE_DIR).join("images"),
        mode,
    };
    let world = memo.as_deref().map(memo::Memo::world);
    let default = &guide.config.default_language;
    let order = guide
        .languages()
        .iter()
        .filter(|l| *l == default)
        .chain(guide.languages().iter().filter(|l| *l != default));
    let mut pictures = Vec::new();
    let mut image_stats = images::Stats::default();
    for lang in order {
        // In a preview, just the slides of the pages shown.
        let only_slides: Option<BTreeSet<u32>> = only_pages.map(|pages| {
            guide
                .chapters
                .iter()
                .filter(|c| pages.contains(&PathBuf::from(lang).join(c.file_name())))
                .flat_map(|c| c.slides())
                .collect()
        });
        if only_slides.as_ref().is_some_and(BTreeSet::is_empty) {
            continue;
        }
        let mut bodies = match render::render_bodies(
            &guide,
            lang,
            only_slides.as_ref(),
            &inherited,
            &mut pictures,
            &theme,
            checker.as_ref(),
            &settings,
            memo.as_deref_mut(),
        ) {
            Ok(bodies) => bodies,
            Err(problems) => {
                // The other languages are still checked, so that every problem is told at once.
                errors.extend(problems);
                continue;
            }
        };
        if lang == default {
            // A preview made only some slides: the others keep their screens from the last build.
            inherited.extend(std::mem::take(&mut bodies.screens));
        }
        image_stats.processed += bodies.image_stats.processed;
        image_stats.cached += bodies.image_stats.cached;
        for (path, bytes) in std::mem::take(&mut bodies.pictures) {
            output.put(path, bytes)?;
        }
        timer.lap(&format!("{lang}: slides and pictures"));

        // A preview keeps the last build's search index.
        let mut search_parts = Vec::new();
        if scope == Scope::Site {
            let mut texts = std::mem::take(&mut bodies.search);
            let docs: Vec<search::Document> = guide
                .slides
                .iter()
                .filter(|((l, _), _)| l == lang)
                .map(|((_, n), slide)| {
                    let (text, headings) = texts.remove(&(lang.clone(), *n)).unwrap_or_default();
                    let page = guide.chapter_of(*n).map(|c| c.file_name()).unwrap_or_default();
                    search::Document {
                        slide: *n,
                        page,
                        title: slide.title.clone(),
                        explains: slide.explains.clone(),
                        headings,
                        text,
                    }
                })
                .collect();
            let label = theme.strings.get(lang, "slide_label");
            let id = world.map(|w| memo::search_key(w, lang, label, &docs));
            let (index, origin) = memo::recall(memo.as_deref().map(|m| &m.search), id, || {
                Ok::<_, std::convert::Infallible>(search::index_files(lang, label, &docs))
            });
            let Ok(index) = index;
            drop(docs);
            if let Some(memo) = memo.as_deref_mut() {
                memo.search.keep(origin, &index);
            }
            for (name, script) in index.parts {
                output.put(PathBuf::from("assets").join(&name), script.into_bytes())?;
                search_parts.push(name);
            }
            assets.search.insert(
                lang.clone(),
                publish(output, &format!("search-index.{lang}.js"), index.meta.into_bytes())?,
            );
            if memo.is_none() {
                release_freed_memory();
            }
            timer.lap(&format!("{lang}: search index"));
        }

        let pages = match render::render_pages(
            &guide,
            lang,
            &theme,
            checker.as_ref(),
            &assets,
            &bodies,
            &pages,
            root,
            only_pages,
        ) {
            Ok(pages) => pages,
            Err(problems) => {
                errors.extend(problems);
                continue;
            }
        };
        drop(bodies);
        timer.lap(&format!("{lang}: pages"));
        let print_path = PathBuf::from(lang).join("print.html");
        let print =
            finish_pages(&pages, &guide, &theme, &mut memo, output, &print_path, &mut errors);
        drop(pages);
        if memo.is_none() {
            release_freed_memory();
        }
        timer.lap(&format!("{lang}: post-process"));

        // The one-file edition needs the encoded pictures, which `check` does not make. It is made
        // from the finished print page, whose text names every file it takes in by content hash.
        if let (Some(print), images::Mode::Build) = (print, mode) {
            let path = PathBuf::from(lang).join(offline::OFFLINE_PAGE);
            let failure = std::cell::RefCell::new(None);
            let read = |p: &Path| output.read(p);
            let make = |w: &mut dyn std::io::Write| {
                offline::single_file(&print, lang, &search_parts, &read, w).map_err(|e| {
                    *failure.borrow_mut() = Some(e.clone());
                    std::io::Error::other(e)
                })
            };
            let written = match world {
                Some(w) => {
                    let id = fingerprint(&[&w.to_le_bytes(), lang.as_bytes(), &print]);
                    let (made, origin) =
                        memo::recall(memo.as_deref().map(|m| &m.offline), Some(id), || {
                            let mut bytes = Vec::new();
                            make(&mut bytes).map(|()| bytes)
                        });
                    match made {
                        Ok(bytes) => {
                            if let Some(memo) = memo.as_deref_mut() {
                                memo.offline.keep(origin, &bytes);
                            }
                            output.put(path.clone(), bytes)
                        }
                        Err(e) => Err(diagnostics::Diagnostic::new(&path, e.to_string())),
                    }
                }
                None => output.create(&path, make),
            };
            if let Err(d) = written {
                errors.push(match failure.into_inner() {
                    Some(e) => diagnostics::Diagnostic::new(&path, format!("cannot make the one-file edition: {e}")).help("this is a bug in tebiki or the theme: report it with the theme files you changed"),
                    None => d,
                });
            }
            timer.lap(&format!("{lang}: one-file edition"));
        }
    }
    // The entry page shows the search of the default language, so it waits for every language.
    if scope == Scope::Site && guide.languages().iter().all(|l| assets.search.contains_key(l)) {
        match render::render_landing(&guide, &theme, &assets) {
            Ok(landing) => {
                finish_pages(
                    &[landing],
                    &guide,
                    &theme,
                    &mut memo,
                    output,
                    Path::new(""),
                    &mut errors,
                );
            }
            Err(d) => errors.push(d),
        }
    }
    if let Some(memo) = memo.filter(|_| errors.is_empty() && scope == Scope::Site) {
        memo.last = Some(memo::Last { assets, inherited });
        memo.end();
    }
    errors.into_result(Summary {
        slides: guide.last,
        languages: guide.config.languages.clone(),
        image_stats,
        files: output.len(),
    })
}

/// Finishes `pages` in parallel (minify, then the lol_html pass) and hands each to `output` as soon
/// as it is done; returns the finished page at `keep` (the print page, for the one-file edition).
/// In `serve`, a page whose rendered HTML is unchanged is taken from the memo.
fn finish_pages(
    pages: &[render::Page],
    guide: &site::Guide,
    theme: &theme::Theme,
    memo: &mut Option<&mut memo::Memo>,
    output: &output::Output,
    keep: &Path,
    errors: &mut Diagnostics,
) -> Option<Vec<u8>> {
    let known = memo.as_deref();
    let world = known.map(memo::Memo::world);
    let finished: Vec<_> = pages
        .par_iter()
        .map(|page| {
            let id = world.map(|w| {
                let mut pieces: Vec<&[u8]> = vec![page.path.as_os_str().as_encoded_bytes()];
                render::Page::for_each_piece(&page.html, &page.parts, |piece| {
                    pieces.push(piece.as_bytes())
                });
                fingerprint(&[&w.to_le_bytes(), &fingerprint(&pieces).to_le_bytes()])
            });
            let (result, origin) = memo::recall(known.map(|m| &m.pages), id, || {
                postprocess::finish(page, guide, &theme.strings)
            });
            // Only what is needed later is held: the kept page, and in `serve` what the memo keeps.
            let result = result.and_then(|bytes| {
                output.create(&page.path, |w| w.write_all(&bytes))?;
                Ok((page.path == keep || origin.is_some_and(|(_, made)| made)).then_some(bytes))
            });
            (page.path == keep, result, origin)
        })
        .collect();
    let mut kept = None;
    for (is_kept, result, origin) in finished {
        match result {
            Ok(held) => {
                if let Some(memo) = memo.as_deref_mut() {
                    if let Some(bytes) = &held {
                        memo.pages.keep(origin, bytes);
                    } else {
                        memo.pages.keep_known(origin);
                    }
                    memo.tally(origin);
                }
                if is_kept {
                    kept = held;
                }
            }
            Err(d) => errors.push(d),
        }
    }
    kept
}

/// Builds one project again and again (for `tebiki serve`), keeping what it may reuse between
/// builds.
pub struct Builder {
    root: PathBuf,
    pub memo: memo::Memo,
}

impl Builder {
    pub fn new(root: &Path) -> Builder {
        Builder { root: root.to_path_buf(), memo: memo::Memo::default() }
    }

    /// The chapter pages holding the slides whose files changed since the last build, made with the
    /// last good build's assets, for `serve` to show an edit before the whole site is remade.
    /// `None` when there is nothing to preview: no good build yet, the settings, theme or
    /// pictures changed (the memo was emptied), or no slide file changed.
    pub fn preview(&mut self) -> Option<Result<Site, Diagnostics>> {
        let output = output::Output::memory();
        match run(&self.root, images::Mode::Build, Some(&mut self.memo), &output, Scope::Preview) {
            Ok(summary) if summary.files == 0 => None,
            Ok(summary) => Some(Ok(Site {
                files: output.into_files(),
                slides: summary.slides,
                languages: summary.languages,
                image_stats: summary.image_stats,
            })),
            Err(problems) => Some(Err(problems)),
        }
    }

    pub fn generate(&mut self, mode: images::Mode) -> Result<Site, Diagnostics> {
        let output = output::Output::memory();
        let summary = generate_with(&self.root, mode, Some(&mut self.memo), &output)?;
        Ok(Site {
            files: output.into_files(),
            slides: summary.slides,
            languages: summary.languages,
            image_stats: summary.image_stats,
        })
    }
}

/// Builds the project at `root` into `out` (relative to `root` unless absolute). Each file is
/// written into a staging folder as soon as it is made; the previous output stays untouched unless
/// the whole build succeeds.
pub fn build(root: &Path, out: &Path) -> Result<(Summary, PathBuf), Diagnostics> {
    let out = output::check_out_dir(root, out)?;
    let output = output::Output::staging(&out)?;
    let summary = generate_with(root, images::Mode::Build, None, &output)?;
    let timer = Timer::new();
    output.commit()?;
    timer.lap("write");
    Ok((summary, out))
}

/// Static files of the theme under `assets/`, with a content hash in each name so browsers and
/// caches never mix an old stylesheet with a new page.
fn publish_assets(
    theme: &theme::Theme,
    checker: Option<&checker::Rules>,
    languages: &[String],
    files: &output::Output,
) -> Result<Assets, diagnostics::Diagnostic> {
    let mut named = BTreeMap::new();
    for (name, bytes) in &theme.static_files {
        if name == "checker.js" && checker.is_none() {
            continue;
        }
        named.insert(name.clone(), publish(files, name, postprocess::minify_asset(name, bytes))?);
    }
    let syntax = publish(files, "syntax.css", highlight::stylesheet().into_bytes())?;
    let checker_rules = match checker {
        Some(rules) => Some(
            languages
                .iter()
                .map(|lang| {
                    Ok((
                        lang.clone(),
                        publish(
                            files,
                            &format!("checker-rules.{lang}.js"),
                            rules.script(lang, languages).into_bytes(),
                        )?,
                    ))
                })
                .collect::<Result<_, diagnostics::Diagnostic>>()?,
        ),
        None => None,
    };
    let get = |n: &str| named.get(n).cloned().unwrap_or_default();
    Ok(Assets {
        css: get("tebiki.css"),
        js: get("tebiki.js"),
        syntax,
        checker_js: named.get("checker.js").cloned(),
        checker_rules,
        search_js: get("search.js"),
        search: BTreeMap::new(),
        print_css: BTreeMap::new(),
    })
}

/// Adds `bytes` to the site as `assets/NAME`, with a content hash before the extension
/// (`tebiki.css` → `assets/tebiki.1a2b3c4d.css`), and returns that path.
fn publish(
    files: &output::Output,
    name: &str,
    bytes: Vec<u8>,
) -> Result<String, diagnostics::Diagnostic> {
    let path = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("assets/{stem}.{:08x}.{ext}", fingerprint(&[&bytes]) as u32),
        None => format!("assets/{name}"),
    };
    files.put(PathBuf::from(&path), bytes)?;
    Ok(path)
}

/// FNV-1a over `parts` (each followed by a separator): a small, stable hash for file names and cache
/// keys (not for security).
pub fn fingerprint(parts: &[&[u8]]) -> u64 {
    let step = |h: u64, b: u8| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    parts
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, part| step(part.iter().fold(h, |h, b| step(h, *b)), 0xff))
}

/// Hands the memory that finished work freed back to the system. glibc keeps freed memory in each
/// thread's heap, where later work of other sizes seldom reuses it: without this, a language's
/// slide bodies and pages would stay counted while the next stage grows on top (at 10,000 slides a
/// language, the build's peak went from 380 MB to 500 MB). Called between stages of `build` (not
/// in `serve`, which keeps its memo anyway and wants its milliseconds); elsewhere it does nothing.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages to the system; memory in use is not touched.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The process's resident and peak memory, where the system tells (Linux), for the timings.
fn memory_in_use() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().unwrap_or(0) / 1024)
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(" ({now} MB in use, peak {peak} MB)"),
        _ => String::new(),
    }
}

/// With `TEBIKI_TIMINGS` set, prints how long each stage took (to stderr), and the memory in use.
struct Timer {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            on: std::env::var_os("TEBIKI_TIMINGS").is_some(),
            last: std::cell::Cell::new(std::time::Instant::now()),
        }
    }

    fn lap(&self, stage: &str) {
        if self.on {
            let now = std::time::Instant::now();
            eprintln!(
                "timing: {stage}: {:.1} ms{}",
                (now - self.last.get()).as_secs_f64() * 1000.0,
                memory_in_use()
            );
            self.last.set(now);
        }
    }
}
