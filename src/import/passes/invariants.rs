//! Properties of the passes as a whole, on generated pages: what holds for
//! any list of units, not only for the examples of each pass's own tests.
//!
//! - No text is lost: every word of the input is in the chapter (title,
//!   standfirst, introduction, questions, answers, notes, bio) or in the
//!   report's dropped list, at least as many times as the input has it.
//! - The same units give the same chapter and report (no order taken from
//!   a hash map).
//! - Questions are in the order of the input, each from a unit of the input,
//!   no more of them than there are units.
//! - Dropped entries name a line of the input and carry units' texts.
//! - The interviewee is never a run of capitals (a dateline), nor a name
//!   with a place or organisation word in it, nor a month.

use super::testing::*;
use super::{Parts, assemble};
use crate::import::report::Report;
use crate::import::unit::{PageMeta, Unit};
use crate::import::words;
use crate::model::{plain_text, plain_text_blocks};
use proptest::prelude::*;
use std::collections::HashMap;

/// Lower-case letter runs (punctuation and digits left out).
fn words_of(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn count(into: &mut HashMap<String, usize>, s: &str) {
    for w in words_of(s) {
        *into.entry(w).or_default() += 1;
    }
}

/// Every word the chapter holds and the report drops.
fn output_words(parts: &Parts, report: &Report) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    count(&mut out, &plain_text(&parts.title));
    if let Some(s) = &parts.standfirst {
        count(&mut out, &plain_text(s));
    }
    count(&mut out, &plain_text_blocks(&parts.intro));
    for ex in &parts.exchanges {
        count(&mut out, &plain_text(&ex.question.content));
        count(&mut out, &plain_text_blocks(&ex.answer));
    }
    for n in parts.notes.iter().chain(&parts.orphan_notes) {
        count(&mut out, &plain_text_blocks(&n.content));
    }
    if let Some(b) = &parts.bio {
        count(&mut out, &plain_text_blocks(b));
    }
    for d in &report.dropped {
        count(&mut out, &d.text);
    }
    out
}

const VOCABULARY: &[&str] = &[
    "river",
    "water",
    "school",
    "people",
    "reform",
    "history",
    "language",
    "music",
    "family",
    "work",
    "the",
    "a",
    "of",
    "and",
    "in",
    "we",
    "you",
    "your",
    "my",
    "our",
    "did",
    "how",
    "what",
    "why",
    "when",
    "years",
    "village",
    "grandfather",
    "learned",
    "built",
    "started",
    "because",
    "about",
    "think",
    "Almaty",
    "Aral",
    "Jane",
    "Roe",
    "Aigerim",
    "Sadykova",
];

fn sentence() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(VOCABULARY), 1..14),
        prop::sample::select(&[".", "?", "", "!", ":"][..]),
    )
        .prop_map(|(w, end)| {
            let mut s = w.join(" ");
            if let Some(c) = s.get(..1) {
                s = c.to_uppercase() + &s[1..];
            }
            s + end
        })
}

/// Who an interview might be with: people, and what must never be taken
/// for one (a dateline in capitals, a place, an organisation, a month).
fn someone() -> impl Strategy<Value = String> {
    prop::sample::select(
        &[
            "Jane Roe",
            "Aigerim Sadykova",
            "SIOUX FALLS",
            "New York City",
            "Acme Holdings Inc.",
            "the Aral Valley",
            "March",
            "ALMATY",
            "Kazakh Republic",
        ][..],
    )
    .prop_map(str::to_string)
}

fn unit() -> impl Strategy<Value = Unit> {
    prop_oneof![
        6 => sentence().prop_map(|s| para(&s)),
        3 => sentence().prop_map(|s| bold(&s)),
        1 => sentence().prop_map(|s| italic(&s)),
        1 => (sentence(), sentence()).prop_map(|(a, b)| lead(&a, &b)),
        1 => (2u8..4, sentence()).prop_map(|(l, s)| heading(l, &s)),
        1 => (someone(), sentence()).prop_map(|(p, s)| para(&format!("An interview with {p} about {s}"))),
        1 => prop::sample::select(JUNK).prop_map(para),
    ]
}

/// Web chrome the junk pass drops.
const JUNK: &[&str] = &[
    "Read more",
    "Share this article",
    "Skip to content",
    "Main menu",
    "By Jane Roe",
    "Continue reading",
];

