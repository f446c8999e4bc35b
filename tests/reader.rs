//! The source reader on the sample book, the specimen and small books made
//! at test time. Bad input (tests/fixtures/bad/<case>/ and the limits) is
//! the error matrix's: tests/error_matrix.rs.

mod common;

use common::{root, run, stderr, stdout};
use qalam::model::{Block, Inline, plain_text, plain_text_blocks};

fn load(rel: &str) -> qalam::internals::source::Loaded {
    qalam::internals::source::load(&root().join(rel))
}

#[test]
fn sample_book_reads_as_the_interview() {
    let l = load("book");
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let book = l.book.expect("sample reads");
    assert_eq!(book.meta.title, "Kazakhstan’s New National Story");
    assert_eq!(book.meta.language.as_str(), "en");
    assert_eq!(book.meta.slug, "kazakhstans-new-national-story");
    assert!(book.meta.identifier.starts_with("urn:uuid:"));
    assert_eq!(book.chapters.len(), 1);
    let ch = &book.chapters[0];
    assert_eq!(ch.interviewees, ["Alikhan Baimenov"]);
    assert!(
        plain_text(ch.standfirst.as_ref().unwrap())
            .starts_with("Alikhan Baimenov, the Central Asian")
    );

    // 7 questions, with the number of answer paragraphs the seed has.
    let paras: Vec<usize> = ch
        .exchanges
        .iter()
        .map(|e| {
            e.answer
                .iter()
                .filter(|b| matches!(b, Block::Paragraph { .. }))
                .count()
        })
        .collect();
    assert_eq!(paras, [6, 4, 5, 6, 3, 8, 6]);
    assert!(plain_text(&ch.exchanges[6].question.content).starts_with("Kazakhstan’s rich history"));

    // Pull quotes sit where the page had them: after Q4's and Q6's answers.
    assert_eq!(ch.pull_quote_count(), 2);
    for (q, start) in [
        (3, "Every government operates"),
        (5, "The ability to listen"),
    ] {
        match ch.exchanges[q].answer.last() {
            Some(Block::PullQuote { content, .. }) => {
                assert!(plain_text_blocks(content).starts_with(start))
            }
            other => panic!(
                "question {} should end with a pull quote, got {other:?}",
                q + 1
            ),
        }
    }

    // Notes 1 and 2 at the glued digits, in that order.
    assert_eq!(ch.notes.len(), 2);
    assert!(
        plain_text_blocks(&ch.notes[0].content)
            .starts_with("https://www.astanacivilservicehub.org/")
    );
    assert!(plain_text_blocks(&ch.notes[1].content).starts_with("Qandy Qantar"));
    let refs = note_refs(&ch.exchanges[4].answer);
    assert_eq!(refs, [1]);
    assert_eq!(note_refs(&ch.exchanges[5].answer), [2]);
    let q5 = plain_text_blocks(&ch.exchanges[4].answer);
    assert!(
        q5.contains("Diversity in Transformation”. Kazakhstan’s wealth"),
        "{q5}"
    );

    // The line broken after "more than" is joined; no CMS junk.
    let all: String = ch
        .exchanges
        .iter()
        .map(|e| plain_text_blocks(&e.answer))
        .collect();
    assert!(all.contains("more than 120 ethnic groups live."));
    for junk in [
        "Heading 1",
        "Lorem ipsum",
        "Item 1",
        "Block quote",
        "Ordered list",
        "Subscript",
    ] {
        assert!(!all.contains(junk), "{junk}");
    }
    let bio = ch.bio.as_ref().unwrap();
    assert_eq!(bio.name, "Alikhan Baimenov");
    // The typography pass binds the title to the name.
    assert!(plain_text_blocks(&bio.content).starts_with("Dr\u{a0}Alikhan Baimenov is Chairman"));
}

