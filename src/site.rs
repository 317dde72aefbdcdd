//! The resolve stage: slide files + configuration → the guide's structure (chapters, which page
//! holds which slide), with the whole-guide checks: every slide in every language, no duplicate
//! numbers, no gaps, chapters that start at real slides.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{GuideConfig, Localized, RESERVED_PAGES};
use crate::content::{PageSource, SLIDES_DIR, SlideSource, slide_key_range};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::toml_path;

/// A chapter: one page per language, holding slides `first..=last`.
#[derive(Debug, Clone)]
pub struct Chapter {
    pub slug: String,
    pub first: u32,
    pub last: u32,
    pub step: Option<u32>,
    pub title: Localized,
}

impl Chapter {
    /// The page's file name, e.g. `certificate.html`.
    pub fn file_name(&self) -> String {
        format!("{}.html", self.slug)
    }

    pub fn slides(&self) -> std::ops::RangeInclusive<u32> {
        self.first..=self.last
    }
}

/// The resolved guide.
#[derive(Debug)]
pub struct Guide {
    pub config: GuideConfig,
    pub chapters: Vec<Chapter>,
    /// Every slide, by language and number.
    pub slides: BTreeMap<(String, u32), SlideSource>,
    /// The highest slide number (slides run 1..=last with no gaps).
    pub last: u32,
}

/// A part of the handout: a step with its chapters (a step may run over several), or a chapter
/// that is no step (the introduction, the help). The handout's contents and bookmarks list these.
#[derive(Debug)]
pub struct Part<'a> {
    pub step: Option<u32>,
    pub chapters: Vec<&'a Chapter>,
}

impl Guide {
    /// The chapters grouped into [`Part`]s, in order: chapters next to each other with the same
    /// step are one part.
    pub fn parts(&self) -> Vec<Part<'_>> {
        let mut parts: Vec<Part> = Vec::new();
        for ch in &self.chapters {
            match parts.last_mut() {
                Some(part) if part.step.is_some() && part.step == ch.step => part.chapters.push(ch),
                _ => parts.push(Part { step: ch.step, chapters: vec![ch] }),
            }
        }
        parts
    }

    /// The title of `part` in `lang`: its one chapter's, or its step's.
    pub fn part_title(&self, part: &Part, lang: &str) -> String {
        match (part.step, part.chapters.as_slice()) {
            (Some(n), [_, _, ..]) => self.config.step_title(n, lang).to_string(),
            (_, chapters) => {
                chapters.first().and_then(|ch| ch.title.get(lang)).cloned().unwrap_or_default()
            }
        }
    }

    pub fn slide(&self, lang: &str, n: u32) -> Option<&SlideSource> {
        self.slides.get(&(lang.to_string(), n))
    }

    /// The chapter that holds slide `n`.
    pub fn chapter_of(&self, n: u32) -> Option<&Chapter> {
        self.chapters.iter().find(|ch| ch.slides().contains(&n))
    }

    pub fn languages(&self) -> &[String] {
        &self.config.languages
    }
}

/// Builds the guide's structure and checks it as a whole. The guide comes back even when there are
/// problems, so later stages can still find theirs and a run reports everything at once. The work
/// grows with the number of files, not with the slide numbers written in them (a typo like
/// `slide = 1000000000` is one problem).
pub fn resolve(config: GuideConfig, sources: Vec<SlideSource>) -> (Guide, Diagnostics) {
    let (slides, mut errors) = index_slides(sources);
    let last = slides.keys().map(|(_, n)| *n).max().unwrap_or(0);
    errors.extend(gap_problems(&slides, &config.languages, last));
    errors.extend(translation_problems(&slides, &config.languages));
    if last == 0 {
        errors.push(
            Diagnostic::new(SLIDES_DIR, "the guide has no slides")
                .help("add content/slides/001-cover.ja.md (and one file per slide and language)"),
        );
    }
    let (chapters, chapter_problems) = chapters(&config, last);
    errors.extend(chapter_problems);
    (Guide { config, chapters, slides, last }, errors)
}

/// Every slide by (language, number); a number used twice in a language is a problem.
fn index_slides(sources: Vec<SlideSource>) -> (BTreeMap<(String, u32), SlideSource>, Diagnostics) {
    let mut errors = Diagnostics::default();
    let mut slides: BTreeMap<(String, u32), SlideSource> = BTreeMap::new();
    for s in sources {
        let key = (s.lang.clone(), s.number);
        if let Some(first) = slides.get(&key) {
            errors.push(
                Diagnostic::new(
                    &s.file.rel,
                    format!("slide {} ({}) is defined twice", s.number, s.lang),
                )
                .at_range(&s.file.text, slide_key_range(&s))
                .help(format!(
                    "{} also says `slide = {}`; give each file its own slide number",
                    first.file.rel.display(),
                    s.number
                )),
            );
            continue;
        }
        slides.insert(key, s);
    }
    (slides, errors)
}

