//! The format checker: rules for IDs and passwords, read from `content/checker.toml` (the one source
//! of truth), applied here for tests and by `theme/static/checker.js` on the page, which receives the
//! same rules as `assets/checker-rules.*.js`. Both interpreters follow the steps of [`Rules::check`].

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::Localized;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::SourceFile;
use crate::toml_path;
use crate::toml_path::{Path as TomlPath, Spans};

pub const CHECKER_PATH: &str = "content/checker.toml";

/// Every message the checker can show without a field naming it.
const SHOWN_MESSAGES: [&str; 16] = [
    "valid",
    "spaces",
    "inner-space",
    "fullwidth",
    "too-short",
    "too-long",
    "prefix-case",
    "prefix",
    "letter-for-digit",
    "lowercase",
    "wrong-char",
    "dropped-zero",
    "below-min",
    "above-max",
    "not-allowed",
    "caps-lock",
];

/// The placeholders a message's forms by number may be chosen by: the first of them its `other`
/// form names gives the number (for `positions`, how many positions it lists).
pub const PLURAL_COUNTS: [&str; 4] = ["positions", "count", "missing", "extra"];

/// A problem with the rules: where it is, what is wrong, how to fix it.
type RuleProblem = (TomlPath, String, String);

/// The standalone format-checker page of each language.
pub const CHECKER_PAGE: &str = "checker.html";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Rules {
    pub classes: BTreeMap<String, String>,
    pub shape_codes: BTreeMap<String, Vec<String>>,
    pub page: PageRules,
    pub confusables: Confusables,
    pub positions: BTreeMap<String, PositionFormat>,
    pub fields: BTreeMap<String, FieldRules>,
    pub messages: BTreeMap<String, Message>,
    pub text: BTreeMap<String, Localized>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PageRules {
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Confusables {
    pub chars: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PositionFormat {
    pub separator: String,
    pub range: String,
    /// Between the last two items ("3, 6 and 9"); the separator if not given.
    #[serde(default)]
    pub last: Option<String>,
}

/// A message: its text per language.
pub type Message = BTreeMap<String, Wording>;

/// A message's text in one language: plain, or forms by number for languages that have them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Wording {
    Plain(String),
    Plural(Plural),
}

/// `one` for a number of 1, `other` for any other (see [`PLURAL_COUNTS`]).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Plural {
    pub one: String,
    pub other: String,
}

impl Wording {
    /// The text for the message's parameters.
    fn text(&self, params: &BTreeMap<String, String>) -> &str {
        match self {
            Wording::Plain(text) => text,
            Wording::Plural(forms) => match plural_count(&forms.other, params) {
                Some(1) => &forms.one,
                _ => &forms.other,
            },
        }
    }
}

/// The number a plural text is chosen by: the first of [`PLURAL_COUNTS`] the text names.
fn plural_count(text: &str, params: &BTreeMap<String, String>) -> Option<usize> {
    let key = PLURAL_COUNTS
        .iter()
        .filter_map(|k| text.find(&format!("{{{k}}}")).map(|at| (at, *k)))
        .min()?
        .1;
    let value = params.get(key)?;
    if key == "positions" { Some(value.split(',').count()) } else { value.parse().ok() }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FieldRules {
    pub label: Localized,
    pub hint: Localized,
    #[serde(default)]
    pub shape: Option<String>,
    #[serde(default)]
    pub dropped_zero: bool,
    #[serde(default)]
    pub min: Option<usize>,
    #[serde(default)]
    pub max: Option<usize>,
    #[serde(default)]
    pub allowed: Vec<String>,
    #[serde(default)]
    pub require: Vec<Requirement>,
    #[serde(default)]
    pub differs_from: Option<Difference>,
    #[serde(default)]
    pub masked: bool,
    /// Digits of a shaped value that must make a number in a range (prefecture codes 01–47).
    #[serde(default)]
    pub ranges: Vec<NumberRange>,
    /// Two runs of a shaped value that should be the same.
    #[serde(default)]
    pub same: Vec<Same>,
    /// Field-specific wording of general messages.
    #[serde(default)]
    pub messages: BTreeMap<String, Message>,
}

/// `len` digits from the 1-based position `at` make a number from `min` to `max`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NumberRange {
    pub at: usize,
    pub len: usize,
    pub min: u64,
    pub max: u64,
    pub message: String,
    /// A caution (the value may be right) rather than an error.
    #[serde(default)]
    pub caution: bool,
}

/// The `len` characters from the 1-based position `at` equal those from `other`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Same {
    pub at: usize,
    pub other: usize,
    pub len: usize,
    pub message: String,
    #[serde(default)]
    pub caution: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub class: String,
    pub message: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Difference {
    pub field: String,
    pub message: String,
}

/// A field's state, as the page shows it in `data-state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Empty,
    Valid,
    /// The format is right, but something looks unusual.
    Caution,
    Invalid,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Empty => "empty",
            State::Valid => "valid",
            State::Caution => "caution",
            State::Invalid => "invalid",
        }
    }

    /// The format's verdict alone: a caution is a valid format.
    pub fn format(self) -> &'static str {
        if self == State::Caution { "valid" } else { self.as_str() }
    }
}

