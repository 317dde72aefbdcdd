//! The files every page links to, published under `assets/` with a content hash in each name, so
//! browsers and caches never mix an old stylesheet with a new page: the theme's stylesheets and
//! scripts (minified), the code colours, the checker's rules per language, the print margins per
//! language, and (made later) the search index per language. Stylesheets go through lightningcss
//! (by way of minify-html) and scripts through oxc as they are published.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::checker::Rules;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::fingerprint;
use crate::output::Output;
use crate::project::Project;
use crate::{handout, highlight};

/// Names of the published files, under the output folder.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Assets {
    pub css: String,
    pub js: String,
    pub syntax: String,
    /// The checker's script and its rules, when the project has a checker.
    pub checker_js: Option<String>,
    pub checker_rules: Option<BTreeMap<String, String>>,
    /// The search script, the entry page's (which searches every language) and the search index
    /// of each language.
    pub search_js: String,
    pub search_all_js: String,
    pub search: BTreeMap<String, String>,
    /// The zoom viewer of each language (its words before the theme's `zoom.js`), and its
    /// stylesheet.
    pub zoom_js: BTreeMap<String, String>,
    pub zoom_css: String,
    /// The print margins (title, page numbers) of each language.
    pub print_css: BTreeMap<String, String>,
    /// The print page's own stylesheet (its cover and contents on paper).
    pub handout: String,
    /// The print page's page names (each slide on pages of its own, saying so at their foot).
    pub handout_css: BTreeMap<String, String>,
}

/// Publishes the theme's static files, the code colours and the checker's rules; a file that
/// cannot be written is a problem, and the others are still published.
pub fn publish_theme(project: &Project, output: &Output, problems: &mut Diagnostics) -> Assets {
    let mut publish = |name: &str, bytes: Vec<u8>| match publish(output, name, bytes) {
        Ok(path) => path,
        Err(d) => {
            problems.push(d);
            String::new()
        }
    };
    let checker = project.checker.as_ref();
    let mut named = BTreeMap::new();
    for (name, bytes) in &project.theme.static_files {
        // The zoom viewer is published per language with its words; the search engine goes
        // inside each search index.
        if (name == "checker.js" && checker.is_none()) || name == "zoom.js" || name == SEARCH_ENGINE
        {
            continue;
        }
        named.insert(name.clone(), publish(name, minify_asset(name, bytes)));
    }
    let syntax = publish("syntax.css", highlight::stylesheet().into_bytes());
    let languages = project.guide.languages();
    let checker_rules = checker.map(|rules: &Rules| {
        let each = languages.iter().map(|lang| {
            let name = format!("checker-rules.{lang}.js");
            (lang.clone(), publish(&name, rules.script(lang, languages).into_bytes()))
        });
        each.collect()
    });
    let get = |n: &str| named.get(n).cloned().unwrap_or_default();
    let zoom_css = get("zoom.css");
    let zoom_js = languages.iter().map(|lang| {
        let script = zoom_script(project, lang, &zoom_css);
        (lang.clone(), publish(&format!("zoom.{lang}.js"), minify_asset("zoom.js", &script)))
    });
    let zoom_js = zoom_js.collect();
    Assets {
        css: get("tebiki.css"),
        js: get("tebiki.js"),
        syntax,
        checker_js: named.get("checker.js").cloned(),
        checker_rules,
        search_js: get("search.js"),
        zoom_js,
        zoom_css,
        search_all_js: get("search-all.js"),
        handout: get("handout.css"),
        search: BTreeMap::new(),
        print_css: BTreeMap::new(),
        handout_css: BTreeMap::new(),
    }
}

/// The theme's search engine, which each language's search index script starts with.
pub const SEARCH_ENGINE: &str = "search-engine.js";

/// The search engine, minified, for the head of a search index script.
pub fn search_engine(project: &Project) -> Vec<u8> {
    let code = project.theme.static_files.get(SEARCH_ENGINE).map_or(&[][..], Vec::as_slice);
    minify_asset(SEARCH_ENGINE, code)
}

/// The zoom viewer of one language: what it needs to know (its stylesheet, beside it under
/// `assets/`, which it loads itself where the page does not link it, and its words from
/// `strings.toml`) as `window.tebikiZoomSetup`, then the theme's `zoom.js`.
fn zoom_script(project: &Project, lang: &str, css: &str) -> Vec<u8> {
    let strings = &project.theme.strings;
    let words: BTreeMap<&str, &str> = [
        ("close", "zoom_close"),
        ("in", "zoom_in"),
        ("out", "zoom_out"),
        ("fit", "zoom_fit"),
        ("open", "full_size"),
    ]
    .into_iter()
    .map(|(name, key)| (name, strings.get(lang, key)))
    .collect();
    let setup = serde_json::json!({
        "css": css.strip_prefix("assets/").unwrap_or(css),
        "words": words,
    });
    let code = project.theme.static_files.get("zoom.js").map_or(&[][..], Vec::as_slice);
    [format!("window.tebikiZoomSetup = {setup};\n").as_bytes(), code].concat()
}

