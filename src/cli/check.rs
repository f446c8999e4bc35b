use super::Ui;
use qalam::build::{BuildOptions, Failure, Project};
use qalam::model::{Block, Book, plain_text, plain_text_blocks};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The book folder (with book.toml)
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
}

/// Reads the book, then builds every format into a scratch folder that is
/// thrown away: every rule `build` applies (the layout, the pictures, the
/// PDF/UA checks) runs, so a book that checks clean builds.
pub fn run(args: Args, ui: &Ui) -> ExitCode {
    let project = Project::load(&args.book_dir);
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
    summary(book, ui);
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
        ..super::build::base_options().opts
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
    match reason {
        None => {
            ui.info(format!("ok: {errors} error(s), {warnings} warning(s)"));
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
