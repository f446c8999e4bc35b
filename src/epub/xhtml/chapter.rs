//! A chapter document (title, standfirst, byline, questions and answers,
//! endnotes with their back links) and a bio page.

use super::blocks::{blocks, blocks_from};
use super::context::{Cx, Mode, numbers};
use super::doc::{Depth, Doc, ENDNOTES_ID, Rendered, TITLE_ID, note_id, ref_id};
use super::front::img_element;
use super::inline::{inlines, marked_inlines};
use crate::epub::fonts::Style;
use crate::epub::pages::ChapterMarks;
use crate::epub::{ChapterPlan, Plan};
use crate::model::{Block, Chapter, plain_text};
use crate::model::{Place, Seq};
use crate::typography::{Labels, join_names, labels};

/// One chapter: title, standfirst, byline, intro, the questions with their
/// answers, and the endnotes.
pub fn chapter(ch: &Chapter, cp: &ChapterPlan, plan: &Plan, marks: ChapterMarks) -> Rendered {
    let lab = labels(&ch.lang.primary());
    let title = plain_text(&ch.title);
    let size = 4096 + ch.span.end.saturating_sub(ch.span.start) as usize * 5 / 4;
    let mut d = Doc::new(&ch.lang, &title, Depth::Text, "bodymatter", size);
    d.reserve(TITLE_ID);
    d.reserve(ENDNOTES_ID);
    for q in &cp.question_ids {
        d.reserve(q);
    }
    let ChapterMarks {
        start,
        endnotes: endnote_marks,
        text,
        end,
        ..
    } = marks;
    let mut cx = Cx::new(plan, lab, ch.notes.len(), text);

    d.start(
        "section",
        &[
            ("class", "chapter"),
            ("epub:type", "chapter"),
            ("role", "doc-chapter"),
            ("aria-labelledby", TITLE_ID),
        ],
    );
    d.nl();
    d.page_breaks(&start);
    let title_marks = cx.marks.take_place(&Place::Title);
    d.page_breaks(&numbers(&title_marks));
    d.start("header", &[("class", "chapter-head")]);
    d.nl();
    d.styled(Style::DISPLAY_BOLD, |d| {
        d.start("h1", &[("id", TITLE_ID), ("class", "chapter-title")]);
        inlines(d, &ch.title, &mut cx, Mode::Normal);
        d.end("h1");
    });
    d.nl();
    if let Some(sf) = &ch.standfirst {
        d.styled(Style::BODY.italic(true), |d| {
            d.start(
                "p",
                &[
                    ("class", "standfirst"),
                    ("epub:type", "abstract"),
                    ("role", "doc-abstract"),
                ],
            );
            let ms = cx.marks.take_place(&Place::Standfirst);
            marked_inlines(d, sf, &mut cx, Mode::Normal, ms);
            d.end("p");
        });
        d.nl();
    }
    byline(&mut d, ch, lab);
    d.end("header");
    d.nl();

    d.last_heading = 1;
    cx.seq = Seq::Intro;
    blocks(&mut d, &ch.intro, &mut cx, Mode::Normal);
    for (i, (e, qid)) in ch.exchanges.iter().zip(&cp.question_ids).enumerate() {
        let ms = cx.marks.take_place(&Place::Question(i));
        d.page_breaks(&numbers(&ms));
        d.start("section", &[("class", "exchange"), ("id", qid)]);
        d.nl();
        d.styled(Style::DISPLAY_BOLD, |d| {
            d.start("h2", &[("class", "question")]);
            inlines(d, &e.question.content, &mut cx, Mode::Normal);
            d.end("h2");
        });
        d.nl();
        d.last_heading = 2;
        cx.seq = Seq::Answer(i);
        blocks(&mut d, &e.answer, &mut cx, Mode::Normal);
        d.end("section");
        d.nl();
    }
    d.page_breaks(&endnote_marks);
    if !ch.notes.is_empty() {
        endnotes(&mut d, ch, &mut cx);
    }
    // Markers whose place was not found (none when the layout comes from
    // this book) and pages after the end: in page order, at the end.
    let rest = cx.marks.take_rest();
    d.page_breaks(&numbers(&rest));
    d.page_breaks(&end);
    d.end("section");
    d.nl();
    d.finish()
}

/// "An interview with …", "Interview by …" and the date, under the title.
pub(super) fn byline(d: &mut Doc, ch: &Chapter, lab: &Labels) {
    let primary = ch.lang.primary();
    let mut lines: Vec<String> = Vec::new();
    if !ch.interviewees.is_empty() {
        lines.push(format!(
            "{} {}",
            lab.interview_with,
            join_names(&ch.interviewees, &primary)
        ));
    }
    if let Some(i) = &ch.interviewer {
        lines.push(format!("{} {i}", lab.interview_by));
    }
    if let Some(date) = &ch.date {
        lines.push(crate::epub::time::human_date(date, &primary));
    }
    if lines.is_empty() {
        return;
    }
    d.styled(Style::DISPLAY, |d| {
        d.start("p", &[("class", "byline")]);
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                d.empty("br", &[]);
            }
            d.text(l);
        }
        d.end("p");
    });
    d.nl();
}

