//! `qalam build --all CATALOGUE_DIR`: every book below a folder (or one
//! shard of them), built in parallel. One broken book never stops the
//! others: each book's output is kept apart, failures summed up at the end.

use super::{Ui, Verbosity};
use super::{book::build_book, options::Args, options::Base};
use indicatif::{ProgressBar, ProgressStyle};
use qalam::catalogue::{ReportLine, Status, find_books, relative};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

struct Outcome {
    dir: PathBuf,
    ok: bool,
    log: String,
    line: ReportLine,
}

/// Builds every book below `args.book_dir`, all with `base`'s clock and
/// text engine (shared by the workers: what one book shapes, the next
/// need not).
pub fn run(args: &Args, ui: &Ui, base: &Base) -> ExitCode {
    let root = &args.book_dir;
    let mut books = match find_books(root) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read the folder {}: {e}", root.display());
            return super::input_error();
        }
    };
    if books.is_empty() {
        eprintln!(
            "error: no book project (a folder with book.toml) below {}",
            root.display()
        );
        return super::input_error();
    }
    if let Some(shard) = args.shard {
        books = qalam::catalogue::in_shard(root, &books, shard);
    }
    // JSON lines on stdout leave it to them alone.
    let to_stdout = args.report.as_ref().is_some_and(|r| r.file.is_none());
    let say = |line: &str| match to_stdout {
        true => eprintln!("{line}"),
        false => println!("{line}"),
    };

    let started = Instant::now();
    // A bar on a terminal; plain lines otherwise (logs, CI), one per book.
    let terminal = std::io::stderr().is_terminal() && ui.verbosity > Verbosity::Quiet;
    let bar = if terminal && !books.is_empty() {
        let b = ProgressBar::new(books.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} books, {elapsed} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let verbosity = ui.verbosity;
    let build = |dir: &PathBuf| {
        let t = Instant::now();
        let one = Args {
            book_dir: dir.clone(),
            out_dir: args
                .out_dir
                .as_ref()
                .map(|o| o.join(dir.strip_prefix(root).unwrap_or(dir.as_path()))),
            all: false,
            ..args.clone()
        };
        // Warnings are kept only when asked for: a catalogue's summary
        // is about what failed.
        let book_ui = Ui::captured(verbosity.min(Verbosity::Normal));
        let built = build_book(&one, &book_ui, base);
        let name = relative(root, dir);
        let out = Outcome {
            dir: dir.clone(),
            ok: built.code == ExitCode::SUCCESS,
            log: book_ui.take_log(),
            line: ReportLine {
                path: name.clone(),
                status: built.status,
                outputs: built.outputs,
                digest: built.digest,
                diagnostics: book_ui.take_errors().lines().map(String::from).collect(),
                millis: t.elapsed().as_millis(),
            },
        };
        let line = match out.line.status {
            Status::Built => format!("built {} in {} ms", name.display(), out.line.millis),
            Status::UpToDate => format!("{} is up to date", name.display()),
            Status::Failed => format!("FAILED {}", name.display()),
        };
        if terminal {
            if !out.ok {
                bar.println(line);
            }
        } else if verbosity >= Verbosity::Normal || !out.ok {
            say(&line);
        }
        bar.inc(1);
        out
    };
    let outcomes = qalam::catalogue::each_book(&books, build);
    bar.finish_and_clear();

    if let Some(report) = &args.report {
        let lines: Vec<&ReportLine> = outcomes.iter().map(|o| &o.line).collect();
        if let Err(e) = report.write(&lines, &mut std::io::stdout()) {
            eprintln!("error: {e}");
            return super::input_error();
        }
    }
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.ok).collect();
    if verbosity >= Verbosity::Verbose && !to_stdout {
        for o in outcomes.iter().filter(|o| o.ok) {
            print!("{}:\n{}", o.dir.display(), o.log);
        }
    }
    let fresh = outcomes
        .iter()
        .filter(|o| o.line.status == Status::UpToDate)
        .count();
    let summary = format!(
        "built {} of {} books ({fresh} up to date){} in {} ms",
        outcomes.len() - failed.len() - fresh,
        outcomes.len(),
        args.shard
            .map(|s| format!(", shard {s}"))
            .unwrap_or_default(),
        started.elapsed().as_millis()
    );
    if verbosity >= Verbosity::Normal {
        say(&summary);
    }
    if failed.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!("\n{} of {} books failed:", failed.len(), outcomes.len());
    for o in &failed {
        eprintln!("\n--- {}", o.dir.display());
        eprint!("{}", o.log);
    }
    super::input_error()
}