/// One rule that failed: a message id and the values for its placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub params: BTreeMap<String, String>,
    /// A caution, shown only when nothing is wrong.
    pub caution: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub state: State,
    pub problems: Vec<Problem>,
}

/// Full-width forms of ASCII (Ａ, １, ！…) and the ideographic space.
pub fn is_fullwidth(c: char) -> bool {
    matches!(c as u32, 0xFF01..=0xFF5E | 0x3000)
}

/// The half-width character a full-width one stands for.
fn fold_fullwidth(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{3000}')
}

impl Rules {
    /// Reads and validates `content/checker.toml`; `Ok(None)` when the project has none.
    pub fn load(root: &Path, languages: &[String]) -> Result<Option<Rules>, Diagnostics> {
        if std::fs::symlink_metadata(root.join(CHECKER_PATH)).is_err() {
            return Ok(None);
        }
        let file = SourceFile::read(root, Path::new(CHECKER_PATH)).map_err(Diagnostics::from)?;
        let rules: Rules = toml::from_str(&file.text).map_err(|e| {
            Diagnostics::from(
                Diagnostic::from_toml(&file.rel, &file.text, 0, "checker rules", &e)
                    .help("see the comments at the top of content/checker.toml"),
            )
        })?;
        let spans = Spans::parse(&file.text);
        let mut errors = Diagnostics::default();
        for (path, message, help) in rules.validate(languages) {
            let d = Diagnostic::new(&file.rel, message).help(help);
            errors.push(match spans.find(&path) {
                Some(range) => d.at_range(&file.text, range),
                None => d,
            });
        }
        errors.into_result(Some(rules))
    }

    /// Every problem of rules that parsed: (where, what is wrong, how to fix it).
    fn validate(&self, languages: &[String]) -> Vec<RuleProblem> {
        let mut out = self.shape_problems();
        for (name, _) in self.classes.iter().filter(|(_, chars)| chars.is_empty()) {
            out.push((
                toml_path!["classes", name],
                format!("class `{name}` has no characters"),
                "list the characters of the class, or remove it".into(),
            ));
        }
        for (name, f) in &self.fields {
            out.extend(self.field_problems(name, f, languages));
            out.extend(self.contradictions(name, f));
            out.extend(self.run_problems(name, f));
        }
        for (i, f) in self.page.fields.iter().enumerate() {
            if !self.fields.contains_key(f) {
                out.push((
                    toml_path!["page", "fields", i],
                    format!("[page] lists the unknown field `{f}`"),
                    "list fields defined under [fields]".into(),
                ));
            }
        }
        out.extend(self.wording_problems(languages));
        out
    }

