//! One rebuild: read the book, build it through [`crate::build::Project`]
//! into the server's scratch folder, and take the outputs into memory. The
//! text of its messages is what `qalam build` prints, without colour.

use super::preview::Preview;
use crate::build::{BuildOptions, Failure, Project};
use crate::diag::{Diagnostics, SourceMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// As the command line does: of each kind of message the first this many
/// are shown and the rest counted.
const SHOWN_PER_CODE: usize = 20;

/// What one rebuild gave.
pub struct Rebuilt {
    /// The new preview, when the book built.
    pub preview: Option<Preview>,
    /// Its errors, warnings and notes, as the terminal shows them.
    pub messages: String,
    pub errors: usize,
    pub warnings: usize,
    /// From reading the book to the preview in memory.
    pub took: Duration,
    /// Whether the build panicked (a bug in qalam), leaving the engine it
    /// used in a state nobody checked.
    pub panicked: bool,
}

/// The options of every rebuild: `base`'s clock and engine, all formats,
/// into `out_dir`.
fn options(out_dir: &Path, base: &BuildOptions) -> BuildOptions {
    BuildOptions {
        formats: Vec::new(),
        out_dir: out_dir.to_path_buf(),
        ..base.clone()
    }
}

/// Builds the book in `book_dir` and takes its outputs into memory.
pub fn rebuild(book_dir: &Path, base: &BuildOptions) -> Rebuilt {
    let t = Instant::now();
    // The build's files only pass through here, in a folder of the
    // server's own (unpredictable name, owner-only), removed when read.
    let scratch = match tempfile::Builder::new().prefix("qalam-serve-").tempdir() {
        Ok(d) => d,
        Err(e) => {
            return Rebuilt {
                preview: None,
                messages: format!("error: cannot make a folder for the build: {e}\n"),
                errors: 1,
                warnings: 0,
                took: t.elapsed(),
                panicked: false,
            };
        }
    };
    // A bug in the build must not end the server: it is reported like an
    // error, and the next save is built again.
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        build(book_dir, scratch.path(), base)
    }));
    let mut rebuilt = built.unwrap_or_else(|_| Rebuilt {
        preview: None,
        messages: "error: qalam failed while building this book (a bug in qalam; please report it with the book)\n".into(),
        errors: 1,
        warnings: 0,
        took: Duration::ZERO,
        panicked: true,
    });
    rebuilt.took = t.elapsed();
    rebuilt
}

fn build(book_dir: &Path, scratch: &Path, base: &BuildOptions) -> Rebuilt {
    let t = Instant::now();
    let project = Project::load(book_dir);
    let mut messages = String::new();
    let mut errors = project.diagnostics().error_count();
    let mut warnings = project.diagnostics().warning_count();
    let result = project.build(&options(scratch, base));
    let preview = match result {
        Ok(report) => {
            errors += report.diagnostics.error_count();
            warnings += report.diagnostics.warning_count();
            let both = [project.diagnostics(), &report.diagnostics];
            render(&both, project.sources(), &mut messages);
            for note in &report.notes {
                let _ = writeln!(messages, "{note}");
            }
            // The screen PDF, not the print variant with its crop marks.
            let find = |ext: &str| -> Option<PathBuf> {
                report.written.iter().map(|w| w.path.clone()).find(|p| {
                    p.extension().is_some_and(|e| e == ext)
                        && !p.to_string_lossy().ends_with("-print.pdf")
                })
            };
            let read = match (find("epub"), find("pdf")) {
                (Some(epub), Some(pdf)) => Preview::read(&epub, &pdf),
                _ => Err("the build wrote no EPUB or no PDF".to_string()),
            };
            match read {
                Ok(p) => Some(p),
                Err(e) => {
                    let _ = writeln!(messages, "error: {e}");
                    None
                }
            }
        }
        Err(failure) => {
            errors += failure.diagnostics.error_count();
            warnings += failure.diagnostics.warning_count();
            let both = [project.diagnostics(), &failure.diagnostics];
            render(&both, project.sources(), &mut messages);
            for note in &failure.notes {
                let _ = writeln!(messages, "{note}");
            }
            let _ = match failure.reason {
                Failure::Sources => writeln!(
                    messages,
                    "the book was not built: the preview shows the last good build"
                ),
                reason => writeln!(messages, "{reason}; the preview shows the last good build"),
            };
            None
        }
    };
    Rebuilt {
        // A build that failed without an error in the sources (a folder
        // that cannot be written) still counts as one.
        errors: errors.max(usize::from(preview.is_none())),
        warnings,
        preview,
        messages,
        took: t.elapsed(),
        panicked: false,
    }
}

/// The reader's diagnostics, then the build's, as `qalam build` prints them.
fn render(lists: &[&Diagnostics], sources: &SourceMap, out: &mut String) {
    let mut shown: Vec<(&str, usize)> = Vec::new();
    for d in lists.iter().flat_map(|l| l.iter()) {
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
        if n <= SHOWN_PER_CODE {
            out.push_str(&d.render(sources, false));
        }
    }
    for (code, n) in shown {
        if n > SHOWN_PER_CODE {
            let _ = writeln!(out, "… and {} more [{code}] not shown", n - SHOWN_PER_CODE);
        }
    }
}
