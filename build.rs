//! Links the `qalam` binary as a position-dependent executable on Linux
//! with glibc.
//!
//! Why: a position-independent `qalam` carries some 34,000 relocations that
//! the dynamic loader applies at every start, writing to 650 KB of tables
//! (and faulting those pages in) before `main` runs. Linked at a fixed
//! address it has about 120. Measured on the 2-core development machine
//! (`hyperfine -N`, 200 runs): `qalam --version` 1.5 -> 1.1 ms; and
//! `qalam import SEED -o DIR --build` 0.5 ms less in one hyperfine series
//! of 80 runs and 0.8 ms (median) in 100 alternating runs, of 20-25. qalam is
//! started once per book, often from scripts over many books.
//!
//! What it costs: the executable's own code and data are not placed at a
//! random address (the shared libraries, heap and stacks still are). A
//! distribution that wants a position-independent build sets `QALAM_PIE=1`
//! when building.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=QALAM_PIE");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" && std::env::var_os("QALAM_PIE").is_none() {
        // The code is still compiled position-independent; only the final
        // link fixes the address, so every relocation is resolved then.
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
