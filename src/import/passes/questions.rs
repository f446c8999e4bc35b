//! Questions where no speaker labels say who asks: by the page's
//! formatting (bold paragraphs, headings, a question class), else by their
//! wording.

use super::speakers::speaker_label;
use super::wording::{QEnd, ends_question, persons, question_score, starts_like_answer, unquoted};
use super::{Ctx, Nothing, Role};
use crate::import::unit::Style;
use std::collections::HashMap;

pub fn run(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    if cx.turns_decided {
        return Ok(());
    }
    let body: Vec<usize> = (0..cx.units.len()).filter(|&i| cx.open(i)).collect();
    // Formatting: bold paragraphs or headings that mostly end with "?".
    if !by_style(cx, &body) {
        by_text(cx, &body);
    }
    not_an_interview(cx, &body);
    Ok(())
}

/// A page whose questions do not make it an interview keeps them as text:
/// a question or two among many paragraphs are the writer's ("What comes
/// next?"), not an interviewer's; and where the page nowhere says it is an
/// interview (no speaker labels, no question class, no "interview" or "Q&A"
/// in its title, standfirst, description or opening), questions must look
/// like an interviewer's: nearly all ask, the text does not run on long
/// before the first of them, and the answers are not essays.
fn not_an_interview(cx: &mut Ctx<'_>, body: &[usize]) {
    let asked: Vec<usize> = body
        .iter()
        .copied()
        .filter(|&i| cx.role[i] == Role::Question)
        .collect();
    let Some(&first) = asked.first() else {
        return;
    };
    // A question class is the page's word.
    if asked
        .iter()
        .any(|&i| cx.units[i].style == Style::QuestionClass)
    {
        return;
    }
    let para = |i: usize| cx.role[i] == Role::Body && cx.is_para(i);
    let intro = body.iter().filter(|&&i| i < first && para(i)).count();
    let answers = body.iter().filter(|&&i| i > first && para(i)).count();
    let paras = intro + answers;
    let q = asked.len();
    let marked = asked.iter().filter(|&&i| cx.texts[i].contains('?')).count();
    let few = match q {
        1 => paras >= 3,
        q => q < 4 && q * 12 < paras,
    };
    let unlike = !says_interview(cx, first)
        && (marked * 5 < q * 4 || intro > (2 * q).max(6) || answers > 12 * q);
    if !few && !unlike {
        return;
    }
    let line = cx.line(first);
    for &i in &asked {
        cx.role[i] = Role::Body;
    }
    let title = cx.texts[cx.title].clone();
    let why = if few {
        format!("only {q} of {} paragraphs read as questions", q + paras)
    } else {
        format!(
            "the page does not say it is one, and its {q} questions do not read like an \
             interviewer's ({marked} ask; {intro} paragraphs before the first, {answers} after)"
        )
    };
    cx.report.unsure(
        line,
        title,
        format!("not an interview: {why}; they are kept as text"),
    );
}

/// Whether the title, standfirst, description or the paragraphs before the
/// first question call the page an interview.
fn says_interview(cx: &Ctx<'_>, first_question: usize) -> bool {
    let says = |t: &str| {
        let t = t.to_lowercase();
        crate::import::words::list("interview-words").any(|w| t.contains(w))
    };
    says(&cx.texts[cx.title])
        || cx.meta.description.as_deref().is_some_and(says)
        || (0..first_question).any(|i| {
            matches!(cx.role[i], Role::Standfirst | Role::Body | Role::Open) && says(&cx.texts[i])
        })
}

