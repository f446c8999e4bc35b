//! Command line: parse arguments (clap), call the library, print diagnostics,
//! choose the exit code. One file per subcommand.

mod batch;
mod build;
mod check;
mod cover;
mod import;
mod new;

use clap::{Parser, Subcommand};
use qalam::diag::{Diagnostics, SourceMap};
use std::io::IsTerminal;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  qalam new my-book            start a book project in ./my-book
  qalam check book             check the sample book and report what it holds
  qalam check                  check the book in the current folder
  qalam build book             write book/out/<slug>.epub and <slug>.pdf
  qalam build book -o dist --format pdf
  qalam build --all books      build every book project below ./books, in parallel
                               (books whose outputs are up to date are skipped)
  qalam build --all books --shard 2/4 --report json=2.jsonl
  qalam import page.html -o b  turn a saved interview page into a book project
  qalam cover book --style band   design a cover into covers/<slug>.png

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
}

/// How chatty to be.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// See [`Ui::diagnostics`].
pub const MAX_SHOWN_PER_CODE: usize = 20;

pub struct Ui {
    pub verbosity: Verbosity,
    color: bool,
    /// Set for one book of a batch build: output is kept here, to be shown
    /// after the batch, instead of being interleaved with other books'.
    log: Option<std::sync::Mutex<String>>,
    /// Of `log`, what went to stderr: the book's messages, for reports.
    err_log: Option<std::sync::Mutex<String>>,
}

impl Ui {
    /// A Ui that keeps its output (uncoloured) for [`Ui::take_log`].
    pub fn captured(verbosity: Verbosity) -> Self {
        Ui {
            verbosity,
            color: false,
            log: Some(Default::default()),
            err_log: Some(Default::default()),
        }
    }

    /// The messages (errors, warnings) kept so far by a [`Ui::captured`].
    pub fn take_errors(&self) -> String {
        self.err_log
            .as_ref()
            .and_then(|l| l.lock().ok().map(|mut l| std::mem::take(&mut *l)))
            .unwrap_or_default()
    }

    /// The output kept so far by a [`Ui::captured`].
    pub fn take_log(&self) -> String {
        self.log
            .as_ref()
            .and_then(|l| l.lock().ok().map(|mut l| std::mem::take(&mut *l)))
            .unwrap_or_default()
    }

    /// Prints diagnostics (warnings unless quiet) to stderr.
    ///
    /// Of each kind (code), the first [`MAX_SHOWN_PER_CODE`] are shown and
    /// the rest counted (all with `--verbose`): a broken file can give
    /// thousands of the same message, which helps nobody.
    pub fn diagnostics(&self, diags: &Diagnostics, sources: &SourceMap) {
        let mut shown: Vec<(&str, usize)> = Vec::new();
        for d in diags {
            if self.verbosity == Verbosity::Quiet && !d.is_error() {
                continue;
            }
            let n = match shown.iter_mut().find(|(c, _)| *c == d.code) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    shown.push((d.code, 1));
                    1
                }
            };
            if n <= MAX_SHOWN_PER_CODE || self.verbosity == Verbosity::Verbose {
                self.err(&d.render(sources, self.color && self.log.is_none()));
            }
        }
        if self.verbosity != Verbosity::Verbose {
            for (code, n) in shown {
                if n > MAX_SHOWN_PER_CODE {
                    self.err(&format!(
                        "… and {} more [{code}] not shown (--verbose shows them all)\n",
                        n - MAX_SHOWN_PER_CODE
                    ));
                }
            }
        }
    }

    /// A line for stderr (errors and warnings of the command itself, shown
    /// even with --quiet), or for the log of a captured Ui.
    pub fn err_line(&self, line: impl AsRef<str>) {
        self.err(&format!("{}\n", line.as_ref()));
    }

    /// Text for stderr, or for the log of a captured Ui.
    fn err(&self, text: &str) {
        match &self.log {
            Some(log) => {
                for log in [Some(log), self.err_log.as_ref()].into_iter().flatten() {
                    if let Ok(mut log) = log.lock() {
                        log.push_str(text);
                    }
                }
            }
            None => eprint!("{text}"),
        }
    }

    fn line(&self, line: &str) {
        match &self.log {
            Some(log) => {
                if let Ok(mut log) = log.lock() {
                    log.push_str(line);
                    log.push('\n');
                }
            }
            None => println!("{line}"),
        }
    }

    /// A line of normal output (suppressed by --quiet).
    pub fn info(&self, line: impl AsRef<str>) {
        if self.verbosity >= Verbosity::Normal {
            self.line(line.as_ref());
        }
    }

    pub fn detail(&self, line: impl AsRef<str>) {
        if self.verbosity >= Verbosity::Verbose {
            self.line(line.as_ref());
        }
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let ui = Ui {
        verbosity: if cli.quiet {
            Verbosity::Quiet
        } else if cli.verbose > 0 {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        },
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        log: None,
        err_log: None,
    };
    match cli.command {
        Command::Check(args) => check::run(args, &ui),
        Command::Build(args) => build::run(args, &ui),
        Command::New(args) => new::run(args, &ui),
        Command::Import(args) => import::run(args, &ui),
        Command::Cover(args) => cover::run(args, &ui),
    }
}

/// Exit code 1: the input has errors.
pub fn input_error() -> ExitCode {
    ExitCode::from(1)
}
