use super::Ui;
use qalam::build::{BuildOptions, Failure, Project};
use qalam::model::{Block, Book, PdfSettings, PdfVariant, plain_text, plain_text_blocks};
use qalam::preflight::Status;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The book folder (with book.toml)
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// Also build the print PDF (whatever `[pdf] variants` says) and list
    /// what a printer's preflight checks: boxes, bleed, fonts, pictures'
    /// resolution, colour spaces, hairlines, the safe area, crop marks and
    /// the output intent
    #[arg(long)]
    pub print: bool,
    /// With --print: the preflight as a table (default) or as JSON on stdout
    #[arg(long, value_enum, default_value = "table", requires = "print")]
    pub report: Report,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Report {
    Table,
    Json,
}

/// Reads the book, then builds every format into a scratch folder that is
/// thrown away: every rule `build` applies (the layout, the pictures, the
/// PDF/UA checks) runs, so a book that checks clean builds.
pub fn run(args: Args, ui: &Ui) -> ExitCode {
    let mut project = Project::load(&args.book_dir);
    if args.print
        && let Some(book) = project.loaded.book.as_mut()
        && !book.settings.pdf.variants.contains(&PdfVariant::Print)
    {
        book.settings.pdf.variants.push(PdfVariant::Print);
    }
    ui.diagnostics(project.diagnostics(), project.sources());
    let d = project.diagnostics();
    let Some(book) = project.book() else {
        eprintln!(
            "{} error(s), {} warning(s): {} cannot be built until the errors are fixed",
            d.error_count(),
            d.warning_count(),
            args.book_dir.display()
        );
        return super::input_error();
    };
    // JSON asked for is all stdout holds.
    let json = args.print && args.report == Report::Json;
    if !json {
        summary(book, ui);
    }
    let scratch = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => {
            ui.err_line(format!(
                "error: cannot make a scratch folder to try the build in: {e}"
            ));
            return super::input_error();
        }
    };
    let opts = BuildOptions {
        out_dir: scratch.path().to_path_buf(),
        ..super::options::base_options().opts
    };
    let (built, notes, reason) = match project.build(&opts) {
        Ok(report) => (report.diagnostics, report.notes, None),
        Err(f) => (f.diagnostics, f.notes, Some(f.reason)),
    };
    ui.diagnostics(&built, project.sources());
    for note in &notes {
        ui.err_line(note);
    }
    let (errors, warnings) = (
        d.error_count() + built.error_count(),
        d.warning_count() + built.warning_count(),
    );
    let preflight_failed = match (args.print, &reason) {
        (true, None) => {
            let pdf = scratch.path().join(format!("{}-print.pdf", book.meta.slug));
            !preflight(&pdf, &book.settings.pdf, args.report, ui)
        }
        _ => false,
    };
    match reason {
        None if preflight_failed => {
            eprintln!(
                "{errors} error(s), {warnings} warning(s): the print PDF of {} fails the preflight",
                args.book_dir.display()
            );
            super::input_error()
        }
        None => {
            let ok = format!("ok: {errors} error(s), {warnings} warning(s)");
            if json {
                ui.err_line(ok);
            } else {
                ui.info(ok);
            }
            ExitCode::SUCCESS
        }
        Some(reason) => {
            let why = match reason {
                Failure::Format(format, n) => format!("{n} error(s) in the {}", format.name()),
                Failure::Cover => "the cover is not usable".to_string(),
                other => other.to_string(),
            };
            eprintln!(
                "{errors} error(s), {warnings} warning(s): {} would not build ({why})",
                args.book_dir.display()
            );
            super::input_error()
        }
    }
}

/// Reads the built print PDF back and shows the preflight; false when a
/// printer would refuse it (or it cannot be read).
fn preflight(pdf: &Path, settings: &PdfSettings, report: Report, ui: &Ui) -> bool {
    let found = std::fs::read(pdf)
        .map_err(|e| qalam::diag::io_reason(&e))
        .and_then(|bytes| qalam::preflight::inspect(&bytes));
    let found = match found {
        Ok(f) => f,
        Err(e) => {
            ui.err_line(format!(
                "error: cannot read the print PDF back for the preflight: {e}"
            ));
            return false;
        }
    };
    let rows = found.rows(settings.warn_ppi, settings.min_ppi);
    match report {
        // Asked for, so printed even with --quiet.
        Report::Json => println!("{}", serde_json::json!({ "rows": rows, "figures": found })),
        Report::Table => {
            ui.info(format!(
                "preflight of {}:",
                pdf.file_name().unwrap_or_default().to_string_lossy()
            ));
            ui.info(qalam::preflight::render(&rows).trim_end());
            let count = |s: Status| rows.iter().filter(|r| r.status == s).count();
            ui.info(format!(
                "preflight: {} error(s), {} warning(s)",
                count(Status::Error),
                count(Status::Warning)
            ));
        }
    }
    !rows.iter().any(|r| r.status == Status::Error)
}

/// What the book holds, so an editor can see the reader understood it.
fn summary(book: &Book, ui: &Ui) {
    let questions: usize = book.chapters.iter().map(|c| c.exchanges.len()).sum();
    let pulls: usize = book.chapters.iter().map(|c| c.pull_quote_count()).sum();
    let notes: usize = book.chapters.iter().map(|c| c.notes.len()).sum();
    let bios = book.chapters.iter().filter(|c| c.bio.is_some()).count();
    let words: usize = book
        .chapters
        .iter()
        .map(|c| {
            c.body_blocks()
                .filter(|b| !matches!(b, Block::PullQuote { .. }))
                .map(|b| {
                    plain_text_blocks(std::slice::from_ref(b))
                        .split_whitespace()
                        .count()
                })
                .sum::<usize>()
        })
        .sum();
    ui.info(format!(
        "book: {} ({})",
        book.meta.title, book.meta.language
    ));
    ui.info(format!("chapters: {}", book.chapters.len()));
    ui.info(format!("questions: {questions}"));
    ui.info(format!("pull quotes: {pulls}"));
    ui.info(format!("endnotes: {notes}"));
    ui.info(format!("bios: {bios}"));
    ui.info(format!("words: {words}"));
    for c in &book.chapters {
        ui.detail(format!(
            "  {}: {} ({} questions, {} notes)",
            c.file.display(),
            plain_text(&c.title),
            c.exchanges.len(),
            c.notes.len()
        ));
    }
}