    /// Shape codes of one character, made of known classes.
    fn shape_problems(&self) -> Vec<RuleProblem> {
        let mut out = Vec::new();
        for (code, classes) in &self.shape_codes {
            if code.chars().count() != 1 {
                out.push((
                    toml_path!["shape-codes", code],
                    format!("shape code `{code}` is not one character"),
                    "use a single character".into(),
                ));
            }
            for (i, c) in classes.iter().enumerate().filter(|(_, c)| !self.classes.contains_key(*c))
            {
                out.push((
                    toml_path!["shape-codes", code, i],
                    format!("shape code `{code}` uses the unknown class `{c}`"),
                    "define it under [classes]".into(),
                ));
            }
        }
        out
    }

    /// A field's classes, messages and other field known; its texts in every language.
    fn field_problems(&self, name: &str, f: &FieldRules, languages: &[String]) -> Vec<RuleProblem> {
        let at = |rest: TomlPath| -> TomlPath { [toml_path!["fields", name], rest].concat() };
        let mut classes: Vec<(TomlPath, &String)> =
            f.allowed.iter().enumerate().map(|(i, c)| (at(toml_path!["allowed", i]), c)).collect();
        let mut messages: Vec<(TomlPath, &String)> = Vec::new();
        for (i, r) in f.require.iter().enumerate() {
            classes.push((at(toml_path!["require", i, "class"]), &r.class));
            messages.push((at(toml_path!["require", i, "message"]), &r.message));
        }
        if let Some(d) = &f.differs_from {
            messages.push((at(toml_path!["differs-from", "message"]), &d.message));
        }
        messages.extend(f.messages.keys().map(|k| (at(toml_path!["messages", k]), k)));
        let mut out = Vec::new();
        for (path, c) in classes.into_iter().filter(|(_, c)| !self.classes.contains_key(*c)) {
            let message = format!("field `{name}` uses the unknown class `{c}`");
            out.push((path, message, "define it under [classes]".into()));
        }
        for (path, m) in messages.into_iter().filter(|(_, m)| !self.messages.contains_key(*m)) {
            let message = format!("field `{name}` uses the unknown message `{m}`");
            out.push((path, message, "define it under [messages]".into()));
        }
        if let Some(d) = f.differs_from.as_ref().filter(|d| !self.fields.contains_key(&d.field)) {
            out.push((
                at(toml_path!["differs-from", "field"]),
                format!("field `{name}` differs from the unknown field `{}`", d.field),
                "name a field of [fields]".into(),
            ));
        }
        let texts = [("label", &f.label), ("hint", &f.hint)].into_iter();
        let texts = texts.map(|(what, t)| (at(toml_path![what]), what, t.keys().collect())).chain(
            f.messages
                .iter()
                .map(|(k, t)| (at(toml_path!["messages", k]), k.as_str(), t.keys().collect())),
        );
        for (path, what, langs) in texts {
            let langs: Vec<&String> = langs;
            for lang in languages.iter().filter(|l| !langs.contains(l)) {
                out.push((
                    path.clone(),
                    format!("field `{name}`: `{what}` has no `{lang}` text"),
                    "give a text for every language".into(),
                ));
            }
        }
        out
    }

