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
    },
    /// Run every check of a build and write nothing.
    Check,
    /// Print the search normalisation and terms of each line of standard input, as JSON lines
    /// (for the test that the page's search.js agrees with tebiki).
    #[command(hide = true)]
    Tokens,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build { out } => tebiki::build(&cli.root, out).map(|(site, out)| {
            format!(
                "built {} slides in {} languages: {} files in {}\nimages: {} processed, {} from cache",
                site.slides,
                site.languages.len(),
                site.files.len(),
                out.display(),
                site.image_stats.processed,
                site.image_stats.cached,
            )
        }),
        Command::Tokens => {
            for line in std::io::stdin().lines().map_while(Result::ok) {
                let normalized = tebiki::search::normalize(&line);
                let terms = tebiki::search::terms(&normalized);
                println!("{}", serde_json::json!([line, normalized, terms]));
            }
            return ExitCode::SUCCESS;
        }
        Command::Check => tebiki::generate(&cli.root, tebiki::images::Mode::Check)
            .map(|site| format!("ok: {} slides in {} languages, no problems found", site.slides, site.languages.len())),
    };
    match result {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(errors) => {
            if cli.format == Format::Json {
                for d in errors.sorted() {
                    eprintln!("{}", d.to_json());
                }
            } else {
                report(errors, matches!(cli.command, Command::Build { .. }));
            }
            ExitCode::FAILURE
        }
    }
}

fn report(errors: Diagnostics, building: bool) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let errors = errors.sorted();
    for d in &errors {
        eprintln!("{}\n", d.render(color));
    }
    let n = errors.len();
    let plural = if n == 1 { "problem" } else { "problems" };
    if building {
        eprintln!("error: {n} {plural} found; nothing was written (the previous output, if any, is unchanged)");
    } else {
        eprintln!("error: {n} {plural} found");
    }
}
