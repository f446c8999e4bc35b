//! Metadata values that would be empty once written (empty strings, spaces,
//! control characters such as `"\x01"`, characters XML forbids) in every
//! text field of `book.toml` and in a chapter's names: a build either
//! refuses the book with an error at the value's `file:line:column` and a
//! help line (exit code 1), or exits 0 with an EPUB whose package document
//! has no empty `dc:` element (EPUBCheck's RSC-005). Never a panic.
//!
//! A table of every field × every kind of blank value, then a property test
//! over generated values. The EPUBs that were built go through EPUBCheck
//! when it is installed (`QALAM_REQUIRE_VALIDATORS=1` makes it required).
//! More generated cases: `QALAM_METADATA_PROPTEST_CASES=500`.

mod common;

use common::qalam;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The `book.toml` fields that take text, and whether each is a list.
const TOML_FIELDS: &[(&str, bool)] = &[
    ("title", false),
    ("subtitle", false),
    ("authors", true),
    ("identifier", false),
    ("publisher", false),
    ("rights", false),
    ("description", false),
    ("keywords", true),
    ("subject", false),
];

/// The chapter's front matter fields that name people (`dc:contributor`s).
const YAML_FIELDS: &[(&str, bool)] = &[
    ("interviewee", false),
    ("interviewee", true),
    ("interviewer", false),
];

/// Values that are blank once written.
const BLANK: &[&str] = &[
    "",
    " ",
    "\t \u{3000}",
    "\u{1}",
    "\u{1}\u{2} \u{1f}",
    "\u{7f}",
    "\u{85}",
    "\u{9f}\u{80}",
    "\u{fffe}",
    "\u{fdd0}",
];

/// Values with text in them: they build.
const GOOD: &[&str] = &["Jane Doe", "  Jane Doe  ", "Jane\u{1}Doe", "\u{1}J"];

const CHAPTER_BODY: &str = "\n## A question?\n\nAn answer.\n";

/// `s` as a TOML basic string, every character outside printable ASCII
/// escaped (TOML forbids raw control characters). YAML's double-quoted
/// strings have the same escapes, so the front matter uses it too.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Where a case puts its value.
#[derive(Clone, Debug)]
enum Place {
    Toml { key: &'static str, list: bool },
    Yaml { key: &'static str, list: bool },
}

/// The book folder's files for `value` at `place`; the line (1-based) the
/// value is on, in `book.toml` or in the chapter.
fn book_files(place: &Place, value: &str) -> (String, String, u32) {
    let mut toml = String::from("[book]\n");
    let mut yaml = String::from("---\ntitle: A chapter\n");
    let line;
    match place {
        Place::Toml { key, list } => {
            if *key != "title" {
                toml.push_str("title = \"A Title\"\n");
            }
            line = toml.lines().count() as u32 + 1;
            let v = quoted(value);
            if *list {
                toml.push_str(&format!("{key} = [\"Someone\", {v}]\n"));
            } else {
                toml.push_str(&format!("{key} = {v}\n"));
            }
            yaml.push_str("interviewee: Someone Else\n");
        }
        Place::Yaml { key, list } => {
            toml.push_str("title = \"A Title\"\nauthors = [\"An Author\"]\n");
            line = yaml.lines().count() as u32 + 1;
            let v = quoted(value);
            if *list {
                yaml.push_str(&format!("{key}: [\"Someone\", {v}]\n"));
            } else {
                yaml.push_str(&format!("{key}: {v}\n"));
            }
        }
    }
    yaml.push_str("---\n");
    yaml.push_str(CHAPTER_BODY);
    (toml, yaml, line)
}

/// What one build gave.
enum Outcome {
    /// Exit 0: the EPUB.
    Built(PathBuf),
    /// Exit 1 with the `empty-value` error at the value's line.
    Refused,
}

/// Builds the book for `value` at `place` in `dir` (EPUB only) and checks
/// the outcome; `Err` says what is wrong.
fn build(dir: &Path, place: &Place, value: &str) -> Result<Outcome, String> {
    let book = dir.join("book");
    std::fs::create_dir_all(&book).unwrap();
    let (toml, chapter, line) = book_files(place, value);
    std::fs::write(book.join("book.toml"), &toml).unwrap();
    std::fs::write(book.join("interview.md"), &chapter).unwrap();
    let o = qalam()
        .current_dir(dir)
        .args(["build", "book", "--format", "epub", "-o", "out"])
        .output()
        .expect("qalam runs");
    let err = common::stderr(&o);
    let case = format!("{place:?} = {value:?}");
    if err.contains("panicked") {
        return Err(format!("{case}: crashed\n{err}"));
    }
    match o.status.code() {
        Some(0) => {
            let epub = std::fs::read_dir(dir.join("out"))
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == "epub"))
                .ok_or_else(|| format!("{case}: exit 0 and no EPUB"))?;
            let opf = package_document(&epub);
            if let Some(empty) = empty_dc_element(&opf) {
                return Err(format!(
                    "{case}: exit 0 with an empty element {empty}\n{opf}"
                ));
            }
            Ok(Outcome::Built(epub))
        }
        Some(1) => {
            let file = match place {
                Place::Toml { .. } => "book/book.toml",
                Place::Yaml { .. } => "book/interview.md",
            };
            // codespan: `error[code]: message`, `┌─ file:line:col`, `= help: …`.
            let at = format!("┌─ {file}:{line}:");
            let ok = err.contains("error[empty-value]") || err.contains("error[missing-title]");
            if !ok || !err.contains(&at) || !err.contains("= help: ") {
                return Err(format!(
                    "{case}: exit 1 without the error at {file}:{line} with a help line\n{err}"
                ));
            }
            Ok(Outcome::Refused)
        }
        other => Err(format!("{case}: exit code {other:?}\n{err}")),
    }
}

