//! The error matrix: one case per kind of bad input, each with the
//! diagnostic it must get (severity, code, file:line:column, a part of the
//! message, a help line) and the exit codes of `qalam check` and
//! `qalam build`, run as the real binary. Before each failed build the
//! output folder holds the outputs of an earlier good build of the same
//! book; afterwards they must be byte-identical and nothing else may be
//! there (no temporary file, no half-written book).
//!
//! Small cases are fixture folders (`tests/fixtures/bad/<case>/`, each a
//! whole book); big or unusual ones (a 50 MB chapter, a symbolic link, an
//! alias bomb, bytes that are not UTF-8) are made at test time from the
//! good book below. The same diagnostics are also checked through the
//! library (`qalam::internals::source::load`), so a position is right in both.

mod common;

use common::{png_header_only, qalam, root};
use qalam::diag::Severity;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The good book every generated case starts from (and the one built first,
/// so that an earlier output exists). Its title is the fixtures' title, so
/// every case's outputs would have the same names: `bad-input.epub` and
/// `bad-input.pdf`.
const GOOD_TOML: &str = "[book]\ntitle = \"Bad Input\"\n";
/// Line by line: 1 `---`, 2 title, 3 interviewee, 4 `---`, 5 blank,
/// 6 question, 7 blank, 8 answer with a note, 9 blank, 10 the note.
const GOOD_CHAPTER: &str = "---\ntitle: A chapter\ninterviewee: Someone\n---\n\n## A question?\n\nAn answer.[^n]\n\n[^n]: A note.\n";

/// How a case's book is made.
enum Make {
    /// `tests/fixtures/bad/<dir>`, as it is.
    Fixture(&'static str),
    /// The good book, then changed.
    Edit(fn(&Path)),
}

/// One expected diagnostic.
struct Want {
    severity: Severity,
    code: &'static str,
    /// `file:line:column` relative to the book folder, or just `file` when
    /// the problem has no position (a whole file), or "" when it names none.
    at: &'static str,
    /// A part of the message.
    text: &'static str,
    /// A part of the help line ("" for any: every diagnostic has one).
    help: &'static str,
}

impl Want {
    const fn help(self, help: &'static str) -> Want {
        Want { help, ..self }
    }
}

struct Case {
    name: &'static str,
    make: Make,
    want: &'static [Want],
    /// Exit codes of `qalam check` and `qalam build`.
    check: i32,
    build: i32,
}

const fn err(code: &'static str, at: &'static str, text: &'static str) -> Want {
    Want {
        severity: Severity::Error,
        code,
        at,
        text,
        help: "",
    }
}

const fn warn(code: &'static str, at: &'static str, text: &'static str) -> Want {
    Want {
        severity: Severity::Warning,
        code,
        at,
        text,
        help: "",
    }
}

const fn fixture(name: &'static str, want: &'static [Want], check: i32, build: i32) -> Case {
    Case {
        name,
        make: Make::Fixture(name),
        want,
        check,
        build,
    }
}

const fn edit(
    name: &'static str,
    f: fn(&Path),
    want: &'static [Want],
    check: i32,
    build: i32,
) -> Case {
    Case {
        name,
        make: Make::Edit(f),
        want,
        check,
        build,
    }
}

fn write(book: &Path, file: &str, content: impl AsRef<[u8]>) {
    let p = book.join(file);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

/// The good chapter with its body (from line 6 on) replaced.
fn body(book: &Path, text: &str) {
    let head: String = GOOD_CHAPTER
        .lines()
        .take(5)
        .map(|l| format!("{l}\n"))
        .collect();
    write(book, "interview.md", format!("{head}{text}"));
}

fn steppe(book: &Path, name: &str) {
    let p = book.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::copy(root().join("tests/fixtures/specimen/images/steppe.png"), p).unwrap();
}

/// A front matter whose aliases would expand to 9^9 (387 million) strings.
fn alias_bomb() -> String {
    let mut y = String::from(
        "---\ntitle: T\ninterviewee:\n  - &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (l, p) in ["b", "c", "d", "e", "f", "g", "h", "j"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        y.push_str(&format!(
            "  - &{l} [{}]\n",
            vec![format!("*{p}"); 9].join(",")
        ));
    }
    y.push_str("---\n\nText.\n");
    y
}

#[cfg(unix)]
fn symlink_outside(book: &Path, link: &str, target_name: &str, target: &[u8]) {
    // The target lies beside the book folder (outside it, and outside the
    // project's covers/ folder).
    let outside = book.parent().unwrap().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let t = outside.join(target_name);
    std::fs::write(&t, target).unwrap();
    let l = book.join(link);
    std::fs::create_dir_all(l.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&t, l).unwrap();
}

const CASES: &[Case] = &[
    // ---- book.toml ----
    fixture(
        "no-book-toml",
        &[err("no-book-toml", "book.toml", "has no book.toml")],
        1,
        1,
    ),
    fixture(
        "toml-syntax",
        &[err("toml-syntax", "book.toml:2:19", "not valid TOML")],
        1,
        1,
    ),
    fixture(
        "unknown-key",
        &[
            err("unknown-key", "book.toml:3:1", "unknown key `subtitel`")
                .help("did you mean `subtitle`?"),
        ],
        1,
        1,
    ),
    fixture(
        "missing-title",
        &[err("missing-title", "book.toml:1:2", "no `title`")],
        1,
        1,
    ),
    edit(
        "empty-book-toml",
        |b| write(b, "book.toml", ""),
        &[err("missing-title", "book.toml:1:1", "no [book] table")],
        1,
        1,
    ),
    edit(
        "book-toml-not-utf8",
        |b| write(b, "book.toml", b"[book]\ntitle = \"Caf\xe9\"\n"),
        &[err("not-utf8", "book.toml:2:13", "not UTF-8")],
        1,
        1,
    ),
    edit(
        "book-toml-too-large",
        |b| {
            let mut t = GOOD_TOML.to_string();
            t.push_str(&format!("description = \"{}\"\n", "x".repeat(2 << 20)));
            write(b, "book.toml", t)
        },
        &[err("file-too-large", "book.toml", "more than the 1 MB")],
        1,
        1,
    ),
    // ---- chapters named by book.toml ----
    fixture(
        "missing-chapter",
        &[err(
            "bad-chapter",
            "book.toml:3:29",
            "`second.md` does not exist",
        )],
        1,
        1,
    ),
    fixture(
        "chapter-outside",
        &[err(
            "bad-chapter",
            "book.toml:3:13",
            "lies outside the book folder",
        )],
        1,
        1,
    ),
    fixture(
        "which-chapters",
        &[err("which-chapters", "book.toml:1:1", "2 .md files")],
        1,
        1,
    ),
    edit(
        "chapter-twice",
        |b| {
            write(
                b,
                "book.toml",
                format!("{GOOD_TOML}chapters = [\"interview.md\", \"./interview.md\"]\n"),
            )
        },
        &[err("chapter-twice", "book.toml:3:29", "is listed twice")],
        1,
        1,
    ),
    #[cfg(unix)]
    edit(
        "chapter-symlink-outside",
        |b| {
            symlink_outside(b, "linked.md", "secret.md", GOOD_CHAPTER.as_bytes());
            write(
                b,
                "book.toml",
                format!("{GOOD_TOML}chapters = [\"linked.md\"]\n"),
            )
        },
        &[err(
            "bad-chapter",
            "book.toml:3:13",
            "lies outside the book folder",
        )],
        1,
        1,
    ),
    edit(
        "chapter-is-a-folder",
        |b| {
            std::fs::create_dir_all(b.join("images")).unwrap();
            write(
                b,
                "book.toml",
                format!("{GOOD_TOML}chapters = [\"images\"]\n"),
            )
        },
        &[err("bad-chapter", "book.toml:3:13", "is not a file")],
        1,
        1,
    ),
    // ---- a chapter's file ----
    edit(
        "empty-file",
        |b| write(b, "interview.md", ""),
        &[err(
            "front-matter-missing",
            "interview.md:1:1",
            "no front matter",
        )],
        1,
        1,
    ),
    fixture(
        "not-utf8",
        &[err("not-utf8", "interview.md:7:4", "not UTF-8")],
        1,
        1,
    ),
    edit(
        "bom-with-error",
        |b| {
            write(
                b,
                "interview.md",
                format!(
                    "\u{feff}{}",
                    GOOD_CHAPTER.replace("interviewee", "interviewe")
                ),
            )
        },
        &[err(
            "unknown-key",
            "interview.md:3:1",
            "unknown front matter key `interviewe`",
        )],
        1,
        1,
    ),
    edit(
        "crlf-with-error",
        |b| {
            write(
                b,
                "interview.md",
                GOOD_CHAPTER
                    .replace("[^n]:", "[^other]:")
                    .replace('\n', "\r\n"),
            )
        },
        &[
            err(
                "note-undefined",
                "interview.md:8:11",
                "`[^n]` is referenced but never defined",
            ),
            warn(
                "note-unused",
                "interview.md:10:1",
                "`[^other]` is defined but never referenced",
            ),
        ],
        1,
        1,
    ),
    edit(
        "chapter-50-mb",
        |b| {
            let mut t = GOOD_CHAPTER.to_string();
            let line = "word ".repeat(20) + "\n";
            while t.len() < 50_000_000 {
                t.push_str(&line);
            }
            write(b, "interview.md", t)
        },
        &[err("file-too-large", "interview.md", "more than the 8 MB")],
        1,
        1,
    ),
    // ---- front matter ----
    fixture(
        "no-front-matter",
        &[err(
            "front-matter-missing",
            "interview.md:1:1",
            "no front matter",
        )],
        1,
        1,
    ),
    fixture(
        "bad-front-matter",
        &[err(
            "front-matter",
            "interview.md:3:14",
            "front matter is not valid",
        )],
        1,
        1,
    ),
    edit(
        "front-matter-unclosed",
        |b| write(b, "interview.md", GOOD_CHAPTER.replacen("---\n\n", "\n", 1)),
        &[err(
            "front-matter-unclosed",
            "interview.md:1:1",
            "never closed",
        )],
        1,
        1,
    ),
    fixture(
        "unknown-front-key",
        &[err(
            "unknown-key",
            "interview.md:3:1",
            "unknown front matter key `interviewe`",
        )
        .help("did you mean `interviewee`?")],
        1,
        1,
    ),
    edit(
        "yaml-alias-bomb",
        |b| write(b, "interview.md", alias_bomb()),
        &[err(
            "yaml-limit",
            "interview.md:8:9",
            "alias replay limit exceeded",
        )],
        1,
        1,
    ),
    edit(
        "bom",
        |b| write(b, "interview.md", format!("\u{feff}{GOOD_CHAPTER}")),
        &[],
        0,
        0,
    ),
    edit(
        "crlf",
        |b| write(b, "interview.md", GOOD_CHAPTER.replace('\n', "\r\n")),
        &[],
        0,
        0,
    ),
    edit(
        "control-character-escapes",
        // Written as escapes, they are characters only after parsing: the
        // typography pass drops them, silently, before every writer.
        |b| {
            write(
                b,
                "book.toml",
                format!("{GOOD_TOML}description = \"A\\u0000 book\"\n"),
            );
            write(
                b,
                "interview.md",
                GOOD_CHAPTER.replace("title: A chapter", "title: \"A\\x01 chapter\\u0085\""),
            )
        },
        &[],
        0,
        0,
    ),
    edit(
        "control-characters",
        // A bell and a C1 control: read as spaces with one warning, so
        // that both the EPUB and the PDF build (the PDF found no glyph for
        // them before).
        |b| body(b, "## Q?\n\nA bell\u{7} and a C1 \u{85} in text.\n"),
        &[warn(
            "control-char",
            "interview.md:8:7",
            "control character U+0007 is not text",
        )
        .help("remove it")],
        0,
        0,
    ),
    // ---- the body ----
    fixture(
        "empty-chapter",
        &[err(
            "empty-chapter",
            "interview.md:3:1",
            "no text after its front matter",
        )],
        1,
        1,
    ),
    fixture(
        "note-undefined",
        &[err(
            "note-undefined",
            "interview.md:7:23",
            "`[^missing]` is referenced but never defined",
        )
        .help("[^missing]: The note's text.")],
        1,
        1,
    ),
    fixture(
        "note-unused",
        &[warn(
            "note-unused",
            "interview.md:9:1",
            "`[^spare]` is defined but never referenced",
        )],
        0,
        0,
    ),
    edit(
        "note-undefined-in-a-question",
        |b| body(b, "## A question?[^zz]\n\nAn answer.\n"),
        &[err(
            "note-undefined",
            "interview.md:6:15",
            "`[^zz]` is referenced but never defined",
        )],
        1,
        1,
    ),
    edit(
        "note-undefined-in-a-table-cell",
        |b| body(b, "## Q?\n\n| a | b |\n|---|---|\n| x[^yy] | y |\n"),
        &[err(
            "note-undefined",
            "interview.md:10:4",
            "`[^yy]` is referenced but never defined",
        )],
        1,
        1,
    ),
    edit(
        "note-references-itself",
        |b| body(b, "## A question?\n\nAn answer.[^n]\n\n[^n]: See [^n].\n"),
        &[err(
            "note-in-note",
            "interview.md:10:11",
            "note `n` refers to itself",
        )],
        1,
        1,
    ),
    edit(
        "quotes-10000-deep",
        |b| body(b, &format!("{} deep\n", ">".repeat(10_000))),
        &[err(
            "nesting-too-deep",
            "interview.md:6:65",
            "nested more than 64 levels deep",
        )],
        1,
        1,
    ),
    edit(
        "lists-10000-deep",
        |b| body(b, &format!("{}deep\n", "- ".repeat(10_000))),
        &[err(
            "nesting-too-deep",
            "interview.md:6:65",
            "nested more than 64 levels deep",
        )],
        1,
        1,
    ),
    edit(
        "emphasis-10000-deep",
        |b| {
            body(
                b,
                &format!("{}deep{}\n", "*a ".repeat(10_000), " a*".repeat(10_000)),
            )
        },
        &[err(
            "nesting-too-deep",
            "interview.md:6:190",
            "nested more than 64 levels deep",
        )],
        1,
        1,
    ),
    edit(
        "inline-html-10000-deep",
        |b| {
            body(
                b,
                &format!(
                    "Text {}deep{}\n",
                    "<em>".repeat(10_000),
                    "</em>".repeat(10_000)
                ),
            )
        },
        &[err(
            "nesting-too-deep",
            "interview.md:6:258",
            "nested more than 64 levels deep",
        )],
        1,
        1,
    ),
    edit(
        "deepest-nesting-allowed",
        |b| {
            body(
                b,
                &format!(
                    "## Q?\n\n{} deep\n\n{}deep\n\nText {}deep{}\n\n{}{}{}{}deep{}{}\n",
                    ">".repeat(62),
                    "- ".repeat(31),
                    "<em>".repeat(62),
                    "</em>".repeat(62),
                    "> ".repeat(20),
                    "- ".repeat(10),
                    "*a ".repeat(12),
                    "<em>".repeat(10),
                    "</em>".repeat(10),
                    " a*".repeat(12),
                ),
            )
        },
        &[],
        0,
        0,
    ),
    fixture(
        "raw-html",
        &[
            warn("html-dropped", "interview.md:7:6", "<script>"),
            warn("html-dropped", "interview.md:9:1", "raw HTML block dropped"),
        ],
        0,
        0,
    ),
    edit(
        "unsafe-link",
        |b| body(b, "## Q?\n\nA [link](javascript:alert(1)) here.\n"),
        &[warn("link-dropped", "interview.md:8:3", "an unsafe link")],
        0,
        0,
    ),
    fixture(
        "warnings",
        &[
            warn("empty-answer", "interview.md:5:1", "no answer"),
            warn("heading-skipped", "interview.md:11:1", "`##` then `####`"),
        ],
        0,
        0,
    ),
    // ---- pictures ----
    fixture(
        "missing-image",
        &[err(
            "bad-path",
            "interview.md:7:1",
            "`images/nope.jpg` does not exist",
        )],
        1,
        1,
    ),
    fixture(
        "image-outside",
        &[err(
            "bad-path",
            "interview.md:9:1",
            "lies outside the book folder",
        )],
        1,
        1,
    ),
    edit(
        "image-dotdot",
        |b| body(b, "## Q?\n\n![A picture](../../../../../../etc/passwd)\n"),
        &[err(
            "bad-path",
            "interview.md:8:1",
            "lies outside the book folder",
        )],
        1,
        1,
    ),
    edit(
        "image-absolute-path",
        |b| body(b, "## Q?\n\n![A picture](/etc/passwd)\n"),
        &[err("bad-path", "interview.md:8:1", "is an absolute path")],
        1,
        1,
    ),
    edit(
        "image-url",
        |b| body(b, "## Q?\n\n![A picture](https://example.org/x.png)\n"),
        &[err("bad-path", "interview.md:8:1", "is a URL")],
        1,
        1,
    ),
    edit(
        "image-data-url",
        |b| {
            body(
                b,
                "## Q?\n\n![A picture](data:image/png;base64,iVBORw0KGgo=)\n",
            )
        },
        &[err("bad-path", "interview.md:8:1", "is a URL")],
        1,
        1,
    ),
    edit(
        "image-windows-path",
        |b| body(b, "## Q?\n\n![A picture](C:\\images\\x.png)\n"),
        &[err("bad-path", "interview.md:8:1", "is a Windows path")],
        1,
        1,
    ),
    #[cfg(unix)]
    edit(
        "image-symlink-outside",
        |b| {
            let png =
                std::fs::read(root().join("tests/fixtures/specimen/images/steppe.png")).unwrap();
            symlink_outside(b, "images/link.png", "secret.png", &png);
            body(b, "## Q?\n\n![A picture](images/link.png)\n")
        },
        &[err(
            "bad-path",
            "interview.md:8:1",
            "lies outside the book folder",
        )],
        1,
        1,
    ),
    fixture(
        "image-no-alt",
        &[err("image-no-alt", "interview.md:9:1", "no alt text")],
        1,
        1,
    ),
    edit(
        "portrait-no-alt",
        |b| {
            steppe(b, "images/p.png");
            write(
                b,
                "interview.md",
                GOOD_CHAPTER.replacen(
                    "---\n\n",
                    "bio: A life.\nportrait: images/p.png\n---\n\n",
                    1,
                ),
            )
        },
        &[err(
            "image-no-alt",
            "interview.md:5:11",
            "no `portrait-alt` text",
        )],
        1,
        1,
    ),
    fixture(
        "corrupt-image",
        &[err("bad-image", "interview.md:7:1", "corrupt")],
        1,
        1,
    ),
    fixture(
        "unsupported-image",
        &[err("bad-image", "interview.md:7:1", "not supported")],
        1,
        1,
    ),
    edit(
        "image-cut-in-half",
        |b| {
            // A whole header and half the pixels: only decoding finds it;
            // `check` tries the build, so both stop.
            steppe(b, "images/cut.png");
            let p = b.join("images/cut.png");
            let bytes = std::fs::read(&p).unwrap();
            std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
            body(b, "## Q?\n\nText.\n\n![A cut picture](images/cut.png)\n")
        },
        &[err("bad-image", "interview.md:10:1", "is corrupt")],
        1,
        1,
    ),
    edit(
        "portrait-cut-in-half",
        |b| {
            steppe(b, "images/p.png");
            let p = b.join("images/p.png");
            let bytes = std::fs::read(&p).unwrap();
            std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
            write(
                b,
                "interview.md",
                GOOD_CHAPTER.replacen(
                    "---\n\n",
                    "bio: A life.\nportrait: images/p.png\nportrait-alt: A face\n---\n\n",
                    1,
                ),
            )
        },
        &[err("bad-image", "interview.md:5:11", "is corrupt")],
        1,
        1,
    ),
    edit(
        "image-bomb",
        |b| {
            write(b, "images/bomb.png", png_header_only(16_000, 16_000));
            body(b, "## Q?\n\n![A bomb](images/bomb.png)\n")
        },
        &[err(
            "bad-image",
            "interview.md:8:1",
            "more than the 256 MB allowed",
        )],
        1,
        1,
    ),
    edit(
        "image-too-wide",
        |b| {
            write(b, "images/wide.png", png_header_only(100_000, 10));
            body(b, "## Q?\n\n![A strip](images/wide.png)\n")
        },
        &[err(
            "bad-image",
            "interview.md:8:1",
            "outside the 1..16384 allowed",
        )],
        1,
        1,
    ),
    edit(
        "cover-too-small",
        |b| {
            let small = b.join("images/small.png");
            std::fs::create_dir_all(small.parent().unwrap()).unwrap();
            image::RgbImage::new(500, 800).save(&small).unwrap();
            write(
                b,
                "book.toml",
                format!("{GOOD_TOML}cover = \"images/small.png\"\n"),
            )
        },
        &[err(
            "cover-too-small",
            "book.toml:3:9",
            "stores refuse covers under 625 pixels",
        )],
        1,
        1,
    ),
    // ---- found by the PDF only ----
    edit(
        "pdf-a-without-a-date",
        // `check` reads the book and passes; the EPUB is made, then the
        // PDF refuses, and the earlier EPUB must stay as it was too.
        |b| {
            write(
                b,
                "book.toml",
                format!("{GOOD_TOML}\n[pdf]\npdf-a = true\n"),
            )
        },
        &[
            err("pdf-a-date", "book.toml:5:1", "PDF/A needs a creation date")
                .help("add `date = \"YYYY-MM-DD\"` to [book]"),
        ],
        1,
        1,
    ),
];

/// A diagnostic as `qalam` printed it.
#[derive(Debug)]
struct Printed {
    severity: &'static str,
    code: String,
    message: String,
    /// `file:line:column` or `file`, as printed.
    at: String,
    help: Option<String>,
}

/// Splits stderr into the diagnostics it prints (codespan's layout: a
/// `severity[code]: message` line, then `┌─ file:line:col` for a snippet or
/// `= in file` for a whole file, then `= help: …`).
fn printed(stderr: &str) -> Vec<Printed> {
    let mut out: Vec<Printed> = Vec::new();
    for line in stderr.lines() {
        let t = line.trim_start();
        let head = t
            .strip_prefix("error[")
            .map(|r| ("error", r))
            .or_else(|| t.strip_prefix("warning[").map(|r| ("warning", r)));
        if let Some((severity, rest)) = head
            && let Some((code, message)) = rest.split_once("]: ")
        {
            out.push(Printed {
                severity,
                code: code.to_string(),
                message: message.to_string(),
                at: String::new(),
                help: None,
            });
            continue;
        }
        let Some(p) = out.last_mut() else { continue };
        if let Some(at) = t.strip_prefix("┌─ ") {
            p.at = at.trim().to_string();
        } else if let Some(at) = t.strip_prefix("= in ") {
            p.at = at.trim().to_string();
        } else if let Some(h) = t.strip_prefix("= help: ") {
            p.help = Some(h.to_string());
        }
    }
    out
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        // The build record is not an output.
        for e in rd
            .flatten()
            .filter(|e| e.file_name() != qalam::incremental::RECORD)
        {
            out.insert(e.path(), std::fs::read(e.path()).unwrap_or_default());
        }
    }
    out
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    qalam()
        .current_dir(dir)
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("qalam runs")
}

