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
const SHOWN_MESSAGES: [&str; 15] = [
    "valid",
    "spaces",
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
    pub messages: BTreeMap<String, Localized>,
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
    /// Field-specific wording of general messages.
    #[serde(default)]
    pub messages: BTreeMap<String, Localized>,
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
    Invalid,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Empty => "empty",
            State::Valid => "valid",
            State::Invalid => "invalid",
        }
    }
}

/// One rule that failed: a message id and the values for its placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub params: BTreeMap<String, String>,
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
        let texts = texts
            .map(|(what, t)| (at(toml_path![what]), what, t))
            .chain(f.messages.iter().map(|(k, t)| (at(toml_path!["messages", k]), k.as_str(), t)));
        for (path, what, text) in texts {
            for lang in languages.iter().filter(|l| !text.contains_key(*l)) {
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
        for (table, map) in [("messages", &self.messages), ("text", &self.text)] {
            for (key, text) in map {
                for lang in languages.iter().filter(|l| !text.contains_key(*l)) {
                    out.push((
                        toml_path![table, key],
                        format!("[{table}] `{key}` has no `{lang}` text"),
                        "give a text for every language".into(),
                    ));
                }
            }
        }
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

    fn class_chars(&self, names: &[String]) -> String {
        names.iter().filter_map(|n| self.classes.get(n)).map(String::as_str).collect()
    }

    /// Checks `value` for `field`; `others` holds the other fields of the same checker.
    ///
    /// The steps, in the order their messages appear (checker.js follows the same steps):
    /// spaces at the ends; full-width characters; then, on what lies between the spaces at the
    /// ends, for a shape: its literal start, each position's class (letter O/I for a digit, lower
    /// case, other), then the length (or a dropped leading zero); min/max length; characters not
    /// allowed; required classes; the field it must differ from.
    pub fn check(&self, field: &str, value: &str, others: &BTreeMap<String, String>) -> Outcome {
        let Some(f) = self.fields.get(field) else {
            let problems = vec![problem("unknown-field", &[])];
            return Outcome { state: State::Invalid, problems };
        };
        let chars: Vec<char> = value.chars().collect();
        if chars.is_empty() {
            return Outcome { state: State::Empty, problems: Vec::new() };
        }
        let (mut problems, typed) = self.edge_problems(&chars);
        if let Some(shape) = &f.shape {
            let shape: Vec<char> = shape.chars().collect();
            problems.extend(self.prefix_problem(&shape, &typed));
            problems.extend(self.position_problems(&shape, &typed));
            problems.extend(length_problem(f, shape.len(), typed.chars));
        }
        let n = typed.chars.len();
        if let Some(min) = f.min.filter(|m| n < *m) {
            let (count, min) = (n.to_string(), min.to_string());
            problems.push(problem("below-min", &[("count", &count), ("min", &min)]));
        }
        if let Some(max) = f.max.filter(|m| n > *m) {
            let (count, max) = (n.to_string(), max.to_string());
            problems.push(problem("above-max", &[("count", &count), ("max", &max)]));
        }
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
        let state = if problems.is_empty() { State::Valid } else { State::Invalid };
        Outcome { state, problems }
    }

    /// Spaces at the ends (reported once) and full-width characters; and what lies between the
    /// spaces at the ends, which the other rules look at.
    fn edge_problems<'c>(&self, chars: &'c [char]) -> (Vec<Problem>, Typed<'c>) {
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
        (problems, Typed { chars: &chars[lead..chars.len() - trail], lead })
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

    /// Characters outside the field's allowed classes.
    fn allowed_problem(&self, f: &FieldRules, typed: &Typed) -> Option<Problem> {
        if f.allowed.is_empty() {
            return None;
        }
        let allowed = self.class_chars(&f.allowed);
        let chars = typed.chars;
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

    /// The text of `problem` in `lang` (positions written as "1〜3、7").
    pub fn message(&self, field: &str, problem: &Problem, lang: &str) -> String {
        let texts = self
            .fields
            .get(field)
            .and_then(|f| f.messages.get(&problem.message))
            .or_else(|| self.messages.get(&problem.message));
        let mut text =
            texts.and_then(|t| t.get(lang)).cloned().unwrap_or_else(|| problem.message.clone());
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
        parts.join(&fmt.separator)
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

/// What was typed, without the spaces at its ends; `lead` spaces came before it.
struct Typed<'c> {
    chars: &'c [char],
    lead: usize,
}

impl Typed<'_> {
    /// Positions in `chars` as positions in what was typed.
    fn positions(&self, list: Vec<usize>) -> Vec<usize> {
        list.into_iter().map(|i| i + self.lead).collect()
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
    }
}
