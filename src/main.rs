use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tebiki::diagnostics::Diagnostics;

/// tebiki: builds an accessible, printable, bilingual HTML guide from Markdown slides.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The project folder (holding content/, theme/ and images/).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    /// How to report problems: `text` for people, `json` (one object per line) for tools.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Build the guide into the output folder (replaced whole, only if the build succeeds).
    Build {
        /// Output folder, relative to the project folder.
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// The browser that prints each language's PDF handout (LANG/guide.pdf): Chromium,
        /// Google Chrome or Microsoft Edge. Without it, the first of them found is used.
        #[arg(long, value_name = "PATH", conflicts_with = "no_pdf")]
        browser: Option<PathBuf>,
        /// Make no PDF handouts.
        #[arg(long)]
        no_pdf: bool,
    },
    /// Run every check of a build and write nothing.
    Check,
    /// Build, serve the output folder on this computer, and rebuild and reload open pages when a
    /// file in content/, theme/ or images/ changes. Build problems show in the terminal and over
    /// the page, while the last good site stays served.
    Serve {
        /// Output folder, relative to the project folder.
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// Port to listen on (0: any free port).
        #[arg(long, short, default_value_t = 3000)]
        port: u16,
        /// Address to listen on. The default is this computer only; give 0.0.0.0 to let other
        /// computers on the network see the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
    },
    /// Make a starter guide in a new folder: settings, two slides in both languages, one screen.
    New {
        /// The folder to make (it must not exist, or be empty).
        dir: PathBuf,
    },
    /// List every slide's translations: current, behind (the source slide changed since it was
    /// translated) or missing. With `--format json`, the same as one JSON object.
    Translations {
        /// Record that the translation of slide N into LANG is up to date with its source:
        /// writes the source's fingerprint into the file's `translates = "…"` line (added after
        /// the `title` line if there is none); nothing else in the file changes.
        #[arg(long, num_args = 2, value_names = ["N", "LANG"])]
        done: Option<Vec<String>>,
    },
    /// Print the search normalisation and terms of each line of standard input, as JSON lines
    /// (for the test that the page's search.js agrees with tebiki).
    #[command(hide = true)]
    Tokens,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build { out, browser, no_pdf } => {
            let printer = match (browser, no_pdf) {
                (_, true) => tebiki::pdf::Printer::Off,
                (Some(path), _) => tebiki::pdf::Printer::Browser(path.clone()),
                (None, false) => tebiki::pdf::Printer::Find,
            };
            tebiki::build(&cli.root, out, &printer).map(|(site, out)| {
                if let tebiki::pdf::Handouts::Skipped = site.handouts {
                    eprintln!("{}", tebiki::pdf::SKIPPED);
                }
                (build_summary(&site, &out), site.warnings)
            })
        }
        Command::Translations { done } => translations(&cli.root, done.as_deref(), cli.format),
        Command::Tokens => {
            let stemmer = tebiki::search::Stemmer::English;
            for line in std::io::stdin().lines().map_while(Result::ok) {
                let normalized = tebiki::search::normalize(&line);
                let terms = tebiki::search::terms::terms(&normalized, stemmer);
                println!("{}", serde_json::json!([line, normalized, terms]));
            }
            return ExitCode::SUCCESS;
        }
        Command::Serve { out, port, bind } => {
            let options = tebiki::serve::Options {
                addr: std::net::SocketAddr::new(*bind, *port),
                out: out.clone(),
            };
            let format = cli.format;
            let report = move |errors: &Diagnostics, color: bool| {
                render_report(errors.clone(), format, color, false)
            };
            return match tebiki::serve::serve(&cli.root, &options, &report) {
                Ok(()) => ExitCode::SUCCESS,
                Err(text) => {
                    eprintln!("{text}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::New { dir } => {
            let dir = if dir.is_absolute() { dir.clone() } else { cli.root.join(dir) };
            tebiki::starter::create(&dir).map_err(Diagnostics::from).map(|files| {
                let shown = dir.display();
                let said = format!(
                    "made a starter guide in {shown} ({} files)\nnext: tebiki --root {shown} serve    (a live preview at http://127.0.0.1:3000/)\n      tebiki --root {shown} build    (the site in {shown}/public/)",
                    files.len()
                );
                (said, Diagnostics::default())
            })
        }
        Command::Check => check(&cli.root),
    };
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match result {
        Ok((summary, warnings)) => {
            if warnings.warning_count() > 0 {
                eprintln!("{}", render_report(warnings, cli.format, color, false));
            }
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!(
                "{}",
                render_report(
                    errors,
                    cli.format,
                    color,
                    matches!(cli.command, Command::Build { .. })
                )
            );
            ExitCode::FAILURE
        }
    }
}

/// `tebiki check`: every check of a build; what it found, and its warnings.
fn check(root: &std::path::Path) -> Result<(String, Diagnostics), Diagnostics> {
    let site = tebiki::generate(root, tebiki::images::Mode::Check)?;
    let found = match site.warnings.warning_count() {
        0 => "no problems found".to_string(),
        1 => "no errors, 1 warning".to_string(),
        n => format!("no errors, {n} warnings"),
    };
    let said = format!("ok: {} slides in {} languages, {found}", site.slides, site.languages.len());
    Ok((said, site.warnings))
}

/// What a build made, for the terminal.
fn build_summary(site: &tebiki::Summary, out: &std::path::Path) -> String {
    let images = &site.image_stats;
    let discarded = match images.discarded {
        0 => String::new(),
        n => format!(
            "\n{n} cached cop{} failed its checks (damaged, or not made by tebiki) and {} made again",
            if n == 1 { "y" } else { "ies" },
            if n == 1 { "was" } else { "were" }
        ),
    };
    format!(
        "built {} slides in {} languages: {} files in {}\nimages: {} processed, {} from cache{discarded}",
        site.slides,
        site.languages.len(),
        site.files,
        out.display(),
        images.processed,
        images.cached,
    ) + &handouts_summary(&site.handouts)
}

/// The PDF handouts made, one line.
fn handouts_summary(handouts: &tebiki::pdf::Handouts) -> String {
    let tebiki::pdf::Handouts::Made(made) = handouts else { return String::new() };
    let each: Vec<String> = made
        .iter()
        .map(|m| {
            let size = m.bytes as f64 / 1_000_000.0;
            format!("{} ({} pages, {size:.1} MB)", m.path.display(), m.pages)
        })
        .collect();
    format!("\nPDF handouts: {}", each.join(", "))
}

/// `tebiki translations`: the table (or its JSON), or with `done`, one translation recorded as
/// current.
fn translations(
    root: &std::path::Path,
    done: Option<&[String]>,
    format: Format,
) -> Result<(String, Diagnostics), Diagnostics> {
    use tebiki::translations::{self, Done};
    let said = match done {
        Some([number, lang]) => match translations::done(root, number, lang)? {
            Done::Recorded { file, fingerprint } => format!(
                "{file}: recorded that it translates the current source (translates = \"{fingerprint}\"); the translation is current"
            ),
            Done::AlreadyCurrent { file } => {
                format!("{file}: already current, nothing changed")
            }
        },
        _ => {
            let guide = translations::load(root)?;
            match format {
                Format::Json => translations::json(&guide).to_string(),
                Format::Text => translations::table(&guide),
            }
        }
    };
    Ok((said, Diagnostics::default()))
}

/// Every problem, sorted: compiler-style text for people, or one JSON object per line for tools.
/// Warnings come with the errors; with warnings only, the run succeeded.
fn render_report(problems: Diagnostics, format: Format, color: bool, building: bool) -> String {
    let (n, warnings) = (problems.len(), problems.warning_count());
    let problems = problems.sorted();
    if format == Format::Json {
        return problems.iter().map(|d| d.to_json().to_string()).collect::<Vec<_>>().join("\n");
    }
    let mut text: String = problems.iter().map(|d| format!("{}\n\n", d.render(color))).collect();
    let warned = match warnings {
        0 => String::new(),
        1 => " (and 1 warning)".to_string(),
        w => format!(" (and {w} warnings)"),
    };
    let plural = if n == 1 { "problem" } else { "problems" };
    if n == 0 {
        let plural = if warnings == 1 { "warning" } else { "warnings" };
        text.push_str(&format!("warning: {warnings} {plural} (they do not stop the build)"));
    } else if building {
        text.push_str(&format!("error: {n} {plural} found{warned}; nothing was written (the previous output, if any, is unchanged)"));
    } else {
        text.push_str(&format!("error: {n} {plural} found{warned}"));
    }
    text
}
