//! The shape of the code, as a newcomer meets it (read from `src/`, not run): no module uses a
//! module that uses it back, directly or around a circle (the crate root counts as a module: a
//! module naming `crate::Item` depends on it); no function is longer than 80 lines or takes more
//! than 5 parameters (a context struct carries the rest), in the library or the command.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 80;
const MAX_PARAMS: usize = 5;

/// The library's modules (`src/NAME.rs`, the root as `lib`): each file and its code, the unit
/// tests at its end left out.
fn modules() -> BTreeMap<String, (PathBuf, String)> {
    let mut modules: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
    for path in source_files() {
        // A folder module (`src/search/`) is one module: its files together.
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let top = path.strip_prefix(&src).ok().and_then(|p| p.components().next());
        let Some(name) =
            top.map(|c| c.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string())
        else {
            continue;
        };
        if name == "main" {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let code = match text.find("#[cfg(test)]\nmod tests") {
            Some(at) => text[..at].to_string(),
            None => text,
        };
        let entry = modules.entry(name).or_insert_with(|| (path.clone(), String::new()));
        entry.1.push_str(&code);
    }
    modules
}

/// Every `.rs` file of `src/`, in its folders too.
fn source_files() -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut folders = vec![src];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap().filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The modules `code` uses through `crate::` paths (`lib` for an item of the crate root).
fn uses(code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let names: Vec<&str> = match rest.strip_prefix('{') {
            Some(group) => {
                let end = group.find('}').unwrap_or(group.len());
                group[..end].split(',').collect()
            }
            None => vec![rest],
        };
        for name in names {
            let name = name.trim();
            let ident: String =
                name.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if ident.is_empty() {
                continue;
            }
            found.insert(if modules.contains(&ident) { ident } else { "lib".to_string() });
        }
    }
    found
}

/// A circle of modules in `graph`, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_cycle_finder_finds_a_circle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [("a", "b"), ("b", "c"), ("c", "a")]
        .into_iter()
        .map(|(from, to)| (from.to_string(), BTreeSet::from([to.to_string()])))
        .collect();
    assert_eq!(find_cycle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    let known = BTreeSet::from(["render".to_string(), "memo".to_string()]);
    let code = "use crate::{memo::Memo, text};\nlet x = crate::render::f(crate::Builder);";
    let used: Vec<String> = uses(code, &known).into_iter().collect();
    assert_eq!(used, ["lib", "memo", "render"], "text and Builder are the root's");
}

#[test]
fn no_module_uses_a_module_that_uses_it() {
    let modules = modules();
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, (_, code)) in &modules {
        let mut used = uses(code, &names);
        used.remove(name);
        graph.insert(name.clone(), used);
    }
    // The root re-exports the pipeline's entry points (`pub use pipeline::…`).
    let root = &modules["lib"].1;
    for line in root.lines().filter_map(|l| l.strip_prefix("pub use ")) {
        let module: String =
            line.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        graph.entry("lib".into()).or_default().insert(module);
    }
    assert!(
        graph["lib"].contains("pipeline"),
        "the reading of lib.rs is wrong: {:?}",
        graph["lib"]
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!("modules in a circle: {}", cycle.join(" → "));
    }
}

/// A function of `src/`: where it starts, its name, its length and its parameters.
struct Function {
    file: PathBuf,
    line: usize,
    name: String,
    lines: usize,
    params: usize,
}

/// The functions of one file (formatted by rustfmt: a body ends at a `}` with the indentation of
/// its `fn` line).
fn functions(file: &Path, text: &str) -> Vec<Function> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((indent, name)) = fn_start(line) else { continue };
        let Some(open) = (i..lines.len()).find(|j| {
            let l = lines[*j].trim_end();
            l.ends_with('{') || l.ends_with(';') || l.ends_with('}')
        }) else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue; // a declaration without a body
        }
        let end = if lines[open].trim_end().ends_with('}') {
            open
        } else {
            let close = format!("{indent}}}");
            (open + 1..lines.len()).find(|j| lines[*j] == close).unwrap_or(lines.len() - 1)
        };
        let signature = lines[i..=open].join("\n");
        found.push(Function {
            file: file.to_path_buf(),
            line: i + 1,
            name,
            lines: end - i + 1,
            params: parameters(&signature, &name_after_fn(line)),
        });
    }
    found
}

