//! Atomic outputs under SIGKILL: a build of every format (the EPUB and the
//! PDF) killed at any moment leaves each earlier output whole (the old file
//! or, if it got that far, the new one, never a mix), and the next build
//! removes whatever temporary file a killed one left behind.

mod common;

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use common::{qalam, stderr};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// The outputs in `out`, by name (temporary files left out).
fn outputs(out: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| !qalam::output::is_temp_name(&e.file_name().to_string_lossy()))
        .filter(|e| e.file_name() != qalam::incremental::RECORD)
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn command(book: &Path, out: &Path) -> std::process::Command {
    let mut c = qalam();
    // Every format (no `--format`): the EPUB, then the PDF. A fixed date,
    // so that two builds of the same sources are byte-identical.
    c.arg("build")
        .arg(book)
        .arg("-o")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", "1700000000");
    c
}

/// Builds every format; the outputs, which must be the EPUB and the PDF.
fn build(book: &Path, out: &Path) -> BTreeMap<String, Vec<u8>> {
    let o = command(book, out).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let files = outputs(out);
    let kinds: Vec<&str> = files
        .keys()
        .map(|n| n.rsplit('.').next().unwrap())
        .collect();
    assert_eq!(kinds, ["epub", "pdf"], "{:?}", files.keys());
    files
}

fn temp_files(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| qalam::output::is_temp_name(n))
        .collect()
}

#[cfg(unix)]
#[test]
fn killed_builds_keep_the_earlier_output_and_the_next_build_cleans_up() {
    let tmp = tempfile::tempdir().unwrap();
    let book = corpus::write_book(&tmp.path().join("book"), 12);
    let out = tmp.path().join("out");

    // Version A: the earlier outputs.
    let a = build(&book, &out);

    // Version B: one more paragraph; its outputs, built elsewhere, are what
    // a build that got as far as the renames leaves.
    let ch = book.join("chapter-0001.md");
    let mut text = std::fs::read_to_string(&ch).unwrap();
    text.push_str("\nA paragraph added after the first build.\n");
    std::fs::write(&ch, text).unwrap();
    let started = Instant::now();
    let b = build(&book, &tmp.path().join("reference"));
    let full = started.elapsed();
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert_ne!(
            bytes, &b[name],
            "{name}: the new sources give the same file"
        );
    }

    // Kill builds of B at moments spread over a build and a half, from a
    // few milliseconds in (a loaded machine builds slower than the
    // reference did). Each output is the old or the new file, whole; the
    // EPUB is renamed before the PDF, so a kill between the two renames
    // leaves a new EPUB beside an old PDF, never a broken one.
    let kills = 20u32;
    let mut old = BTreeMap::<String, u32>::new();
    let mut new = BTreeMap::<String, u32>::new();
    let mut temps_left = 0;
    for i in 0..kills {
        let delay = Duration::from_millis(3) + full * (3 * i) / (2 * (kills - 1));
        let mut child = command(&book, &out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL: no clean-up code runs
        let _ = child.wait();
        let now = outputs(&out);
        assert_eq!(
            now.keys().collect::<Vec<_>>(),
            a.keys().collect::<Vec<_>>(),
            "after a kill at {delay:?}"
        );
        for (name, bytes) in &now {
            if *bytes == a[name] {
                *old.entry(name.clone()).or_default() += 1;
            } else if *bytes == b[name] {
                *new.entry(name.clone()).or_default() += 1;
            } else {
                panic!(
                    "after a kill at {delay:?} {name} is neither the old nor the new file ({} bytes)",
                    bytes.len()
                );
            }
        }
        if !temp_files(&out).is_empty() {
            temps_left += 1;
        }
    }
    eprintln!(
        "{kills} kills over a {full:?} build: old files {old:?}, new files {new:?}, {temps_left} left a temporary file"
    );
    assert!(
        a.keys()
            .all(|n| old.get(n.as_str()).is_some_and(|&k| k > 0)),
        "no kill landed before the end of a build"
    );

    // What a build killed while writing leaves: a temporary file of each
    // output that no process holds. The next build removes them.
    for (name, bytes) in &b {
        let stale = out.join(format!(".{name}.4000000-7.tmp"));
        std::fs::write(&stale, &bytes[..bytes.len() / 2]).unwrap();
    }
    // (The last killed build may have left a temporary file of its own.)
    assert!(temp_files(&out).len() >= b.len(), "{:?}", temp_files(&out));
    let again = build(&book, &out);
    assert_eq!(again, b);
    assert_eq!(
        temp_files(&out),
        Vec::<String>::new(),
        "stray temporary files"
    );
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != qalam::incremental::RECORD)
        .collect();
    assert_eq!(names.len(), b.len(), "{names:?}");
}
