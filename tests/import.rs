//! `qalam import`: the seed gives the sample book, and each convention of
//! scraped interviews (fixtures under tests/fixtures/import/) gives exactly
//! the expected chapter.

mod common;
mod import_support;

use import_support::assert_same_chapter;

use qalam::import::report::Entry;
use qalam::import::{Options, import_file, write_project};
use qalam::model::{Block, Chapter, Inline, plain_text};
use std::path::{Path, PathBuf};

/// `qalam import INPUT -o DIR EXTRA…`
fn import_to(input: &Path, dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "import",
        input.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    common::run(&args)
}

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/import").join(name)
}

fn load(dir: &Path) -> qalam::model::Book {
    let l = qalam::internals::source::load(dir);
    let errs: Vec<String> = l.diagnostics.iter().map(|d| d.to_string()).collect();
    l.book
        .unwrap_or_else(|| panic!("{} does not load: {errs:#?}", dir.display()))
}

/// Imports a fixture, writes it, reads it back; checks that what was
/// written reads as what was imported, and returns both.
fn import_and_load(
    name: &str,
    opts: &Options,
) -> (qalam::import::Imported, Chapter, tempfile::TempDir) {
    let imp = import_file(&fixture(name), opts).unwrap_or_else(|d| panic!("{name}: {d}"));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("book");
    write_project(&imp, &dir, false).unwrap_or_else(|d| panic!("{name}: {d}"));
    let book = load(&dir);
    assert!(
        load_warnings(&dir).is_empty(),
        "{name}: {:?}",
        load_warnings(&dir)
    );
    let loaded = book.chapters[0].clone();
    // The written project reads back as the imported model.
    let expected = imp.book().chapters[0].clone();
    assert_same_chapter(&loaded, &expected);
    (imp, loaded, tmp)
}

fn load_warnings(dir: &Path) -> Vec<String> {
    qalam::internals::source::load(dir)
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect()
}

/// The seed (the scraped page the sample book was made from) imports as
/// `seed.expected.md`, the sample's chapter as it was made; compared with
/// that file rather than with `book/`, so that the sample can be improved
/// without breaking the importer's test.
#[test]
fn seed_gives_the_sample_chapter() {
    let (imp, _got, _tmp) = import_and_load("seed.txt", &Options::default());
    assert_eq!(imp.meta.title, "Kazakhstan’s New National Story");
    assert_eq!(imp.meta.language.as_str(), "en");
    assert_eq!(imp.meta.authors, ["Alikhan Baimenov"]);
    assert_golden(&imp, "seed");

    // The report says what was found and what was left out, by line.
    let r = &imp.report;
    assert_eq!(r.questions.len(), 7);
    assert_eq!(
        r.questions.iter().map(|q| q.line).collect::<Vec<_>>(),
        vec![24, 31, 36, 42, 50, 54, 64]
    );
    assert_eq!(
        r.pull_quotes.iter().map(|q| q.line).collect::<Vec<_>>(),
        vec![49, 63]
    );
    assert_eq!(
        r.endnotes
            .iter()
            .map(|n| (n.number, n.line, n.referenced_at))
            .collect::<Vec<_>>(),
        vec![(1, 73, 53), (2, 74, 57)]
    );
    assert_eq!(r.bio.as_ref().map(|b| b.line), Some(78));
    assert_eq!(
        r.joined.iter().map(|j| j.line).collect::<Vec<_>>(),
        vec![67]
    );
    let dropped: Vec<u32> = r.dropped.iter().map(|d| d.line).collect();
    let mut want: Vec<u32> = (3..=23).collect();
    want.extend([72, 75, 76, 77]);
    assert_eq!(dropped, want);
    assert!(
        r.dropped
            .iter()
            .all(|d| d.reason.contains("specimen") || d.reason.contains("notes heading")),
        "{:#?}",
        r.dropped
    );
    assert!(r.unsure.is_empty(), "{:#?}", r.unsure);
}