fn page_units() -> impl Strategy<Value = (Vec<Unit>, bool)> {
    // The title sometimes names who is interviewed, as pages do.
    let title = prop_oneof![
        sentence().prop_map(Some),
        someone().prop_map(|p| Some(format!("An interview with {p}"))),
        Just(None),
    ];
    (title, prop::collection::vec(unit(), 0..24), any::<bool>()).prop_map(
        |(title, mut units, html)| {
            if let Some(t) = title {
                units.insert(0, h1(&t));
            }
            (units, html)
        },
    )
}

fn run(units: &[Unit], html: bool) -> Result<(Parts, Report), String> {
    let mut report = Report {
        format: if html { "html" } else { "text" }.into(),
        ..Report::default()
    };
    let parts = assemble(
        numbered(units.to_vec()),
        &PageMeta::default(),
        false,
        &mut report,
    )
    .map_err(|e| e.to_string())?;
    Ok((parts, report))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_passes_lose_no_text((units, html) in page_units()) {
        let Ok((parts, report)) = run(&units, html) else {
            // Refused (import-nothing): nothing was written, nothing lost.
            return Ok(());
        };
        let out = output_words(&parts, &report);
        let mut input = HashMap::new();
        for u in &units {
            count(&mut input, &u.text());
        }
        for (w, n) in &input {
            let got = out.get(w).copied().unwrap_or(0);
            prop_assert!(
                got >= *n,
                "`{w}`: {n} in the input, {got} in the chapter and the dropped list\n{:#?}\n{:#?}",
                units.iter().map(Unit::text).collect::<Vec<_>>(),
                report.dropped
            );
        }
    }

    #[test]
    fn the_same_units_give_the_same_chapter((units, html) in page_units()) {
        let a = run(&units, html);
        let b = run(&units, html);
        prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn questions_and_drops_point_into_the_input((units, html) in page_units()) {
        let Ok((parts, report)) = run(&units, html) else { return Ok(()) };
        let n = units.len() as u32;
        prop_assert_eq!(report.questions.len(), parts.exchanges.len());
        prop_assert!(parts.exchanges.len() <= units.len());
        prop_assert!(
            report.questions.windows(2).all(|w| w[0].line < w[1].line),
            "questions out of order: {:?}", report.questions
        );
        for q in &report.questions {
            prop_assert!((1..=n).contains(&q.line), "{q:?}");
        }
        for d in &report.dropped {
            prop_assert!((1..=n).contains(&d.line), "{d:?}");
            // An entry is one unit's text, or several (a bio dropped whole)
            // one after another.
            for piece in d.text.split("\n\n") {
                prop_assert!(
                    units.iter().any(|u| u.text() == piece),
                    "dropped text that is no unit's: {piece:?} in {d:?}"
                );
            }
        }
    }

    #[test]
    fn the_interviewee_is_a_person((units, html) in page_units()) {
        let Ok((parts, _)) = run(&units, html) else { return Ok(()) };
        for who in &parts.interviewees {
            let ws: Vec<&str> = who.split_whitespace().collect();
            let letters: String = who.chars().filter(|c| c.is_alphabetic()).collect();
            prop_assert!(
                letters.chars().any(char::is_lowercase),
                "a name in capitals is a dateline: {who}"
            );
            for w in &ws {
                let l = w.to_lowercase();
                let l = l.trim_matches(|c: char| !c.is_alphabetic());
                prop_assert!(!words::has("place-words", l), "a place: {who}");
                prop_assert!(!words::has("organisation-words", l), "an organisation: {who}");
            }
            prop_assert!(
                !(ws.len() == 1 && words::has("months", &ws[0].to_lowercase())),
                "a month: {who}"
            );
        }
    }
}

/// The properties above say something only if the generated pages are
/// often interviews: most must assemble, and many must have questions,
/// dropped lines and an interviewee.
#[test]
fn generated_pages_are_often_interviews() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut built, mut asked, mut dropped, mut named) = (0, 0, 0, 0);
    let n = 300;
    for _ in 0..n {
        let (units, html) = page_units().new_tree(&mut runner).unwrap().current();
        if let Ok((parts, report)) = run(&units, html) {
            built += 1;
            asked += usize::from(!parts.exchanges.is_empty());
            dropped += usize::from(!report.dropped.is_empty());
            named += usize::from(!parts.interviewees.is_empty());
        }
    }
    eprintln!(
        "{n} pages: {built} assembled, {asked} with questions, {dropped} with drops, {named} with an interviewee"
    );
    assert!(built * 2 >= n, "{built} of {n} assembled");
    assert!(asked * 4 >= n, "{asked} of {n} have questions");
    assert!(dropped * 20 >= n, "{dropped} of {n} dropped something");
    assert!(named * 20 >= n, "{named} of {n} name an interviewee");
}
