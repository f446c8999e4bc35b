//! Shared helpers of the integration tests: running the binary, building
//! fixture books in temporary folders, and calling outside validators.
//!
//! Validators (EPUBCheck, qpdf, poppler, calibre) are used when installed.
//! When one is missing a test says it skipped, unless
//! `QALAM_REQUIRE_VALIDATORS=1` is set (as `.ci/run` does): then a missing
//! validator fails the test, so CI always checks for real.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `qalam` command ready to run.
pub fn qalam() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qalam"));
    c.env("NO_COLOR", "1");
    c
}

/// Runs `qalam args…` and returns its output.
pub fn run(args: &[&str]) -> Output {
    qalam().args(args).output().expect("qalam runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Copies a folder tree (fixtures into a temporary folder).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A copy of a book folder under `tmp` (as `tmp/book`, without an `out`
/// folder an earlier build left there), with the covers folder beside it
/// so that `../covers/…` still resolves.
pub fn copy_book(from: &str, tmp: &Path) -> PathBuf {
    let dir = tmp.join("book");
    copy_dir(&root().join(from), &dir);
    let _ = std::fs::remove_dir_all(dir.join("out"));
    if root().join("covers").is_dir() {
        copy_dir(&root().join("covers"), &tmp.join("covers"));
    }
    dir
}

/// Whether a missing validator must fail the test.
pub fn validators_required() -> bool {
    std::env::var("QALAM_REQUIRE_VALIDATORS").is_ok_and(|v| v == "1")
}

/// Reports a missing validator: a failure in CI, a visible skip elsewhere.
/// Returns `false` so callers can `if !have(...) { return; }`.
pub fn missing(tool: &str) -> bool {
    if validators_required() {
        panic!("{tool} is not installed but QALAM_REQUIRE_VALIDATORS=1; run .ci/run or install it");
    }
    eprintln!(
        "skipped: {tool} is not installed (set QALAM_REQUIRE_VALIDATORS=1 to make this a failure)"
    );
    false
}

pub fn on_path(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The EPUBCheck jar: `$EPUBCHECK_JAR`, or the one `.ci/run` installs;
/// `None` without a `java` to run it (a jar alone is not an EPUBCheck).
pub fn epubcheck_jar() -> Option<PathBuf> {
    if !on_path("java") {
        return None;
    }
    if let Some(p) = std::env::var_os("EPUBCHECK_JAR") {
        let p = PathBuf::from(p);
        if p.is_file() {
            return Some(p);
        }
    }
    for prefix in ["/opt/qalam-validators", "/opt/epub-validators"] {
        let lib = Path::new(prefix).join("venv/lib");
        let Ok(rd) = std::fs::read_dir(&lib) else {
            continue;
        };
        for e in rd.flatten() {
            let jar = e.path().join("site-packages/epubcheck/epubcheck.jar");
            if jar.is_file() {
                return Some(jar);
            }
        }
    }
    None
}

/// What EPUBCheck said about one file.
pub struct EpubCheck {
    pub fatals: usize,
    pub errors: usize,
    pub warnings: usize,
    pub output: String,
}

/// Runs EPUBCheck on `epub`; `None` when it is not installed (and not required).
pub fn epubcheck(epub: &Path) -> Option<EpubCheck> {
    let Some(jar) = epubcheck_jar() else {
        missing("EPUBCheck");
        return None;
    };
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .arg(epub)
        .output()
        .expect("java runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let r = match parse_epubcheck_summary(&text) {
        Some((fatals, errors, warnings)) => EpubCheck {
            fatals,
            errors,
            warnings,
            output: text.clone(),
        },
        None => panic!("EPUBCheck's summary does not parse:\n{text}"),
    };
    // A failed run must have said why.
    assert!(
        out.status.success() || r.fatals + r.errors + r.warnings > 0,
        "EPUBCheck failed ({}) without counting a message:\n{text}",
        out.status
    );
    Some(r)
}

/// The fatal, error and warning counts of EPUBCheck's summary line
/// ("Messages: 0 fatals / 2 errors / 1 warning / 0 infos"); all three
/// must be there and be numbers. With no summary line, only "No errors or
/// warnings detected" counts as nothing found; any other output is `None`,
/// never a count of 0 made up for it.
pub fn parse_epubcheck_summary(text: &str) -> Option<(usize, usize, usize)> {
    let Some(line) = text
        .lines()
        .find(|l| l.trim_start().starts_with("Messages:"))
    else {
        return text
            .contains("No errors or warnings detected")
            .then_some((0, 0, 0));
    };
    let count = |label: &str| -> Option<usize> {
        let part = line.split('/').find(|p| p.contains(label))?;
        // "<n> <label>s", the number just before the label.
        let words: Vec<&str> = part.split_whitespace().collect();
        let at = words.iter().position(|w| w.starts_with(label))?;
        words.get(at.checked_sub(1)?)?.parse().ok()
    };
    Some((count("fatal")?, count("error")?, count("warning")?))
}

/// Asserts that EPUBCheck finds nothing at all in `epub` (when installed).
pub fn assert_epubcheck_clean(epub: &Path) {
    if let Some(r) = epubcheck(epub) {
        assert!(
            r.fatals == 0 && r.errors == 0 && r.warnings == 0,
            "EPUBCheck on {}: {} fatal, {} errors, {} warnings\n{}",
            epub.display(),
            r.fatals,
            r.errors,
            r.warnings,
            r.output
        );
    }
}

/// Runs a command-line validator; `None` when it is not installed (and not required).
pub fn tool(name: &str, args: &[&std::ffi::OsStr]) -> Option<Output> {
    if !on_path(name) {
        missing(name);
        return None;
    }
    Some(Command::new(name).args(args).output().expect("tool runs"))
}

/// Runs EPUBCheck on many files in one JVM (`.ci/BatchEpubCheck.java`):
/// one result per file, in order; `None` when EPUBCheck is not installed
/// (and not required).
pub fn epubcheck_many(epubs: &[PathBuf]) -> Option<Vec<EpubCheck>> {
    let Some(jar) = epubcheck_jar() else {
        missing("EPUBCheck");
        return None;
    };
    if epubs.is_empty() {
        return Some(Vec::new());
    }
    let out = Command::new("java")
        .arg("-cp")
        .arg(&jar)
        .arg(root().join(".ci/BatchEpubCheck.java"))
        .args(epubs)
        .output()
        .expect("java runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let mut results = Vec::new();
    let mut messages = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("RESULT ") {
            // Three counts, each a number: anything else is a failure with
            // the whole output, never a count made up for it.
            let n: Vec<usize> = rest
                .split_whitespace()
                .take(3)
                .map(|x| x.parse())
                .collect::<Result<_, _>>()
                .unwrap_or_else(|e| {
                    panic!("EPUBCheck batch line `{line}` does not parse ({e}):\n{text}")
                });
            assert_eq!(
                n.len(),
                3,
                "EPUBCheck batch line `{line}` has fewer than three counts:\n{text}"
            );
            results.push(EpubCheck {
                fatals: n[0],
                errors: n[1],
                warnings: n[2],
                output: std::mem::take(&mut messages),
            });
        } else {
            messages.push_str(line);
            messages.push('\n');
        }
    }
    assert_eq!(
        results.len(),
        epubs.len(),
        "EPUBCheck batch gave {} results for {} files:\n{text}",
        results.len(),
        epubs.len()
    );
    Some(results)
}

pub mod devtools;
pub mod pdf;
mod png_bomb;
#[allow(unused_imports)] // not every test binary uses it
pub use png_bomb::png_header_only;

/// Lower-case words: letter runs and digit runs, so that punctuation and
/// quotes never decide a comparison (a note number set against its word is
/// a word of its own).
pub fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut digits = false;
    for c in s.chars() {
        let is_word = c.is_alphanumeric();
        if (!is_word || c.is_numeric() != digits) && !cur.is_empty() {
            out.push(std::mem::take(&mut cur).to_lowercase());
        }
        if is_word {
            digits = c.is_numeric();
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur.to_lowercase());
    }
    out
}