/// The indentation and name of a line that starts a function.
fn fn_start(line: &str) -> Option<(String, String)> {
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let mut rest = line.trim_start();
    for prefix in
        ["pub(crate) ", "pub(super) ", "pub ", "const ", "async ", "unsafe ", "extern \"C\" "]
    {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    rest.strip_prefix("fn ")?;
    Some((indent, name_after_fn(line)))
}

fn name_after_fn(line: &str) -> String {
    let after = line.split("fn ").nth(1).unwrap_or_default();
    after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// How many parameters a signature takes (`self` not counted).
fn parameters(signature: &str, name: &str) -> usize {
    let after = &signature[signature.find(&format!("fn {name}")).unwrap_or(0) + 3 + name.len()..];
    let chars: Vec<char> = after.chars().collect();
    let mut i = 0;
    // Generic parameters may hold parentheses (`F: Fn(u8)`): skip them.
    if chars.first() == Some(&'<') {
        let mut depth = 0;
        while i < chars.len() {
            match chars[i] {
                '<' => depth += 1,
                '>' if i == 0 || chars[i - 1] != '-' => depth -= 1,
                _ => {}
            }
            i += 1;
            if depth == 0 {
                break;
            }
        }
    }
    while i < chars.len() && chars[i] != '(' {
        i += 1;
    }
    let (mut depth, mut current, mut params) = (0, String::new(), Vec::new());
    for (j, &c) in chars.iter().enumerate().skip(i) {
        let arrow = j > 0 && matches!(chars[j - 1], '-' | '=');
        match c {
            '(' | '[' | '{' | '<' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            '>' if !arrow => depth -= 1,
            ',' if depth == 1 => {
                params.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        if depth == 0 {
            params.push(std::mem::take(&mut current));
            break;
        }
        if depth > 1 || c != '(' {
            current.push(c);
        }
    }
    let is_self = |p: &str| {
        let p = p.trim().trim_start_matches('&').trim_start();
        let p = p.strip_prefix('\'').map_or(p, |l| l.split_once(' ').map_or("", |(_, r)| r));
        matches!(p.trim().trim_start_matches("mut ").trim(), "self")
    };
    params.iter().filter(|p| !p.trim().is_empty() && !is_self(p)).count()
}

#[test]
fn parameters_are_counted_as_written() {
    assert_eq!(parameters("fn f(&self, a: u8, b: impl Fn(&X) -> Y, c: Vec<(u8, u8)>) {", "f"), 3);
    assert_eq!(parameters("fn g<F: Fn(u8)>(&'a mut self, f: F) -> u8 {", "g"), 1);
    assert_eq!(parameters("fn h(\n    a: u8,\n    b: u8,\n) {", "h"), 2);
    let long = format!("fn long() {{\n{}}}\n", "    x;\n".repeat(90));
    let found = functions(Path::new("x.rs"), &long);
    assert_eq!((found.len(), found[0].lines), (1, 92));
}

#[test]
fn functions_are_short_and_take_few_parameters() {
    let mut too_big = Vec::new();
    let files = source_files();
    assert!(files.len() > 20, "src/ was not read: {files:?}");
    assert!(files.iter().any(|f| f.ends_with("search/terms.rs")), "folder modules are read");
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        for f in functions(&path, &text) {
            if f.lines > MAX_LINES || f.params > MAX_PARAMS {
                let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
                let file = f.file.strip_prefix(&src).unwrap_or(&f.file).display().to_string();
                too_big.push(format!(
                    "src/{file}:{} {}: {} lines, {} parameters",
                    f.line, f.name, f.lines, f.params
                ));
            }
        }
    }
    assert!(
        too_big.is_empty(),
        "functions longer than {MAX_LINES} lines or with more than {MAX_PARAMS} parameters \
         (split them into named steps, or pass a context struct):\n{}",
        too_big.join("\n")
    );
}
