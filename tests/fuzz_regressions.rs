//! Every input the fuzzers found a crash with (and every input that was
//! worth keeping), replayed through the same harness on each `cargo test`:
//! `tests/fuzz/regressions/<target>/*`. The harness is the fuzz crate's
//! (`tests/fuzz/src/lib.rs`), so a fixed crash stays fixed without nightly
//! tools or the fuzz build. See `tests/fuzz/README.md`.

#[path = "fuzz/src/lib.rs"]
mod harness;

use std::path::PathBuf;

#[test]
fn saved_fuzz_inputs_run_clean() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/regressions");
    let mut ran = 0;
    for (target, run) in harness::TARGETS {
        let Ok(entries) = std::fs::read_dir(dir.join(target)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            let data = std::fs::read(&f).unwrap();
            eprintln!("{target}: {}", f.display());
            run(&data);
            ran += 1;
        }
    }
    // The folder is not empty: see tests/fuzz/README.md for what is in it.
    assert!(ran > 0, "no saved inputs under {}", dir.display());
}
