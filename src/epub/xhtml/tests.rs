use super::chapter::ref_letter;
use super::doc::ref_id;
use super::*;
use crate::epub::pages::{ChapterMarks, Mark};
use crate::epub::{ChapterPlan, Plan};
use crate::model::{Block, Chapter, Inline, Lang, Place, Seq};

use crate::model::{Exchange, ListItem, Note, Question, Span};

fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}
fn para(content: Vec<Inline>) -> Block {
    Block::Paragraph {
        content,
        span: Span::default(),
    }
}

/// A chapter: a paragraph with emphasis, a note reference and a link,
/// a dinkus, a list, a pull quote, a heading; one note.
fn sample() -> Chapter {
    Chapter {
        file: "c.md".into(),
        id: "c".into(),
        title: vec![text("Title")],
        standfirst: None,
        running_head: None,
        interviewees: Vec::new(),
        interviewer: None,
        date: None,
        lang: Lang::english(),
        intro: Vec::new(),
        exchanges: vec![Exchange {
            question: Question {
                id: "q1".into(),
                content: vec![text("Why?")],
                span: Span::default(),
            },
            answer: vec![
                para(vec![
                    text("Plain and "),
                    Inline::Emphasis(vec![text("emphasised words")]),
                    Inline::NoteRef(1),
                    text(" then "),
                    Inline::Link {
                        url: "https://example.org/".into(),
                        content: vec![text("a linked phrase")],
                    },
                    text(" and typography."),
                ]),
                Block::SectionBreak {
                    span: Span::default(),
                },
                para(vec![text("After the break.")]),
                Block::List {
                    start: None,
                    items: vec![
                        ListItem {
                            blocks: vec![para(vec![text("first item")])],
                        },
                        ListItem {
                            blocks: vec![para(vec![text("second item")])],
                        },
                    ],
                    span: Span::default(),
                },
                Block::PullQuote {
                    content: vec![para(vec![text("Quoted again.")])],
                    span: Span::default(),
                },
                Block::Heading {
                    level: 3,
                    id: None,
                    content: vec![text("A heading")],
                    span: Span::default(),
                },
            ],
        }],
        notes: vec![Note {
            number: 1,
            label: "n".into(),
            content: vec![para(vec![text("The note.")])],
            span: Span::default(),
        }],
        bio: None,
        span: Span::default(),
    }
}

fn render(ch: &Chapter, marks: ChapterMarks) -> (String, Vec<u32>) {
    let plan = Plan {
        chapters: Vec::new(),
        images: Default::default(),
        cover_page: None,
    };
    let cp = ChapterPlan {
        href: "text/c.xhtml".into(),
        bio_href: None,
        question_ids: vec!["q1".into()],
    };
    let r = chapter(ch, &cp, &plan, marks);
    (String::from_utf8(r.xhtml).unwrap(), r.pages)
}

fn marker(n: u32, el: &str) -> String {
    format!(
        "<{el} id=\"page_{n}\" class=\"pagebreak\" epub:type=\"pagebreak\" role=\"doc-pagebreak\" aria-label=\"{n}\"/>"
    )
}

#[test]
fn markers_go_where_pages_start() {
    let ch = sample();
    let a = Seq::Answer(0);
    // Offsets into "Plain and emphasised words then a linked phrase and typography."
    let p = "Plain and emphasised words then a linked phrase and typography.";
    let marks = ChapterMarks {
        start: vec![4, 5],
        text: vec![
            Mark::in_block(a, &[0], p.find("words").unwrap(), 6),
            Mark::in_block(a, &[0], p.find("linked").unwrap(), 7),
            Mark::in_block(a, &[0], p.find("graphy").unwrap(), 8),
            Mark::in_block(a, &[2], 0, 9),
            Mark::in_block(a, &[3, 1, 0], 0, 10),
            Mark::in_block(a, &[4, 0], 0, 11),
            Mark::in_block(a, &[5], 0, 12),
            Mark {
                place: Place::Question(0),
                offset: 0,
                number: 13,
            },
            Mark::in_block(Seq::Note(0), &[0], 4, 14),
        ],
        ..Default::default()
    };
    let (x, pages) = render(&ch, marks);
    // Every marker once, in page order except the question's, which
    // comes before its answer (a layout never does that; the writer
    // keeps reading order).
    assert_eq!(pages, vec![4, 5, 13, 6, 7, 8, 9, 10, 11, 12, 14]);
    // The chapter's start.
    assert!(x.contains(&format!(
        "aria-labelledby=\"title_\">\n{}\n{}\n<header",
        marker(4, "div"),
        marker(5, "div")
    )));
    // Inside emphasis, before the word.
    assert!(x.contains(&format!("<em>emphasised {}words</em>", marker(6, "span"))));
    // Never inside a link: before it.
    assert!(x.contains(&format!(
        " then {}<a href=\"https://example.org/\">a linked phrase</a>",
        marker(7, "span")
    )));
    // A hyphenated word: before the word.
    assert!(x.contains(&format!(" and {}typography.</p>", marker(8, "span"))));
    // The dinkus is kept with the paragraph after it.
    assert!(x.contains(&format!("{}\n<hr class=\"dinkus\"/>", marker(9, "div"))));
    // In a tight list item.
    assert!(x.contains(&format!("<li>{}second item</li>", marker(10, "span"))));
    // Before a pull quote and a heading, not inside.
    assert!(x.contains(&format!(
        "{}\n<aside class=\"pullquote\"",
        marker(11, "div")
    )));
    assert!(x.contains(&format!("{}\n<h3", marker(12, "div"))));
    assert!(x.contains(&format!(
        "{}\n<section class=\"exchange\" id=\"q1\">",
        marker(13, "div")
    )));
    // In a note, after its number.
    assert!(x.contains(&format!("The {}note.", marker(14, "span"))));
    // Well-formed.
    let mut r = quick_xml::Reader::from_str(&x);
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{e}\n{x}"),
        }
    }
}