/// The chapter written for a fixture equals `<name>.expected.md` (set
/// QALAM_BLESS=1 to rewrite the expectation after checking the change).
fn assert_golden(imp: &qalam::import::Imported, name: &str) {
    let (_, md) = imp
        .files()
        .into_iter()
        .find(|(p, _)| p.ends_with(".md"))
        .unwrap();
    let path = fixture(&format!("{name}.expected.md"));
    if std::env::var("QALAM_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &md).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        md,
        want,
        "{name}: the written chapter differs from {}",
        path.display()
    );
}

fn entries(list: &[Entry]) -> Vec<(u32, &str)> {
    list.iter().map(|e| (e.line, e.reason.as_str())).collect()
}

fn questions(ch: &Chapter) -> Vec<String> {
    ch.exchanges
        .iter()
        .map(|e| plain_text(&e.question.content))
        .collect()
}

fn answer_text(ch: &Chapter, k: usize) -> String {
    qalam::model::plain_text_blocks(&ch.exchanges[k].answer)
}

#[test]
fn qa_labels_bracket_markers_junk_and_about_the_author() {
    let (imp, ch, _tmp) = import_and_load("qa.txt", &Options::default());
    assert_golden(&imp, "qa");
    assert_eq!(plain_text(&ch.title), "Rivers That Change Their Minds");
    assert_eq!(
        questions(&ch),
        vec![
            "You started mapping riverbeds in 1998. What made you begin?",
            // An unlabelled line before the answer belongs to the question.
            "Many readers will not know what a “wandering” river is. Could you explain it for them?",
            "How many people depend on these channels today?",
            "What should a village do first?",
        ]
    );
    // Labels are gone from the answers; the second paragraph of the first
    // answer stays with it.
    assert_eq!(ch.exchanges[0].answer.len(), 2);
    assert!(answer_text(&ch, 0).starts_with("My grandfather kept"));
    // [1] and [2] are notes; the numbers of the text are not.
    assert_eq!(ch.notes.len(), 2);
    assert_eq!(
        qalam::model::plain_text_blocks(&ch.notes[1].content),
        "Figures from the 2021 district water survey."
    );
    for n in [
        "41 pages",
        "12 summers",
        "19th century",
        "30 kilometres",
        "3,500 families",
        "12 districts",
        "COVID-19",
    ] {
        assert!(
            ch.exchanges
                .iter()
                .any(|e| qalam::model::plain_text_blocks(&e.answer).contains(n)),
            "{n}"
        );
    }
    assert_eq!(ch.interviewees, vec!["Mirzakhan Oralov"]);
    assert_eq!(ch.interviewer.as_deref(), Some("Dana Okafor"));
    assert_eq!(ch.date.as_deref(), Some("2024-06-03"));
    assert!(ch.bio.is_some());
    let r = &imp.report;
    assert_eq!(
        entries(&r.dropped),
        vec![
            (1, "breadcrumbs"),
            (2, "share buttons"),
            (3, "cookie notice"),
            (4, "cookie notice"),
            (7, "byline naming the interviewer (Dana Okafor)"),
            (8, "dateline"),
            (9, "reading time"),
            (18, "photo credit"),
            (21, "notes heading (the book sets its own)"),
            (24, "bio heading (the book sets its own)"),
            (26, "newsletter prompt"),
            (27, "related articles"),
            (28, "related articles (listed under \"Related articles\")"),
            (29, "related articles (listed under \"Related articles\")"),
        ]
    );
    assert_eq!(
        entries(&r.joined),
        vec![(
            14,
            "joined to the question at line 13: no answer label before it"
        )]
    );
    assert!(r.unsure.is_empty(), "{:#?}", r.unsure);
}

