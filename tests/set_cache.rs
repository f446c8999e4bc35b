//! An engine that keeps a book's set paragraphs between builds
//! (`Engine::keeping_sets`, as `qalam serve` makes): after a one-chapter
//! change it sets that chapter alone, and writes exactly the bytes a fresh
//! engine writes for the changed book, pages after the change moved.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use qalam::build::{BuildOptions, Project};
use qalam::{Engine, SetStats};
use std::path::Path;
use std::sync::Arc;

const CHAPTERS: usize = 5;
/// Paragraphs added to a chapter: some pages.
const ADDED: usize = 30;

/// Builds `book` with `engine`: its files by name, and its page count.
fn build(book: &Path, out: &Path, engine: &Arc<Engine>) -> (Vec<(String, Vec<u8>)>, usize) {
    let project = Project::load(book);
    assert!(!project.diagnostics().has_errors());
    let report = project
        .build(&BuildOptions {
            formats: Vec::new(),
            out_dir: out.to_path_buf(),
            source_date_epoch: Some(1_700_000_000),
            engine: Arc::clone(engine),
        })
        .unwrap_or_else(|f| panic!("{}", f.reason));
    let mut files: Vec<(String, Vec<u8>)> = report
        .written
        .iter()
        .map(|w| {
            (
                w.path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&w.path).unwrap(),
            )
        })
        .collect();
    files.sort();
    assert!(files.len() >= 2, "an EPUB and a PDF");
    (files, report.laid_out.unwrap().0)
}

fn assert_same(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for ((na, ba), (nb, bb)) in a.iter().zip(b) {
        assert_eq!(na, nb, "{what}");
        assert!(ba == bb, "{what}: {na} differs");
    }
}

fn minus(a: SetStats, b: SetStats) -> SetStats {
    SetStats {
        chapters_set: a.chapters_set - b.chapters_set,
        chapters_reused: a.chapters_reused - b.chapters_reused,
        paragraphs_set: a.paragraphs_set - b.paragraphs_set,
        paragraphs_reused: a.paragraphs_reused - b.paragraphs_reused,
    }
}

#[test]
fn a_one_chapter_change_sets_one_chapter_and_writes_what_a_fresh_build_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let book = corpus::write_book(&tmp.path().join("book"), CHAPTERS);
    let engine = Arc::new(Engine::keeping_sets());

    let (first, pages_before) = build(&book, &tmp.path().join("a"), &engine);
    let after_first = engine.set_stats();
    assert_eq!(after_first.chapters_set, CHAPTERS);
    assert_eq!(after_first.chapters_reused, 0);
    let (fresh, _) = build(&book, &tmp.path().join("b"), &Arc::new(Engine::new()));
    assert_same(&first, &fresh, "a first build through the cache");

    // Chapter 3: one word changed, and some pages of new paragraphs after
    // it, so that the chapters after it start pages later.
    let path = book.join("chapter-0003.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let old = "we developed a groundbreaking law";
    assert!(text.contains(old));
    let mut added = String::new();
    for k in 1..=ADDED {
        added.push_str(&format!(
            "\n\nAn added paragraph, number {k}, long enough to take some lines of the \
             page: the chapter grows by its length, and the chapters after it move. \
             Every paragraph added is one more for the typesetter to set, and one \
             the cache has not seen before, so it counts as set and not reused."
        ));
    }
    let changed = text
        .replacen(old, "we wrote a groundbreaking law", 1)
        .replacen(
            "civil servants for the first time.",
            &format!("civil servants for the first time.{added}"),
            1,
        );
    assert_ne!(changed, text);
    std::fs::write(&path, changed).unwrap();

    let (again, pages_after) = build(&book, &tmp.path().join("c"), &engine);
    let (fresh, fresh_pages) = build(&book, &tmp.path().join("d"), &Arc::new(Engine::new()));
    assert_same(&again, &fresh, "a rebuild after a one-chapter change");
    assert_eq!(pages_after, fresh_pages);
    assert!(
        pages_after > pages_before,
        "{pages_before} -> {pages_after}"
    );

    let after_second = engine.set_stats();
    let second = minus(after_second, after_first);
    assert_eq!(second.chapters_set, 1, "{second:?}");
    assert_eq!(second.chapters_reused, CHAPTERS - 1, "{second:?}");
    // The paragraph with the changed word and those added.
    assert_eq!(second.paragraphs_set, ADDED + 1, "{second:?}");
    assert!(second.paragraphs_reused > 100, "{second:?}");

    // Nothing changed: nothing set.
    let (third, _) = build(&book, &tmp.path().join("e"), &engine);
    assert_same(&third, &fresh, "a rebuild with nothing changed");
    let unchanged = minus(engine.set_stats(), after_second);
    assert_eq!(unchanged.chapters_set, 0, "{unchanged:?}");
    assert_eq!(unchanged.paragraphs_set, 0, "{unchanged:?}");
}

#[test]
fn an_engine_that_does_not_keep_sets_counts_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let book = corpus::write_book(&tmp.path().join("book"), 2);
    let engine = Arc::new(Engine::new());
    build(&book, &tmp.path().join("a"), &engine);
    assert_eq!(engine.set_stats(), SetStats::default());
}
