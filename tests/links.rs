//! Symbolic links that lead outside the book, and outputs that would
//! replace files outside it: each case is built here from scratch (the
//! links made with `std::os::unix::fs::symlink` to files this test writes
//! outside the book, in a temporary folder), run through the real binary,
//! and must end with a clear error and exit code 1; the outside content
//! appears in no message and no output, and an outside file that would have
//! been replaced is byte-identical afterwards.
//!
//! Also here: a rename that fails half-way (the PDF's target taken after an
//! earlier build) leaves the earlier outputs as they were.
#![cfg(unix)]

mod common;

use common::qalam;
use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Written in every outside file: it must appear nowhere.
const SECRET: &str = "SECRET-d41d8cd9-never-shown";
const TOML: &str = "[book]\ntitle = \"Linked Book\"\n";
const CHAPTER: &str =
    "---\ntitle: A chapter\ninterviewee: Someone\n---\n\n## A question?\n\nAn answer.\n";

/// A project folder: `<tmp>/project/book/` with a good book, and an
/// `<tmp>/outside/` folder that is no part of it.
struct Project {
    _tmp: tempfile::TempDir,
    project: PathBuf,
    book: PathBuf,
    outside: PathBuf,
}

fn project() -> Project {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    let book = project.join("book");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&book).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(book.join("book.toml"), TOML).unwrap();
    std::fs::write(book.join("interview.md"), CHAPTER).unwrap();
    Project {
        _tmp: tmp,
        project,
        book,
        outside,
    }
}

impl Project {
    /// Writes an outside file and returns its path.
    fn outside_file(&self, name: &str, content: &[u8]) -> PathBuf {
        let p = self.outside.join(name);
        std::fs::write(&p, content).unwrap();
        p
    }

    fn run(&self, args: &[&str]) -> Output {
        qalam()
            .current_dir(&self.project)
            .args(args)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .expect("qalam runs")
    }
}

