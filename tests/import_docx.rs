//! `qalam import` of Word (.docx) and OpenDocument (.odt) transcripts
//! (issue 23). The fixtures were written by real writers: python-docx and
//! LibreOffice (tests/fixtures/import/docx/make_fixtures.py says how).

mod common;

use qalam::import::{Options, import_file};
use qalam::model::{Block, Inline, plain_text, plain_text_blocks};
use std::io::Read;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/import").join(name)
}

/// The transcript as each writer wrote it.
const TRANSCRIPTS: &[&str] = &[
    "docx/transcript.docx",
    "docx/lo-transcript.docx",
    "odt/transcript.odt",
];

/// Every document fixture that imports.
const ALL: &[&str] = &[
    "docx/transcript.docx",
    "docx/lo-transcript.docx",
    "odt/transcript.odt",
    "docx/features.docx",
    "odt/features.odt",
    "docx/labels.docx",
    "docx/speakers.docx",
];

const QUESTIONS: &[&str] = &[
    "What first drew you to rivers?",
    "How did this spring compare?",
    "What do you do with all the readings?",
    "Is there one lesson in all of it?",
];

/// The files of an EPUB, by name.
fn epub_files(epub: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().into_owned(), data)
        })
        .collect()
}

/// Imports `input` into a new folder and builds it, as an editor would.
fn import_and_build(input: &Path, tmp: &Path) -> (serde_json::Value, PathBuf) {
    let dir = tmp.join("book");
    let out = common::run(&[
        "import",
        input.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--report",
        "json",
        "--build",
    ]);
    assert!(
        out.status.success(),
        "{}: {}",
        input.display(),
        common::stderr(&out)
    );
    let stdout = common::stdout(&out);
    let json = &stdout[stdout.find('{').unwrap()..=stdout.rfind('}').unwrap()];
    (serde_json::from_str(json).unwrap(), dir)
}