/// The text of the EPUB's package document.
fn package_document(epub: &Path) -> String {
    let raw = std::fs::read(epub).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(raw)).unwrap();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().is_ok_and(|n| n.ends_with(".opf")) {
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            return s;
        }
    }
    panic!("{}: no package document", epub.display());
}

/// The first `dc:` element with no text (only XML white space), if any.
fn empty_dc_element(opf: &str) -> Option<String> {
    let mut rest = opf;
    while let Some(i) = rest.find("<dc:") {
        rest = &rest[i..];
        let name_end = rest[1..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(rest.len(), |j| j + 1);
        let name = &rest[1..name_end];
        let tag_end = rest.find('>').map_or(rest.len(), |j| j + 1);
        let tag = &rest[..tag_end];
        if tag.ends_with("/>") {
            return Some(tag.to_string());
        }
        let close = format!("</{name}>");
        let Some(j) = rest[tag_end..].find(&close) else {
            return Some(format!("{tag} (never closed)"));
        };
        let text = &rest[tag_end..tag_end + j];
        if text.trim_matches([' ', '\t', '\r', '\n']).is_empty() {
            return Some(format!("{tag}{text}{close}"));
        }
        rest = &rest[tag_end + j..];
    }
    None
}

fn epubcheck_all(epubs: &[PathBuf]) {
    let Some(results) = common::epubcheck_many(epubs) else {
        return;
    };
    let bad: Vec<String> = epubs
        .iter()
        .zip(results)
        .filter(|(_, r)| r.fatals + r.errors + r.warnings > 0)
        .map(|(p, r)| format!("{}:\n{}", p.display(), r.output))
        .collect();
    assert!(bad.is_empty(), "EPUBCheck:\n{}", bad.join("\n"));
}

fn places() -> Vec<Place> {
    TOML_FIELDS
        .iter()
        .map(|&(key, list)| Place::Toml { key, list })
        .chain(
            YAML_FIELDS
                .iter()
                .map(|&(key, list)| Place::Yaml { key, list }),
        )
        .collect()
}

#[test]
fn every_blank_value_in_every_field_is_refused_at_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut built = Vec::new();
    let mut n = 0;
    for place in places() {
        for (values, blank) in [(BLANK, true), (GOOD, false)] {
            for value in values {
                n += 1;
                let dir = tmp.path().join(format!("case-{n}"));
                match build(&dir, &place, value) {
                    Err(e) => failures.push(e),
                    Ok(Outcome::Refused) if !blank => {
                        failures.push(format!("{place:?} = {value:?}: refused, but it has text"))
                    }
                    Ok(Outcome::Built(_)) if blank => failures.push(format!(
                        "{place:?} = {value:?}: built, but the value is blank"
                    )),
                    Ok(Outcome::Built(epub)) => built.push(epub),
                    Ok(Outcome::Refused) => {}
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    epubcheck_all(&built);
}

fn cases() -> u32 {
    ["QALAM_METADATA_PROPTEST_CASES", "PROPTEST_CASES"]
        .iter()
        .find_map(|k| std::env::var(k).ok()?.parse().ok())
        .unwrap_or(24)
}

/// A value: mostly spaces, control characters and characters XML forbids,
/// sometimes with a letter among them.
fn value() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]",
        2 => "[ \\t\\u{a0}\\u{2028}\\u{3000}]",
        1 => Just("\u{fffe}".to_string()),
        1 => Just("\u{ffff}".to_string()),
        1 => Just("\u{feff}".to_string()),
        1 => "[a-zA-Zа-я]",
        1 => Just("&<>\"'".to_string()),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|p| p.concat())
}

#[test]
fn generated_values_build_valid_epubs_or_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let places = places();
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let built = std::cell::RefCell::new(Vec::new());
    let n = std::cell::Cell::new(0);
    runner
        .run(&(0..places.len(), value()), |(i, v)| {
            n.set(n.get() + 1);
            let dir = tmp.path().join(format!("case-{}", n.get()));
            match build(&dir, &places[i], &v) {
                Ok(Outcome::Built(epub)) => built.borrow_mut().push(epub),
                Ok(Outcome::Refused) => {}
                Err(e) => return Err(TestCaseError::fail(e)),
            }
            Ok(())
        })
        .unwrap();
    epubcheck_all(&built.into_inner());
}

#[test]
fn the_package_document_check_finds_empty_elements() {
    assert!(empty_dc_element("<dc:title id=\"t\">A</dc:title>").is_none());
    assert!(empty_dc_element("<dc:publisher></dc:publisher>").is_some());
    assert!(empty_dc_element("<dc:title>A</dc:title><dc:subject> \n</dc:subject>").is_some());
    assert!(empty_dc_element("<dc:rights/>").is_some());
}
