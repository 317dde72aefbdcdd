//! Errors that name the file and line, show the offending line, and say how to fix it.
//!
//! Every stage pushes into one [`Diagnostics`] list instead of returning at the first problem, so a
//! run reports all its errors at once (like a compiler). A problem is an error (the run fails) or a
//! warning ([`Severity::Warning`]: reported, but the run succeeds and makes everything).

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{Level, Renderer, Snippet};

/// Where in a source file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The text of that line (without its line break); of a long line, the part around the
    /// problem.
    pub line_text: String,
    /// Byte range within `line_text` to underline.
    pub span: Range<usize>,
}

/// The most of a long line a report shows: this many bytes on each side of the problem.
const LINE_WINDOW: usize = 120;

impl Location {
    /// Locates byte range `range` of `source` (clamped to the first line it touches). Of a long
    /// line, only the part around the problem is kept (a problem's size stays small, however long
    /// the line).
    pub fn in_source(source: &str, range: Range<usize>) -> Location {
        let start = floor_char_boundary(source, range.start.min(source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..].find('\n').map_or(source.len(), |i| start + i);
        let line = &source[line_start..line_end];
        let col_byte = start - line_start;
        let end = floor_char_boundary(source, range.end.min(line_end).max(start)) - line_start;
        // The window shown: whole characters, at most LINE_WINDOW bytes either side of the first
        // LINE_WINDOW bytes of the span.
        let end = ceil_char_boundary(line, end.max(col_byte).min(col_byte + LINE_WINDOW));
        let from = floor_char_boundary(line, col_byte.saturating_sub(LINE_WINDOW));
        let to = ceil_char_boundary(line, (end + LINE_WINDOW).min(line.len()));
        let line_text = line[from..to].trim_end_matches('\r').to_string();
        let span_start = (col_byte - from).min(line_text.len());
        let span_end = (end - from).min(line_text.len()).max(span_start);
        Location {
            line: source.as_bytes()[..line_start].iter().filter(|b| **b == b'\n').count() + 1,
            column: line[..col_byte].chars().count() + 1,
            span: span_start..span_end,
            line_text,
        }
    }
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The run fails: nothing is written.
    #[default]
    Error,
    /// Worth fixing, but the run succeeds (a translation behind its source).
    Warning,
}

impl Severity {
    /// `error` or `warning`, as the JSON report and the summary line say it.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    fn level(self) -> Level {
        match self {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        }
    }
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// An error, or only a warning.
    pub severity: Severity,
    /// File the problem is in, relative to the project root where possible.
    pub file: PathBuf,
    /// Boxed, so that a `Result<_, Diagnostic>` stays small on the happy path.
    pub location: Option<Box<Location>>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.as_ref().to_path_buf(),
            location: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    /// Points at byte range `range` of the file's text `source`.
    pub fn at_range(self, source: &str, range: Range<usize>) -> Self {
        self.at(Location::in_source(source, range))
    }

