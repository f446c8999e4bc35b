//! Pull quotes: a page's own pull-quote markup, or short paragraphs that
//! repeat a sentence of the answers.

use super::speakers::qa_label;
use super::{Ctx, Nothing, Role};
use crate::import::textutil::fold;
use crate::import::unit::Kind;

pub fn run(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    pull_quotes(cx);
    Ok(())
}

/// Short paragraphs that repeat a sentence of the answers are pull quotes;
/// the same question asked again is no pull quote.
#[allow(clippy::needless_range_loop)] // several parallel vectors, indexed alike
fn pull_quotes(cx: &mut Ctx<'_>) {
    let n = cx.units.len();
    // The text of every open paragraph, folded, with each unit's range.
    let mut hay = String::new();
    let mut ranges = vec![0..0; n];
    for i in 0..n {
        if cx.open(i) && matches!(cx.units[i].kind, Kind::Para(_) | Kind::ListItem { .. }) {
            let start = hay.len();
            hay.push_str(&fold(&cx.texts[i]));
            ranges[i] = start..hay.len();
            hay.push(' ');
        }
    }
    // The paragraphs' ranges in order, to tell which one a match is in.
    let units_at: Vec<(usize, usize)> = ranges
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| (r.start, r.end))
        .collect();
    // Each search is linear in the text: on a pathological input with
    // thousands of short lines, stop looking rather than take minutes.
    let mut budget: usize = 400_000_000;
    let mut said = std::collections::HashSet::new();
    for i in 0..n {
        if !cx.open(i) {
            continue;
        }
        if let Kind::Quote { pull, .. } = cx.units[i].kind {
            cx.role[i] = if pull { Role::Pull } else { Role::Body };
            continue;
        }
        if !cx.is_para(i) || qa_label(&cx.texts[i]).is_some() {
            continue;
        }
        let t = &cx.texts[i];
        let wc = cx.words[i];
        if !(4..=60).contains(&wc) || t.chars().count() < 24 {
            continue;
        }
        let folded = &hay[ranges[i].clone()];
        let needle = folded.trim_matches(|c: char| c == '"' || c == '\'' || c == ' ');
        let needle = needle.trim_end_matches(['.', '!', '…']);
        if needle.chars().count() < 20 {
            continue;
        }
        if budget < hay.len() {
            continue;
        }
        budget -= hay.len();
        // memmem's vectorised search: std's is several times slower here,
        // and this runs once per short paragraph over the whole text.
        let r = &ranges[i];
        // Where else it stands: inside a longer paragraph, or as a whole
        // paragraph of its own (the same words again).
        let (mut inside, mut copies) = (0usize, 0usize);
        for at in memchr::memmem::find_iter(hay.as_bytes(), needle.as_bytes()) {
            if !(at + needle.len() <= r.start || at >= r.end) {
                continue;
            }
            let whole = units_at
                .binary_search_by(|&(s, e)| {
                    if e < at {
                        std::cmp::Ordering::Less
                    } else if s > at {
                        std::cmp::Ordering::Greater
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .is_ok_and(|k| {
                    let (s, e) = units_at[k];
                    let other = hay[s..e].trim_matches(|c: char| c == '"' || c == '\'' || c == ' ');
                    other.trim_end_matches(['.', '!', '…']) == needle
                });
            if whole {
                copies += 1;
            } else {
                inside += 1;
            }
        }
        // The same question asked of several people (a page of short
        // interviews), or any line set three times, repeats no answer.
        if inside == 0 && copies > 0 && (copies >= 2 || t.contains('?')) {
            if !said.insert(needle.to_string()) {
                continue;
            }
            cx.unsure(
                i,
                "the same words stand elsewhere as a paragraph of their own (a question asked of several people?); not a pull quote",
            );
            continue;
        }
        if inside + copies > 0 {
            cx.role[i] = Role::Pull;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::import::unit::PageMeta;

    #[test]
    fn the_same_questions_asked_of_several_people_are_questions() {
        let mut units = vec![
            h1("What the river means to us"),
            italic("We asked three people who live by the Syr Darya the same questions."),
        ];
        for (name, fear, hope) in [
            (
                "Aigerim Sadykova, teacher",
                "That my pupils will have to leave the valley.",
                "The new canal gives the fields water again.",
            ),
            (
                "Bolat Nurlanov, farmer",
                "Another dry summer like the one in 2021.",
                "My son wants to farm the land after me.",
            ),
            (
                "Dina Ospanova, engineer",
                "That we forget how to share the water.",
                "The young engineers I work with every day.",
            ),
        ] {
            units.push(heading(2, name));
            units.push(bold("What do you fear most for the river?"));
            units.push(para(fear));
            units.push(bold("What gives you hope for the years ahead?"));
            units.push(para(hope));
        }
        let (parts, report) = page(units, &PageMeta::default(), true);
        assert!(report.pull_quotes.is_empty(), "{:?}", report.pull_quotes);
        assert_eq!(questions(&parts).len(), 6, "{:?}", questions(&parts));
        assert_eq!(parts.exchanges[0].question.id, "q1");
        // Each person's name stays in the text, as a heading.
        let names = parts
            .exchanges
            .iter()
            .flat_map(|e| &e.answer)
            .filter(|b| matches!(b, crate::model::Block::Heading { .. }))
            .count()
            + parts
                .intro
                .iter()
                .filter(|b| matches!(b, crate::model::Block::Heading { .. }))
                .count();
        assert_eq!(names, 3);
    }

    #[test]
    fn a_short_repeat_of_an_answer_is_a_pull_quote() {
        let (_, report) = page(
            vec![
                h1("On rivers"),
                bold("What drew you to water?"),
                para(
                    "My grandfather was a fisherman. Nobody remembers the sea the way he did, and I wanted to.",
                ),
                para("Nobody remembers the sea the way he did"),
                bold("And now?"),
                para("Now I measure it."),
            ],
            &PageMeta::default(),
            true,
        );
        assert_eq!(report.pull_quotes.len(), 1);
    }
}