#[test]
fn markers_without_a_place_go_at_the_end() {
    let ch = sample();
    let marks = ChapterMarks {
        text: vec![
            Mark::in_block(Seq::Answer(7), &[0], 0, 20),
            Mark::in_block(Seq::Answer(0), &[0], 10_000, 21),
        ],
        end: vec![22],
        ..Default::default()
    };
    let (x, pages) = render(&ch, marks);
    assert_eq!(pages, vec![21, 20, 22]);
    // An offset past the end: at the end of its paragraph.
    assert!(x.contains(&format!("typography.{}</p>", marker(21, "span"))));
    assert!(x.contains(&format!(
        "{}\n{}\n</section>\n</body>",
        marker(20, "div"),
        marker(22, "div")
    )));
}

#[test]
fn anchors_are_safe_ids() {
    assert_eq!(anchor("q1"), "q1");
    assert_eq!(anchor("my id!"), "my-id");
    assert_eq!(anchor("1st"), "id-1st");
    assert_eq!(anchor("note_1"), "note-1");
    assert_eq!(anchor("€"), "id-");
}

/// The sample with note 1 referred to `k` times in its first paragraph.
fn referred(k: usize) -> Chapter {
    let mut ch = sample();
    if let Block::Paragraph { content, .. } = &mut ch.exchanges[0].answer[0] {
        for _ in 1..k {
            content.push(text(" again"));
            content.push(Inline::NoteRef(1));
        }
    }
    ch
}

#[test]
fn a_note_links_back_to_every_reference() {
    let (x, _) = render(&referred(3), ChapterMarks::default());
    for id in ["ref_1", "ref_1_2", "ref_1_3"] {
        assert_eq!(x.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
    }
    let back = |k: u32, letter: &str| {
        format!(
            "<a class=\"backlink\" href=\"#{}\" role=\"doc-backlink\" aria-label=\"Note 1: Back to text ({k}/3)\">{letter}</a>",
            ref_id(1, k)
        )
    };
    let expected = format!(
        "<li id=\"note_1\" class=\"note\" epub:type=\"endnote\"><p><span class=\"note-number\">1</span> <span class=\"backlinks\">\u{21a9} {} {} {}</span> The note.</p></li>",
        back(1, "a"),
        back(2, "b"),
        back(3, "c")
    );
    assert!(x.contains(&expected), "{x}");
    // Referred to once, the number itself is the way back.
    let (x, _) = render(&referred(1), ChapterMarks::default());
    assert!(x.contains("<p><a class=\"backlink\" href=\"#ref_1\" role=\"doc-backlink\" aria-label=\"Note 1: Back to text\">1</a> The note.</p>"), "{x}");
    assert_eq!(
        (1..=28).map(ref_letter).collect::<Vec<_>>()[24..],
        ["y", "z", "aa", "ab"]
    );
}

#[test]
fn a_phrase_in_another_language_keeps_its_language_and_direction() {
    let mut ch = sample();
    ch.exchanges[0].question.content.push(Inline::Foreign {
        lang: Lang::parse("ar").unwrap(),
        content: vec![text("\u{633}\u{644}\u{627}\u{645}")],
    });
    if let Block::Paragraph { content, .. } = &mut ch.exchanges[0].answer[2] {
        content.push(Inline::Foreign {
            lang: Lang::parse("ar-EG").unwrap(),
            content: vec![Inline::Emphasis(vec![text("\u{633}\u{644}\u{627}\u{645}")])],
        });
        content.push(Inline::Foreign {
            lang: Lang::parse("ru").unwrap(),
            content: vec![text("\u{434}\u{430}")],
        });
    }
    let (x, _) = render(&ch, ChapterMarks::default());
    assert!(x.contains("<h2 class=\"question\">Why?<span lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">\u{633}\u{644}\u{627}\u{645}</span></h2>"), "{x}");
    assert!(x.contains("After the break.<span lang=\"ar-EG\" xml:lang=\"ar-EG\" dir=\"rtl\"><em>\u{633}\u{644}\u{627}\u{645}</em></span><span lang=\"ru\" xml:lang=\"ru\">\u{434}\u{430}</span></p>"), "{x}");
}
