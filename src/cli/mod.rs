//! Command line: parse arguments (clap), call the library, print diagnostics,
//! choose the exit code. One file per subcommand.

mod batch;
mod book;
mod build;
mod check;
mod cover;
mod import;
mod new;
mod options;
mod serve;
mod ui;

use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::process::ExitCode;
pub use ui::{Ui, Verbosity};

const EXAMPLES: &str = "\
Examples:
  qalam new my-book            start a book project in ./my-book
  qalam check book             check the sample book and report what it holds
  qalam check                  check the book in the current folder
  qalam check --print book     also build the print PDF and show a printer's preflight of it
  qalam build book             write book/out/<slug>.epub and <slug>.pdf
  qalam build book -o dist --format pdf
  qalam build --all books      build every book project below ./books, in parallel
                               (books whose outputs are up to date are skipped)
  qalam build --all books --shard 2/4 --report json=2.jsonl
  qalam import page.html -o b  turn a saved interview page into a book project
  qalam cover book --style band   design a cover into covers/<slug>.png
  qalam serve book --open      preview the book in the browser while editing it

Exit codes: 0 success (warnings allowed), 1 errors in the input, 2 usage errors.";

#[derive(Parser)]
#[command(
    name = "qalam",
    version,
    about = "Typesets interviews into a print-ready PDF and an accessible EPUB 3",
    after_help = EXAMPLES
)]
struct Cli {
    /// Print errors only
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more detail (repeat for even more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a book project: run every rule, write nothing
    Check(check::Args),
    /// Build the book's outputs (EPUB, PDF) into OUT_DIR (default BOOK_DIR/out)
    Build(build::Args),
    /// Create a new book project with a template chapter
    New(new::Args),
    /// Turn a scraped interview (plain text or a saved web page) into a book project
    Import(import::Args),
    /// Design a typographic cover for the book (PNG, JPEG or SVG)
    Cover(cover::Args),
    /// Preview the book in the browser, rebuilt on every save
    Serve(serve::Args),
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let ui = Ui::new(
        if cli.quiet {
            Verbosity::Quiet
        } else if cli.verbose > 0 {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        },
        std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    );
    match cli.command {
        Command::Check(args) => check::run(args, &ui),
        Command::Build(args) => build::run(args, &ui),
        Command::New(args) => new::run(args, &ui),
        Command::Import(args) => import::run(args, &ui),
        Command::Cover(args) => cover::run(args, &ui),
        Command::Serve(args) => serve::run(args, &ui),
    }
}

/// Exit code 1: the input has errors.
pub fn input_error() -> ExitCode {
    ExitCode::from(1)
}
