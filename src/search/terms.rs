//! What search matches on, made the same way here and in the page (`theme/static/search.js`):
//! the test `tests/gui/search.test.mjs` compares the two on shared lists of lines and words.
//!
//! Text is normalised (Unicode NFKC, lower case, katakana folded to hiragana). Japanese and other
//! CJK runs become overlapping character bigrams, so any word of two or more characters is found
//! without a dictionary (a lone character stands for itself). Latin words are tokens: a word, or
//! words joined by `-`, `.` or an apostrophe (`e-mail`, `14-character`, `1.2.0`) or led by a dot
//! (`.net`); a joined token is a term as written, and each of its words is a term too (and, joined
//! by hyphens or apostrophes, the words run together: `email`). With the English stemmer, a word
//! of plain letters has its British spelling made American and is then stemmed (Snowball
//! English), so `organisations` and `organization` are one term.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Unicode NFKC, lower case, katakana → hiragana, Latin letters without their marks.
pub fn normalize(text: &str) -> String {
    // Most text is already in NFKC: the quick check spares the composing step.
    let lower = match unicode_normalization::is_nfkc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.to_lowercase(),
        _ => text.nfkc().collect::<String>().to_lowercase(),
    };
    lower.chars().map(|c| fold_latin(fold_kana(c))).collect()
}

/// A Latin letter without its diacritics (`ậ` → `a`, `đ` → `d`), so 「mat khau」 finds
/// 「mật khẩu」: one character for one, as the page folds them.
fn fold_latin(c: char) -> char {
    match c {
        'đ' => 'd',
        'ø' => 'o',
        'ł' => 'l',
        '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' => {
            let mut base = c;
            unicode_normalization::char::decompose_canonical(c, |d| {
                if base == c {
                    base = d;
                }
            });
            base
        }
        _ => c,
    }
}

fn fold_kana(c: char) -> char {
    match c as u32 {
        0x30A1..=0x30F6 | 0x30FD..=0x30FE => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

/// Characters indexed as bigrams: kana, Chinese characters (kanji, hanzi), Hangul, the
/// long-vowel mark and 々.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x309F | 0x30A0..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3005
        | 0x1100..=0x11FF | 0x3131..=0x318E | 0xAC00..=0xD7A3 | 0x20000..=0x2FA1F)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Characters that join two words into one token: `e-mail`, `1.2.0`, `don't`.
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '.' | '\'' | '’')
}

/// How an index's Latin words are made into terms.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stemmer {
    /// British spellings made American, then Snowball English.
    English,
    /// Words as they are.
    None,
}

impl Stemmer {
    /// English for English pages and for the Latin words of Chinese, Japanese and Korean ones
    /// (which are English: Edge, Windows, ID); words as they are for every other language.
    pub fn of_language(lang: &str) -> Stemmer {
        match crate::text::primary_language(lang) {
            "en" | "ja" | "zh" | "ko" => Stemmer::English,
            _ => Stemmer::None,
        }
    }

    /// The term of one word (letters and digits, already normalised).
    pub fn stem<'a>(self, word: &'a str) -> Cow<'a, str> {
        if self == Stemmer::None || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return Cow::Borrowed(word);
        }
        let american = american(word);
        let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
        let stem = stemmer.stem(&american);
        if stem == word { Cow::Borrowed(word) } else { Cow::Owned(stem.into_owned()) }
    }
}

/// One term of a text: its byte range there (for a word made into a term, the word's), and the
/// term when it is not the text of that range as it stands.
pub struct Term<'a> {
    pub range: std::ops::Range<usize>,
    pub made: Option<String>,
    text: &'a str,
}

impl Term<'_> {
    pub fn as_str(&self) -> &str {
        self.made.as_deref().unwrap_or(&self.text[self.range.clone()])
    }
}

/// The terms of already normalised text, in order.
pub fn terms(normalized: &str, stemmer: Stemmer) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(normalized, stemmer, |t| out.push(t.as_str().to_string()));
    out
}

/// Calls `each` with every term of already normalised text, in order.
pub fn for_each_term<'a>(normalized: &'a str, stemmer: Stemmer, mut each: impl FnMut(Term<'a>)) {
    let chars: Vec<(usize, char)> = normalized.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(normalized.len(), |(at, _)| *at);
    let mut term = |range: std::ops::Range<usize>, made: Option<String>| {
        each(Term { range, made, text: normalized })
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i].1) {
                i += 1;
            }
            if i - start == 1 {
                term(chars[start].0..end_of(start + 1), None);
            }
            let pairs = chars.iter().enumerate().take(i.saturating_sub(1)).skip(start);
            for (j, &(at, _)) in pairs {
                term(at..end_of(j + 2), None);
            }
        } else if is_word_char(c) || leads_token(&chars, i) {
            let (parts, end) = token_at(&chars, i);
            let range = chars[i].0..end_of(end);
            let spans: Vec<_> = parts.iter().map(|&(a, b)| chars[a].0..end_of(b)).collect();
            token_terms(normalized, range, &spans, stemmer, &mut term);
            i = end;
        } else {
            i += 1;
        }
    }
}