fn make_good(book: &Path) {
    write(book, "book.toml", GOOD_TOML);
    write(book, "interview.md", GOOD_CHAPTER);
}

/// The library's view: `qalam::internals::source::load` gives the same diagnostic at
/// the same place, with help, and a book exactly when there is no error.
/// Cases whose errors only the writers find.
const WRITER_FOUND: [&str; 3] = [
    "image-cut-in-half",
    "portrait-cut-in-half",
    "pdf-a-without-a-date",
];

fn check_library(case: &Case, tmp: &Path, failures: &mut Vec<String>) {
    let l = qalam::internals::source::load(&tmp.join("book"));
    if case.want.is_empty() && !l.diagnostics.is_empty() {
        failures.push(format!("{}: load() gives {:?}", case.name, l.diagnostics));
    }
    assert_eq!(
        l.book.is_some(),
        !l.diagnostics.has_errors(),
        "{}: a book exactly when there is no error",
        case.name
    );
    for w in case.want {
        // Problems only the writers find (a picture that does not decode)
        // are not the reader's (`check` finds them by trying the build).
        if WRITER_FOUND.contains(&case.name) && w.severity == Severity::Error {
            continue;
        }
        let found = l
            .diagnostics
            .iter()
            .find(|d| d.code == w.code && d.message.contains(w.text));
        let Some(d) = found else {
            failures.push(format!(
                "{}: load() gives no `{}` containing {:?}: {:?}",
                case.name, w.code, w.text, l.diagnostics
            ));
            continue;
        };
        let (file, line, col) = split_at(w.at);
        let want_file = tmp.join("book").join(file);
        if d.severity != w.severity
            || d.file.as_deref() != Some(want_file.as_path())
            || (d.line, d.column) != (line, col)
            || !d.help.as_deref().is_some_and(|h| h.contains(w.help))
        {
            failures.push(format!(
                "{}: load() gives {:?} at {} (help {:?}), want {:?} at {}",
                case.name,
                d.severity,
                d.location(),
                d.help,
                w.severity,
                w.at
            ));
        }
    }
}

