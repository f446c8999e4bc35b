//! The library's front door: `Project::load(dir)` and `project.build(&options)`
//! build a book without the command line, all or nothing.

mod common;

use qalam::build::{BuildOptions, Failure, Format, Project};
use std::path::Path;

fn specimen() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/specimen"
    ))
}

#[test]
fn a_book_builds_from_rust() {
    let tmp = tempfile::tempdir().unwrap();
    let project = Project::load(specimen());
    assert!(!project.diagnostics().has_errors());
    let report = project
        .build(&BuildOptions {
            formats: Vec::new(),
            out_dir: tmp.path().join("out"),
            ..Default::default()
        })
        .unwrap_or_else(|f| panic!("{}", f.reason));
    let names: Vec<String> = report
        .written
        .iter()
        .map(|w| w.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n.ends_with(".epub")), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".pdf")), "{names:?}");
    for w in &report.written {
        let bytes = std::fs::read(&w.path).unwrap();
        assert_eq!(bytes.len(), w.size);
    }
    assert!(report.laid_out.is_some_and(|(pages, _)| pages > 0));
    let epub = report
        .written
        .iter()
        .find(|w| w.path.extension().is_some_and(|e| e == "epub"))
        .unwrap();
    common::assert_epubcheck_clean(&epub.path);
}

#[test]
fn one_format_writes_only_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    let report = Project::load(specimen())
        .build(&BuildOptions {
            formats: vec![Format::Epub],
            out_dir: tmp.path().to_path_buf(),
            ..Default::default()
        })
        .unwrap_or_else(|f| panic!("{}", f.reason));
    assert_eq!(report.written.len(), 1);
    assert!(
        report.written[0]
            .path
            .extension()
            .is_some_and(|e| e == "epub")
    );
    let files = std::fs::read_dir(tmp.path()).unwrap().count();
    assert_eq!(files, 1, "only the EPUB is in the folder");
    common::assert_epubcheck_clean(&report.written[0].path);
}

#[test]
fn an_output_path_that_is_a_file_is_a_usage_error_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("out");
    std::fs::write(&file, b"keep me").unwrap();
    let failure = Project::load(specimen())
        .build(&BuildOptions {
            formats: Vec::new(),
            out_dir: file.clone(),
            ..Default::default()
        })
        .expect_err("a file is no output folder");
    assert!(matches!(failure.reason, Failure::OutDirNotFolder(_)));
    assert!(failure.reason.is_usage());
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
}

#[test]
fn a_book_that_does_not_read_does_not_build() {
    let tmp = tempfile::tempdir().unwrap();
    let project = Project::load(&tmp.path().join("no-such-book"));
    assert!(project.book().is_none());
    assert!(project.diagnostics().has_errors());
    let failure = project
        .build(&BuildOptions {
            formats: Vec::new(),
            out_dir: tmp.path().join("out"),
            ..Default::default()
        })
        .expect_err("nothing to build");
    assert!(matches!(failure.reason, Failure::Sources));
    assert!(!tmp.path().join("out").exists());
}