    /// Rules of one field that no value can meet together: a minimum above the maximum, a shape
    /// longer or shorter than they allow, a required class none of whose characters is allowed, a
    /// field that must differ from itself, a dropped zero without a shape.
    fn contradictions(&self, name: &str, f: &FieldRules) -> Vec<RuleProblem> {
        let at = |rest: TomlPath| -> TomlPath { [toml_path!["fields", name], rest].concat() };
        let mut out = Vec::new();
        let mut never = |path: TomlPath, why: String| {
            out.push((
                path,
                format!("field `{name}`: {why}, so no value could ever be valid"),
                "make the field's rules agree".to_string(),
            ));
        };
        if let (Some(min), Some(max)) = (f.min, f.max)
            && min > max
        {
            never(at(toml_path!["max"]), format!("max = {max} is below min = {min}"));
        }
        if let Some(n) = f.shape.as_ref().map(|s| s.chars().count()) {
            if let Some(min) = f.min.filter(|m| n < *m) {
                never(
                    at(toml_path!["min"]),
                    format!("its shape has {n} characters but min = {min}"),
                );
            }
            if let Some(max) = f.max.filter(|m| n > *m) {
                never(
                    at(toml_path!["max"]),
                    format!("its shape has {n} characters but max = {max}"),
                );
            }
        }
        let allowed = self.class_chars(&f.allowed);
        for (i, r) in f.require.iter().enumerate() {
            let class = self.classes.get(&r.class).map(String::as_str).unwrap_or_default();
            if !f.allowed.is_empty()
                && !class.is_empty()
                && !class.chars().any(|c| allowed.contains(c))
            {
                let why =
                    format!("it requires a character of `{}`, which it does not allow", r.class);
                never(at(toml_path!["require", i, "class"]), why);
            }
        }
        if f.differs_from.as_ref().is_some_and(|d| d.field == name) {
            never(at(toml_path!["differs-from", "field"]), "it must differ from itself".into());
        }
        if f.dropped_zero && f.shape.is_none() {
            out.push((
                at(toml_path!["dropped-zero"]),
                format!("field `{name}`: `dropped-zero` needs a `shape` (it tells a value one digit short of it)"),
                "give the field a shape, or remove dropped-zero".into(),
            ));
        }
        out
    }

    /// Every message the checker can show, and every text, in every language.
    fn wording_problems(&self, languages: &[String]) -> Vec<RuleProblem> {
        let mut out = Vec::new();
        let messages = self.messages.iter().map(|(k, t)| ("messages", k, t.keys().collect()));
        let texts = self.text.iter().map(|(k, t)| ("text", k, t.keys().collect()));
        for (table, key, langs) in messages.chain(texts) {
            let langs: Vec<&String> = langs;
            for lang in languages.iter().filter(|l| !langs.contains(l)) {
                out.push((
                    toml_path![table, key],
                    format!("[{table}] `{key}` has no `{lang}` text"),
                    "give a text for every language".into(),
                ));
            }
        }
        out.extend(self.plural_problems());
        for m in SHOWN_MESSAGES.iter().filter(|m| !self.messages.contains_key(**m)) {
            out.push((
                toml_path!["messages"],
                format!("the message `{m}` is missing"),
                "every message the checker can show needs a text".into(),
            ));
        }
        for lang in languages.iter().filter(|l| !self.positions.contains_key(*l)) {
            out.push((
                toml_path!["positions"],
                format!("[positions.{lang}] is missing"),
                "say how a list of positions reads in every language".into(),
            ));
        }
        out
    }

    /// Forms by number that name no number to be chosen by.
    fn plural_problems(&self) -> Vec<RuleProblem> {
        let general = self.messages.iter().map(|(k, m)| (toml_path!["messages", k], k, m));
        let own = self.fields.iter().flat_map(|(name, f)| {
            f.messages.iter().map(move |(k, m)| (toml_path!["fields", name, "messages", k], k, m))
        });
        let mut out = Vec::new();
        for (path, key, message) in general.chain(own) {
            for (lang, wording) in message {
                let Wording::Plural(forms) = wording else { continue };
                if !PLURAL_COUNTS.iter().any(|k| forms.other.contains(&format!("{{{k}}}"))) {
                    out.push((
                        [path.clone(), toml_path![lang.as_str(), "other"]].concat(),
                        format!("message `{key}` has forms by number in `{lang}` but names no number"),
                        "name {count}, {missing}, {extra} or {positions} in its `other` form, or give one plain text".into(),
                    ));
                }
            }
        }
        out
    }

