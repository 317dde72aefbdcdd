//! The format checker's rules (content/checker.toml) against the public test vectors
//! (shared/checker-vectors.toml) and our own cases with their messages (tests/checker-cases.toml).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use tebiki::checker::{Rules, State};

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    fill: BTreeMap<String, String>,
    field: String,
    state: String,
    #[serde(default)]
    why: Option<String>,
    #[serde(default)]
    messages: Option<Vec<String>>,
    #[serde(default)]
    text: BTreeMap<String, String>,
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rules() -> Rules {
    Rules::load(repo(), &["ja".into(), "en".into()])
        .unwrap_or_else(|e| panic!("{e:?}"))
        .expect("content/checker.toml")
}

fn cases(path: &Path) -> Vec<Case> {
    toml::from_str::<Cases>(&fs::read_to_string(path).unwrap()).unwrap().case
}

/// The public vectors: shared/ beside the repository (as in CI), or the copy in tests/.
fn vectors_path() -> PathBuf {
    let shared = repo().join("../shared/checker-vectors.toml");
    if shared.exists() { shared } else { repo().join("tests/checker-vectors.toml") }
}

/// Whether `text` still holds a `{name}` placeholder.
fn has_placeholder(text: &str) -> bool {
    text.match_indices('{').any(|(i, _)| {
        let rest = &text[i + 1..];
        let name = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '-').count();
        name > 0 && rest[name..].starts_with('}')
    })
}

fn run(rules: &Rules, case: &Case) -> tebiki::checker::Outcome {
    rules.check(&case.field, &case.fill.get(&case.field).cloned().unwrap_or_default(), &case.fill)
}

#[test]
fn the_copy_of_the_public_vectors_is_current() {
    let shared = repo().join("../shared/checker-vectors.toml");
    if shared.exists() {
        assert_eq!(
            fs::read_to_string(shared).unwrap(),
            fs::read_to_string(repo().join("tests/checker-vectors.toml")).unwrap()
        );
    }
}

#[test]
fn every_public_vector_passes() {
    let rules = rules();
    let vectors = cases(&vectors_path());
    assert!(vectors.len() >= 17);
    for case in &vectors {
        let outcome = run(&rules, case);
        // The vectors speak of the format: a caution is a valid format that looks unusual.
        assert_eq!(
            outcome.state.format(),
            case.state,
            "{:?} → {} ({:?}): {:?}",
            case.fill,
            case.field,
            case.why,
            outcome.problems
        );
        // An invalid value or a caution always says why, in both languages.
        if matches!(outcome.state, State::Invalid | State::Caution) {
            for p in &outcome.problems {
                for lang in ["ja", "en"] {
                    let text = rules.message(&case.field, p, lang);
                    assert!(
                        !has_placeholder(&text) && text != p.message,
                        "{lang} text of {}: {text}",
                        p.message
                    );
                }
            }
        }
    }
}

#[test]
fn our_cases_show_the_right_messages() {
    let rules = rules();
    for case in cases(&repo().join("tests/checker-cases.toml")) {
        let outcome = run(&rules, &case);
        let ids: Vec<&str> = outcome.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(outcome.state.as_str(), case.state, "{:?}", case.fill);
        assert_eq!(
            Some(ids.iter().map(|s| s.to_string()).collect()),
            case.messages,
            "{:?}",
            case.fill
        );
        for (lang, want) in &case.text {
            let got: Vec<String> =
                outcome.problems.iter().map(|p| rules.message(&case.field, p, lang)).collect();
            assert_eq!(got.join(" "), *want, "{lang} text for {:?}", case.fill);
        }
    }
}

#[test]
fn an_empty_field_is_empty() {
    let rules = rules();
    for field in rules.fields.keys() {
        assert_eq!(rules.check(field, "", &BTreeMap::new()).state, State::Empty);
    }
}
