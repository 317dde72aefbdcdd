//! Exact positions in TOML documents (`guide.toml`, `checker.toml`, front matter, screen blocks):
//! a problem names the place it is about as a path of keys and array indexes from the top, e.g.
//! `chapters[4].first`, and [`Spans::find`] gives the byte range of that key in the text, read with
//! the `toml` parser's own spans (never by searching the text, which can land in a comment or in
//! another table).

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One step of a path: a key of a table, or an element of an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl From<&str> for Step {
    fn from(key: &str) -> Step {
        Step::Key(key.to_string())
    }
}

impl From<&String> for Step {
    fn from(key: &String) -> Step {
        Step::Key(key.clone())
    }
}

impl From<usize> for Step {
    fn from(index: usize) -> Step {
        Step::Index(index)
    }
}

/// A place in a TOML document.
pub type Path = Vec<Step>;

/// `toml_path!["chapters", 4, "first"]`: a [`Path`] from keys and indexes.
#[macro_export]
macro_rules! toml_path {
    ($($step:expr),* $(,)?) => {
        ::std::vec::Vec::<$crate::toml_path::Step>::from([$($crate::toml_path::Step::from($step)),*])
    };
}

/// A parsed document, to look places up in.
pub struct Spans<'a> {
    root: Option<Spanned<DeTable<'a>>>,
}

impl<'a> Spans<'a> {
    /// Reads `text` (a document that did not parse has no places: every lookup is `None`).
    pub fn parse(text: &'a str) -> Spans<'a> {
        Spans { root: DeTable::parse(text).ok() }
    }

    /// The byte range of the place `path` names: the key, for a step that is a key; the element,
    /// for an index. Where the path leaves the document (a key that is missing), the deepest place
    /// it reached: the table that lacks the key.
    pub fn find(&self, path: &[Step]) -> Option<Range<usize>> {
        let root = self.root.as_ref()?;
        let mut here = Place::Table(root.get_ref());
        let mut found = None;
        for step in path {
            let Some((span, next)) = here.step(step) else { break };
            found = Some(span);
            here = next;
        }
        found
    }

    /// The byte range of the value at `path`, if every step of it is in the document.
    pub fn value(&self, path: &[Step]) -> Option<Range<usize>> {
        let root = self.root.as_ref()?;
        let (last, parents) = path.split_last()?;
        let mut here = Place::Table(root.get_ref());
        for step in parents {
            here = here.step(step)?.1;
        }
        here.value(last)
    }
}

/// Where a lookup stands: in a table, in an array, or at a value that has no parts.
enum Place<'d, 'a> {
    Table(&'d DeTable<'a>),
    Array(&'d [Spanned<DeValue<'a>>]),
    Leaf,
}

impl<'d, 'a> Place<'d, 'a> {
    fn of(value: &'d DeValue<'a>) -> Place<'d, 'a> {
        match value {
            DeValue::Table(t) => Place::Table(t),
            DeValue::Array(a) => Place::Array(a),
            _ => Place::Leaf,
        }
    }

    /// The span of `step` here (the key, or the element) and the place it leads to.
    fn step(&self, step: &Step) -> Option<(Range<usize>, Place<'d, 'a>)> {
        match (self, step) {
            (Place::Table(t), Step::Key(k)) => {
                let (key, value) = t.iter().find(|(key, _)| key.get_ref().as_ref() == k)?;
                Some((key.span(), Place::of(value.get_ref())))
            }
            (Place::Array(a), Step::Index(i)) => {
                let item = a.get(*i)?;
                Some((item.span(), Place::of(item.get_ref())))
            }
            _ => None,
        }
    }

    fn value(&self, step: &Step) -> Option<Range<usize>> {
        match (self, step) {
            (Place::Table(t), Step::Key(k)) => {
                t.iter().find(|(key, _)| key.get_ref().as_ref() == k).map(|(_, v)| v.span())
            }
            (Place::Array(a), Step::Index(i)) => a.get(*i).map(Spanned::span),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# first = 0 in a comment\nslug = \"index\"\n\n[[chapters]]\nslug = \"a\"\nfirst = 1\n\n[[chapters]]\nslug = \"b\"\nfirst = 7\ncallouts = [{ n = 1, x = 2 }, { n = 3, x = 4 }]\n";

    fn text_at(range: Option<Range<usize>>) -> &'static str {
        range.map_or("", |r| &DOC[r])
    }

    #[test]
    fn keys_in_arrays_of_tables_and_inline_tables() {
        let spans = Spans::parse(DOC);
        let at = spans.find(&toml_path!["chapters", 1, "first"]).unwrap();
        assert_eq!(&DOC[at.clone()], "first");
        assert_eq!(DOC[..at.start].matches('\n').count() + 1, 10, "the second chapter's line");
        assert_eq!(text_at(spans.value(&toml_path!["chapters", 1, "first"])), "7");
        let n = spans.find(&toml_path!["chapters", 1, "callouts", 1, "n"]).unwrap();
        assert_eq!(&DOC[n.start..n.start + 5], "n = 3");
        assert_eq!(text_at(spans.value(&toml_path!["slug"])), "\"index\"");
    }

    #[test]
    fn a_missing_key_points_at_the_deepest_place_found() {
        let spans = Spans::parse(DOC);
        // The first chapter lacks `en`: its `[[chapters]]` header, on line 4.
        let at = spans.find(&toml_path!["chapters", 0, "en"]).unwrap();
        assert_eq!(
            (&DOC[at.clone()], DOC[..at.start].matches('\n').count() + 1),
            ("[[chapters]]", 4)
        );
        assert_eq!(spans.find(&toml_path!["nothing"]), None);
        assert_eq!(spans.value(&toml_path!["chapters", 0, "en"]), None);
        assert_eq!(Spans::parse("not = [toml").find(&toml_path!["not"]), None);
    }
}