/// Every file under `dir` (recursively, links not followed) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let t = e.file_type().unwrap();
        if t.is_dir() {
            out.extend(snapshot(&e.path()));
        } else if t.is_symlink() {
            let target = std::fs::read_link(e.path()).unwrap();
            out.insert(e.path(), target.as_os_str().as_encoded_bytes().to_vec());
        } else {
            out.insert(e.path(), std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// The command failed with exit code 1, said `want`, did not crash, and
/// printed nothing of the outside content.
fn assert_refused(o: &Output, want: &str, what: &str) {
    let err = common::stderr(o);
    let out = common::stdout(o);
    assert_eq!(o.status.code(), Some(1), "{what}: exit code\n{err}");
    assert!(err.contains(want), "{what}: no {want:?} in\n{err}");
    assert!(
        !err.contains(SECRET) && !out.contains(SECRET),
        "{what}: the outside content was printed\n{err}{out}"
    );
    assert!(!err.contains("panicked"), "{what}: crashed\n{err}");
}

/// `check` and `build` both refuse the book, and the build writes nothing.
fn assert_book_refused(p: &Project, want: &str, what: &str) {
    let before = snapshot(&p.project);
    assert_refused(&p.run(&["check", "book"]), want, &format!("{what} (check)"));
    assert_refused(&p.run(&["build", "book"]), want, &format!("{what} (build)"));
    assert_eq!(
        snapshot(&p.project),
        before,
        "{what}: the failed build wrote something"
    );
}

#[test]
fn a_book_toml_that_links_outside_is_refused_unread() {
    // Not TOML: the TOML error used to quote its first line.
    let p = project();
    let secret = p.outside_file("secret.txt", format!("{SECRET} = = =\n").as_bytes());
    std::fs::remove_file(p.book.join("book.toml")).unwrap();
    symlink(&secret, p.book.join("book.toml")).unwrap();
    assert_book_refused(&p, "lies outside the book folder", "book.toml → not TOML");

    // A valid book.toml outside used to build silently.
    let p = project();
    let secret = p.outside_file(
        "book.toml",
        format!("[book]\ntitle = \"{SECRET}\"\n").as_bytes(),
    );
    std::fs::remove_file(p.book.join("book.toml")).unwrap();
    symlink(&secret, p.book.join("book.toml")).unwrap();
    assert_book_refused(&p, "lies outside the book folder", "book.toml → valid TOML");
}

#[test]
fn a_covers_folder_that_links_outside_is_not_trusted() {
    let p = project();
    p.outside_file(
        "x.md",
        format!("---\ntitle: T\n---\n\n{SECRET}\n").as_bytes(),
    );
    symlink(&p.outside, p.project.join("covers")).unwrap();
    std::fs::write(
        p.book.join("book.toml"),
        format!("{TOML}chapters = [\"../covers/x.md\"]\n"),
    )
    .unwrap();
    assert_book_refused(&p, "lies outside the book folder", "covers/ → outside");

    // A cover picture through the linked folder, likewise.
    let p = project();
    std::fs::copy(
        common::root().join("tests/fixtures/specimen/images/steppe.png"),
        p.outside.join("c.png"),
    )
    .unwrap();
    symlink(&p.outside, p.project.join("covers")).unwrap();
    std::fs::write(
        p.book.join("book.toml"),
        format!("{TOML}cover = \"../covers/c.png\"\n"),
    )
    .unwrap();
    assert_book_refused(
        &p,
        "lies outside the book folder",
        "cover in covers/ → outside",
    );
}

#[test]
fn the_only_chapter_linking_outside_is_an_error_not_a_silent_drop() {
    let p = project();
    std::fs::remove_file(p.book.join("interview.md")).unwrap();
    let secret = p.outside_file(
        "chapter.md",
        format!("---\ntitle: T\ninterviewee: S\n---\n\n{SECRET}\n").as_bytes(),
    );
    symlink(&secret, p.book.join("linked.md")).unwrap();
    assert_book_refused(
        &p,
        "`linked.md` lies outside the book folder",
        "chapter link",
    );
    let o = p.run(&["check", "book"]);
    assert!(
        common::stderr(&o).contains("book/linked.md"),
        "the error names the file\n{}",
        common::stderr(&o)
    );
}

#[test]
fn a_font_folder_linking_outside_is_refused() {
    let p = project();
    symlink(&p.outside, p.book.join("myfonts")).unwrap();
    std::fs::write(
        p.book.join("book.toml"),
        format!("{TOML}[fonts]\nbody = \"Whatever Sans\"\ndirs = [\"myfonts\"]\n"),
    )
    .unwrap();
    assert_book_refused(&p, "lies outside the book folder", "font folder link");
}

#[test]
fn an_output_folder_that_links_outside_is_not_written_through() {
    let p = project();
    // Where the book's slug would put the EPUB and the PDF.
    let epub = p.outside_file("linked-book.epub", SECRET.as_bytes());
    let pdf = p.outside_file("linked-book.pdf", SECRET.as_bytes());
    symlink(&p.outside, p.book.join("out")).unwrap();
    let before = snapshot(&p.outside);
    let o = p.run(&["build", "book"]);
    assert_refused(&o, "is a symbolic link", "out → outside");
    assert_eq!(std::fs::read(&epub).unwrap(), SECRET.as_bytes());
    assert_eq!(std::fs::read(&pdf).unwrap(), SECRET.as_bytes());
    assert_eq!(snapshot(&p.outside), before, "nothing outside changed");

    // Named with -o, a link is refused as well.
    let o = p.run(&["build", "book", "-o", "book/out"]);
    assert_refused(&o, "is a symbolic link", "-o link");
    assert_eq!(snapshot(&p.outside), before, "nothing outside changed");
}

#[test]
fn an_output_file_that_links_outside_is_not_replaced() {
    let p = project();
    let epub = p.outside_file("target.epub", SECRET.as_bytes());
    std::fs::create_dir_all(p.book.join("out")).unwrap();
    symlink(&epub, p.book.join("out/linked-book.epub")).unwrap();
    let before = snapshot(&p.project);
    let o = p.run(&["build", "book"]);
    assert_refused(&o, "is a symbolic link", "out/x.epub → outside");
    assert_eq!(std::fs::read(&epub).unwrap(), SECRET.as_bytes());
    // The link is left as it was, and nothing else was written (the PDF
    // neither: all or nothing).
    assert_eq!(snapshot(&p.project), before);
}

#[test]
fn the_cover_command_does_not_write_through_a_linked_covers_folder() {
    let p = project();
    let png = p.outside_file("linked-book.png", SECRET.as_bytes());
    symlink(&p.outside, p.project.join("covers")).unwrap();
    for args in [&["cover", "book"][..], &["cover", "book", "--force"]] {
        let o = p.run(args);
        assert_refused(&o, "is a symbolic link", "covers/ → outside (cover)");
        assert_eq!(std::fs::read(&png).unwrap(), SECRET.as_bytes());
    }
    // Nor through a link at the file's own name.
    let p = project();
    let png = p.outside_file("target.png", SECRET.as_bytes());
    std::fs::create_dir_all(p.project.join("covers")).unwrap();
    symlink(&png, p.project.join("covers/linked-book.png")).unwrap();
    let o = p.run(&["cover", "book", "--force"]);
    assert_refused(&o, "is a symbolic link", "covers/x.png → outside (cover)");
    assert_eq!(std::fs::read(&png).unwrap(), SECRET.as_bytes());
}

#[test]
fn links_inside_the_book_still_work() {
    // A link is refused for where it leads, not for being a link.
    let p = project();
    std::fs::create_dir_all(p.book.join("text")).unwrap();
    std::fs::rename(p.book.join("interview.md"), p.book.join("text/real.md")).unwrap();
    symlink("text/real.md", p.book.join("interview.md")).unwrap();
    let o = p.run(&["build", "book", "--format", "epub"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(p.book.join("out/linked-book.epub").is_file());
}

/// All or nothing when a rename fails half-way: after a good build, the
/// PDF's name is taken by a folder; the next build (of a changed book)
/// fails, and the earlier EPUB is byte-identical — not the new one.
#[test]
fn a_failed_rename_leaves_the_earlier_outputs() {
    let p = project();
    let o = p.run(&["build", "book"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let out = p.book.join("out");
    let epub = std::fs::read(out.join("linked-book.epub")).unwrap();
    std::fs::remove_file(out.join("linked-book.pdf")).unwrap();
    std::fs::create_dir(out.join("linked-book.pdf")).unwrap();
    std::fs::write(
        p.book.join("interview.md"),
        CHAPTER.replace("An answer.", "A different answer."),
    )
    .unwrap();
    let before = snapshot(&out);
    let o = p.run(&["build", "book"]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("linked-book.pdf"), "{err}");
    assert!(
        err.contains("earlier outputs are left as they were"),
        "{err}"
    );
    assert_eq!(std::fs::read(out.join("linked-book.epub")).unwrap(), epub);
    assert_eq!(snapshot(&out), before, "no temporary file stays");
}
