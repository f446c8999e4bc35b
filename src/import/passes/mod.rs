//! Units → the parts of a chapter, as a list of passes over one shared
//! value ([`Ctx`]: the units, the role decided for each, the report).
//!
//! The same passes serve text and HTML; HTML units arrive with hints (an
//! `<h1>`, a standfirst class, a bold paragraph) that settle some roles
//! before any guessing. Each pass decides what it can and leaves the rest
//! [`Role::Open`] for the passes after it; each decision that drops text or
//! rests on a guess is written to the report with the unit's line.

pub mod bio;
pub mod build;
pub mod hints;
pub mod junk;
pub mod notes;
pub mod people;
pub mod pull_quotes;
pub mod questions;
pub mod speakers;
pub mod standfirst;
pub mod title;
pub mod wording;

#[cfg(test)]
mod invariants;

use super::report::Report;
use super::textutil::word_count;
use super::unit::{Kind, PageMeta, Unit};
use crate::model::{Block, Exchange, Inline, Note, Span};
use std::collections::HashMap;

/// The passes, in the order they run. Each reads what the ones before it
/// decided; an error ends the import (`import-nothing`).
const PASSES: &[(&str, Pass)] = &[
    ("empty units", hints::empty),
    ("hints", hints::run),
    ("junk", junk::run),
    ("title", title::run),
    ("notes list", notes::list),
    ("bio", bio::run),
    ("standfirst", standfirst::run),
    ("pull quotes", pull_quotes::run),
    ("speaker turns", speakers::run),
    ("questions", questions::run),
    ("note markers", notes::markers),
    ("build", build::run),
    ("people", people::run),
    ("summary", build::summary),
];

type Pass = fn(&mut Ctx<'_>) -> Result<(), Nothing>;

/// Why the input makes no chapter: what the `import-nothing` diagnostic
/// says after the file's name.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Nothing {
    #[error("found no title: the input has no text besides page furniture")]
    NoTitle,
    #[error("found no title: the first line has no text")]
    EmptyTitle,
    /// A title (shortened for the message), and no text after it.
    #[error("found a title (\"{0}\") but no text after it")]
    NoText(String),
}

/// Units → the chapter's parts: each pass of `PASSES` in turn.
pub fn assemble(
    units: Vec<Unit>,
    meta: &PageMeta,
    keep_all: bool,
    report: &mut Report,
) -> Result<Parts, Nothing> {
    let mut cx = Ctx::new(units, meta, keep_all, report);
    for (_name, pass) in PASSES {
        pass(&mut cx)?;
    }
    Ok(cx.parts)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Open,
    Dropped,
    Title,
    Standfirst,
    NotesHeading,
    Note,
    BioHeading,
    Bio,
    Question,
    /// An unlabelled paragraph that continues the question before it.
    QuestionMore,
    Body,
    Pull,
}

/// The chapter's parts, ready for the model.
#[derive(Debug, Default)]
pub struct Parts {
    pub title: Vec<Inline>,
    pub title_span: Span,
    pub standfirst: Option<Vec<Inline>>,
    pub interviewees: Vec<String>,
    pub interviewer: Option<String>,
    pub date: Option<String>,
    pub intro: Vec<Block>,
    pub exchanges: Vec<Exchange>,
    pub notes: Vec<Note>,
    /// Notes of the notes list that nothing in the text refers to; written
    /// to the chapter so their text is not lost (`qalam check` warns).
    pub orphan_notes: Vec<Note>,
    pub bio: Option<Vec<Block>>,
}

/// The value every pass reads and writes.
pub struct Ctx<'r> {
    pub units: Vec<Unit>,
    pub texts: Vec<String>,
    /// Words in each of `texts` (asked for many times per unit).
    pub words: Vec<usize>,
    pub role: Vec<Role>,
    pub keep_all: bool,
    pub meta: &'r PageMeta,
    pub report: &'r mut Report,
    /// What the passes built so far.
    pub parts: Parts,
    /// The title unit (set by the title pass).
    pub title: usize,
    /// The notes list: its heading (or first note) and the note units.
    pub notes: Option<(usize, Vec<usize>)>,
    /// Notes by their number in the list (1-based) → unit.
    pub note_of: Vec<(u32, usize)>,
    /// Per list number, the number in the book and the line of the first
    /// reference.
    pub numbers: HashMap<u32, (u32, u32)>,
    /// The interviewee, when the speaker turns name them.
    pub speaker: Option<String>,
    /// The interviewer, when the speaker turns name them.
    pub asker: Option<String>,
    /// Whether the speaker-turn pass settled who asks (the question pass
    /// then has nothing left to do).
    pub turns_decided: bool,
}