    /// Number ranges and runs that should be the same: inside the shape, on its codes (not its
    /// literal start), with a known message; a range from its minimum up to a maximum that fits.
    fn run_problems(&self, name: &str, f: &FieldRules) -> Vec<RuleProblem> {
        let at = |rest: TomlPath| -> TomlPath { [toml_path!["fields", name], rest].concat() };
        let shape: Vec<char> = f.shape.as_deref().unwrap_or_default().chars().collect();
        let coded = |from: usize, len: usize| {
            from >= 1
                && len >= 1
                && from - 1 + len <= shape.len()
                && shape[from - 1..from - 1 + len]
                    .iter()
                    .all(|c| self.shape_codes.contains_key(&c.to_string()))
        };
        let mut out = Vec::new();
        let mut bad = |path: TomlPath, message: String, help: &str| {
            out.push((path, format!("field `{name}`: {message}"), help.to_string()))
        };
        let runs = f.ranges.iter().enumerate().map(|(i, r)| ("ranges", i, r.at, r.len, &r.message));
        let same = f.same.iter().enumerate().flat_map(|(i, s)| {
            [("same", i, s.at, s.len, &s.message), ("same", i, s.other, s.len, &s.message)]
        });
        for (list, i, from, len, message) in runs.chain(same) {
            if !coded(from, len) {
                let what =
                    format!("{len} characters from position {from} are not all codes of its shape");
                bad(
                    at(toml_path![list, i]),
                    what,
                    "count positions from 1, inside the shape and after its literal start",
                );
            }
            if !self.messages.contains_key(message) {
                let what = format!("uses the unknown message `{message}`");
                bad(at(toml_path![list, i, "message"]), what, "define it under [messages]");
            }
        }
        for (i, r) in f.ranges.iter().enumerate() {
            let top = 10u64.checked_pow(r.len as u32).unwrap_or(u64::MAX);
            if r.min > r.max || r.max >= top {
                let what = format!("the range {}–{} does not fit {} digits", r.min, r.max, r.len);
                bad(
                    at(toml_path!["ranges", i, "max"]),
                    what,
                    "give min ≤ max, with max below 10 to the power len",
                );
            }
        }
        out
    }

    fn class_chars(&self, names: &[String]) -> String {
        names.iter().filter_map(|n| self.classes.get(n)).map(String::as_str).collect()
    }

    /// Checks `value` for `field`; `others` holds the other fields of the same checker.
    ///
    /// The steps, in the order their messages appear (checker.js follows the same steps):
    /// spaces at the ends; full-width characters; spaces inside (the field does not allow); then,
    /// on what lies between the spaces at the ends without the spaces inside, for a shape: its
    /// literal start, each position's class (letter O/I for a digit, lower case, other), the
    /// number ranges (unless a leading zero was dropped), then the length (or a dropped leading
    /// zero); min/max length; characters not allowed; required classes; the field it must differ
    /// from; runs that should be the same. A caution counts only when nothing else is wrong.
    pub fn check(&self, field: &str, value: &str, others: &BTreeMap<String, String>) -> Outcome {
        let Some(f) = self.fields.get(field) else {
            let problems = vec![problem("unknown-field", &[])];
            return Outcome { state: State::Invalid, problems };
        };
        let chars: Vec<char> = value.chars().collect();
        if chars.is_empty() {
            return Outcome { state: State::Empty, problems: Vec::new() };
        }
        let (mut problems, typed) = self.edge_problems(f, &chars);
        if let Some(shape) = &f.shape {
            let shape: Vec<char> = shape.chars().collect();
            problems.extend(self.prefix_problem(&shape, &typed));
            problems.extend(self.position_problems(&shape, &typed));
            let length = length_problem(f, shape.len(), &typed.chars);
            if length.as_ref().is_none_or(|p| p.message != "dropped-zero") {
                problems.extend(self.range_problems(f, &typed));
            }
            problems.extend(length);
        }
        problems.extend(self.count_problems(f, &typed));
        problems.extend(self.allowed_problem(f, &typed));
        for r in &f.require {
            let class = self.classes.get(&r.class).map(String::as_str).unwrap_or_default();
            if !typed.chars.iter().any(|c| class.contains(fold_fullwidth(*c))) {
                problems.push(problem(&r.message, &[]));
            }
        }
        if let Some(d) = &f.differs_from
            && others.get(&d.field).is_some_and(|other| !other.is_empty() && other == value)
        {
            problems.push(problem(&d.message, &[]));
        }
        problems.extend(same_problems(f, &typed));
        verdict(problems)
    }