/// The Done-when transcript: bold questions, two footnotes, a comment, a
/// tracked insertion and deletion, a picture with alt text and an "About
/// the interviewee" section — from each writer.
#[test]
fn the_transcript_builds_with_questions_notes_picture_and_bio() {
    for name in TRANSCRIPTS {
        let tmp = tempfile::tempdir().unwrap();
        let (report, dir) = import_and_build(&fixture(name), tmp.path());

        let questions: Vec<&str> = report["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["text"].as_str().unwrap())
            .collect();
        assert_eq!(questions, QUESTIONS, "{name}");
        assert_eq!(report["interviewees"][0], "Aigerim Sadykova", "{name}");
        assert_eq!(report["interviewer"], "Dana Levin", "{name}");
        assert_eq!(report["date"], "2024-05-14", "{name}");
        let notes: Vec<&str> = report["endnotes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["text"].as_str().unwrap())
            .collect();
        assert_eq!(
            notes,
            [
                "The gauge at Uralsk has been read twice a day since 1911.",
                "The flood of April 2024 was the highest in eighty years."
            ],
            "{name}"
        );
        // The report says what was dropped: the comment, with its author.
        let dropped = report["dropped"].as_array().unwrap();
        assert!(
            dropped.iter().any(
                |d| d["text"] == "Check this against the ministry's figures."
                    && d["reason"].as_str().unwrap().contains("comment by Editor")
            ),
            "{name}: {dropped:#?}"
        );
        let unsure = report["unsure"].as_array().unwrap();
        assert!(
            unsure
                .iter()
                .any(|d| d["reason"].as_str().unwrap().starts_with(
                    "2 tracked changes read as accepted: 1 insertion kept, 1 deletion dropped"
                )),
            "{name}: {unsure:#?}"
        );

        // The picture came out of the package into images/.
        let images: Vec<_> = std::fs::read_dir(dir.join("images"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(images.len(), 1, "{name}");
        assert!(std::fs::read(&images[0]).unwrap().starts_with(b"\x89PNG"));

        let epub = dir.join("out/reading-the-river.epub");
        let files = epub_files(&epub);
        let text = |f: &str| {
            files
                .iter()
                .find(|(n, _)| n.ends_with(f))
                .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
                .unwrap_or_else(|| panic!("{name}: no {f} in the EPUB"))
        };
        let chapter = text("text/reading-the-river.xhtml");
        for q in QUESTIONS {
            assert!(chapter.contains(&format!(">{q}</h2>")), "{name}: {q}");
        }
        // Both notes, linked both ways.
        for k in 1..=2 {
            assert!(
                chapter.contains(&format!("id=\"ref_{k}\" href=\"#note_{k}\"")),
                "{name}: reference {k}"
            );
            assert!(
                chapter.contains(&format!("href=\"#ref_{k}\" role=\"doc-backlink\"")),
                "{name}: back-link {k}"
            );
        }
        assert!(chapter.contains("highest in eighty years"), "{name}");
        assert!(
            chapter.contains("alt=\"The gauge house at Uralsk above the spring flood\""),
            "{name}"
        );
        // Tracked changes accepted.
        assert!(
            chapter.contains("We publish them every morning so that"),
            "{name}"
        );
        assert!(!chapter.contains("once a year"), "{name}");
        let bio = text("text/reading-the-river.bio.xhtml");
        assert!(bio.contains("hydrologist at the West Kazakhstan water authority"));
        // No comment text anywhere in the book.
        for (f, data) in &files {
            assert!(
                !String::from_utf8_lossy(data).contains("ministry"),
                "{name}: comment text in {f}"
            );
        }
        common::assert_epubcheck_clean(&epub);
    }
}

/// Each bad input: its error, exit 1, and nothing written.
#[test]
fn bad_documents_are_refused_with_exit_1_and_nothing_written() {
    for (name, code, says) in [
        ("docx/macro.docm", "import-macros", "holds macros"),
        (
            "docx/encrypted.docx",
            "import-encrypted",
            "protected with a password",
        ),
        ("docx/corrupt.docx", "import-corrupt", "damaged"),
        (
            "docx/bomb.docx",
            "import-too-large",
            "word/document.xml would inflate",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("book");
        let out = common::run(&[
            "import",
            fixture(name).to_str().unwrap(),
            "-o",
            dir.to_str().unwrap(),
        ]);
        let err = common::stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains(&format!("error[{code}]")), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
        assert!(err.contains("help:"), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(!dir.exists(), "{name}: wrote {}", dir.display());
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            0,
            "{name}: left files behind"
        );
    }
}

/// A picture and a template the document only links to are reported,
/// never fetched; the rest imports.
#[test]
fn linked_picture_and_template_are_never_fetched() {
    let imp = import_file(&fixture("docx/external.docx"), &Options::default()).unwrap();
    let reasons: Vec<(&str, &str)> = imp
        .report
        .unsure
        .iter()
        .map(|e| (e.text.as_str(), e.reason.as_str()))
        .collect();
    assert!(
        reasons
            .iter()
            .any(|(t, r)| *t == "https://example.org/gauge.png"
                && r.contains("outside picture (never fetched)")),
        "{reasons:#?}"
    );
    assert!(
        reasons.iter().any(
            |(t, r)| *t == "https://templates.example.org/interview.dotx"
                && r.contains("outside template (never fetched)")
        ),
        "{reasons:#?}"
    );
    assert!(imp.images.is_empty());
    assert_eq!(imp.chapter.exchanges.len(), QUESTIONS.len());
}

/// Headings as questions, and the rest of what the reader keeps, the same
/// from Word and from LibreOffice's .odt of it.
#[test]
fn features_survive_from_word_and_from_libreoffice() {
    for name in ["docx/features.docx", "odt/features.odt"] {
        let imp = import_file(&fixture(name), &Options::default()).unwrap();
        let ch = &imp.chapter;
        let qs: Vec<String> = ch
            .exchanges
            .iter()
            .map(|e| plain_text(&e.question.content))
            .collect();
        assert_eq!(
            qs,
            [
                "How much water passes the weir?",
                "What do you check first?",
                "Which year was the worst?"
            ],
            "{name}"
        );
        assert_eq!(ch.interviewees, ["Marat Ospanov"], "{name}");
        let Some(Block::Paragraph { content, .. }) = ch.exchanges[0].answer.first() else {
            panic!("{name}: {:?}", ch.exchanges[0].answer)
        };
        let has = |f: &dyn Fn(&Inline) -> bool| content.iter().any(f);
        assert!(
            has(&|i| matches!(i, Inline::Superscript(c) if plain_text(c) == "3")),
            "{name}: {content:?}"
        );
        assert!(
            has(&|i| matches!(i, Inline::Subscript(c) if plain_text(c) == "2")),
            "{name}"
        );
        assert!(has(&|i| matches!(i, Inline::NoteRef(1))), "{name}");
        assert!(
            has(
                &|i| matches!(i, Inline::Foreign { lang, content } if lang.as_str() == "ru-RU" && plain_text(content) == "большая вода")
            ),
            "{name}: {content:?}"
        );
        assert!(
            has(&|i| matches!(i, Inline::Link { url, .. } if url == "https://example.org/weir")),
            "{name}"
        );
        let Some(Block::Paragraph { content, .. }) = ch.exchanges[0].answer.get(1) else {
            panic!("{name}")
        };
        assert!(content.contains(&Inline::LineBreak), "{name}: {content:?}");
        let answer = &ch.exchanges[1].answer;
        assert!(
            matches!(&answer[0], Block::List { start: None, items, .. } if items.len() == 3),
            "{name}: {answer:?}"
        );
        assert!(
            matches!(&answer[2], Block::List { start: Some(1), items, .. } if items.len() == 3),
            "{name}: {answer:?}"
        );
        let answer = &ch.exchanges[2].answer;
        assert!(
            matches!(&answer[0], Block::Table { head, rows, .. } if plain_text(&head[0]) == "Year" && rows.len() == 2 && plain_text(&rows[1][1]) == "9.1 m"),
            "{name}: {answer:?}"
        );
        assert!(
            matches!(&answer[1], Block::BlockQuote { .. }),
            "{name}: {answer:?}"
        );
        assert_eq!(ch.notes.len(), 1, "{name}");
        assert_eq!(
            plain_text_blocks(&ch.notes[0].content),
            "Measured at the Kushum weir."
        );
    }
}

/// Speaker names, typed from a recording, through the same passes.
#[test]
fn speaker_names_in_a_word_document() {
    let imp = import_file(&fixture("docx/speakers.docx"), &Options::default()).unwrap();
    let qs: Vec<String> = imp
        .chapter
        .exchanges
        .iter()
        .map(|e| plain_text(&e.question.content))
        .collect();
    assert_eq!(
        qs,
        [
            "How did you become a luthier?",
            "What do you listen for when you choose wood?"
        ]
    );
    assert_eq!(
        plain_text_blocks(&imp.chapter.exchanges[1].answer),
        "A clear ring when I knock on it, and no buzz at all."
    );
}

/// `Q:` and `A:` labels, typed from a recording, through the same passes.
#[test]
fn qa_labels_in_a_word_document() {
    let imp = import_file(&fixture("docx/labels.docx"), &Options::default()).unwrap();
    let qs: Vec<String> = imp
        .chapter
        .exchanges
        .iter()
        .map(|e| plain_text(&e.question.content))
        .collect();
    assert_eq!(
        qs,
        [
            "When does your shift start?",
            "What is the first thing you do?"
        ]
    );
    assert_eq!(
        plain_text_blocks(&imp.chapter.exchanges[1].answer),
        "I walk the dam from end to end and listen to it."
    );
}

/// The lines of inline content: split at line breaks, as pandoc's plain
/// text splits them.
fn lines_of(v: &[Inline]) -> Vec<String> {
    v.split(|i| matches!(i, Inline::LineBreak))
        .map(plain_text)
        .collect()
}

/// The text of a document as the importer kept it, line by line (a
/// paragraph, a list item, a table row): (lines, pictures' alt texts, the
/// lines pandoc may not have: title, standfirst, captions, what was
/// dropped).
fn our_lines(path: &Path) -> (Vec<String>, Vec<String>, Vec<String>) {
    fn blocks(
        bs: &[Block],
        lines: &mut Vec<String>,
        alts: &mut Vec<String>,
        extra: &mut Vec<String>,
    ) {
        for b in bs {
            match b {
                Block::Figure { image, caption, .. } => {
                    alts.push(image.alt.clone());
                    extra.push(plain_text(caption));
                }
                Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
                    lines.extend(lines_of(content))
                }
                Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                    blocks(content, lines, alts, extra)
                }
                Block::List { items, .. } => {
                    for it in items {
                        blocks(&it.blocks, lines, alts, extra);
                    }
                }
                Block::Table { head, rows, .. } => {
                    for row in std::iter::once(head).chain(rows) {
                        let cells: Vec<String> = row.iter().map(|c| plain_text(c)).collect();
                        lines.push(cells.join(" "));
                    }
                }
                other => lines.push(plain_text_blocks(std::slice::from_ref(other))),
            }
        }
    }
    let imp = import_file(path, &Options::default()).unwrap();
    let ch = &imp.chapter;
    let (mut lines, mut alts) = (Vec::new(), Vec::new());
    let mut extra = vec![plain_text(&ch.title)];
    extra.extend(ch.standfirst.iter().map(|s| plain_text(s)));
    extra.extend(imp.report.dropped.iter().map(|e| e.text.clone()));
    blocks(&ch.intro, &mut lines, &mut alts, &mut extra);
    for ex in &ch.exchanges {
        lines.extend(lines_of(&ex.question.content));
        blocks(&ex.answer, &mut lines, &mut alts, &mut extra);
    }
    for n in &ch.notes {
        blocks(&n.content, &mut lines, &mut alts, &mut extra);
    }
    if let Some(bio) = &ch.bio {
        blocks(&bio.content, &mut lines, &mut alts, &mut extra);
    }
    (lines, alts, extra)
}

/// pandoc: on the path, or from its PyPI package (`pip install
/// pypandoc-binary`).
fn pandoc() -> Option<PathBuf> {
    if common::on_path("pandoc") {
        return Some(PathBuf::from("pandoc"));
    }
    let out = std::process::Command::new("python3")
        .args(["-c", "import pypandoc; print(pypandoc.get_pandoc_path())"])
        .output()
        .ok()?;
    let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    (out.status.success() && p.is_file()).then_some(p)
}

/// A paragraph's words without note markers (`[1]`, `^([1])`).
fn words_of(s: &str) -> Vec<String> {
    let mut t = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('[') {
        let (before, after) = rest.split_at(at);
        t.push_str(before);
        match after.find(']') {
            Some(end) if after[1..end].chars().all(|c| c.is_ascii_digit()) && end > 1 => {
                rest = &after[end + 1..];
            }
            _ => {
                t.push('[');
                rest = &after[1..];
            }
        }
    }
    t.push_str(rest);
    // pandoc's plain text writes superscript and subscript digits as
    // Unicode's (m³, H₂O), or in `^(…)` and `_(…)` where it has none.
    let t: String = t
        .replace("^()", " ")
        .replace("^(", "")
        .replace("_(", "")
        .chars()
        .map(|c| match c {
            '⁰'..='⁹' | '¹' | '²' | '³' => match c {
                '¹' => '1',
                '²' => '2',
                '³' => '3',
                _ => char::from_u32(c as u32 - '⁰' as u32 + '0' as u32).unwrap_or(c),
            },
            '₀'..='₉' => char::from_u32(c as u32 - '₀' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    common::words(&t)
}

/// The text of every fixture is pandoc's reading of it, line by line,
/// apart from what the interview passes change on purpose (the dropped
/// comment and bio heading, Q:/A: labels) and what pandoc keeps as
/// metadata (a .docx's title and subtitle).
#[test]
fn the_text_equals_pandocs_reading() {
    let Some(pandoc) = pandoc() else {
        common::missing("pandoc");
        return;
    };
    for name in ALL {
        let path = fixture(name);
        let out = std::process::Command::new(&pandoc)
            .args(["-t", "plain", "--wrap=none"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {}", common::stderr(&out));
        let theirs: Vec<String> = common::stdout(&out)
            .lines()
            .map(|l| {
                // List bullets and numbers are the book's to set.
                let l = l.trim();
                let l = l.strip_prefix('-').unwrap_or(l);
                let digits = l.len() - l.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                match l[digits..].strip_prefix('.') {
                    Some(rest) if digits > 0 && rest.starts_with(' ') => rest.to_string(),
                    _ => l.to_string(),
                }
            })
            .filter(|l| !words_of(l).is_empty() || l.starts_with('['))
            .collect();
        let (ours, alts, extra) = our_lines(&path);
        let their_words: Vec<Vec<String>> = theirs.iter().map(|p| words_of(p)).collect();
        let our_words: Vec<Vec<String>> = ours.iter().map(|p| words_of(p)).collect();
        let extra_words: Vec<Vec<String>> = extra.iter().map(|p| words_of(p)).collect();
        // A speaker's label ("Q:", "ZARINA:") is the passes' to take off.
        let unlabelled: Vec<Vec<String>> = theirs
            .iter()
            .map(|p| {
                p.split_once(':')
                    .filter(|(label, _)| {
                        label.len() <= 20 && label.chars().all(|c| c.is_alphabetic() || c == ' ')
                    })
                    .map_or_else(Vec::new, |(_, rest)| words_of(rest))
            })
            .collect();
        for (p, w) in ours.iter().zip(&our_words) {
            assert!(
                their_words.contains(w) || unlabelled.contains(w),
                "{name}: pandoc has no line {p:?}; it read:\n{theirs:#?}"
            );
        }
        for ((p, w), u) in theirs.iter().zip(&their_words).zip(&unlabelled) {
            // A picture: pandoc writes its alt text in brackets.
            if p.starts_with('[') && p.ends_with(']') && !p[1..p.len() - 1].contains('[') {
                let alt = &p[1..p.len() - 1];
                assert!(
                    alt.is_empty() || alts.iter().any(|a| a == alt),
                    "{name}: {p}"
                );
                continue;
            }
            assert!(
                our_words.contains(w)
                    || extra_words.contains(w)
                    || (!u.is_empty() && our_words.contains(u)),
                "{name}: the import lost {p:?}; it kept:\n{ours:#?}"
            );
        }
    }
}

/// Damaged documents (bytes changed all through the package, or cut short)
/// give an error or an import, never a panic.
#[test]
fn damaged_documents_never_panic() {
    let mut seed = 0x2545_f491_u32;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    for name in ["docx/transcript.docx", "odt/transcript.odt"] {
        let good = std::fs::read(fixture(name)).unwrap();
        for round in 0..60 {
            let mut bytes = good.clone();
            if round % 10 == 9 {
                bytes.truncate(next() as usize % bytes.len());
            } else {
                for _ in 0..=(round % 4) {
                    let at = next() as usize % bytes.len();
                    bytes[at] = next() as u8;
                }
            }
            let r = qalam::import::import_bytes(&bytes, Path::new(name), None, &Options::default());
            if let Err(ds) = r {
                assert!(
                    !ds.is_empty(),
                    "{name} round {round}: an error without a diagnostic"
                );
                for d in ds.iter() {
                    assert!(
                        d.code.starts_with("import-"),
                        "{name} round {round}: {}",
                        d.code
                    );
                }
            }
        }
    }
}

/// The other fixtures build too, into EPUBs that EPUBCheck passes (the
/// transcripts are checked above).
#[test]
fn the_other_fixtures_build_valid_epubs() {
    for name in [
        "docx/features.docx",
        "odt/features.odt",
        "docx/labels.docx",
        "docx/speakers.docx",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let (_, dir) = import_and_build(&fixture(name), tmp.path());
        let epubs: Vec<PathBuf> = std::fs::read_dir(dir.join("out"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "epub"))
            .collect();
        assert_eq!(epubs.len(), 1, "{name}");
        common::assert_epubcheck_clean(&epubs[0]);
    }
}

/// The LibreOffice transcript rewritten with extra parts, or another
/// `mimetype`.
fn odt_with(extra: &[(&str, &[u8])], mimetype: Option<&[u8]>) -> Vec<u8> {
    use std::io::Write;
    let good = std::fs::read(fixture("odt/transcript.odt")).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(good)).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "mimetype"
            && let Some(m) = mimetype
        {
            data = m.to_vec();
        }
        w.start_file(name, opts).unwrap();
        w.write_all(&data).unwrap();
    }
    for (name, data) in extra {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// An .odt with Basic macros, and an OpenDocument spreadsheet, are refused.
#[test]
fn odt_with_macros_or_not_text_is_refused() {
    for (bytes, code) in [
        (
            odt_with(&[("Basic/Standard/Module1.xml", b"<module/>")], None),
            "import-macros",
        ),
        (
            odt_with(&[], Some(b"application/vnd.oasis.opendocument.spreadsheet")),
            "import-not-text",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("in.odt");
        std::fs::write(&input, &bytes).unwrap();
        let dir = tmp.path().join("book");
        let out = common::run(&[
            "import",
            input.to_str().unwrap(),
            "-o",
            dir.to_str().unwrap(),
        ]);
        let err = common::stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{code}: {err}");
        assert!(err.contains(&format!("error[{code}]")), "{err}");
        assert!(!dir.exists());
    }
    // The same rewriting without a change imports (the refusals above are
    // for what was added).
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.odt");
    std::fs::write(&input, odt_with(&[], None)).unwrap();
    assert!(import_file(&input, &Options::default()).is_ok());
}
