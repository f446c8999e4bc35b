//! The bytes of the sample book, the style specimen and a 50-chapter book,
//! pinned: a refactoring must not change what qalam writes, and a change
//! that means to (a new EPUB style, a better line break) shows here and is
//! accepted on purpose, by rewriting the list:
//!
//! ```sh
//! QALAM_BLESS=1 cargo test --test golden_outputs
//! ```
//!
//! The list is `tests/fixtures/output-hashes.txt` (SHA-1 of each file, with
//! `SOURCE_DATE_EPOCH` fixed).

mod common;

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use common::{qalam, root, stderr};
use std::path::Path;

const EPOCH: &str = "1700000000";

fn build(book: &Path, out: &Path) -> Vec<(String, String)> {
    let o = qalam()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["-q", "build"])
        .arg(book)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}: {}", book.display(), stderr(&o));
    let mut files: Vec<(String, String)> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        // The build record is not an output (it names the qalam version and
        // the digests of what the book read).
        .filter(|p| p.is_file() && !p.ends_with(qalam::incremental::RECORD))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                sha1_smol::Sha1::from(&bytes).digest().to_string(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn outputs_are_the_pinned_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let fifty = corpus::write_book(&tmp.path().join("book-50"), 50);
    let books = [
        ("sample", root().join("book")),
        ("specimen", root().join("tests/fixtures/specimen")),
        ("50-chapters", fifty),
    ];
    let mut lines = Vec::new();
    for (name, dir) in &books {
        for (file, hash) in build(dir, &tmp.path().join(format!("out-{name}"))) {
            lines.push(format!("{hash}  {name}/{file}"));
        }
    }
    let got = lines.join("\n") + "\n";
    let pinned = root().join("tests/fixtures/output-hashes.txt");
    if std::env::var_os("QALAM_BLESS").is_some() {
        std::fs::write(&pinned, &got).unwrap();
        eprintln!("wrote {}", pinned.display());
        return;
    }
    let want = std::fs::read_to_string(&pinned).unwrap_or_default();
    assert!(
        got == want,
        "the outputs changed; if that is meant, run QALAM_BLESS=1 cargo test --test golden_outputs\n\
         pinned:\n{want}\nnow:\n{got}"
    );
}
