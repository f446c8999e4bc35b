//! `qalam build --all CATALOGUE_DIR`: every book project below a folder,
//! built in parallel. One broken book never stops the others: each book's
//! output is kept apart and the failures are summed up at the end.

use super::build::{Args, build_book};
use super::{Ui, Verbosity};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Folders below `root` (itself included) that hold a `book.toml`, sorted so
/// that the order of messages and of the summary is the same on every run.
/// A book project's own subfolders (chapters, images, `out`) are not
/// searched: books do not nest. Hidden folders and symbolic links are
/// skipped (a link could lead back up the tree).
pub fn find_books(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if dir.join("book.toml").is_file() {
            found.push(dir);
            continue;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            // The root must be readable; an unreadable folder further down
            // is left out, as it cannot hold a book we could build.
            Err(e) if dir == root => return Err(e),
            Err(_) => continue,
        };
        for entry in entries.flatten() {
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if !hidden && entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(entry.path());
            }
        }
    }
    found.sort();
    Ok(found)
}

struct Outcome {
    dir: PathBuf,
    ok: bool,
    log: String,
    ms: u128,
}

pub fn run(args: &Args, ui: &Ui) -> ExitCode {
    let root = &args.book_dir;
    let books = match find_books(root) {
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

    let started = Instant::now();
    // A bar on a terminal; plain lines otherwise (logs, CI), one per book.
    let terminal = std::io::stderr().is_terminal() && ui.verbosity > Verbosity::Quiet;
    let bar = if terminal {
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
    let outcomes: Vec<Outcome> = books
        .par_iter()
        .map(|dir| {
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
            let code = build_book(&one, &book_ui);
            let out = Outcome {
                dir: dir.clone(),
                ok: code == ExitCode::SUCCESS,
                log: book_ui.take_log(),
                ms: t.elapsed().as_millis(),
            };
            let name = out.dir.strip_prefix(root).unwrap_or(&out.dir).display();
            let line = if out.ok {
                format!("built {name} in {} ms", out.ms)
            } else {
                format!("FAILED {name}")
            };
            if terminal {
                if !out.ok {
                    bar.println(line);
                }
            } else if verbosity >= Verbosity::Normal || !out.ok {
                println!("{line}");
            }
            bar.inc(1);
            out
        })
        .collect();
    bar.finish_and_clear();

    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.ok).collect();
    if verbosity >= Verbosity::Verbose {
        for o in outcomes.iter().filter(|o| o.ok) {
            print!("{}:\n{}", o.dir.display(), o.log);
        }
    }
    ui.info(format!(
        "built {} of {} books in {} ms",
        outcomes.len() - failed.len(),
        outcomes.len(),
        started.elapsed().as_millis()
    ));
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
