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
pub mod starter;
pub mod source;
pub mod text;
pub mod theme;

use std::collections::BTreeMap;
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

/// The project's cache folder (processed pictures), relative to its root.
pub const CACHE_DIR: &str = ".tebiki-cache";

/// Loads, checks and renders the project at `root`. Nothing is written but the picture cache (and
/// not even that in `Mode::Check`). Every problem found is returned at once.
pub fn generate(root: &Path, mode: images::Mode) -> Result<Site, Diagnostics> {
    generate_with(root, mode, None)
}

/// [`generate`], taking what it can from `memo` (the last builds of the same project, in `serve`)
/// and keeping what the next build may reuse.
pub fn generate_with(root: &Path, mode: images::Mode, mut memo: Option<&mut memo::Memo>) -> Result<Site, Diagnostics> {
    let timer = Timer::new();
    if let Some(memo) = memo.as_deref_mut() {
        memo.begin(root);
    }
    let config = config::load(root);
    let languages = config.as_ref().map(|c| c.languages.clone()).unwrap_or_else(|_| vec!["ja".into(), "en".into()]);
    let (slides, mut errors) = content::load_slides(root, &languages);
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

    let mut files = BTreeMap::new();
    let mut assets = publish_assets(&theme, checker.as_ref(), &guide.config.languages, &mut files);
    let config = &guide.config;
    for lang in &config.languages {
        let css = handout::margin_css(config.text(&config.title, lang), theme.strings.get(lang, "page_label"));
        assets.print_css.insert(lang.clone(), publish(&mut files, &format!("print.{lang}.css"), css.into_bytes()));
    }

    let settings = render::ImageSettings { root: root.to_path_buf(), cache_dir: root.join(CACHE_DIR).join("images"), mode };
    let bodies = match render::render_bodies(&guide, &theme, checker.as_ref(), &settings, memo.as_deref_mut()) {
        Ok(bodies) => bodies,
        Err(problems) => {
            errors.extend(problems);
            return Err(errors);
        }
    };
    timer.lap("slides and pictures");
    files.extend(bodies.pictures.iter().cloned());
    let world = memo.as_deref().map(memo::Memo::world);
    let known = memo.as_deref();
    let indexes: Vec<_> = guide
        .languages()
        .par_iter()
        .map(|lang| {
            let docs: Vec<search::Document> = guide
                .slides
                .iter()
                .filter(|((l, _), _)| l == lang)
                .map(|((_, n), slide)| {
                    let (text, headings) = bodies.search.get(&(lang.clone(), *n)).cloned().unwrap_or_default();
                    let page = guide.chapter_of(*n).map(|c| c.file_name()).unwrap_or_default();
                    search::Document { slide: *n, page, title: slide.title.clone(), explains: slide.explains.clone(), headings, text }
                })
                .collect();
            let label = theme.strings.get(lang, "slide_label");
            let id = world.map(|w| memo::search_key(w, lang, label, &docs));
            let (index, origin) = memo::recall(known.map(|m| &m.search), id, || Ok::<_, std::convert::Infallible>(search::index_files(lang, label, &docs)));
            (lang, index, origin)
        })
        .collect();
    for (lang, index, origin) in indexes {
        let Ok(index) = index;
        if let Some(memo) = memo.as_deref_mut() {
            memo.search.keep(origin, &index);
        }
        for (name, script) in index.parts {
            files.insert(PathBuf::from("assets").join(name), script.into_bytes());
        }
        assets.search.insert(lang.clone(), publish(&mut files, &format!("search-index.{lang}.js"), index.meta.into_bytes()));
    }
    timer.lap("search index");
    let pages = match render::render_pages(&guide, &theme, checker.as_ref(), &assets, &bodies, &pages, root) {
        Ok(pages) => pages,
        Err(problems) => {
            errors.extend(problems);
            return Err(errors);
        }
    };
    timer.lap("pages");
    // Pages are finished in parallel (minify, then the lol_html pass); the order of `files` is
    // fixed by its keys, so the output stays deterministic.
    // In `serve`, a page whose rendered HTML is unchanged is taken from the memo.
    let known = memo.as_deref();
    let finished: Vec<_> = pages
        .par_iter()
        .map(|page| {
            let id = world.map(|w| {
                let mut pieces: Vec<&[u8]> = vec![page.path.as_os_str().as_encoded_bytes()];
                render::Page::for_each_piece(&page.html, &page.parts, |piece| pieces.push(piece.as_bytes()));
                fingerprint(&[&w.to_le_bytes(), &fingerprint(&pieces).to_le_bytes()])
            });
            let (result, origin) = memo::recall(known.map(|m| &m.pages), id, || postprocess::finish(page, &guide, &theme.strings));
            (page.path.clone(), result, origin)
        })
        .collect();
    for (path, result, origin) in finished {
        match result {
            Ok(bytes) => {
                if let Some(memo) = memo.as_deref_mut() {
                    memo.pages.keep(origin, &bytes);
                    memo.tally(origin);
                }
                files.insert(path, bytes);
            }
            Err(d) => errors.push(d),
        }
    }
    timer.lap("post-process");
    // The one-file edition needs the encoded pictures, which `check` does not make. It is made
    // from the finished print page, whose text names every file it takes in by content hash.
    let known = memo.as_deref();
    let offline: Vec<_> = guide
        .languages()
        .par_iter()
        .filter(|_| mode == images::Mode::Build)
        .map(|lang| {
            let print = files.get(&PathBuf::from(lang).join("print.html")).map(Vec::as_slice).unwrap_or_default();
            let id = world.map(|w| fingerprint(&[&w.to_le_bytes(), lang.as_bytes(), print]));
            let (result, origin) = memo::recall(known.map(|m| &m.offline), id, || offline::single_file(&files, lang));
            (lang, result, origin)
        })
        .collect();
    for (lang, result, origin) in offline {
        let path = PathBuf::from(lang).join(offline::OFFLINE_PAGE);
        match result {
            Ok(bytes) => {
                if let Some(memo) = memo.as_deref_mut() {
                    memo.offline.keep(origin, &bytes);
                }
                files.insert(path, bytes);
            }
            Err(e) => errors.push(diagnostics::Diagnostic::new(&path, format!("cannot make the one-file edition: {e}")).help("this is a bug in tebiki or the theme: report it with the theme files you changed")),
        }
    }
    timer.lap("one-file editions");
    if let Some(memo) = memo.filter(|_| errors.is_empty()) {
        memo.end();
    }
    errors.into_result(Site { files, slides: guide.last, languages: guide.config.languages.clone(), image_stats: bodies.image_stats })
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

    pub fn generate(&mut self, mode: images::Mode) -> Result<Site, Diagnostics> {
        generate_with(&self.root, mode, Some(&mut self.memo))
    }
}