/// `file:line:col` → parts (0, 0 when there is no position).
fn split_at(at: &str) -> (&str, u32, u32) {
    let mut parts = at.rsplitn(3, ':');
    let (c, l, f) = (parts.next(), parts.next(), parts.next());
    match (
        f,
        l.and_then(|l| l.parse().ok()),
        c.and_then(|c| c.parse().ok()),
    ) {
        (Some(f), Some(l), Some(c)) => (f, l, c),
        _ => (at, 0, 0),
    }
}

#[test]
fn every_bad_input_gets_its_diagnostic_and_keeps_earlier_outputs() {
    // One good build, whose outputs every case starts from.
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good");
    make_good(&good.join("book"));
    // Every format (`build` without `--format`): the EPUB and the PDF.
    let o = run_in(&good, &["build", "book", "-o", "out"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let earlier = snapshot(&good.join("out"));
    let names: Vec<String> = earlier
        .keys()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["bad-input.epub", "bad-input.pdf"]);

    let mut failures = Vec::new();
    for case in CASES {
        let case_tmp = tempfile::tempdir().unwrap();
        let dir = case_tmp.path();
        let book = dir.join("book");
        match case.make {
            Make::Fixture(name) => {
                common::copy_dir(&root().join("tests/fixtures/bad").join(name), &book)
            }
            Make::Edit(f) => {
                make_good(&book);
                f(&book);
            }
        }
        let out = dir.join("out");
        std::fs::create_dir_all(&out).unwrap();
        for (p, bytes) in &earlier {
            std::fs::write(out.join(p.file_name().unwrap()), bytes).unwrap();
        }
        let before = snapshot(&out);

        let check = run_in(dir, &["check", "book"]);
        let build = run_in(dir, &["build", "book", "-o", "out"]);
        for (cmd, o, want_code) in [("check", &check, case.check), ("build", &build, case.build)] {
            let err = common::stderr(o);
            if o.status.code() != Some(want_code) {
                failures.push(format!(
                    "{}: `qalam {cmd}` exited {:?}, want {want_code}\n{}",
                    case.name,
                    o.status.code(),
                    err.chars().take(2000).collect::<String>()
                ));
            }
            if err.contains("panicked") || err.contains("overflow") {
                failures.push(format!("{}: `qalam {cmd}` crashed: {err}", case.name));
            }
            let got = printed(&err);
            if case.want.is_empty() && !got.is_empty() {
                failures.push(format!("{}: `qalam {cmd}` printed {got:?}", case.name));
            }
            for w in case.want {
                // Build-only problems are not `check`'s.
                if cmd == "check"
                    && case.check == 0
                    && case.build != 0
                    && w.severity == Severity::Error
                {
                    continue;
                }
                let sev = match w.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let want_at = if w.at.is_empty() {
                    String::new()
                } else {
                    format!("book/{}", w.at)
                };
                match got
                    .iter()
                    .find(|p| p.code == w.code && p.message.contains(w.text))
                {
                    None => failures.push(format!(
                        "{}: `qalam {cmd}` printed no {sev}[{}] containing {:?}:\n{}",
                        case.name,
                        w.code,
                        w.text,
                        err.chars().take(2000).collect::<String>()
                    )),
                    Some(p) => {
                        if p.severity != sev
                            || p.at != want_at
                            || !p.help.as_deref().is_some_and(|h| h.contains(w.help))
                        {
                            failures.push(format!(
                                "{}: `qalam {cmd}` printed {}[{}] at {:?} (help {:?}), want {sev} at {want_at:?}",
                                case.name, p.severity, p.code, p.at, p.help
                            ));
                        }
                    }
                }
            }
        }
        // Earlier outputs: untouched after a failed build (but for the
        // EPUB when the errors are the PDF's alone: each format is all or
        // nothing); after a successful one, replaced whole. Never a stray
        // file.
        let mut after = snapshot(&out);
        if case.build != 0 {
            if common::stderr(&build).contains("in the PDF: it was not written") {
                for (p, bytes) in after.iter_mut() {
                    if p.extension().is_some_and(|e| e == "epub") && before.contains_key(p) {
                        bytes.clone_from(&before[p]);
                    }
                }
            }
            if after != before {
                failures.push(format!(
                    "{}: the output folder changed after a failed build: {:?} → {:?}",
                    case.name,
                    before.keys().collect::<Vec<_>>(),
                    after.keys().collect::<Vec<_>>()
                ));
            }
        } else if after.keys().collect::<Vec<_>>() != before.keys().collect::<Vec<_>>() {
            failures.push(format!(
                "{}: a successful build left {:?}",
                case.name,
                after.keys().collect::<Vec<_>>()
            ));
        }
        check_library(case, dir, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `qalam import` of inputs it cannot use: each a clear error (code, the
/// file, a help line), exit code 1, and no project folder made.
#[test]
fn import_refuses_what_it_cannot_read_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let deep_html = format!(
        "<html><body><article><h1>T</h1><p>Q: why?</p>{}x</article></body></html>",
        "<div><blockquote><ul><li>".repeat(20_000)
    );
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("empty.txt", Vec::new(), "import-nothing", "found no title"),
        (
            // Found by tests/import_props.rs: list items of no-break
            // spaces only count as text until the clean-up empties them.
            "blank-items.html",
            "<ul><li>\u{a0}</li><li>\u{a0}</li></ul><p>A title</p>"
                .as_bytes()
                .to_vec(),
            "import-nothing",
            "found a title (\"A title\") but no text after it",
        ),
        (
            "huge.txt",
            vec![b'a'; 33 << 20],
            "import-too-large",
            "more than the 32 MB",
        ),
        (
            "paper.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec(),
            "import-not-text",
            "it is a PDF",
        ),
        (
            "picture.html",
            std::fs::read(root().join("tests/fixtures/specimen/images/steppe.png")).unwrap(),
            "import-not-text",
            "binary data",
        ),
        (
            "deep.html",
            deep_html.into_bytes(),
            "import-too-deep",
            "deep, more than the 512",
        ),
        // Elements the tree builder nests without limit, which the old
        // estimate did not count (the parse then took minutes).
        (
            "ruby-bases.html",
            format!("<p>T</p><p>x{}</p>", "<rb>a".repeat(20_000)).into_bytes(),
            "import-too-deep",
            "deep, more than the 512",
        ),
        (
            "svg-title.html",
            format!(
                "<p>T</p><svg><title>{}</title></svg>",
                "<div>a".repeat(20_000)
            )
            .into_bytes(),
            "import-too-deep",
            "deep, more than the 512",
        ),
        (
            "elements.html",
            format!("<h1>T</h1><p>{}</p>", "<b>a</b> ".repeat(500_000)).into_bytes(),
            "import-too-large",
            "elements, more than the 400000",
        ),
        (
            // More text than one chapter file may hold: a limit, not a
            // project that does not read back (was import-bug).
            "long.txt",
            format!(
                "Title\n\n{}",
                "A long answer that goes on and on.\n\n".repeat(260_000)
            )
            .into_bytes(),
            "import-too-large",
            "MB one chapter can hold",
        ),
    ];
    let mut inputs: Vec<(String, &str, &str)> = Vec::new();
    for (name, bytes, code, text) in &cases {
        std::fs::write(dir.join(name), bytes).unwrap();
        inputs.push((name.to_string(), code, text));
    }
    inputs.push(("missing.txt".into(), "import-unreadable", "no such file"));
    std::fs::create_dir_all(dir.join("a-folder.html")).unwrap();
    inputs.push(("a-folder.html".into(), "import-unreadable", "is a folder"));
    #[cfg(unix)]
    inputs.push((
        "/dev/zero".into(),
        "import-too-large",
        "more than the 32 MB",
    ));

    for (input, code, text) in inputs {
        let o = run_in(dir, &["import", &input, "-o", "project"]);
        let err = common::stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{input}: {err}");
        let p = printed(&err);
        let d = p
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("{input}: no error[{code}] in:\n{err}"));
        assert!(d.message.contains(text), "{input}: {}", d.message);
        assert_eq!(d.at, input, "{input}: the diagnostic names the input");
        assert!(d.help.is_some(), "{input}: no help");
        assert!(
            !dir.join("project").exists(),
            "{input}: a project folder was made"
        );
    }
}