#[test]
fn wrapped_text_two_sentence_and_quoted_questions_glued_markers() {
    let (imp, ch, _tmp) = import_and_load("wrapped.txt", &Options::default());
    assert_golden(&imp, "wrapped");
    assert_eq!(
        questions(&ch),
        vec![
            "Why receipts? Most people would say they are the least interesting paper there is.",
            // Two sentences, the second not a question.
            "What is the hardest part of your work? Tell us what people get wrong about it.",
            "You have said the collection belongs to everyone. What does that mean in practice?",
        ]
    );
    // The answer ending with a quoted question, and the one ending with the
    // speaker's own question, stay in the answer.
    assert_eq!(ch.exchanges[1].answer.len(), 4);
    assert!(matches!(ch.exchanges[1].answer[3], Block::PullQuote { .. }));
    // Markers glued to a word's full stop and to a closing quote.
    assert_eq!(ch.notes.len(), 2);
    let a0 = &ch.exchanges[0].answer[1];
    let Block::Paragraph { content, .. } = a0 else {
        panic!()
    };
    assert_eq!(content.last(), Some(&Inline::NoteRef(1)));
    assert!(answer_text(&ch, 1).contains("“the bread sermon”. Nobody"));
    for n in ["12,000", "1911", "10th century", "43 volunteers", "1987"] {
        assert!(
            ch.exchanges
                .iter()
                .any(|e| qalam::model::plain_text_blocks(&e.answer).contains(n)),
            "{n}"
        );
    }
    assert_eq!(ch.interviewees, vec!["Lena Baraz"]);
    let r = &imp.report;
    assert_eq!(
        entries(&r.dropped),
        vec![
            (7, "photo credit"),
            (34, "\"read more\" link"),
            (45, "notes heading (the book sets its own)")
        ]
    );
    assert_eq!(
        entries(&r.unsure),
        vec![
            (
                9,
                "taken as a question, though it could be the end of an answer"
            ),
            (22, "ends with a quoted question; kept in the answer"),
            (
                26,
                "ends with a question mark but reads as part of the answer; kept in the answer"
            ),
        ]
    );
    assert_eq!(
        r.pull_quotes.iter().map(|p| p.line).collect::<Vec<_>>(),
        vec![36]
    );
}

#[test]
fn speaker_names_and_a_compact_style_guide() {
    let (imp, ch, _tmp) = import_and_load("speakers.txt", &Options::default());
    assert_golden(&imp, "speakers");
    assert_eq!(
        questions(&ch),
        vec![
            "How did you become a luthier?",
            "What do you listen for when you choose wood?",
            "Is there a dombra you regret selling?",
            "What would you tell someone who wants to start?",
        ]
    );
    assert!(answer_text(&ch, 0).starts_with("By breaking my father’s dombra"));
    assert_eq!(ch.interviewees, vec!["Kanat Ibrayev"]);
    let r = &imp.report;
    let dropped: Vec<u32> = r.dropped.iter().map(|e| e.line).collect();
    assert_eq!(dropped, vec![1, 2, 5, 6, 7, 8, 9, 10, 11, 23]);
    // A lone "Table" might be a style-guide label, or a word: kept, flagged.
    assert_eq!(
        entries(&r.unsure),
        vec![
            (17, "kept, but it looks like a style-guide label"),
            (
                22,
                "taken as the bio: the last paragraph, about the interviewee"
            )
        ]
    );
}