/// Questions by formatting: every style (bold paragraphs, `<h3>`, a
/// question class …) whose members read as the interviewer's: most of
/// them ask, or they alternate with plain answers and some ask. A page may
/// set some questions as headings and others in bold; both are questions.
/// A question mark is a clue, not proof: a member without one is still a
/// question (and said to be doubtful), a paragraph with one in an answer's
/// style stays in the answer.
fn by_style(cx: &mut Ctx<'_>, body: &[usize]) -> bool {
    // Per style: members, ones with a question mark, ones followed by a
    // paragraph set otherwise, words.
    let mut groups: HashMap<Style, Group> = HashMap::new();
    for (k, &i) in body.iter().enumerate() {
        let st = cx.units[i].style;
        if matches!(st, Style::Plain | Style::AnswerClass) || !cx.textual(i) {
            continue;
        }
        if said_by_a_speaker(&cx.texts[i]) {
            continue;
        }
        let e = groups.entry(st).or_default();
        e.members += 1;
        e.words += cx.words[i];
        if cx.texts[i].contains('?') {
            e.asking += 1;
        }
        if body.get(k + 1).is_some_and(|&j| {
            cx.is_para(j) && matches!(cx.units[j].style, Style::Plain | Style::AnswerClass)
        }) {
            e.answered += 1;
        }
    }
    let mut styles: Vec<Style> = groups
        .iter()
        .filter(|(st, g)| **st != Style::Italic && g.asks(**st))
        .map(|(st, _)| *st)
        .collect();
    // Questions in italics only when nothing else asks (italics on most
    // pages are answers, quotes or captions).
    if styles.is_empty()
        && groups.get(&Style::Italic).is_some_and(|g| {
            g.members >= 2 && g.asking * 2 > g.members && g.answered * 2 >= g.members
        })
    {
        styles.push(Style::Italic);
    }
    if styles.is_empty() {
        return false;
    }
    let mut seen_question = false;
    for &i in body {
        if !cx.open(i) {
            continue;
        }
        if styles.contains(&cx.units[i].style) && cx.textual(i) && !said_by_a_speaker(&cx.texts[i])
        {
            cx.role[i] = Role::Question;
            seen_question = true;
            if !cx.texts[i].contains('?') {
                cx.unsure(
                    i,
                    "taken as a question by its formatting, though it has no question mark",
                );
            }
        } else {
            cx.role[i] = Role::Body;
            if seen_question
                && cx.is_para(i)
                && question_score(&cx.texts[i]) >= 3
                && cx.units[i].style == Style::Plain
            {
                cx.unsure(i, "ends with a question mark but is not set like the other questions; kept in the answer");
            }
        }
    }
    true
}

/// The members of one style on a page.
#[derive(Debug, Default)]
struct Group {
    members: usize,
    /// Members with a question mark.
    asking: usize,
    /// Members followed by a paragraph in the answers' style.
    answered: usize,
    words: usize,
}

impl Group {
    fn asks(&self, st: Style) -> bool {
        let (m, q) = (self.members, self.asking);
        st == Style::QuestionClass
            || (m >= 2 && q * 2 >= m && q >= 2)
            || (m == 1 && q == 1)
            // Set apart, short, each followed by an answer, and some ask:
            // the questions of a page that does not end them all with "?".
            // (The page-level check in `not_an_interview` keeps a blog's
            // section headings from being taken for this.)
            || (m >= 2 && q * 4 >= m && self.answered * 5 >= m * 4 && self.words <= m * 40)
    }
}

/// A paragraph that opens with a speaker's name ("Silberhorn: Ich …"): a
/// turn of a transcript, set however the page likes, and no question by
/// its formatting.
fn said_by_a_speaker(t: &str) -> bool {
    speaker_label(t).is_some_and(|(name, _)| name.chars().count() > 2)
        && ends_question(t) != QEnd::Yes
}