    /// A TOML syntax or type error: `toml_text` is the TOML that was read, found at byte `offset` of
    /// the file's text `source`; `what` names the thing that is invalid ("front matter").
    pub fn from_toml(
        file: &Path,
        source: &str,
        offset: usize,
        what: &str,
        e: &toml::de::Error,
    ) -> Self {
        let d = Diagnostic::new(file, format!("invalid {what}: {}", e.message().trim()));
        match e.span() {
            Some(span) => d.at_range(source, span.start + offset..span.end + offset),
            None => d,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// This problem as a warning: reported, but it does not make the run fail.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// The file's path as a terminal may show it: a control character in a file name (an escape
    /// sequence, say) is shown as U+FFFD.
    fn shown_file(&self) -> String {
        printable(&self.file.display().to_string())
    }

    /// `file:line:column` (or just `file`).
    pub fn position(&self) -> String {
        let file = self.shown_file();
        match &self.location {
            Some(l) => format!("{file}:{}:{}", l.line, l.column),
            None => file,
        }
    }

    /// The compiler-style report: message, position, the offending line underlined, the fix.
    pub fn render(&self, color: bool) -> String {
        let file = self.shown_file();
        let title = printable(&self.message);
        let help = self.help.as_deref().map(printable);
        let renderer = if color { Renderer::styled() } else { Renderer::plain() };
        let level = self.severity.level();
        let Some(l) = &self.location else {
            // No line to show: the message, the file and the fix.
            let mut text = renderer.render(level.title(&title)).to_string();
            text.push_str(&format!("\n  --> {file}"));
            if let Some(help) = &help {
                text.push_str(&format!("\n   = help: {help}"));
            }
            return text;
        };
        let (line, span) = shown_line(&l.line_text, l.span.clone());
        let mut message = level.title(&title).snippet(
            Snippet::source(&line)
                .line_start(l.line)
                .origin(&file)
                .annotation(level.span(span).label("here")),
        );
        if let Some(help) = &help {
            message = message.footer(Level::Help.title(help));
        }
        renderer.render(message).to_string()
    }
}

/// `text` with every control character but the line break and the tab shown as U+FFFD, so that
/// nothing a file holds (an escape sequence in a file name, say) reaches the terminal as it is.
fn printable(text: &str) -> String {
    let shown = |c: char| if c.is_control() && !matches!(c, '\n' | '\t') { '\u{FFFD}' } else { c };
    text.chars().map(shown).collect()
}

/// The line as the report shows it, with the span moved to match:
/// - control characters (a file's escape sequences would otherwise reach the terminal) become U+FFFD;
/// - a span inside the line's leading white space points at the first character after it (or, on a
///   line of white space only, at its end, the rest left out): annotate-snippets 0.11 overflows
///   when the underline ends left of a long line's indentation (found by the fuzzer).
fn shown_line(text: &str, span: Range<usize>) -> (String, Range<usize>) {
    let mut line = String::with_capacity(text.len());
    let (mut start, mut end) = (span.start, span.end);
    for (at, c) in text.char_indices() {
        if at == span.start {
            start = line.len();
        }
        if at == span.end {
            end = line.len();
        }
        line.push(if c.is_control() && c != '\t' { '\u{FFFD}' } else { c });
    }
    if span.start >= text.len() {
        start = line.len();
    }
    if span.end >= text.len() {
        end = line.len();
    }
    let indent = line.len() - line.trim_start().len();
    if end <= indent {
        match line[indent..].chars().next() {
            Some(c) => (start, end) = (indent, indent + c.len_utf8()),
            None => {
                line.truncate(end);
                start = start.min(end);
            }
        }
    }
    (line, start..end.max(start))
}

impl Diagnostic {
    /// The diagnostic as one JSON object, for tools (`--format json`).
    pub fn to_json(&self) -> serde_json::Value {
        let location = self.location.as_ref();
        serde_json::json!({
            "level": self.severity.name(),
            "file": self.file.to_string_lossy(),
            "line": location.map(|l| l.line),
            "column": location.map(|l| l.column),
            "source": location.map(|l| l.line_text.as_str()),
            "message": self.message,
            "help": self.help,
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.position(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// The most problems reported of one file: past them, a count (a mistake repeated thousands of
/// times in a file would otherwise make a report of thousands of pages, in time and memory that
/// grow with it).
pub const MAX_PER_FILE: usize = 50;

/// All problems of one run: the errors, and apart from them the warnings, which never make a run
/// fail (so `is_empty`, `len` and `iter` are about errors only, and a stage that asks whether it
/// may go on is never stopped by a warning).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Problems of each file and level, and those left out past [`MAX_PER_FILE`].
    counts: std::collections::BTreeMap<(PathBuf, Severity), (usize, usize)>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        let (kept, left_out) = self.counts.entry((d.file.clone(), d.severity)).or_default();
        if *kept < MAX_PER_FILE {
            *kept += 1;
            match d.severity {
                Severity::Error => self.items.push(d),
                Severity::Warning => self.warnings.push(d),
            }
        } else {
            *left_out += 1;
        }
    }

    /// Whether errors of `file` are no longer kept (so a stage need not make them).
    pub fn is_full(&self, file: &Path) -> bool {
        let key = (file.to_path_buf(), Severity::Error);
        self.counts.get(&key).is_some_and(|(kept, _)| *kept >= MAX_PER_FILE)
    }

    /// Counts an error of `file` that was not made, as [`Diagnostics::is_full`] allowed.
    pub fn left_out(&mut self, file: &Path) {
        self.counts.entry((file.to_path_buf(), Severity::Error)).or_default().1 += 1;
    }

    pub fn extend(&mut self, other: Diagnostics) {
        for d in other.items.into_iter().chain(other.warnings) {
            self.push(d);
        }
        for (key, (_, left_out)) in other.counts {
            self.counts.entry(key).or_default().1 += left_out;
        }
    }

    /// Whether there is no error (warnings aside).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many errors (warnings aside).
    pub fn len(&self) -> usize {
        self.count(Severity::Error)
    }

    /// How many warnings, those left out included.
    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        let kept = match severity {
            Severity::Error => self.items.len(),
            Severity::Warning => self.warnings.len(),
        };
        let left_out = self.counts.iter().filter(|((_, s), _)| *s == severity);
        kept + left_out.map(|(_, (_, left_out))| left_out).sum::<usize>()
    }

    /// The errors.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.warnings.iter()
    }

    /// The warnings alone, taken out of the list (which keeps its errors).
    pub fn take_warnings(&mut self) -> Diagnostics {
        let warnings = std::mem::take(&mut self.warnings);
        let (theirs, ours) = std::mem::take(&mut self.counts)
            .into_iter()
            .partition(|((_, severity), _)| *severity == Severity::Warning);
        self.counts = ours;
        Diagnostics { items: Vec::new(), warnings, counts: theirs }
    }

    /// Errors and warnings sorted by file and line, so reports are stable from run to run; after
    /// the last problem shown of a file, how many more it has.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        for ((file, severity), (_, left_out)) in &self.counts {
            if *left_out > 0 {
                let what = if *severity == Severity::Error { "problems" } else { "warnings" };
                let mut more = Diagnostic::new(file, format!("{left_out} more {what} in this file are not shown"))
                    .help(format!("fix the first {MAX_PER_FILE} shown above and check again: often they are one mistake, repeated"));
                more.severity = *severity;
                self.items.push(more);
            }
        }
        self.items.append(&mut self.warnings);
        let key = |d: &Diagnostic| {
            let summary = d.location.is_none() && d.message.ends_with("are not shown");
            (d.file.clone(), summary, d.location.as_ref().map(|l| (l.line, l.column)))
        };
        self.items.sort_by(|a, b| {
            key(a)
                .cmp(&key(b))
                .then(a.severity.cmp(&b.severity))
                .then_with(|| a.message.cmp(&b.message))
        });
        self.items.dedup();
        self.items
    }

    /// `Ok(value)` when no error was recorded, else every problem. Warnings alone are no
    /// failure; a caller that reports them takes them first ([`Diagnostics::take_warnings`]).
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        let mut all = Diagnostics::default();
        all.push(d);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_line_and_column_in_characters() {
        let src = "+++\nslide = 1\ntitle = \"スライド\" x\n+++\n";
        let at = src.find('x').unwrap();
        let l = Location::in_source(src, at..at + 1);
        assert_eq!(l.line, 3);
        assert_eq!(l.column, 16);
        assert_eq!(l.line_text, "title = \"スライド\" x");
        assert_eq!(&l.line_text[l.span.clone()], "x");
    }

    #[test]
    fn a_long_line_is_shown_around_the_problem() {
        let src = format!("{}x{}\n", "あ".repeat(5000), "y".repeat(5000));
        let at = src.find('x').unwrap();
        let l = Location::in_source(&src, at..at + 1);
        assert_eq!((l.line, l.column), (1, 5001));
        assert!(l.line_text.len() <= 3 * LINE_WINDOW + 8, "{} bytes", l.line_text.len());
        assert_eq!(&l.line_text[l.span.clone()], "x");
    }

    #[test]
    fn render_survives_odd_lines_and_keeps_control_characters_off_the_terminal() {
        // A long indented line with the underline in its indentation, a line of white space only,
        // and escape sequences.
        let long = format!("{}x{}", "\u{b}".repeat(60), "y".repeat(200));
        for (line, span) in
            [(long.as_str(), 5..6), ("\u{3000}".repeat(100).as_str(), 3..6), ("a\u{1b}[31mb", 1..2)]
        {
            let src = format!("first\n{line}\n");
            let d = Diagnostic::new("f.md", "odd").at_range(&src, 6 + span.start..6 + span.end);
            let text = d.render(false);
            assert!(text.contains("f.md:2"), "{text}");
            assert!(!text.contains('\u{1b}'), "an escape character reached the report: {text:?}");
        }
    }

    #[test]
    fn render_names_file_line_and_help() {
        let src = "a\nbad line\n";
        let d = Diagnostic::new("content/slides/001.ja.md", "something is wrong")
            .at_range(src, 2..5)
            .help("do this instead");
        let text = d.render(false);
        assert!(text.contains("content/slides/001.ja.md:2:1"), "{text}");
        assert!(text.contains("bad line"), "{text}");
        assert!(text.contains("help: do this instead"), "{text}");
    }
}