#[test]
fn wordpress_page() {
    let (imp, ch, _tmp) = import_and_load("wordpress.html", &Options::default());
    assert_golden(&imp, "wordpress");
    assert_eq!(plain_text(&ch.title), "Salt, Silk and Spreadsheets");
    assert_eq!(ch.lang.as_str(), "en-GB");
    assert_eq!(ch.date.as_deref(), Some("2024-09-18"));
    assert_eq!(
        questions(&ch),
        vec![
            "What first drew you to caravan ledgers?",
            "How reliable are the numbers themselves?",
            "Why teach this with spreadsheets?",
            "What are you working on now?",
        ]
    );
    assert_eq!(ch.pull_quote_count(), 1);
    assert_eq!(ch.notes.len(), 2);
    assert_eq!(
        qalam::model::plain_text_blocks(&ch.notes[0].content),
        "The ledger is kept in the Central State Archive, fond 126."
    );
    assert!(answer_text(&ch, 0).contains("Those little words — honest, slow, owes me — are"));
    assert!(matches!(
        ch.exchanges[2].answer[1],
        Block::BlockQuote { .. }
    ));
    assert_eq!(ch.interviewees, vec!["Saule Dzhaksybekova"]);
    // The byline ("By Tomas Reyes") names who asked.
    assert_eq!(ch.interviewer.as_deref(), Some("Tomas Reyes"));
    let r = &imp.report;
    let reasons: Vec<&str> = r.dropped.iter().map(|e| e.reason.as_str()).collect();
    for want in [
        "outside the article: cookie notice",
        "outside the article: navigation",
        "outside the article: site header",
        "share buttons",
        "attribution of a pull quote",
        "newsletter prompt",
        "notes heading (the book sets its own)",
        // The article's own footer (tags) and the related links under it:
        // Readability's article holds them, the class names drop them.
        "tags and categories",
        "bio heading (the book sets its own)",
        "related articles",
        "outside the article: site footer",
    ] {
        assert!(reasons.contains(&want), "{want}: {reasons:#?}");
    }
    // The picture is on the web, never fetched: reported with its alt text.
    assert!(r.dropped.iter().any(|e| e.line == 27
        && e.text.starts_with("A page of a caravan ledger")
        && e.reason.contains("never downloads")));
    // Scripts, styles and the tracking pixel are not text at all.
    assert!(!r.dropped.iter().any(|e| e.text.contains("dataLayer")
        || e.text.contains("font-family")
        || e.text.contains("track.gif")));
}

#[test]
fn legacy_page_in_windows_1251_with_a_saved_picture() {
    let (imp, ch, tmp) = import_and_load("legacy.html", &Options::default());
    assert_golden(&imp, "legacy");
    assert_eq!(plain_text(&ch.title), "Степь помнит всё");
    assert_eq!(ch.lang.as_str(), "ru");
    assert_eq!(questions(&ch).len(), 3);
    // The deck was set in italics; the standfirst is its text.
    assert_eq!(
        plain_text(ch.standfirst.as_ref().unwrap()),
        "Картограф Асель Нурланова\u{a0}— о\u{a0}старых картах, кочевых маршрутах и\u{a0}о\u{a0}том, почему навигатор ошибается."
    );
    // Two <br>s split a paragraph; the typography pass sets Russian quotes.
    assert_eq!(ch.exchanges[1].answer.len(), 2);
    assert!(answer_text(&ch, 1).contains("«официальной»"));
    // The picture from the page's folder is copied and used.
    assert!(
        matches!(&ch.exchanges[0].answer[1], Block::Figure { image, .. } if image.alt == "Старая карта степи с отмеченными колодцами")
    );
    assert!(tmp.path().join("book/images/steppe.png").is_file());
    assert_eq!(ch.notes.len(), 2);
    assert_eq!(ch.interviewees, vec!["Асель Нурланова"]);
    assert_eq!(
        imp.report.unsure[0].reason,
        "the file is not UTF-8; read as Windows-1251"
    );
}

#[test]
fn markdown_special_characters_round_trip() {
    // `import_and_load` checks that the written Markdown reads back as the
    // imported model: escaping is right.
    let (imp, ch, _tmp) = import_and_load("tricky.txt", &Options::default());
    assert_golden(&imp, "tricky");
    assert_eq!(
        plain_text(&ch.title),
        "Stars, *Bars* & [Brackets]: A Test of Escapes"
    );
    let all = ch
        .exchanges
        .iter()
        .map(|e| qalam::model::plain_text_blocks(&e.answer))
        .collect::<Vec<_>>()
        .join("\n");
    for lit in [
        "*not emphasis*",
        "_not emphasis_",
        "`not code`",
        "\\backslash\\",
        "a^2^",
        "H~2~O",
        "[^fake]",
        "&copy;",
        "<not a tag>",
        "# This starts",
        "> This starts",
        "===",
    ] {
        assert!(all.contains(lit), "{lit} in {all}");
    }
    assert_eq!(
        questions(&ch)[1],
        "And headings with #hash, {braces} and a trailing ##?"
    );
}

