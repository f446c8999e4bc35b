//! Scale (issue 8): output that does not depend on the number of threads,
//! `qalam build --all` over a catalogue with a broken book in it, and
//! `--timings`.

mod common;

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use common::{qalam, root, stderr, stdout};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

/// Every file below `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.ends_with(qalam::incremental::RECORD) {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn build_with_threads(book: &Path, out: &Path, threads: usize) -> Output {
    qalam()
        .env("RAYON_NUM_THREADS", threads.to_string())
        .arg("build")
        .arg(book)
        .arg("-o")
        .arg(out)
        .output()
        .expect("qalam runs")
}

#[test]
fn output_is_byte_identical_with_one_or_four_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let long = corpus::write_book(&tmp.path().join("book-8"), 8);
    for (name, book) in [("sample", root().join("book")), ("8 chapters", long)] {
        let mut seen = Vec::new();
        for threads in [1, 4] {
            let out = tmp
                .path()
                .join(format!("out-{threads}-{}", name.replace(' ', "-")));
            let o = build_with_threads(&book, &out, threads);
            assert!(o.status.success(), "{name}: {}", stderr(&o));
            seen.push(files(&out));
        }
        assert_eq!(seen[0].len(), 2, "{name}: an EPUB and a PDF");
        for (file, bytes) in &seen[0] {
            assert!(
                seen[1].get(file) == Some(bytes),
                "{name}: {file} differs between 1 and 4 threads"
            );
        }
    }
}

/// A catalogue of `n` good books and, when `broken`, one whose chapter
/// references a note it never defines (an input error).
fn catalogue(dir: &Path, n: usize, broken: bool) {
    corpus::write_catalogue(dir, n);
    if broken {
        // Nested one level deeper: books are found at any depth.
        let bad = dir.join("series/broken");
        std::fs::create_dir_all(&bad).unwrap();
        std::fs::write(
            bad.join("book.toml"),
            "[book]\ntitle = \"Broken\"\nauthors = [\"A\"]\nlanguage = \"en\"\n",
        )
        .unwrap();
        std::fs::write(
            bad.join("interview.md"),
            "---\ntitle: Broken\n---\n\n**Q: Why?**\n\nBecause.[^missing]\n",
        )
        .unwrap();
    }
}

#[test]
fn build_all_builds_every_book_and_reports_the_broken_one() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("catalogue");
    catalogue(&cat, 3, true);
    let out = tmp.path().join("out");
    let o = qalam()
        .args(["build", "--all"])
        .arg(&cat)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let (so, se) = (stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{so}\n{se}");
    // Not a terminal: a plain line per book, then the summary.
    for n in 1..=3 {
        assert!(so.contains(&format!("built book-{n:04} in")), "{so}");
        let dir = out.join(format!("book-{n:04}"));
        let made = files(&dir);
        assert_eq!(made.len(), 2, "{n}: {made:?}");
    }
    assert!(so.contains("built 3 of 4 books"), "{so}");
    assert!(so.contains("FAILED series/broken"), "{so}");
    assert!(se.contains("1 of 4 books failed"), "{se}");
    assert!(se.contains("note-undefined"), "the reason is shown: {se}");
    assert!(!out.join("series/broken").join("broken.epub").exists());

    // A book built in the batch is the book built alone.
    let alone = tmp.path().join("alone");
    let o = build_with_threads(&cat.join("book-0002"), &alone, 2);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files(&alone), files(&out.join("book-0002")));
}

#[test]
fn build_all_succeeds_when_every_book_does() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("catalogue");
    catalogue(&cat, 2, false);
    // Without -o each book is written into its own out/ folder.
    let o = qalam()
        .args(["build", "--all", "--format", "epub"])
        .arg(&cat)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    for n in 1..=2 {
        let epub = cat.join(format!(
            "book-{n:04}/out/kazakhstans-new-national-story-volume-{n}.epub"
        ));
        assert!(epub.is_file(), "{}: {}", epub.display(), stdout(&o));
    }

    // A folder without books is an error, not a silent success.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = qalam()
        .args(["build", "--all"])
        .arg(&empty)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no book project"), "{}", stderr(&o));
}

#[test]
fn timings_name_every_stage() {
    let tmp = tempfile::tempdir().unwrap();
    let o = qalam()
        .args(["build", "--timings", "-q"])
        .arg(root().join("book"))
        .arg("-o")
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let so = stdout(&o);
    for stage in [
        "read",
        "typography",
        "shaping",
        "line breaking",
        "pages",
        "EPUB",
        "PDF write",
    ] {
        assert!(so.contains(&format!("  {stage} ")), "{stage}: {so}");
    }
}
