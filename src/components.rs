//! The theme's components: the pieces of markup that sit inside slide bodies and pages, each a Tera
//! template under `theme/templates/components/` that a project can override like any theme file.
//! This module gathers the values each one receives (listed in README.md, "Components") and
//! renders it:
//!
//! | template | what |
//! |---|---|
//! | `screen.html` | a screen picture with its callouts, caption and illustration note |
//! | `checker.html` | a format checker (the contract `checker.js` reads) |
//! | `memo.html` | a box to write in on paper |
//! | `login-help.html` | where to look when a login fails: slides, and the checker's page |
//! | `links.html` | a slide's external addresses with QR codes, for paper |
//! | `test-results.html` | the last automated accessibility run |

use std::path::Path;

use serde::Serialize;
use tera::{Context, Tera};

use crate::a11y;
use crate::callouts::{self, Mark, Spot};
use crate::checker::Rules;
use crate::diagnostics::Diagnostic;
use crate::handout;
use crate::screens::{Callout, Picture, ScreenSpec};
use crate::text::html_for;
use crate::theme::{Words, template_error};

pub const SCREEN: &str = "components/screen.html";
pub const CHECKER: &str = "components/checker.html";
pub const MEMO: &str = "components/memo.html";
pub const LOGIN_HELP: &str = "components/login-help.html";
pub const LINKS: &str = "components/links.html";
pub const TEST_RESULTS: &str = "components/test-results.html";

/// Renders components with the theme's templates.
#[derive(Clone, Copy)]
pub struct Components<'a> {
    tera: &'a Tera,
}

impl<'a> Components<'a> {
    pub fn new(tera: &'a Tera) -> Components<'a> {
        Components { tera }
    }

    /// The component `name` with `values`; a template that fails is reported at its file.
    pub fn render(&self, name: &str, values: &impl Serialize) -> Result<String, Diagnostic> {
        let file = Path::new("theme/templates").join(name);
        let context = Context::from_serialize(values).map_err(|e| template_error(&file, &e))?;
        self.tera.render(name, &context).map_err(|e| template_error(&file, &e))
    }
}

/// `screen.html`: paths lead from the page to the picture files.
#[derive(Serialize)]
pub struct ScreenView {
    /// The picture shown by default (about 1280 px wide), every size for `srcset`, the full size.
    pub src: String,
    pub srcset: String,
    pub full: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    /// Each mark, laid out beside its spots for every width.
    pub callouts: Vec<CalloutView>,
    /// The caption (HTML, Japanese marked in other languages), empty if the block gives none.
    pub caption_html: String,
    /// 「イメージ」 / "Illustration", and the full-size link's text.
    pub note_html: String,
    pub full_size_html: String,
    /// The picture's file under `images/`, and how many areas of it are blacked out (in a
    /// translation, those of the original slide's screen).
    pub image: String,
    pub redactions: usize,
}

/// A mark beside its spots (see [`crate::callouts`]): its number and centre, the spot its leader
/// goes to, every spot it stands for and the lines joining them; all in percent of the picture.
#[derive(Serialize)]
pub struct CalloutView {
    pub n: u32,
    pub x: String,
    pub y: String,
    pub leader: Point,
    pub spots: Vec<Point>,
    pub joins: Vec<(Point, Point)>,
}

#[derive(Serialize, Clone)]
pub struct Point {
    pub x: String,
    pub y: String,
}

/// The marks of `callouts` laid out on `picture`.
fn marks(callouts: &[Callout], picture: &Picture) -> Vec<Mark> {
    let spots: Vec<Spot> = callouts.iter().map(|c| Spot { n: c.n, x: c.x, y: c.y }).collect();
    callouts::layout(&spots, (picture.width, picture.height), &picture.ink)
}

impl CalloutView {
    fn new(mark: &Mark) -> CalloutView {
        let point = |(x, y): (f64, f64)| Point { x: x.to_string(), y: y.to_string() };
        let spots: Vec<Point> = mark.spots.iter().copied().map(point).collect();
        CalloutView {
            n: mark.n,
            x: mark.x.to_string(),
            y: mark.y.to_string(),
            leader: point(mark.leader),
            joins: spots.windows(2).map(|w| (w[0].clone(), w[1].clone())).collect(),
            spots,
        }
    }
}

impl ScreenView {
    /// The figure of `spec` with `callouts` on `picture`, for a page `root` away from the output
    /// folder (`../`).
    pub fn new(
        spec: &ScreenSpec,
        callouts: &[Callout],
        picture: &Picture,
        words: Words,
        root: &str,
    ) -> ScreenView {
        let path = |p: &str| format!("{root}{p}");
        let srcset: Vec<String> =
            picture.variants.iter().map(|v| format!("{} {}w", path(&v.path), v.width)).collect();
        let default = picture.variants.iter().find(|v| v.width >= 1000).or(picture.variants.last());
        let caption = spec.caption.as_deref().map(str::trim).unwrap_or_default();
        ScreenView {
            src: default.map(|v| path(&v.path)).unwrap_or_default(),
            srcset: srcset.join(", "),
            full: picture.variants.last().map(|v| path(&v.path)).unwrap_or_default(),
            width: picture.width,
            height: picture.height,
            alt: spec.alt.trim().to_string(),
            callouts: marks(callouts, picture).iter().map(CalloutView::new).collect(),
            caption_html: html_for(caption, words.lang),
            note_html: words.html("illustration_note"),
            full_size_html: words.html("full_size"),
            image: spec.image.clone(),
            redactions: spec.redact.as_ref().map_or(0, Vec::len),
        }
    }
}

/// `memo.html`.
#[derive(Serialize)]
pub struct MemoView {
    /// Unique on the page (`memo-SLIDE-N`): the box's title has it, and the box names its title.
    pub id: String,
    pub title_html: String,
    pub note_html: String,
    /// One line to write on per label.
    pub labels_html: Vec<String>,
}

impl MemoView {
    /// Box `index` (from 1) of slide `slide`, with a line per non-empty line of `labels`.
    pub fn new(labels: &str, words: Words, slide: u32, index: usize) -> MemoView {
        MemoView {
            id: format!("memo-{slide}-{index}"),
            title_html: words.html("memo_title"),
            note_html: words.html("memo_note"),
            labels_html: labels
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| html_for(l, words.lang))
                .collect(),
        }
    }
}