fn note_refs(blocks: &[Block]) -> Vec<u32> {
    fn walk(v: &[Inline], out: &mut Vec<u32>) {
        for i in v {
            match i {
                Inline::NoteRef(n) => out.push(*n),
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::Link { content: c, .. }
                | Inline::Foreign { content: c, .. } => walk(c, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Paragraph { content, .. } => walk(content, &mut out),
            Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                out.extend(note_refs(content))
            }
            Block::List { items, .. } => {
                for i in items {
                    out.extend(note_refs(&i.blocks));
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn check_reports_what_the_sample_holds() {
    let o = run(&["check", root().join("book").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for line in [
        "questions: 7",
        "pull quotes: 2",
        "endnotes: 2",
        "bios: 1",
        "0 error(s), 0 warning(s)",
    ] {
        assert!(out.contains(line), "missing `{line}` in:\n{out}");
    }
}

#[test]
fn specimen_has_every_element() {
    let l = load("tests/fixtures/specimen");
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let book = l.book.unwrap();
    let ch = &book.chapters[0];
    assert_eq!(plain_text(&ch.title), "A Specimen of Every Element");
    assert!(matches!(ch.title[1], Inline::Emphasis(_)));
    assert_eq!(ch.interviewees, ["Aigerim Example", "Boris Sample"]);
    assert_eq!(ch.interviewer.as_deref(), Some("Dana Editor"));
    assert_eq!(ch.exchanges.len(), 3);
    assert_eq!(ch.pull_quote_count(), 2);
    let blocks: Vec<&Block> = ch.body_blocks().collect();
    let count = |f: &dyn Fn(&Block) -> bool| blocks.iter().filter(|b| f(b)).count();
    assert_eq!(count(&|b| matches!(b, Block::BlockQuote { .. })), 1);
    assert_eq!(count(&|b| matches!(b, Block::Heading { .. })), 4);
    assert_eq!(
        count(&|b| matches!(b, Block::List { start: Some(1), .. })),
        1
    );
    assert_eq!(count(&|b| matches!(b, Block::List { start: None, .. })), 1);
    assert_eq!(count(&|b| matches!(b, Block::SectionBreak { .. })), 1);
    assert_eq!(count(&|b| matches!(b, Block::Table { .. })), 1);
    assert_eq!(count(&|b| matches!(b, Block::CodeBlock { .. })), 1);
    let fig = blocks.iter().find_map(|b| match b {
        Block::Figure { image, caption, .. } => Some((image, caption)),
        _ => None,
    });
    let (image, caption) = fig.expect("a figure");
    assert_eq!((image.width, image.height), (480, 320));
    assert!(image.alt.starts_with("A stylised steppe"));
    assert_eq!(plain_text(caption), "The steppe at noon (illustration)");
    // Three notes; the first is referenced twice but numbered once.
    assert_eq!(
        ch.notes.iter().map(|n| n.number).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(note_refs(&ch.exchanges[0].answer), [1, 1, 2]);
    assert_eq!(ch.notes[1].content.len(), 2, "two paragraphs in note 2");
    // Superscript and subscript, also inside words.
    let text = format!("{:?}", ch.exchanges[0].answer[0]);
    assert!(text.contains("Superscript([Text(\"th\")])"), "{text}");
    assert!(text.contains("Subscript([Text(\"2\")])"), "{text}");
    // Foreign-language spans keep their language.
    let second = format!("{:?}", ch.exchanges[0].answer[1]);
    assert!(
        second.contains("Lang(\"ar\")") && second.contains("Lang(\"ru\")"),
        "{second}"
    );
    assert!(
        second.contains("«Добрый день»"),
        "Russian quotes inside the span: {second}"
    );
    // Nested lists.
    let Some(Block::List { items, .. }) = ch.exchanges[1]
        .answer
        .iter()
        .find(|b| matches!(b, Block::List { .. }))
    else {
        panic!()
    };
    assert_eq!(items.len(), 3);
    assert!(matches!(
        items[1].blocks.last(),
        Some(Block::List { start: None, .. })
    ));
    assert!(ch.bio.is_some());
}

#[test]
fn check_exit_codes_and_rendering() {
    // An error: exit 1, and the rendered message points at file:line:column.
    let dir = root().join("tests/fixtures/bad/note-undefined");
    let o = common::qalam()
        .current_dir(root())
        .args(["check", "tests/fixtures/bad/note-undefined"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("tests/fixtures/bad/note-undefined/interview.md:7:23"),
        "{err}"
    );
    assert!(
        err.contains("An answer with a note.[^missing]"),
        "the source line is shown: {err}"
    );
    assert!(err.contains("help: add a definition"), "{err}");
    assert!(dir.is_dir());
    // Warnings only: exit 0.
    let o = run(&[
        "check",
        root()
            .join("tests/fixtures/bad/note-unused")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("never referenced"));
    // --quiet hides warnings.
    let o = run(&[
        "--quiet",
        "check",
        root()
            .join("tests/fixtures/bad/note-unused")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).is_empty() && stdout(&o).is_empty(),
        "{}{}",
        stderr(&o),
        stdout(&o)
    );
    // Usage errors: exit 2.
    let o = run(&["check", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn raw_html_never_keeps_script_content() {
    let l = load("tests/fixtures/bad/raw-html");
    let book = l.book.unwrap();
    let text = plain_text_blocks(&book.chapters[0].exchanges[0].answer);
    assert!(!text.contains("alert"), "{text}");
    assert!(!text.contains("Advert"), "{text}");
    assert!(text.contains("Text"), "{text}");
    let dbg = format!("{:?}", book.chapters[0].exchanges[0].answer);
    assert!(
        dbg.contains("Strong([Text(\"bold\")])"),
        "allowed inline tags keep their meaning: {dbg}"
    );
}

#[test]
fn new_project_checks_clean_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-interviews");
    let o = run(&["new", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let l = qalam::internals::source::load(&dir);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let book = l.book.unwrap();
    assert_eq!(book.meta.title, "My Interviews");
    assert_eq!(book.chapters[0].pull_quote_count(), 1);
    assert_eq!(book.chapters[0].notes.len(), 1);
    let o = run(&["new", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not empty"));
}

#[test]
fn new_project_keeps_a_title_with_quotes_colons_and_hashes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("b");
    let title = "“Yes”: she said \"no\" — #1 of 2 (it's 100% \\ true)";
    let o = run(&["new", dir.to_str().unwrap(), &format!("--title={title}")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let l = qalam::internals::source::load(&dir);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let book = l.book.unwrap();
    // As written, but for the typography pass's quotes and apostrophe.
    let set = "“Yes”: she said “no” — #1 of 2 (it’s 100% \\ true)";
    assert_eq!(book.meta.title, set);
    assert_eq!(qalam::model::plain_text(&book.chapters[0].title), set);
}

/// Writes a one-chapter book into a temporary folder.
fn tiny_book(toml_extra: &str, chapter: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("book.toml"),
        format!("[book]\ntitle = \"Tiny\"\n{toml_extra}"),
    )
    .unwrap();
    std::fs::write(tmp.path().join("ch.md"), chapter).unwrap();
    tmp
}

#[test]
fn notes_are_numbered_by_first_reference() {
    // Defined b, c, a; referenced a, b, a, c: numbers follow the references.
    let t = tiny_book(
        "",
        "---\ntitle: T\n---\n\n## Q?\n\nOne[^a] two[^b] again[^a].\n\nThree[^c].\n\n[^b]: Bee.\n[^c]: Sea.\n[^a]: Ay.\n",
    );
    let l = qalam::internals::source::load(t.path());
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let ch = &l.book.unwrap().chapters[0];
    let labels: Vec<(u32, &str)> = ch
        .notes
        .iter()
        .map(|n| (n.number, n.label.as_str()))
        .collect();
    assert_eq!(labels, [(1, "a"), (2, "b"), (3, "c")]);
    assert_eq!(note_refs(&ch.exchanges[0].answer), [1, 2, 1, 3]);
    assert_eq!(plain_text_blocks(&ch.notes[0].content), "Ay.");
}

#[test]
fn pull_quotes_are_detected_both_ways() {
    let chapter = "---\ntitle: T\n---\n\n## Q?\n\nWe learned that every reform needs patient allies inside the state, \
and we said so.\n\n> Every reform needs patient allies inside the state.\n\n> A quotation from someone else entirely, never repeated.\n\n\
> [!pull] Marked as a pull quote although it repeats nothing.\n\n> [!quote] Every reform needs patient allies inside the state.\n\n> Short.\n";
    let t = tiny_book("", chapter);
    let l = qalam::internals::source::load(t.path());
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let ch = &l.book.unwrap().chapters[0];
    let kinds: Vec<&str> = ch.exchanges[0]
        .answer
        .iter()
        .map(|b| match b {
            Block::PullQuote { .. } => "pull",
            Block::BlockQuote { .. } => "quote",
            _ => "other",
        })
        .collect();
    // Repetition (case-insensitive at the start) → pull; no repetition →
    // quote; [!pull] forces a pull quote; [!quote] forces a quotation;
    // too short to judge → quote.
    assert_eq!(kinds, ["other", "pull", "quote", "pull", "quote", "quote"]);
    // Markers are removed from the text.
    let Block::PullQuote { content, .. } = &ch.exchanges[0].answer[3] else {
        panic!()
    };
    assert_eq!(
        plain_text_blocks(content),
        "Marked as a pull quote although it repeats nothing."
    );
}

#[test]
fn typography_follows_each_language() {
    let ru = tiny_book(
        "language = \"ru\"\n",
        "---\ntitle: '\"Новая\" история'\n---\n\n## Вопрос?\n\nОн сказал: \"Это \"Капитал\" Маркса\". Москва - столица, приказ № 5, поэт А. С. Пушкин...\n",
    );
    let l = qalam::internals::source::load(ru.path());
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let ch = &l.book.unwrap().chapters[0];
    assert_eq!(plain_text(&ch.title), "«Новая» история");
    assert_eq!(
        plain_text_blocks(&ch.exchanges[0].answer),
        "Он сказал: «Это „Капитал“ Маркса». Москва\u{a0}— столица, приказ №\u{a0}5, поэт А.\u{a0}С.\u{a0}Пушкин…"
    );
    assert_eq!(
        qalam::internals::typography::labels(&ch.lang.primary()).endnotes,
        "Примечания"
    );

    let kk = tiny_book(
        "language = \"kk\"\n",
        "---\ntitle: Т\n---\n\n## Сұрақ?\n\n\"Qandy Qantar\" - қаңтар оқиғасы.\n",
    );
    let ch = &qalam::internals::source::load(kk.path())
        .book
        .unwrap()
        .chapters[0];
    assert_eq!(
        plain_text_blocks(&ch.exchanges[0].answer),
        "«Qandy Qantar»\u{a0}— қаңтар оқиғасы."
    );
    assert_eq!(
        qalam::internals::typography::labels("kk").contents,
        "Мазмұны"
    );

    let en = tiny_book(
        "",
        "---\ntitle: T\n---\n\n## Q?\n\n\"Quoted 'inner' text\" -- and --- a dash... It's the '90s.\n",
    );
    let ch = &qalam::internals::source::load(en.path())
        .book
        .unwrap()
        .chapters[0];
    assert_eq!(
        plain_text_blocks(&ch.exchanges[0].answer),
        "“Quoted ‘inner’ text” – and — a dash… It’s the ’90s."
    );
    // A chapter may override the book's language.
    let mixed = tiny_book(
        "language = \"en\"\n",
        "---\ntitle: T\nlang: ru\n---\n\nОн сказал \"да\".\n",
    );
    let ch = &qalam::internals::source::load(mixed.path())
        .book
        .unwrap()
        .chapters[0];
    assert_eq!(ch.lang.as_str(), "ru");
    assert_eq!(plain_text_blocks(&ch.intro), "Он сказал «да».");
}

#[test]
fn identifier_is_stable_and_derived_from_title_and_authors() {
    let a = tiny_book("authors = [\"A\"]\n", "---\ntitle: T\n---\n\nText.\n");
    let b = tiny_book("authors = [\"A\"]\n", "---\ntitle: T\n---\n\nOther text.\n");
    let c = tiny_book("authors = [\"B\"]\n", "---\ntitle: T\n---\n\nText.\n");
    let id = |t: &tempfile::TempDir| {
        qalam::internals::source::load(t.path())
            .book
            .unwrap()
            .meta
            .identifier
    };
    assert_eq!(id(&a), id(&b));
    assert_ne!(id(&a), id(&c));
    assert!(
        id(&a).starts_with("urn:uuid:") && id(&a).len() == 45,
        "{}",
        id(&a)
    );
}

#[test]
fn crlf_and_bom_are_accepted() {
    let t = tiny_book(
        "",
        "\u{feff}---\r\ntitle: T\r\n---\r\n\r\n## Q?\r\n\r\nAn answer[^n].\r\n\r\n[^n]: A note.\r\n",
    );
    let l = qalam::internals::source::load(t.path());
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let ch = &l.book.unwrap().chapters[0];
    assert_eq!(ch.exchanges.len(), 1);
    assert_eq!(ch.notes.len(), 1);
}