/// Builds the project at `root` into `out` (relative to `root` unless absolute). The previous
/// output stays untouched unless the whole build succeeds.
pub fn build(root: &Path, out: &Path) -> Result<(Site, PathBuf), Diagnostics> {
    let out = output::check_out_dir(root, out)?;
    let site = generate(root, images::Mode::Build)?;
    output::write_site(&out, &site.files)?;
    Ok((site, out))
}

/// Static files of the theme under `assets/`, with a content hash in each name so browsers and
/// caches never mix an old stylesheet with a new page.
fn publish_assets(theme: &theme::Theme, checker: Option<&checker::Rules>, languages: &[String], files: &mut BTreeMap<PathBuf, Vec<u8>>) -> Assets {
    let mut named = BTreeMap::new();
    for (name, bytes) in &theme.static_files {
        if name == "checker.js" && checker.is_none() {
            continue;
        }
        named.insert(name.clone(), publish(files, name, postprocess::minify_asset(name, bytes)));
    }
    let syntax = publish(files, "syntax.css", highlight::stylesheet().into_bytes());
    let checker_rules = checker.map(|rules| {
        languages.iter().map(|lang| (lang.clone(), publish(files, &format!("checker-rules.{lang}.js"), rules.script(lang, languages).into_bytes()))).collect()
    });
    let get = |n: &str| named.get(n).cloned().unwrap_or_default();
    Assets {
        css: get("tebiki.css"),
        js: get("tebiki.js"),
        syntax,
        checker_js: named.get("checker.js").cloned(),
        checker_rules,
        search_js: get("search.js"),
        search: BTreeMap::new(),
        print_css: BTreeMap::new(),
    }
}

/// Adds `bytes` to the site as `assets/NAME`, with a content hash before the extension
/// (`tebiki.css` → `assets/tebiki.1a2b3c4d.css`), and returns that path.
fn publish(files: &mut BTreeMap<PathBuf, Vec<u8>>, name: &str, bytes: Vec<u8>) -> String {
    let path = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("assets/{stem}.{:08x}.{ext}", fingerprint(&[&bytes]) as u32),
        None => format!("assets/{name}"),
    };
    files.insert(PathBuf::from(&path), bytes);
    path
}

/// FNV-1a over `parts` (each followed by a separator): a small, stable hash for file names and cache
/// keys (not for security).
pub fn fingerprint(parts: &[&[u8]]) -> u64 {
    let step = |h: u64, b: u8| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    parts.iter().fold(0xcbf2_9ce4_8422_2325, |h, part| step(part.iter().fold(h, |h, b| step(h, *b)), 0xff))
}

/// With `TEBIKI_TIMINGS` set, prints how long each stage took (to stderr).
struct Timer {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
}

impl Timer {
    fn new() -> Timer {
        Timer { on: std::env::var_os("TEBIKI_TIMINGS").is_some(), last: std::cell::Cell::new(std::time::Instant::now()) }
    }

    fn lap(&self, stage: &str) {
        if self.on {
            let now = std::time::Instant::now();
            eprintln!("timing: {stage}: {:.1} ms", (now - self.last.get()).as_secs_f64() * 1000.0);
            self.last.set(now);
        }
    }
}