    /// Spaces at the ends (reported once), full-width characters, spaces inside the value that
    /// the field does not allow; and what the other rules look at: the value between the spaces
    /// at the ends, without those inside.
    fn edge_problems(&self, f: &FieldRules, chars: &[char]) -> (Vec<Problem>, Typed) {
        let mut problems = Vec::new();
        let lead = chars.iter().take_while(|c| is_space(**c)).count();
        let trail = chars[lead..].iter().rev().take_while(|c| is_space(**c)).count();
        if lead + trail > 0 {
            problems.push(problem("spaces", &[]));
        }
        let wide: Vec<usize> = (0..chars.len()).filter(|i| is_fullwidth(chars[*i])).collect();
        if !wide.is_empty() {
            problems.push(self.positions_problem("fullwidth", &wide));
        }
        let allowed = self.class_chars(&f.allowed);
        let inner = lead..chars.len() - trail;
        let spaces: Vec<usize> =
            inner.clone().filter(|i| is_space(chars[*i]) && !allowed.contains(chars[*i])).collect();
        if !spaces.is_empty() {
            problems.push(self.positions_problem("inner-space", &spaces));
        }
        let at: Vec<usize> = inner.filter(|i| !spaces.contains(i)).collect();
        (problems, Typed { chars: at.iter().map(|i| chars[*i]).collect(), at })
    }

    /// The shape's literal start (such as `KJ`), typed as it is.
    fn prefix_problem(&self, shape: &[char], typed: &Typed) -> Option<Problem> {
        let prefix: Vec<char> = shape
            .iter()
            .copied()
            .take_while(|c| !self.shape_codes.contains_key(&c.to_string()))
            .collect();
        let head: Vec<char> =
            typed.chars.iter().take(prefix.len()).map(|c| fold_fullwidth(*c)).collect();
        if head == prefix[..head.len()] {
            return None;
        }
        let upper: Vec<char> = head.iter().map(|c| c.to_ascii_uppercase()).collect();
        let id = if upper == prefix[..head.len()] { "prefix-case" } else { "prefix" };
        Some(problem(id, &[("prefix", &prefix.iter().collect::<String>())]))
    }

    /// Each position after the literal start against its class: a letter O or I where a digit
    /// goes, lower case where upper case goes, anything else that does not belong.
    fn position_problems(&self, shape: &[char], typed: &Typed) -> Vec<Problem> {
        let literal = |c: &char| !self.shape_codes.contains_key(&c.to_string());
        let prefix = shape.iter().take_while(|c| literal(c)).count();
        let (mut confused, mut lower, mut wrong) = (Vec::new(), Vec::new(), Vec::new());
        for (i, &c) in typed.chars.iter().enumerate().take(shape.len()).skip(prefix) {
            if is_fullwidth(c) || is_space(c) {
                continue;
            }
            let Some(classes) = self.shape_codes.get(&shape[i].to_string()) else {
                if c != shape[i] {
                    wrong.push(i);
                }
                continue;
            };
            let allowed = self.class_chars(classes);
            if allowed.contains(c) {
            } else if self.confusables.chars.contains(c) && classes.iter().any(|k| k == "digit") {
                confused.push(i);
            } else if c.is_ascii_lowercase() && allowed.contains(c.to_ascii_uppercase()) {
                lower.push(i);
            } else {
                wrong.push(i);
            }
        }
        [("letter-for-digit", confused), ("lowercase", lower), ("wrong-char", wrong)]
            .into_iter()
            .filter(|(_, list)| !list.is_empty())
            .map(|(id, list)| self.positions_problem(id, &typed.positions(list)))
            .collect()
    }