/// A dot that starts a token: after no word character and before a letter (`.net`).
fn leads_token(chars: &[(usize, char)], i: usize) -> bool {
    chars[i].1 == '.'
        && (i == 0 || !is_word_char(chars[i - 1].1))
        && chars.get(i + 1).is_some_and(|(_, c)| c.is_alphabetic() && !is_cjk(*c))
}

/// The words of the token starting at `i` (as char index ranges) and where it ends.
fn token_at(chars: &[(usize, char)], mut i: usize) -> (Vec<(usize, usize)>, usize) {
    if chars[i].1 == '.' {
        i += 1;
    }
    let mut parts = Vec::new();
    loop {
        let start = i;
        while i < chars.len() && is_word_char(chars[i].1) {
            i += 1;
        }
        parts.push((start, i));
        let joins = i + 1 < chars.len() && is_joiner(chars[i].1) && is_word_char(chars[i + 1].1);
        if !joins {
            return (parts, i);
        }
        i += 1;
    }
}

/// The terms of one token: a lone word's stem; or, for a joined token, the token as written, its
/// words run together (hyphens and apostrophes only) and each word's stem.
fn token_terms(
    text: &str,
    range: std::ops::Range<usize>,
    words: &[std::ops::Range<usize>],
    stemmer: Stemmer,
    term: &mut impl FnMut(std::ops::Range<usize>, Option<String>),
) {
    let word_term = |w: &str| match stemmer.stem(w) {
        Cow::Borrowed(_) => None,
        Cow::Owned(stem) => Some(stem),
    };
    let token = &text[range.clone()];
    if words.len() == 1 && !token.starts_with('.') {
        return term(range, word_term(token));
    }
    term(range.clone(), None);
    if words.len() > 1 && !token.starts_with('.') && !token.contains('.') {
        let joined: String = token.chars().filter(|c| !is_joiner(*c)).collect();
        let stem = stemmer.stem(&joined).into_owned();
        term(range, Some(stem));
    }
    for w in words {
        term(w.clone(), word_term(&text[w.clone()]));
    }
}

/// Words spelt the British way, made American (`organisation` → `organization`), so both
/// spellings stem alike. Only whole words of lower-case letters are changed.
pub fn american(word: &str) -> Cow<'_, str> {
    if let Some(&(_, us)) = WHOLE_WORDS.iter().find(|(uk, _)| *uk == word) {
        return Cow::Borrowed(us);
    }
    for rule in RULES {
        if let Some(us) = rule.apply(word) {
            return Cow::Owned(us);
        }
    }
    Cow::Borrowed(word)
}

const WHOLE_WORDS: &[(&str, &str)] = &[
    ("programme", "program"),
    ("programmes", "programs"),
    ("grey", "gray"),
    ("ageing", "aging"),
    ("judgement", "judgment"),
    ("acknowledgement", "acknowledgment"),
    ("enquiry", "inquiry"),
    ("enquiries", "inquiries"),
    ("enquire", "inquire"),
    ("tyre", "tire"),
    ("tyres", "tires"),
    ("whilst", "while"),
    ("amongst", "among"),
    ("practise", "practice"),
    ("practised", "practiced"),
    ("enrol", "enroll"),
    ("enrolment", "enrollment"),
    ("fulfil", "fulfill"),
    ("instalment", "installment"),
];

/// A spelling rule: a word made of a base from `bases` (any base of at least three letters, when
/// `bases` is empty, except those in `not`), then `from`, then one of `endings`, is spelt with `to`
/// in place of `from`.
struct Rule {
    bases: &'static [&'static str],
    not: &'static [&'static str],
    from: &'static str,
    to: &'static str,
    endings: &'static [&'static str],
}

impl Rule {
    fn apply(&self, word: &str) -> Option<String> {
        self.endings.iter().find_map(|ending| {
            let stem = word.strip_suffix(ending)?.strip_suffix(self.from)?;
            let known = if self.bases.is_empty() {
                stem.len() >= 3 && !self.not.contains(&stem)
            } else {
                self.bases.contains(&stem)
            };
            known.then(|| format!("{stem}{}{ending}", self.to))
        })
    }
}