/// `login-help.html`: a `login-help` block's slides (each a cross-reference) and, when the guide
/// has a checker, its page.
#[derive(Serialize)]
pub struct LoginHelpView {
    /// Unique on the page (`login-help-SLIDE-N`): the note's title has it.
    pub id: String,
    pub title_html: String,
    /// 「IDやパスワードを確かめる：」: the words before the slides.
    pub slides_html: String,
    /// Each slide: its number and label (「スライド10」).
    pub slides: Vec<SlideLinkView>,
    /// Between two slides (「、」, ", ").
    pub separator: String,
    /// The words before the checker's page, its address and title; empty without a checker.
    pub checker_intro_html: String,
    pub checker_href: String,
    pub checker_title_html: String,
}

#[derive(Serialize)]
pub struct SlideLinkView {
    pub n: u32,
    pub label: String,
}

impl LoginHelpView {
    /// Block `id` of a slide, with `slides` (in order) and the checker of `checker`, if any.
    pub fn new(id: String, slides: &[u32], checker: Option<&Rules>, words: Words) -> LoginHelpView {
        let title = checker
            .and_then(|r| r.text.get("title"))
            .and_then(|t| t.get(words.lang))
            .map(|t| html_for(t, words.lang));
        LoginHelpView {
            id,
            title_html: words.html("login_help_title"),
            slides_html: words.html("login_help_slides"),
            slides: slides
                .iter()
                .map(|&n| SlideLinkView { n, label: words.strings.slide_label(words.lang, n) })
                .collect(),
            separator: words.get("login_help_separator").to_string(),
            checker_intro_html: title
                .as_ref()
                .map(|_| words.html("login_help_checker"))
                .unwrap_or_default(),
            checker_href: title
                .as_ref()
                .map(|_| crate::checker::CHECKER_PAGE.to_string())
                .unwrap_or_default(),
            checker_title_html: title.unwrap_or_default(),
        }
    }
}