#[test]
fn keep_all_keeps_what_would_be_dropped() {
    let opts = Options {
        keep_all: true,
        ..Options::default()
    };
    let (imp, ch, _tmp) = import_and_load("qa.txt", &opts);
    let r = &imp.report;
    assert!(
        r.dropped
            .iter()
            .all(|e| e.reason.contains("heading (the book sets its own)")),
        "{:#?}",
        r.dropped
    );
    assert!(
        r.unsure
            .iter()
            .any(|e| e.line == 18 && e.reason == "kept (--keep-all), looks like photo credit")
    );
    // The photo credit is now text of the third answer.
    assert!(answer_text(&ch, 2).contains("Photo: Aigul Serik"));
    // Chrome before the title is kept too, so the breadcrumbs are the title.
    assert_eq!(plain_text(&ch.title), "Home › Interviews › Water");
}

// ------------------------------------------------------------ command line

fn tmpdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn cli_writes_a_project_that_checks() {
    let tmp = tmpdir();
    let out = tmp.path().join("x");
    let seed = fixture("seed.txt");
    let o = import_to(&seed, &out, &[]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let s = common::stdout(&o);
    assert!(
        s.contains("questions: 7") && s.contains("pull quotes: 2") && s.contains("endnotes: 2"),
        "{s}"
    );
    assert!(
        s.contains("line    3  Heading 1  [CMS style-guide specimen]"),
        "{s}"
    );
    assert!(
        out.join("book.toml").is_file() && out.join("kazakhstans-new-national-story.md").is_file()
    );
    let c = common::run(&["check", out.to_str().unwrap()]);
    assert!(c.status.success(), "{}", common::stderr(&c));
    assert!(common::stdout(&c).contains("ok: 0 error(s), 0 warning(s)"));
    // No temporary folder is left beside the project.
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["x"]);
}