impl<'r> Ctx<'r> {
    pub fn new(
        units: Vec<Unit>,
        meta: &'r PageMeta,
        keep_all: bool,
        report: &'r mut Report,
    ) -> Self {
        let texts: Vec<String> = units.iter().map(Unit::text).collect();
        let words = texts.iter().map(|t| word_count(t)).collect();
        let n = units.len();
        Ctx {
            units,
            texts,
            words,
            role: vec![Role::Open; n],
            keep_all,
            meta,
            report,
            parts: Parts {
                date: meta.date.clone(),
                ..Parts::default()
            },
            title: 0,
            notes: None,
            note_of: Vec::new(),
            numbers: HashMap::new(),
            speaker: None,
            asker: None,
            turns_decided: false,
        }
    }

    pub fn line(&self, i: usize) -> u32 {
        self.units[i].line
    }

    /// Drops unit `i` (or, with `--keep-all`, keeps it and says so).
    pub fn drop(&mut self, i: usize, reason: &str) {
        let (line, text) = (self.line(i), self.texts[i].clone());
        if self.keep_all {
            self.report.unsure(
                line,
                text,
                format!("kept (--keep-all), looks like {reason}"),
            );
        } else {
            self.role[i] = Role::Dropped;
            self.report.drop(line, text, reason);
        }
    }

    pub fn unsure(&mut self, i: usize, reason: impl Into<String>) {
        let (line, text) = (self.line(i), self.texts[i].clone());
        self.report.unsure(line, text, reason);
    }

    pub fn open(&self, i: usize) -> bool {
        self.role[i] == Role::Open
    }

    /// Units of one line of text (paragraphs, headings, list lines).
    pub fn textual(&self, i: usize) -> bool {
        matches!(
            self.units[i].kind,
            Kind::Para(_) | Kind::Heading(..) | Kind::ListItem { .. }
        )
    }

    pub fn is_para(&self, i: usize) -> bool {
        matches!(self.units[i].kind, Kind::Para(_))
    }
}

/// Test helpers: units from short texts, run through the passes.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::import::unit::{Hint, Style};
    use crate::model::{FileId, Span};

    /// A paragraph of plain text.
    pub fn para(t: &str) -> Unit {
        unit(Kind::Para(vec![Inline::Text(t.into())]))
    }

    /// A paragraph set all in bold.
    pub fn bold(t: &str) -> Unit {
        let mut u = unit(Kind::Para(vec![Inline::Strong(vec![Inline::Text(
            t.into(),
        )])]));
        u.style = Style::Bold;
        u
    }

    /// A paragraph set all in italics.
    pub fn italic(t: &str) -> Unit {
        let mut u = unit(Kind::Para(vec![Inline::Emphasis(vec![Inline::Text(
            t.into(),
        )])]));
        u.style = Style::Italic;
        u
    }

    /// A paragraph with a bold lead: `<p><strong>lead</strong> rest</p>`.
    pub fn lead(lead: &str, rest: &str) -> Unit {
        unit(Kind::Para(vec![
            Inline::Strong(vec![Inline::Text(lead.into())]),
            Inline::Text(format!(" {rest}")),
        ]))
    }

    /// An HTML heading.
    pub fn heading(level: u8, t: &str) -> Unit {
        let mut u = unit(Kind::Heading(level, vec![Inline::Text(t.into())]));
        u.style = Style::Heading(level);
        u
    }

    /// The page's `<h1>`.
    pub fn h1(t: &str) -> Unit {
        let mut u = heading(1, t);
        u.hint = Some(Hint::Title);
        u
    }

    fn unit(kind: Kind) -> Unit {
        Unit::new(0, Span::new(FileId(0), 0..0), kind)
    }

    /// Numbers the units' lines from 1.
    pub fn numbered(mut units: Vec<Unit>) -> Vec<Unit> {
        for (k, u) in units.iter_mut().enumerate() {
            u.line = k as u32 + 1;
        }
        units
    }

    /// Runs every pass over `units` (an HTML page when `html`).
    pub fn page(units: Vec<Unit>, meta: &PageMeta, html: bool) -> (Parts, Report) {
        let mut report = Report {
            format: if html { "html" } else { "text" }.into(),
            ..Report::default()
        };
        let parts = assemble(numbered(units), meta, false, &mut report).expect("assembles");
        (parts, report)
    }

    /// The questions of the parts, as plain text.
    pub fn questions(parts: &Parts) -> Vec<String> {
        parts
            .exchanges
            .iter()
            .map(|e| crate::model::plain_text(&e.question.content))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn the_passes_make_a_chapter_of_a_page() {
        let (parts, report) = page(
            vec![
                h1("On rivers"),
                italic("A hydrologist on the Aral Sea."),
                bold("What drew you to water?"),
                para("My grandfather was a fisherman on the Aral."),
                bold("Where do you work?"),
                lead("I", "work in Almaty."),
            ],
            &PageMeta::default(),
            true,
        );
        assert_eq!(crate::model::plain_text(&parts.title), "On rivers");
        assert_eq!(
            report.standfirst.as_deref(),
            Some("A hydrologist on the Aral Sea.")
        );
        assert_eq!(
            questions(&parts),
            ["What drew you to water?", "Where do you work?"]
        );
        assert!(numbered(vec![para("x")])[0].line == 1);
    }
}