pub(super) fn endnotes(d: &mut Doc, ch: &Chapter, cx: &mut Cx) {
    let lab = cx.labels;
    d.start(
        "section",
        &[
            ("class", "endnotes"),
            ("epub:type", "endnotes"),
            ("role", "doc-endnotes"),
            ("aria-labelledby", ENDNOTES_ID),
        ],
    );
    d.nl();
    d.styled(Style::DISPLAY_BOLD, |d| {
        d.elem(
            "h2",
            &[("id", ENDNOTES_ID), ("class", "endnotes-title")],
            lab.endnotes,
        )
    });
    d.nl();
    d.start("ol", &[("class", "notes")]);
    d.nl();
    for (i, note) in ch.notes.iter().enumerate() {
        cx.seq = Seq::Note(i);
        // A page that starts with the note starts with its number.
        let at_start = cx.marks.take_start(Seq::Note(i), &[]);
        let id = note_id(note.number);
        d.reserve(&id);
        // `epub:type="endnote"` is what reading systems (Apple Books, Kobo,
        // Thorium) look for to show a note as a pop-up; EPUBCheck 5.3 only
        // notes (at "usage" level) that the 2023 vocabulary deprecates it.
        // DPUB-ARIA deprecates `doc-endnote` outright, so no role here: the
        // list in `doc-endnotes` is the accessible structure.
        d.start(
            "li",
            &[("id", &id), ("class", "note"), ("epub:type", "endnote")],
        );
        let refs = cx.refs_seen.get(note.number as usize).copied().unwrap_or(0);
        let back_link = |d: &mut Doc| back_links(d, note.number, refs, lab);
        // The number and the way back open the note's first paragraph.
        d.last_heading = 2;
        match note.content.split_first() {
            Some((Block::Paragraph { content, .. }, rest)) => {
                d.start("p", &[]);
                for m in &at_start {
                    d.page_break(m.number, false);
                }
                back_link(d);
                cx.path.push(0);
                let ms = cx.take_block();
                marked_inlines(d, content, cx, Mode::Normal, ms);
                cx.path.pop();
                d.end("p");
                blocks_from(d, rest, 1, cx, Mode::Normal);
            }
            _ => {
                d.start("p", &[]);
                for m in &at_start {
                    d.page_break(m.number, false);
                }
                back_link(d);
                d.end("p");
                blocks(d, &note.content, cx, Mode::Normal);
            }
        }
        d.end("li");
        d.nl();
    }
    d.end("ol");
    d.nl();
    d.end("section");
    d.nl();
}

/// A note's number and its way back to the text. Referred to once, the
/// number is the link back; referred to more often, the number is followed
/// by "↩ a b …", a link back to each reference in reading order (as
/// Standard Ebooks and Wikipedia do), so that no reference is a dead end.
/// A note referred to only where numbers are not shown (a pull quote
/// repeats text without them) has nothing to link back to.
pub(super) fn back_links(d: &mut Doc, number: u32, refs: u32, lab: &Labels) {
    let n = number.to_string();
    let link = |d: &mut Doc, k: u32, text: &str, label: &str| {
        let href = format!("#{}", ref_id(number, k));
        d.start(
            "a",
            &[
                ("class", "backlink"),
                ("href", &href),
                ("role", "doc-backlink"),
                ("aria-label", label),
            ],
        );
        d.styled(Style::BODY.bold(), |d| d.text(text));
        d.end("a");
    };
    let number = |d: &mut Doc| {
        d.styled(Style::BODY.bold(), |d| {
            d.elem("span", &[("class", "note-number")], &n)
        })
    };
    match refs {
        0 => number(d),
        1 => link(d, 1, &n, &format!("{} {n}: {}", lab.note, lab.back_to_text)),
        _ => {
            number(d);
            d.text(" ");
            d.start("span", &[("class", "backlinks")]);
            d.text("\u{21a9}");
            for k in 1..=refs {
                d.text(" ");
                let label = format!("{} {n}: {} ({k}/{refs})", lab.note, lab.back_to_text);
                link(d, k, &ref_letter(k), &label);
            }
            d.end("span");
        }
    }
    d.text(" ");
}

/// The letter naming reference `k` (1-based) of a note: a … z, then aa, ab …
pub(super) fn ref_letter(k: u32) -> String {
    let mut k = k;
    let mut out = Vec::new();
    while k > 0 {
        k -= 1;
        out.push(char::from(b'a' + (k % 26) as u8));
        k /= 26;
    }
    out.iter().rev().collect()
}

/// The bio page: the interviewee's name as heading, portrait, text.
pub fn bio(ch: &Chapter, plan: &Plan, marks: ChapterMarks) -> Option<Rendered> {
    let bio = ch.bio.as_ref()?;
    let lab = labels(&ch.lang.primary());
    let title = format!("{}: {}", lab.about_interviewee, bio.name);
    let mut d = Doc::new(&ch.lang, &title, Depth::Text, "bodymatter", 4096);
    d.reserve("bio_");
    d.start(
        "section",
        &[
            ("class", "bio"),
            ("id", "bio_"),
            ("aria-labelledby", "bio_h"),
        ],
    );
    d.nl();
    d.page_breaks(&marks.bio_start);
    d.reserve("bio_h");
    d.start("h1", &[("id", "bio_h"), ("class", "bio-title")]);
    d.styled(Style::DISPLAY, |d| {
        d.elem("span", &[("class", "bio-label")], lab.about_interviewee);
    });
    d.text(" ");
    d.styled(Style::DISPLAY_BOLD, |d| {
        d.elem("span", &[("class", "bio-name")], &bio.name);
    });
    d.end("h1");
    d.nl();
    if let Some(p) = &bio.portrait
        && let Some(img) = plan.image(&p.path)
    {
        d.start("figure", &[("class", "portrait")]);
        img_element(&mut d, img, &p.alt);
        d.end("figure");
        d.nl();
    }
    let mut cx = Cx::new(plan, lab, 0, marks.text);
    cx.seq = Seq::Bio;
    d.last_heading = 1;
    blocks(&mut d, &bio.content, &mut cx, Mode::Normal);
    let rest = cx.marks.take_rest();
    d.page_breaks(&numbers(&rest));
    d.page_breaks(&marks.end);
    d.end("section");
    d.nl();
    Some(d.finish())
}