/// Questions by their words, for plain text.
fn by_text(cx: &mut Ctx<'_>, body: &[usize]) {
    let mut scores: Vec<i32> = body
        .iter()
        .map(|&i| {
            if cx.is_para(i) && cx.open(i) {
                question_score(&cx.texts[i])
            } else {
                i32::MIN
            }
        })
        .collect();
    // A short paragraph with a question in it, answered by the next one
    // ("Because …", "Yes, …"), asks.
    for k in 0..body.len() {
        let t = &cx.texts[body[k]];
        if scores[k] > i32::MIN
            && ends_question(t) != QEnd::Yes
            && cx.words[body[k]] <= 40
            && unquoted(t).contains('?')
            && let Some(&j) = body.get(k + 1)
            && starts_like_answer(&cx.texts[j])
        {
            scores[k] += 1;
        }
    }
    let mut is_q = vec![false; body.len()];
    for k in 0..body.len() {
        let s = scores[k];
        if s >= 3 {
            is_q[k] = true;
        } else if s == 2 {
            // A borderline question asks when an answer follows it and it
            // does not itself follow a question.
            let next_plain = scores
                .get(k + 1)
                .is_some_and(|&ns| ns != i32::MIN && ns < 2);
            let prev_q = k > 0 && is_q[k - 1];
            let t = &cx.texts[body[k]];
            let conj = ["and ", "but ", "so ", "or "]
                .iter()
                .any(|c| t.to_lowercase().starts_with(c));
            if next_plain && !prev_q && !conj {
                is_q[k] = true;
                cx.unsure(
                    body[k],
                    "taken as a question, though it could be the end of an answer",
                );
            } else {
                cx.unsure(
                    body[k],
                    "ends with a question mark but reads as part of the answer; kept in the answer",
                );
            }
        } else if s > i32::MIN {
            match ends_question(&cx.texts[body[k]]) {
                QEnd::Quoted => {
                    cx.unsure(body[k], "ends with a quoted question; kept in the answer")
                }
                QEnd::Yes => cx.unsure(
                    body[k],
                    "ends with a question mark but reads as part of the answer; kept in the answer",
                ),
                QEnd::No => {}
            }
        }
    }
    // Two questions in a row: the first, if in the speaker's own voice, ends
    // an answer. A question with nothing after it is no question.
    for k in 0..body.len() {
        if !is_q[k] {
            continue;
        }
        let next_q = (k + 1..body.len()).find(|&j| cx.open(body[j]));
        let t = &cx.texts[body[k]];
        let (sp, fp) = persons(t);
        let demote = match next_q {
            None => true,
            Some(j) => is_q[j] && sp == 0 && fp > 0,
        };
        if demote && k > 0 {
            is_q[k] = false;
            cx.unsure(
                body[k],
                "ends with a question mark, but no answer follows; kept as text",
            );
        }
    }
    for (k, &i) in body.iter().enumerate() {
        if cx.open(i) {
            cx.role[i] = if is_q[k] { Role::Question } else { Role::Body };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::import::unit::PageMeta;

    #[test]
    fn headings_and_bold_paragraphs_on_one_page() {
        let (parts, _) = page(
            vec![
                h1("On rivers"),
                italic("A hydrologist on the Aral Sea."),
                bold("What drew you to water?"),
                para("My grandfather was a fisherman on the Aral."),
                heading(3, "Why does the Aral matter now?"),
                para("Because it is the warning for every other sea."),
                bold("Where do you work today?"),
                para("In Almaty, at the institute."),
            ],
            &PageMeta::default(),
            true,
        );
        assert_eq!(
            questions(&parts),
            [
                "What drew you to water?",
                "Why does the Aral matter now?",
                "Where do you work today?"
            ]
        );
    }

    #[test]
    fn bold_questions_without_question_marks() {
        let (parts, report) = page(
            vec![
                h1("Die Arbeit der Zukunft"),
                para("Ein Gespräch über Maschinen und Menschen."),
                bold("Herr Precht, Sie sagen, die Arbeit verschwindet."),
                para("Nicht die Arbeit, aber viele Berufe, wie wir sie kennen."),
                bold("Welche zuerst?"),
                para("Die Routine im Büro, lange vor dem Handwerk."),
                bold("Das klingt nach Angst."),
                para("Es ist eine Chance, wenn wir sie nutzen."),
            ],
            &PageMeta::default(),
            true,
        );
        assert_eq!(questions(&parts).len(), 3, "{:?}", questions(&parts));
        assert!(
            report
                .unsure
                .iter()
                .any(|e| e.reason.contains("no question mark"))
        );
    }

    #[test]
    fn italic_answers_that_open_with_a_name_are_answers() {
        let (parts, _) = page(
            vec![
                h1("Ein Interview von Eugen Zentner mit Sonja Silberhorn"),
                bold("Frau Silberhorn, wie kamen Sie zum Schreiben?"),
                italic(
                    "Silberhorn: Durch meine Großmutter, die jeden Abend erzählte. Warum auch nicht?",
                ),
                bold("Und heute?"),
                italic("Silberhorn: Heute schreibe ich jeden Morgen."),
            ],
            &PageMeta::default(),
            true,
        );
        assert_eq!(
            questions(&parts),
            [
                "Frau Silberhorn, wie kamen Sie zum Schreiben?",
                "Und heute?"
            ]
        );
    }

    #[test]
    fn a_question_mark_in_an_answer_is_no_question() {
        let (parts, _) = page(
            vec![
                h1("On rivers"),
                bold("What drew you to water?"),
                para("My grandfather. Who else would it have been?"),
                bold("And now?"),
                para("Now I measure it."),
            ],
            &PageMeta::default(),
            true,
        );
        assert_eq!(questions(&parts), ["What drew you to water?", "And now?"]);
    }

    #[test]
    fn an_article_with_a_question_in_it_is_no_interview() {
        let mut units = vec![
            h1("Storm closes schools"),
            para("A spring storm closed schools across the state on Tuesday."),
            para("What comes next for the families who lost power?"),
        ];
        for k in 0..6 {
            units.push(para(&format!(
                "Officials said crews were working on line {k} through the night."
            )));
        }
        let (parts, report) = page(units, &PageMeta::default(), true);
        assert!(parts.exchanges.is_empty());
        assert!(
            report
                .unsure
                .iter()
                .any(|e| e.reason.starts_with("not an interview")),
            "{:?}",
            report.unsure
        );
        assert!(
            report
                .unsure
                .iter()
                .any(|e| e.reason.starts_with("no questions found")),
            "{:?}",
            report.unsure
        );
    }

    /// A blog post whose section headings happen to ask now and then is
    /// no interview (the blogger and Medium pages of the dev set).
    #[test]
    fn headings_that_sometimes_ask_are_no_interview() {
        let body = |title: &str| {
            vec![
                h1(title),
                heading(2, "So what is a GreenPak?"),
                para("A small mixed-signal array, programmed once."),
                heading(2, "Great! How does it work?"),
                para("You draw a netlist and the tools place it."),
                heading(2, "Getting started"),
                para("First install the toolchain from the package."),
                heading(2, "Results"),
                para("It works on the first try, which is rare."),
            ]
        };
        let (parts, report) = page(body("Open flow for GreenPak4"), &PageMeta::default(), true);
        assert!(questions(&parts).is_empty(), "{:?}", questions(&parts));
        assert!(report.unsure.iter().any(|e| {
            e.reason
                .starts_with("not an interview: the page does not say")
        }));
        // The same headings under a title that says so are questions.
        let (parts, _) = page(
            body("GreenPak4: an interview with its designer"),
            &PageMeta::default(),
            true,
        );
        assert_eq!(questions(&parts).len(), 4, "{:?}", questions(&parts));
    }

    /// An essay that runs on long before it asks anything, then answers
    /// itself at length, is no interview either.
    #[test]
    fn an_essay_with_rhetorical_questions_is_no_interview() {
        let mut units = vec![h1("Samantha and the great big lie")];
        for k in 0..10 {
            units.push(para(&format!(
                "The argument goes on, part {k}, as essays do."
            )));
        }
        for k in 0..3 {
            units.push(para(&format!("But what did she really mean, in case {k}?")));
            for m in 0..3 {
                units.push(para(&format!("It meant what it said, reason {k}.{m}.")));
            }
        }
        let (parts, _) = page(units, &PageMeta::default(), false);
        assert!(questions(&parts).is_empty(), "{:?}", questions(&parts));
    }
}