/// Publishes each language's print margins (the guide's title at the top of each printed page,
/// its number at the bottom) and the print page's page names.
pub fn publish_print_margins(
    project: &Project,
    assets: &mut Assets,
    output: &Output,
    problems: &mut Diagnostics,
) {
    let config = &project.guide.config;
    for lang in config.languages.iter() {
        let title = config.text(&config.title, lang);
        let margins = handout::margin_css(title, project.theme.strings.get(lang, "page_label"));
        let names = handout::page_names_css(&named_pages(project, lang));
        let published = publish(output, &format!("print.{lang}.css"), margins.into_bytes())
            .and_then(|margins| {
                let names =
                    publish(output, &format!("slide-pages.{lang}.css"), names.into_bytes())?;
                Ok((margins, names))
            });
        match published {
            Ok((margins, names)) => {
                assets.print_css.insert(lang.clone(), margins);
                assets.handout_css.insert(lang.clone(), names);
            }
            Err(d) => problems.push(d),
        }
    }
}

/// The printed pages of one language by what they hold: the contents, each slide, and each
/// chapter, whose heading goes on its first printed slide's page (slide 1 is the cover).
fn named_pages(project: &Project, lang: &str) -> Vec<handout::NamedPages> {
    let strings = &project.theme.strings;
    let guide = &project.guide;
    let slide = |n: u32| handout::NamedPages {
        selector: format!("#slide-{n}"),
        name: format!("s{n}"),
        label: strings.slide_label(lang, n),
    };
    let mut named = vec![handout::NamedPages {
        selector: "#contents".into(),
        name: "contents".into(),
        label: strings.get(lang, "contents").to_string(),
    }];
    if project.changes.is_some() {
        // The changes since the previous edition, after the contents on pages of their own.
        named.push(handout::NamedPages {
            selector: "#changes".into(),
            name: "changes".into(),
            label: strings.get(lang, "changes_title").to_string(),
        });
    }
    // The pages of content/pages printed after the contents, each labelled with its title.
    let printed = project.pages.iter().filter(|p| p.lang == lang && p.handout);
    named.extend(printed.map(|p| handout::NamedPages {
        selector: format!("#page-{}", p.name),
        name: format!("page-{}", p.name),
        label: p.title.clone(),
    }));
    // The slides there are (a guide with gaps is reported, not made, but its assets are).
    let numbers = guide.slides.keys().filter(|(l, _)| l == lang).map(|(_, n)| *n);
    named.extend(numbers.map(slide));
    for ch in &guide.chapters {
        let first = if ch.first == 1 { 2 } else { ch.first };
        if first <= ch.last {
            named.push(handout::NamedPages {
                selector: format!("#chapter-{}", ch.slug),
                name: format!("s{first}"),
                label: String::new(),
            });
        }
    }
    named
}

/// Adds `bytes` to the site as `assets/NAME`, with a content hash before the extension
/// (`tebiki.css` → `assets/tebiki.1a2b3c4d.css`), and returns that path.
pub fn publish(output: &Output, name: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let path = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("assets/{stem}.{:08x}.{ext}", fingerprint(&[&bytes]) as u32),
        None => format!("assets/{name}"),
    };
    output.put(PathBuf::from(&path), bytes)?;
    Ok(path)
}

/// A stylesheet or script minified; other files, and any text the minifiers would not take,
/// are returned as they are. Scripts go through oxc (compressed, local names shortened, comments
/// dropped); stylesheets through lightningcss by way of minify-html (wrapped in `<style>`).
pub fn minify_asset(name: &str, bytes: &[u8]) -> Vec<u8> {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("js") => std::str::from_utf8(bytes)
            .ok()
            .and_then(minify_js)
            .map_or_else(|| bytes.to_vec(), String::into_bytes),
        Some("css") if !bytes.windows(8).any(|w| w.eq_ignore_ascii_case(b"</style>")) => {
            let mut cfg = minify_html::Cfg::new();
            cfg.minify_css = true;
            let out = minify_html::minify(&[b"<style>", bytes, b"</style>"].concat(), &cfg);
            out.strip_prefix(b"<style>")
                .and_then(|o| o.strip_suffix(b"</style>"))
                .map_or_else(|| bytes.to_vec(), <[u8]>::to_vec)
        }
        _ => bytes.to_vec(),
    }
}

/// A classic script minified, or `None` if it does not parse.
fn minify_js(source: &str) -> Option<String> {
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, source, oxc_span::SourceType::cjs()).parse();
    if !parsed.errors.is_empty() || parsed.panicked {
        return None;
    }
    let mut program = parsed.program;
    let options = oxc_minifier::MinifierOptions {
        mangle: Some(oxc_minifier::MangleOptions::default()),
        compress: Some(oxc_minifier::CompressOptions::safest()),
    };
    let minified = oxc_minifier::Minifier::new(options).minify(&allocator, &mut program);
    let code = oxc_codegen::Codegen::new()
        .with_options(oxc_codegen::CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .build(&program)
        .code;
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minifies_stylesheets_and_scripts() {
        let css = minify_asset("a.css", b"/* note */\n.a {\n  color: #ff0000;\n}\n");
        assert_eq!(String::from_utf8(css).unwrap(), ".a{color:red}");
        let js = String::from_utf8(minify_asset("a.js", b"// note\nfunction add(first, second) {\n  return first + second;\n}\nwindow.add = add;\n")).unwrap();
        assert!(!js.contains("note") && js.contains("window.add") && js.len() < 60, "{js}");
        let iife = String::from_utf8(minify_asset(
            "a.js",
            b"(function () { var longName = 1; window.x = longName + 1; })();",
        ))
        .unwrap();
        assert!(!iife.contains("longName"), "local names are shortened: {iife}");
        assert_eq!(minify_asset("a.txt", b"  x  "), b"  x  ");
        assert_eq!(minify_asset("a.js", b"this is not javascript"), b"this is not javascript");
    }
}
