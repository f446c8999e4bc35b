//! Takes a digest of what the program is compiled from (its code, its
//! dependencies' versions and the fonts it bundles), for the incremental
//! build record (`src/incremental.rs`): a qalam compiled from other code
//! or fonts must not take an earlier qalam's outputs as up to date, even
//! under the same version number. Taken here, once per compilation, so that
//! no command hashes megabytes of fonts to find out.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut all = Vec::new();
    for dir in ["src", "fonts"] {
        println!("cargo:rerun-if-changed={dir}");
        files(&root.join(dir), &mut all);
    }
    for file in ["Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={file}");
        all.push(root.join(file));
    }
    // Sorted by path relative to the package, so the digest does not
    // depend on where the package lies or on the order a folder lists.
    let mut named: Vec<(String, PathBuf)> = all
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).unwrap_or(&p);
            (rel.to_string_lossy().replace('\\', "/"), p)
        })
        .collect();
    named.sort();
    let mut h = sha1_smol::Sha1::new();
    for (name, path) in named {
        // A file that cannot be read (Cargo.lock in a dependent's build)
        // counts by its name alone.
        h.update(name.as_bytes());
        h.update(b"\0");
        if let Ok(bytes) = std::fs::read(&path) {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(&bytes);
        }
    }
    println!("cargo:rustc-env=QALAM_CODE_DIGEST={}", h.digest());
}
