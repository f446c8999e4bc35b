//! Atomic outputs under SIGKILL: a build killed at any moment leaves the
//! earlier output whole (the old file or, if it got that far, the new one,
//! never a mix), and the next build removes whatever temporary file a
//! killed one left behind.

mod common;

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use common::{qalam, stderr};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn build(book: &Path, out: &Path) -> PathBuf {
    let o = qalam()
        .arg("build")
        .arg(book)
        .arg("-o")
        .arg(out)
        .args(["--format", "epub"])
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let mut epubs: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "epub"))
        .collect();
    assert_eq!(epubs.len(), 1, "{epubs:?}");
    epubs.remove(0)
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

    // Version A: the earlier output.
    let target = build(&book, &out);
    let a = std::fs::read(&target).unwrap();

    // Version B: one more paragraph; its output, built elsewhere, is what a
    // build that got as far as the rename leaves.
    let ch = book.join("chapter-0001.md");
    let mut text = std::fs::read_to_string(&ch).unwrap();
    text.push_str("\nA paragraph added after the first build.\n");
    std::fs::write(&ch, text).unwrap();
    let started = Instant::now();
    let reference = build(&book, &tmp.path().join("reference"));
    let full = started.elapsed();
    let b = std::fs::read(&reference).unwrap();
    assert_ne!(a, b);

    // Kill builds of B at moments spread over a build and a half, from a
    // few milliseconds in (a loaded machine builds slower than the
    // reference did).
    let kills = 20u32;
    let (mut old, mut new, mut temps_left) = (0, 0, 0);
    for i in 0..kills {
        let delay = Duration::from_millis(3) + full * (3 * i) / (2 * (kills - 1));
        let mut child = qalam()
            .arg("build")
            .arg(&book)
            .arg("-o")
            .arg(&out)
            .args(["--format", "epub"])
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL: no clean-up code runs
        let _ = child.wait();
        let now = std::fs::read(&target).unwrap();
        if now == a {
            old += 1;
        } else if now == b {
            new += 1;
        } else {
            panic!(
                "after a kill at {delay:?} the output is neither the old nor the new book ({} bytes)",
                now.len()
            );
        }
        if !temp_files(&out).is_empty() {
            temps_left += 1;
        }
    }
    eprintln!(
        "{kills} kills over a {full:?} build: {old} left the old book, {new} the new one, {temps_left} a temporary file"
    );
    assert!(old > 0, "no kill landed before the end of a build");

    // What a build killed while writing leaves: a temporary file that no
    // process holds. The next build removes it (and any real one).
    let stale = out.join(format!(
        ".{}.4000000-7.tmp",
        target.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&stale, &b[..b.len() / 2]).unwrap();
    let again = build(&book, &out);
    assert_eq!(again, target);
    assert_eq!(std::fs::read(&target).unwrap(), b);
    assert_eq!(
        temp_files(&out),
        Vec::<String>::new(),
        "stray temporary files"
    );
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}
