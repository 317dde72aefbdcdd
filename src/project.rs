//! The loaded and resolved project: what every stage after loading reads. [`Project`] holds the
//! guide, the theme, the checker's rules, the pages beside the slides, the accessibility results,
//! search's everyday words and the picture settings; [`Lang`] is the project seen from one of its
//! languages, the context a stage of that language receives.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::a11y;
use crate::checker::Rules;
use crate::components::Components;
use crate::content::PageSource;
use crate::edition::{Changes, LangChanges};
use crate::images::Mode;
use crate::markdown::{HeadingLevel, MarkdownContext};
use crate::site::Guide;
use crate::theme::{Theme, Words};

pub struct Project {
    pub root: PathBuf,
    pub guide: Guide,
    pub theme: Theme,
    pub checker: Option<Rules>,
    /// The pages beside the slides (`content/pages/`), every language.
    pub pages: Vec<PageSource>,
    pub a11y: Option<a11y::Results>,
    /// The everyday words search also matches (`content/search.toml`).
    pub synonyms: crate::search::Synonyms,
    pub pictures: PictureSettings,
    /// Whether the guide's structure is whole: every slide from 1 to the last in every language,
    /// each number once, chapters on real slides. Pages are made only then.
    pub whole: bool,
    /// Whether this run prints the PDF handouts (so the print page can link to them).
    pub handout: bool,
    /// The translations behind their source, by language and number (their pages say so).
    pub behind: BTreeSet<(String, u32)>,
    /// What changed since the previous edition, when guide.toml names its record.
    pub changes: Option<Changes>,
}

/// Where processed pictures are cached, and whether they are published or only checked.
pub struct PictureSettings {
    pub cache_dir: PathBuf,
    pub mode: Mode,
}

impl Project {
    /// The guide's languages, the default first (its screens lend their callouts to the
    /// translations, so it is made first).
    pub fn languages(&self) -> Vec<&str> {
        let default = self.guide.config.default_language.as_str();
        let all = self.guide.languages().iter().map(String::as_str);
        std::iter::once(default).chain(all.filter(|l| *l != default)).collect()
    }

    pub fn lang<'a>(&'a self, lang: &'a str) -> Lang<'a> {
        Lang { project: self, lang }
    }
}

/// The project, as a stage of one language sees it.
#[derive(Clone, Copy)]
pub struct Lang<'a> {
    pub project: &'a Project,
    pub lang: &'a str,
}

impl<'a> Lang<'a> {
    pub fn guide(&self) -> &'a Guide {
        &self.project.guide
    }

    pub fn theme(&self) -> &'a Theme {
        &self.project.theme
    }

    pub fn checker(&self) -> Option<&'a Rules> {
        self.project.checker.as_ref()
    }

    pub fn words(&self) -> Words<'a> {
        Words::new(&self.project.theme.strings, self.lang)
    }

    /// What changed in this language since the previous edition (`None` without one).
    pub fn changes(&self) -> Option<&'a LangChanges> {
        self.project.changes.as_ref()?.langs.get(self.lang)
    }

    pub fn components(&self) -> Components<'a> {
        Components::new(&self.project.theme.tera)
    }

    /// What a Markdown body of this language is rendered against; `top_heading` is the largest
    /// heading it may hold.
    pub fn markdown(&self, top_heading: HeadingLevel) -> MarkdownContext<'a> {
        MarkdownContext {
            links: &self.project.guide.config.links,
            pages: &self.project.pages,
            checker: self.checker(),
            strings: &self.project.theme.strings,
            components: self.components(),
            a11y: self.project.a11y.as_ref(),
            heading_shift: 0,
            top_heading,
        }
    }
}
