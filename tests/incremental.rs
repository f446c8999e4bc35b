//! Incremental builds (issue 24): a book whose outputs match everything they
//! depend on is not built again, and nothing is written; a change to one
//! book's chapter, the clock, a deleted output or `--force` builds again.

mod common;

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use common::{qalam, stderr, stdout};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;
use std::time::SystemTime;

/// Every file below `dir`: its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
                out.insert(rel, (std::fs::read(&p).unwrap(), mtime));
            }
        }
    }
    out
}

fn build_all(cat: &Path, out: &Path, epoch: &str, extra: &[&str]) -> Output {
    let o = qalam()
        .env("SOURCE_DATE_EPOCH", epoch)
        .args(["build", "--all"])
        .arg(cat)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    o
}

/// The files of one book's output folder.
fn book(
    snap: &BTreeMap<String, (Vec<u8>, SystemTime)>,
    name: &str,
) -> Vec<(String, Vec<u8>, SystemTime)> {
    snap.iter()
        .filter(|(k, _)| k.starts_with(name))
        .map(|(k, (b, t))| (k.clone(), b.clone(), *t))
        .collect()
}

#[test]
fn unchanged_books_are_skipped_and_changed_ones_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = corpus::write_catalogue(&tmp.path().join("cat"), 3);
    let out = tmp.path().join("out");
    let first = build_all(&cat, &out, "1700000000", &[]);
    assert!(
        stdout(&first).contains("built 3 of 3 books (0 up to date)"),
        "{}",
        stdout(&first)
    );
    let built = snapshot(&out);
    // An EPUB, a PDF and the record per book.
    assert_eq!(built.len(), 9, "{:?}", built.keys());
    assert!(built.contains_key("book-0001/.qalam-build.json"));

    // Nothing changed: nothing is built or written.
    let again = build_all(&cat, &out, "1700000000", &[]);
    let so = stdout(&again);
    assert!(so.contains("built 0 of 3 books (3 up to date)"), "{so}");
    assert!(so.contains("book-0002 is up to date"), "{so}");
    assert_eq!(snapshot(&out), built, "a second build wrote nothing");

    // A file touched with its content unchanged is still up to date.
    let chapter = cat.join("book-0002/interview.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, &text).unwrap();
    let so = stdout(&build_all(&cat, &out, "1700000000", &[]));
    assert!(so.contains("(3 up to date)"), "{so}");

    // One chapter's content changed: that book only.
    std::fs::write(&chapter, text.replace("Kazakhstan", "Qazaqstan")).unwrap();
    let so = stdout(&build_all(&cat, &out, "1700000000", &[]));
    assert!(so.contains("built 1 of 3 books (2 up to date)"), "{so}");
    assert!(so.contains("built book-0002 in"), "{so}");
    let after = snapshot(&out);
    for other in ["book-0001", "book-0003"] {
        assert_eq!(
            book(&after, other),
            book(&built, other),
            "{other} untouched"
        );
    }
    let epub = "book-0002/kazakhstans-new-national-story-volume-2.epub";
    assert!(after.contains_key(epub), "{:?}", after.keys());
    assert_ne!(
        after[epub].0, built[epub].0,
        "the changed book's EPUB changed"
    );

    // A deleted output: that book is built again, and gets the same bytes.
    std::fs::remove_file(out.join(epub)).unwrap();
    let so = stdout(&build_all(&cat, &out, "1700000000", &[]));
    assert!(so.contains("built 1 of 3 books (2 up to date)"), "{so}");
    assert_eq!(snapshot(&out)[epub].0, after[epub].0);

    // An output changed by hand is not taken for the build's.
    std::fs::write(out.join(epub), b"not an epub").unwrap();
    let so = stdout(&build_all(&cat, &out, "1700000000", &[]));
    assert!(so.contains("built 1 of 3 books (2 up to date)"), "{so}");
    assert_eq!(snapshot(&out)[epub].0, after[epub].0);

    // --force builds every book; another clock too.
    let so = stdout(&build_all(&cat, &out, "1700000000", &["--force"]));
    assert!(so.contains("built 3 of 3 books (0 up to date)"), "{so}");
    let so = stdout(&build_all(&cat, &out, "1800000000", &[]));
    assert!(so.contains("built 3 of 3 books (0 up to date)"), "{so}");
    // Other formats are another build, whose record replaces this one.
    let so = stdout(&build_all(&cat, &out, "1800000000", &["--format", "epub"]));
    assert!(so.contains("built 3 of 3 books (0 up to date)"), "{so}");
}

#[test]
fn one_book_says_it_is_up_to_date_and_follows_its_images() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::copy_book("book", tmp.path());
    let build = |extra: &[&str]| {
        let o = qalam()
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .arg("build")
            .arg(&dir)
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    assert!(build(&[]).contains("wrote "));
    let so = build(&[]);
    assert!(
        so.contains("is up to date") && !so.contains("wrote "),
        "{so}"
    );
    // The cover is one of the files the book reads.
    let record = std::fs::read_to_string(dir.join("out/.qalam-build.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&record).unwrap();
    let inputs: Vec<String> = json["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    let cover = inputs
        .iter()
        .find(|p| p.ends_with(".jpg"))
        .expect("the cover is recorded");
    assert!(inputs.contains(&"book.toml".to_string()), "{inputs:?}");
    let cover = if Path::new(cover).is_absolute() {
        Path::new(cover).to_path_buf()
    } else {
        dir.join(cover)
    };
    let mut bytes = std::fs::read(&cover).unwrap();
    // A byte of the JPEG's trailing data: the image still reads.
    bytes.push(0);
    std::fs::write(&cover, bytes).unwrap();
    assert!(build(&[]).contains("wrote "));
    assert!(build(&["--force"]).contains("wrote "));
}