/// One problem per run of missing numbers, at the slide that follows it.
fn gap_problems(
    slides: &BTreeMap<(String, u32), SlideSource>,
    languages: &[String],
    last: u32,
) -> Diagnostics {
    let mut errors = Diagnostics::default();
    let numbers: BTreeSet<u32> = slides.keys().map(|(_, n)| *n).collect();
    let mut expected = 1;
    for &n in &numbers {
        if n > expected {
            let after = languages.iter().find_map(|l| slides.get(&(l.clone(), n)));
            let missing = if n - expected == 1 {
                format!("slide {expected} is missing")
            } else {
                format!("slides {expected} to {} are missing", n - 1)
            };
            let message = format!("{missing}: slides must run from 1 to {last} without gaps");
            let help = format!(
                "add {SLIDES_DIR}/{expected:03}-name.LANG.md for each language, or renumber the \
                 slides after it (if `slide = {n}` is a typo, correct it)"
            );
            errors.push(match after {
                Some(s) => Diagnostic::new(&s.file.rel, message)
                    .at_range(&s.file.text, slide_key_range(s))
                    .help(help),
                None => Diagnostic::new(SLIDES_DIR, message).help(help),
            });
        }
        expected = n.saturating_add(1);
    }
    errors
}

/// Every slide in every language: a problem for each translation missing.
fn translation_problems(
    slides: &BTreeMap<(String, u32), SlideSource>,
    languages: &[String],
) -> Diagnostics {
    let mut errors = Diagnostics::default();
    let numbers: BTreeSet<u32> = slides.keys().map(|(_, n)| *n).collect();
    for n in numbers {
        let present: Vec<&SlideSource> =
            languages.iter().filter_map(|l| slides.get(&(l.clone(), n))).collect();
        let Some(existing) = present.first() else { continue };
        for lang in languages.iter().filter(|l| !present.iter().any(|s| &s.lang == *l)) {
            let name = existing.file.rel.file_name().unwrap_or_default().to_string_lossy();
            let stem = name.strip_suffix(&format!(".{}.md", existing.lang)).unwrap_or(&name);
            errors.push(
                Diagnostic::new(
                    &existing.file.rel,
                    format!("slide {n} has no `{lang}` translation"),
                )
                .at_range(&existing.file.text, slide_key_range(existing))
                .help(format!(
                    "add {SLIDES_DIR}/{stem}.{lang}.md with `slide = {n}` in its front matter"
                )),
            );
        }
    }
    errors
}

/// The chapters with their slide ranges; a chapter past the last slide is a problem.
fn chapters(config: &GuideConfig, last: u32) -> (Vec<Chapter>, Diagnostics) {
    let mut errors = Diagnostics::default();
    let mut chapters = Vec::new();
    for (i, c) in config.chapters.iter().enumerate() {
        let next_first = config.chapters.get(i + 1).map_or(last.saturating_add(1), |n| n.first);
        if c.first > last && last > 0 {
            let message = format!(
                "chapter `{}` starts at slide {}, but the last slide is {last}",
                c.slug, c.first
            );
            errors.push(
                config.problem(&toml_path!["chapters", i, "first"], message).help(
                    "write the chapter's slides or remove the chapter from content/guide.toml",
                ),
            );
        }
        chapters.push(Chapter {
            slug: c.slug.clone(),
            first: c.first,
            last: next_first.saturating_sub(1).min(last),
            step: c.step,
            title: c.title.clone(),
        });
    }
    (chapters, errors)
}

/// The pages beside the slides may not take the name of a page tebiki makes (a chapter, the print
/// page, the checker, the one-file edition) or of another page: one would silently replace the
/// other.
pub fn page_name_problems(guide: &Guide, pages: &[PageSource]) -> Diagnostics {
    let mut errors = Diagnostics::default();
    for (i, page) in pages.iter().enumerate() {
        let name = page.name.as_str();
        let chapter = guide.chapters.iter().any(|c| c.slug == name);
        let twice = pages[..i].iter().find(|p| p.lang == page.lang && p.name == page.name);
        let taken = if chapter {
            Some("a chapter of content/guide.toml has this name".to_string())
        } else if RESERVED_PAGES.contains(&name) {
            Some(format!("tebiki makes a page of this name ({})", RESERVED_PAGES.join(", ")))
        } else {
            twice.map(|p| format!("{} is the same page", p.source.file.rel.display()))
        };
        if let Some(why) = taken {
            errors.push(
                Diagnostic::new(
                    &page.source.file.rel,
                    format!("the page `{name}.html` is taken: {why}"),
                )
                .help("give the page a name of its own (the file's name, before .LANG.md)"),
            );
        }
    }
    errors
}

/// Checks that every slide reference names a slide of the guide.
pub fn check_reference(
    guide: &Guide,
    from: &SlideSource,
    target: u32,
    range: std::ops::Range<usize>,
) -> Option<Diagnostic> {
    if (1..=guide.last).contains(&target) {
        return None;
    }
    Some(
        Diagnostic::new(
            &from.file.rel,
            format!("reference to slide {target}, which does not exist"),
        )
        .at_range(&from.file.text, range)
        .help(format!("the guide's slides run from 1 to {}; check the number", guide.last)),
    )
}

/// Path of slide `n`'s page relative to another page of the same language.
pub fn slide_href(guide: &Guide, n: u32) -> String {
    match guide.chapter_of(n) {
        Some(ch) => format!("{}#slide-{n}", ch.file_name()),
        None => format!("#slide-{n}"),
    }
}