/// `checker.html`.
#[derive(Serialize)]
pub struct CheckerView {
    /// Makes the element ids unique on the page.
    pub id: String,
    pub title_html: String,
    pub privacy_html: String,
    /// The text of the button that shows a masked field.
    pub toggle_html: String,
    pub fields: Vec<FieldView>,
}

#[derive(Serialize)]
pub struct FieldView {
    /// The field's name in checker.toml (`data-check`), and its input's id.
    pub name: String,
    pub input: String,
    pub label_html: String,
    pub hint_html: String,
    /// Whether the input is masked like a password (with a button to show it).
    pub masked: bool,
}

impl CheckerView {
    /// A checker with `fields` (names in checker.toml; unknown ones are left out).
    pub fn new(rules: &Rules, fields: &[String], lang: &str, id: &str) -> CheckerView {
        let html = |key: &str| html_for(&rules.text(key, lang), lang);
        let fields = fields
            .iter()
            .filter_map(|name| {
                let f = rules.fields.get(name)?;
                let text = |t: &crate::config::Localized| {
                    html_for(t.get(lang).map(String::as_str).unwrap_or_default(), lang)
                };
                Some(FieldView {
                    name: name.clone(),
                    input: format!("{id}-{name}"),
                    label_html: text(&f.label),
                    hint_html: text(&f.hint),
                    masked: f.masked,
                })
            })
            .collect();
        CheckerView {
            id: id.to_string(),
            title_html: html("checker-label"),
            privacy_html: html("privacy"),
            toggle_html: html("show-password"),
            fields,
        }
    }
}

/// `links.html`: the addresses a slide links to.
#[derive(Serialize)]
pub struct LinksView {
    pub title_html: String,
    pub links: Vec<LinkView>,
}

#[derive(Serialize)]
pub struct LinkView {
    pub url: String,
    pub name_html: String,
    /// What the code opens, e.g. 「電子請求受付システムのアドレス」 (`qr_caption`, with the name).
    pub caption_html: String,
    /// The QR code as inline SVG (empty if the address is too long for one).
    pub qr_svg: String,
}

impl LinksView {
    /// `external`: (address, name) pairs, each address once.
    pub fn new(external: &[(String, String)], words: Words) -> LinksView {
        let links = external
            .iter()
            .map(|(url, name)| {
                let label = format!("{} {url}", words.get("qr_label"));
                LinkView {
                    url: url.clone(),
                    name_html: html_for(name, words.lang),
                    caption_html: html_for(
                        &words.get("qr_caption").replace("{name}", name),
                        words.lang,
                    ),
                    qr_svg: handout::qr_svg(url, &label).unwrap_or_default(),
                }
            })
            .collect();
        LinksView { title_html: words.html("print_links"), links }
    }
}

/// `test-results.html`.
#[derive(Serialize)]
pub struct ResultsView {
    /// Whether there are results; without, `none_html` says so.
    pub results: bool,
    pub rows: Vec<ResultRow>,
    pub none_html: String,
}

#[derive(Serialize)]
pub struct ResultRow {
    pub key: String,
    pub label_html: String,
    pub value_html: String,
}

impl ResultsView {
    pub fn new(results: Option<&a11y::Results>, words: Words) -> ResultsView {
        let rows = results
            .into_iter()
            .flat_map(a11y::rows)
            .map(|(key, value)| ResultRow {
                label_html: words.html(&format!("a11y_{}", key.replace('-', "_"))),
                value_html: html_for(&value, words.lang),
                key: key.to_string(),
            })
            .collect();
        ResultsView { results: results.is_some(), rows, none_html: words.html("a11y_no_results") }
    }
}