    /// Each number range whose digits are all typed: the number outside it.
    fn range_problems(&self, f: &FieldRules, typed: &Typed) -> Vec<Problem> {
        let mut out = Vec::new();
        for r in &f.ranges {
            let Some(digits) = typed.digits(r.at, r.len) else { continue };
            let value: u64 = digits.parse().unwrap_or(0);
            if (r.min..=r.max).contains(&value) {
                continue;
            }
            let spots: Vec<usize> = (r.at - 1..r.at - 1 + r.len).collect();
            let mut p = self.positions_problem(&r.message, &typed.positions(spots));
            let pad = |n: u64| format!("{n:0width$}", width = r.len);
            p.params.extend([("value".into(), digits), ("min".into(), pad(r.min))]);
            p.params.insert("max".into(), pad(r.max));
            p.caution = r.caution;
            out.push(p);
        }
        out
    }

    /// The field's minimum and maximum length.
    fn count_problems(&self, f: &FieldRules, typed: &Typed) -> Vec<Problem> {
        let n = typed.chars.len();
        let mut out = Vec::new();
        if let Some(min) = f.min.filter(|m| n < *m) {
            let (count, min) = (n.to_string(), min.to_string());
            out.push(problem("below-min", &[("count", &count), ("min", &min)]));
        }
        if let Some(max) = f.max.filter(|m| n > *m) {
            let (count, max) = (n.to_string(), max.to_string());
            out.push(problem("above-max", &[("count", &count), ("max", &max)]));
        }
        out
    }

    /// Characters outside the field's allowed classes.
    fn allowed_problem(&self, f: &FieldRules, typed: &Typed) -> Option<Problem> {
        if f.allowed.is_empty() {
            return None;
        }
        let allowed = self.class_chars(&f.allowed);
        let chars = &typed.chars;
        let bad: Vec<usize> = (0..chars.len())
            .filter(|i| !is_fullwidth(chars[*i]) && !allowed.contains(chars[*i]))
            .collect();
        if bad.is_empty() {
            return None;
        }
        let mut p = self.positions_problem("not-allowed", &typed.positions(bad));
        let symbols: Vec<String> = self
            .classes
            .get("symbol")
            .map(|s| s.chars().map(String::from).collect())
            .unwrap_or_default();
        p.params.insert("symbols".into(), symbols.join(" "));
        Some(p)
    }

    /// A problem whose `{positions}` lists 1-based positions (the page formats them per language).
    fn positions_problem(&self, id: &str, positions: &[usize]) -> Problem {
        let list: Vec<String> = positions.iter().map(|p| (p + 1).to_string()).collect();
        problem(id, &[("positions", &list.join(","))])
    }

    /// The text of `problem` in `lang` (positions written as "1〜3、7"; the form by number its
    /// count calls for).
    pub fn message(&self, field: &str, problem: &Problem, lang: &str) -> String {
        let texts = self
            .fields
            .get(field)
            .and_then(|f| f.messages.get(&problem.message))
            .or_else(|| self.messages.get(&problem.message));
        let mut text = texts
            .and_then(|t| t.get(lang))
            .map(|w| w.text(&problem.params).to_string())
            .unwrap_or_else(|| problem.message.clone());
        for (key, value) in &problem.params {
            let value =
                if key == "positions" { self.format_positions(value, lang) } else { value.clone() };
            text = text.replace(&format!("{{{key}}}"), &value);
        }
        text
    }

    fn format_positions(&self, list: &str, lang: &str) -> String {
        let Some(fmt) = self.positions.get(lang) else { return list.to_string() };
        let nums: Vec<usize> = list.split(',').filter_map(|n| n.parse().ok()).collect();
        let mut parts = Vec::new();
        let mut i = 0;
        while i < nums.len() {
            let mut j = i;
            while j + 1 < nums.len() && nums[j + 1] == nums[j] + 1 {
                j += 1;
            }
            parts.push(if j > i {
                format!("{}{}{}", nums[i], fmt.range, nums[j])
            } else {
                nums[i].to_string()
            });
            i = j + 1;
        }
        match (parts.split_last(), &fmt.last) {
            (Some((last, rest)), Some(sep)) if !rest.is_empty() => {
                format!("{}{sep}{last}", rest.join(&fmt.separator))
            }
            _ => parts.join(&fmt.separator),
        }
    }

