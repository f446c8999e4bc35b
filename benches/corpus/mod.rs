//! The corpus generator: N-chapter books and catalogues of M books, made
//! from the sample interview so every benchmark can be re-run by anyone.
//!
//! Used by the criterion benches (`mod corpus;`) and by
//! `cargo run --release --example corpus` for whole-process measurements.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The sample chapter's text.
pub fn sample_chapter() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/interview.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Chapter `n` (1-based) of a generated book: the sample with a distinct
/// title and distinct note labels.
pub fn chapter_text(sample: &str, n: usize) -> String {
    sample
        .replacen(
            "title: Kazakhstan’s New National Story",
            &format!("title: Kazakhstan’s New National Story, Conversation {n}"),
            1,
        )
        .replace("[^book]", &format!("[^book-{n}]"))
        .replace("[^qantar]", &format!("[^qantar-{n}]"))
}

/// Writes a book project with `chapters` chapters into `dir` and returns `dir`.
pub fn write_book(dir: &Path, chapters: usize) -> PathBuf {
    let sample = sample_chapter();
    std::fs::create_dir_all(dir).unwrap();
    let mut list = Vec::with_capacity(chapters);
    for n in 1..=chapters {
        let name = format!("chapter-{n:04}.md");
        std::fs::write(dir.join(&name), chapter_text(&sample, n)).unwrap();
        list.push(format!("\"{name}\""));
    }
    let toml = format!(
        "[book]\ntitle = \"Conversations on Public Service, {chapters} Chapters\"\nauthors = [\"Qalam Corpus\"]\nlanguage = \"en\"\ndate = \"2024-05-01\"\npublisher = \"Qalam Sample Editions\"\nchapters = [{}]\n\n[epub]\ntoc-depth = 2\n",
        list.join(", ")
    );
    std::fs::write(dir.join("book.toml"), toml).unwrap();
    dir.to_path_buf()
}

/// Writes `books` one-interview book projects under `dir` (one folder each).
pub fn write_catalogue(dir: &Path, books: usize) -> PathBuf {
    let sample = sample_chapter();
    std::fs::create_dir_all(dir).unwrap();
    for n in 1..=books {
        let book = dir.join(format!("book-{n:04}"));
        std::fs::create_dir_all(&book).unwrap();
        std::fs::write(book.join("interview.md"), chapter_text(&sample, n)).unwrap();
        let toml = format!(
            "[book]\ntitle = \"Kazakhstan’s New National Story, Volume {n}\"\nauthors = [\"Alikhan Baimenov\"]\nlanguage = \"en\"\ndate = \"2024-05-01\"\n"
        );
        std::fs::write(book.join("book.toml"), toml).unwrap();
    }
    dir.to_path_buf()
}