#[test]
fn cli_import_and_build_in_one_run() {
    let tmp = tmpdir();
    let dir = tmp.path().join("x");
    let seed = fixture("seed.txt");
    let o = import_to(&seed, &dir, &["--build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let out = dir.join("out");
    let epub = out.join("kazakhstans-new-national-story.epub");
    let pdf = out.join("kazakhstans-new-national-story.pdf");
    // The import's report, then the build's own lines (the report's
    // "wrote:" names only the project's files).
    let said = common::stdout(&o);
    assert!(said.contains("questions: 7"), "{said}");
    for f in [&epub, &pdf] {
        assert!(
            said.contains(&format!("wrote {}", f.display())),
            "no line for {}:\n{said}",
            f.display()
        );
    }
    common::assert_epubcheck_clean(&epub);
    // The same bytes as a separate `qalam build` of the written project.
    let again = tmp.path().join("again");
    let b = common::run(&[
        "build",
        dir.to_str().unwrap(),
        "-o",
        again.to_str().unwrap(),
    ]);
    assert!(b.status.success(), "{}", common::stderr(&b));
    for f in [&epub, &pdf] {
        let name = f.file_name().unwrap();
        assert!(
            std::fs::read(f).unwrap() == std::fs::read(again.join(name)).unwrap(),
            "{} differs from a separate build",
            name.to_string_lossy()
        );
    }
    common::pdf::Pdf::open(&pdf).assert_sound();
    if let Some(q) = common::tool("qpdf", &["--check".as_ref(), pdf.as_os_str()]) {
        assert!(q.status.success(), "{}", common::stdout(&q));
    }
    // --build with --dry-run makes no sense: refused before anything runs.
    let d = import_to(&seed, &tmp.path().join("y"), &["--dry-run", "--build"]);
    assert_eq!(d.status.code(), Some(2));
    assert!(!tmp.path().join("y").exists());
}

#[test]
fn cli_never_overwrites_a_project_without_force() {
    let tmp = tmpdir();
    let out = tmp.path().join("x");
    let seed = fixture("seed.txt");
    assert!(import_to(&seed, &out, &[]).status.success());
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let again = import_to(&seed, &out, &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        common::stderr(&again).contains("dir-not-empty"),
        "{}",
        common::stderr(&again)
    );
    let forced = import_to(&seed, &out, &["--force"]);
    assert!(forced.status.success(), "{}", common::stderr(&forced));
    // --force replaces the project's files and leaves the others alone.
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn cli_dry_run_writes_nothing() {
    let tmp = tmpdir();
    let out = tmp.path().join("x");
    let page = fixture("wordpress.html");
    let o = import_to(&page, &out, &["--dry-run"]);
    assert!(o.status.success());
    assert!(common::stdout(&o).contains("dry run: nothing written"));
    assert!(!out.exists());
}

#[test]
fn cli_json_report() {
    let page = fixture("wordpress.html");
    let o = common::run(&[
        "import",
        page.to_str().unwrap(),
        "--dry-run",
        "--report",
        "json",
    ]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    assert_eq!(v["format"], "html");
    assert_eq!(v["title"], "Salt, Silk and Spreadsheets");
    assert_eq!(v["questions"].as_array().unwrap().len(), 4);
    assert_eq!(v["questions"][0]["line"], 28);
    assert_eq!(v["endnotes"][1]["number"], 2);
    assert_eq!(v["endnotes"][1]["referenced_at"], 36);
    let dropped = v["dropped"].as_array().unwrap();
    assert!(
        dropped
            .iter()
            .any(|e| e["reason"] == "share buttons" && e["line"] == 31)
    );
    assert_eq!(v["written"].as_array().unwrap().len(), 0);
}

#[test]
fn cli_content_decides_the_format() {
    let tmp = tmpdir();
    let disguised = tmp.path().join("page.txt");
    std::fs::copy(fixture("wordpress.html"), &disguised).unwrap();
    let o = common::run(&[
        "import",
        disguised.to_str().unwrap(),
        "--dry-run",
        "--report",
        "json",
    ]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["format"], "html");
    assert_eq!(
        v["unsure"][0]["reason"],
        "the file is named as text but holds HTML; read as a web page"
    );
}

#[test]
fn cli_bad_input_is_a_clear_error() {
    let tmp = tmpdir();
    let bin = tmp.path().join("photo.txt");
    std::fs::write(&bin, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let o = common::run(&["import", bin.to_str().unwrap(), "--dry-run"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).contains("import-not-text"),
        "{}",
        common::stderr(&o)
    );

    let empty = tmp.path().join("empty.txt");
    std::fs::write(&empty, "\n  \n").unwrap();
    let o = common::run(&["import", empty.to_str().unwrap(), "--dry-run"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).contains("found no title"),
        "{}",
        common::stderr(&o)
    );

    let junk_only = tmp.path().join("junk.txt");
    std::fs::write(&junk_only, "Heading 1\nHeading 2\nShare on Facebook\n").unwrap();
    let o = common::run(&["import", junk_only.to_str().unwrap(), "--dry-run"]);
    assert_eq!(o.status.code(), Some(1));

    let o = common::run(&["import", tmp.path().join("missing.txt").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).contains("no such file"),
        "{}",
        common::stderr(&o)
    );

    let seed = fixture("seed.txt");
    let o = common::run(&[
        "import",
        seed.to_str().unwrap(),
        "--lang",
        "not a tag",
        "--dry-run",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn notes_nothing_refers_to_are_kept_and_reported() {
    let text = "A Short Talk\nWhat happened in 2019?\nThe river moved again, as it does every spring.\nNotes\n1. A note that the text never points to.\n";
    let imp = qalam::import::import_bytes(
        text.as_bytes(),
        Path::new("t.txt"),
        None,
        &Options::default(),
    )
    .unwrap();
    assert!(imp.chapter.notes.is_empty());
    assert_eq!(imp.orphan_notes.len(), 1);
    assert!(
        imp.report
            .unsure
            .iter()
            .any(|e| e.line == 5 && e.reason.contains("not referenced anywhere"))
    );
    let (_, md) = imp.files().remove(1);
    assert!(
        md.contains("[^1]: A note that the text never points to."),
        "{md}"
    );
    // The project is valid; `qalam check` warns about the note.
    let tmp = tmpdir();
    let dir = tmp.path().join("b");
    write_project(&imp, &dir, false).unwrap();
    let l = qalam::internals::source::load(&dir);
    assert!(l.book.is_some());
    assert!(l.diagnostics.iter().any(|d| d.code == "note-unused"));
}

#[test]
fn markers_without_a_notes_list_stay_text() {
    let text = "A Short Talk\nWhat happened next?\nThe Qantar events2 changed it, as we wrote [3] and in 2014.\n";
    let imp = qalam::import::import_bytes(
        text.as_bytes(),
        Path::new("t.txt"),
        None,
        &Options::default(),
    )
    .unwrap();
    assert!(imp.chapter.notes.is_empty());
    assert_eq!(
        answer_text(&imp.chapter, 0),
        "The Qantar events2 changed it, as we wrote [3] and in 2014."
    );
    assert!(
        imp.report
            .unsure
            .iter()
            .any(|e| e.line == 3 && e.text == "[3]" && e.reason.contains("no notes list"))
    );
}

#[test]
fn a_project_that_does_not_read_back_is_taken_away_again() {
    let text = "A Short Talk\nWhat happened next?\nWe built it, and it stood.\n";
    let mut imp = qalam::import::import_bytes(
        text.as_bytes(),
        Path::new("t.txt"),
        None,
        &Options::default(),
    )
    .unwrap();
    let tmp = tmpdir();
    // As it is, it reads back, and the reading is handed on.
    let good = tmp.path().join("good");
    let (paths, loaded) = qalam::import::write_project_read(&imp, &good, false).unwrap();
    assert_eq!(paths.len(), 2);
    let loaded = loaded.expect("a new folder is read back where the project lands");
    assert_eq!(loaded.book, qalam::internals::source::load(&good).book);

    // A date the reader refuses stands for a bug of the importer.
    imp.meta.date = Some("the day after".into());
    let new = tmp.path().join("new");
    let e = write_project(&imp, &new, false).unwrap_err();
    assert_eq!(codes(&e), ["bug"], "{e}");
    assert!(!new.exists(), "a new folder is removed again");
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let e = write_project(&imp, &empty, false).unwrap_err();
    assert_eq!(codes(&e), ["bug"], "{e}");
    assert_eq!(
        std::fs::read_dir(&empty).unwrap().count(),
        0,
        "an empty folder stays empty"
    );
    // Over an existing project (--force), nothing is replaced.
    let before = std::fs::read(good.join("book.toml")).unwrap();
    let e = write_project(&imp, &good, true).unwrap_err();
    assert_eq!(codes(&e), ["bug"], "{e}");
    assert_eq!(std::fs::read(good.join("book.toml")).unwrap(), before);
    // No temporary folder is left beside them.
    let mut names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["empty", "good"]);
}

#[test]
fn a_saved_page_imported_and_built_in_one_run_builds_as_its_project_does() {
    // The build of `--build` has the page's words shaped ahead, outside its
    // markup; the outputs must not show it.
    let tmp = tmpdir();
    let dir = tmp.path().join("w");
    let o = import_to(&fixture("wordpress.html"), &dir, &["--build", "-q"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let again = tmp.path().join("again");
    let b = common::run(&[
        "build",
        "-q",
        dir.to_str().unwrap(),
        "-o",
        again.to_str().unwrap(),
    ]);
    assert!(b.status.success(), "{}", common::stderr(&b));
    let mut made: Vec<_> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with(qalam::incremental::RECORD))
        .collect();
    made.sort();
    assert_eq!(made.len(), 2, "{made:?}");
    for f in made {
        if f.extension().is_some_and(|e| e == "epub") {
            common::assert_epubcheck_clean(&f);
        } else {
            common::pdf::Pdf::open(&f).assert_sound();
            if let Some(q) = common::tool("qpdf", &["--check".as_ref(), f.as_os_str()]) {
                assert!(q.status.success(), "{}", common::stdout(&q));
            }
        }
        let twin = again.join(f.file_name().unwrap());
        assert!(
            std::fs::read(&f).unwrap() == std::fs::read(&twin).unwrap(),
            "{} differs from {}",
            f.display(),
            twin.display()
        );
    }
}

fn codes(e: &qalam::diag::Diagnostics) -> Vec<&'static str> {
    e.iter().map(|d| d.code).collect()
}
