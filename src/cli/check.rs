use super::Ui;
use qalam::model::{Block, Book, plain_text, plain_text_blocks};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The book folder (with book.toml)
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
}

pub fn run(args: Args, ui: &Ui) -> ExitCode {
    let loaded = qalam::source::load(&args.book_dir);
    ui.diagnostics(&loaded.diagnostics, &loaded.sources);
    let d = &loaded.diagnostics;
    match &loaded.book {
        Some(book) => {
            summary(book, ui);
            ui.info(format!(
                "ok: {} error(s), {} warning(s)",
                d.error_count(),
                d.warning_count()
            ));
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "{} error(s), {} warning(s): {} cannot be built until the errors are fixed",
                d.error_count(),
                d.warning_count(),
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