/// The rules, tried in order (the page holds the same list).
const RULES: &[Rule] = &[
    Rule { bases: &[], not: &[], from: "isation", to: "ization", endings: &["", "s", "al"] },
    Rule {
        bases: &[],
        not: &[
            "adv", "advert", "appra", "bru", "chast", "circumc", "compr", "comprom", "conc", "cru",
            "dem", "desp", "dev", "disgu", "enterpr", "exc", "exerc", "expert", "franch", "improv",
            "inc", "likew", "merchand", "otherw", "clockw", "parad", "porpo", "pra", "prec",
            "prem", "prom", "repr", "rev", "sunr", "superv", "surm", "surpr", "telev", "torto",
            "treat", "turquo", "unw", "upr", "val", "chem",
        ],
        from: "is",
        to: "iz",
        endings: &["e", "ed", "es", "ing", "er", "ers"],
    },
    Rule {
        bases: &["anal", "paral", "catal"],
        not: &[],
        from: "ys",
        to: "yz",
        endings: &["e", "ed", "es", "ing"],
    },
    Rule {
        bases: &[
            "col", "behavi", "fav", "hon", "lab", "neighb", "flav", "hum", "rum", "harb", "vap",
            "arm", "endeav", "sav", "od", "vig", "rig",
        ],
        not: &[],
        from: "our",
        to: "or",
        endings: &["", "s", "ed", "ing", "ite", "ites", "able", "ful", "less", "al", "hood"],
    },
    Rule {
        bases: &["cent", "met", "lit", "theat", "fib", "calib", "sab", "spect", "somb", "lust"],
        not: &[],
        from: "re",
        to: "er",
        endings: &["", "s", "d"],
    },
    Rule {
        bases: &[
            "cance", "trave", "labe", "mode", "fue", "signa", "tota", "leve", "channe", "counse",
            "dia", "equa", "jewe", "marve", "quarre", "tunne", "pane",
        ],
        not: &[],
        from: "ll",
        to: "l",
        endings: &["ed", "ing", "er", "ers"],
    },
    Rule {
        bases: &["catal", "dial", "anal", "prol", "epil", "monol"],
        not: &[],
        from: "ogue",
        to: "og",
        endings: &["", "s"],
    },
    Rule {
        bases: &["licen", "defen", "offen", "preten"],
        not: &[],
        from: "ce",
        to: "se",
        endings: &["", "s", "d"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Vec<String> {
        terms(&normalize(text), Stemmer::English)
    }

    #[test]
    fn normalises_width_case_and_kana() {
        assert_eq!(normalize("ＫＪ１２"), "kj12");
        assert_eq!(normalize("パスワード"), normalize("ぱすわーど"));
        assert_eq!(normalize("Certificates"), "certificates");
    }

    #[test]
    fn bigrams_and_stems() {
        assert_eq!(of("確認コード"), vec!["確認", "認こ", "こー", "ーど"]);
        assert_eq!(of("KJから始まる"), vec!["kj", "から", "ら始", "始ま", "まる"]);
        assert_eq!(of("the certificates"), vec!["the", "certif"]);
        assert_eq!(of("certificate"), of("certificates"));
        assert_eq!(of("表"), vec!["表"]);
    }

    #[test]
    fn joined_tokens_stand_as_written_and_by_their_words() {
        assert_eq!(of(".NET 8.0"), vec![".net", "net", "8.0", "8", "0"]);
        assert_eq!(of("e-mail"), vec!["e-mail", "email", "e", "mail"]);
        assert_eq!(of("14-character"), vec!["14-character", "14character", "14", "charact"]);
        assert_eq!(of("end."), vec!["end"]);
        assert_eq!(of("a - b"), vec!["a", "b"]);
    }

    #[test]
    fn british_and_american_spellings_are_one_term() {
        for (uk, us) in [
            ("organisation", "organization"),
            ("organise", "organize"),
            ("recognised", "recognized"),
            ("colour", "color"),
            ("favourite", "favorite"),
            ("centre", "center"),
            ("cancelled", "canceled"),
            ("dialogue", "dialog"),
            ("licence", "license"),
            ("programme", "program"),
            ("analyse", "analyze"),
        ] {
            assert_eq!(of(uk), of(us), "{uk} / {us}");
        }
        for kept in ["advertise", "exercise", "otherwise", "promise", "rise", "noise", "wise"] {
            assert_eq!(american(kept), kept);
        }
    }

    #[test]
    fn other_languages_keep_their_words() {
        assert_eq!(terms("certificates", Stemmer::None), vec!["certificates"]);
        assert_eq!(Stemmer::of_language("en-GB"), Stemmer::English);
        assert_eq!(Stemmer::of_language("vi"), Stemmer::None);
    }
}
