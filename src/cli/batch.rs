//! `qalam build --all CATALOGUE_DIR`: every book project below a folder,
//! built in parallel. One broken book never stops the others: each book's
//! output is kept apart and the failures are summed up at the end.

use super::build::{Args, build_book};
use super::{Ui, Verbosity};
use indicatif::{ProgressBar, ProgressStyle};
use qalam::build::BuildOptions;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
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

/// Builds every book below `args.book_dir`, all with `base`'s clock and
/// text engine (shared by the workers: what one book shapes, the next
/// need not).
pub fn run(args: &Args, ui: &Ui, base: &BuildOptions) -> ExitCode {
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
        let code = build_book(&one, &book_ui, base);
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
    };
    // As many books at a time as there are threads, each on a worker of
    // its own whose stages use the rayon pool. Books handed to rayon
    // directly would pile up: a thread waiting for its book's parallel
    // part steals and starts another book, and that one another, so that
    // a catalogue held many covers and layouts in memory at once.
    let workers = rayon::current_num_threads().clamp(1, books.len());
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Outcome)>> = Mutex::new(Vec::with_capacity(books.len()));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(dir) = books.get(i) else { break };
                    let out = build(dir);
                    if let Ok(mut d) = done.lock() {
                        d.push((i, out));
                    }
                }
            });
        }
    });
    bar.finish_and_clear();
    let mut outcomes = done.into_inner().unwrap_or_default();
    // Reported in the order of the books' paths, whatever order they ended in.
    outcomes.sort_by_key(|(i, _)| *i);
    let outcomes: Vec<Outcome> = outcomes.into_iter().map(|(_, o)| o).collect();

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