    /// A text of `[text]` in `lang` (empty if it has none).
    pub fn text(&self, key: &str, lang: &str) -> String {
        self.text.get(key).and_then(|t| t.get(lang)).cloned().unwrap_or_default()
    }

    /// The script that hands the rules to the page.
    /// The rules as a script for pages in `lang`: every wording keeps only that language (the
    /// other languages' pages load their own), which keeps the script small.
    pub fn script(&self, lang: &str, languages: &[String]) -> String {
        fn keep_one(value: &mut serde_json::Value, lang: &str, languages: &[String]) {
            match value {
                serde_json::Value::Object(map) => {
                    if !map.is_empty()
                        && map.contains_key(lang)
                        && map.keys().all(|k| languages.contains(k))
                    {
                        map.retain(|k, _| k == lang);
                    } else {
                        map.values_mut().for_each(|v| keep_one(v, lang, languages));
                    }
                }
                serde_json::Value::Array(items) => {
                    items.iter_mut().for_each(|v| keep_one(v, lang, languages))
                }
                _ => {}
            }
        }
        let mut value = serde_json::to_value(self).unwrap_or_default();
        keep_one(&mut value, lang, languages);
        format!("window.tebikiCheckerRules = {value};\n")
    }
}

/// What the rules look at: the value without the spaces at its ends and the spaces inside that
/// were reported; `at` holds each character's position in what was typed.
struct Typed {
    chars: Vec<char>,
    at: Vec<usize>,
}

impl Typed {
    /// Positions in `chars` as positions in what was typed.
    fn positions(&self, list: Vec<usize>) -> Vec<usize> {
        list.into_iter().filter_map(|i| self.at.get(i).copied()).collect()
    }

    /// The `len` characters from the 1-based position `at`, if all are typed and ASCII digits.
    fn digits(&self, at: usize, len: usize) -> Option<String> {
        let run = self.chars.get(at.checked_sub(1)?..at - 1 + len)?;
        run.iter().all(char::is_ascii_digit).then(|| run.iter().collect())
    }
}

/// The runs of a shaped value that differ where they should be the same (both all digits typed).
fn same_problems(f: &FieldRules, typed: &Typed) -> Vec<Problem> {
    let mut out = Vec::new();
    for s in &f.same {
        let (Some(first), Some(second)) = (typed.digits(s.at, s.len), typed.digits(s.other, s.len))
        else {
            continue;
        };
        if first != second {
            let mut p = problem(&s.message, &[("first", &first), ("second", &second)]);
            p.caution = s.caution;
            out.push(p);
        }
    }
    out
}

/// The state the problems make: invalid with an error (cautions then left out), a caution
/// with cautions alone, valid with none.
fn verdict(problems: Vec<Problem>) -> Outcome {
    if problems.iter().any(|p| !p.caution) {
        let problems = problems.into_iter().filter(|p| !p.caution).collect();
        Outcome { state: State::Invalid, problems }
    } else if problems.is_empty() {
        Outcome { state: State::Valid, problems }
    } else {
        Outcome { state: State::Caution, problems }
    }
}

/// The length of a shaped value: a dropped leading zero, too short or too long.
fn length_problem(f: &FieldRules, total: usize, chars: &[char]) -> Option<Problem> {
    let n = chars.len();
    let (count, all) = (n.to_string(), total.to_string());
    if n < total && f.dropped_zero && n + 1 == total && chars.iter().all(|c| c.is_ascii_digit()) {
        Some(problem("dropped-zero", &[]))
    } else if n < total {
        let missing = (total - n).to_string();
        Some(problem("too-short", &[("count", &count), ("total", &all), ("missing", &missing)]))
    } else if n > total {
        let extra = (n - total).to_string();
        Some(problem("too-long", &[("count", &count), ("total", &all), ("extra", &extra)]))
    } else {
        None
    }
}

fn problem(id: &str, params: &[(&str, &str)]) -> Problem {
    Problem {
        message: id.to_string(),
        params: params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        caution: false,
    }
}
