//! Questions where no speaker labels say who asks: by the page's
//! formatting (bold paragraphs, headings, a question class), else by their
//! wording.

use super::wording::{QEnd, ends_question, persons, question_score, starts_like_answer, unquoted};
use super::{Ctx, Role};
use crate::import::unit::Style;
use std::collections::HashMap;

pub fn run(cx: &mut Ctx<'_>) -> Result<(), String> {
    if cx.turns_decided {
        return Ok(());
    }
    let body: Vec<usize> = (0..cx.units.len()).filter(|&i| cx.open(i)).collect();
    // Formatting: bold paragraphs or headings that mostly end with "?".
    if by_style(cx, &body) {
        return Ok(());
    }
    by_text(cx, &body);
    Ok(())
}

/// Questions by formatting: the style (bold paragraphs, `<h3>` …) whose
/// members mostly end with a question mark.
fn by_style(cx: &mut Ctx<'_>, body: &[usize]) -> bool {
    let mut groups: HashMap<Style, (usize, usize)> = HashMap::new();
    for &i in body {
        let st = cx.units[i].style;
        if matches!(st, Style::Plain | Style::Italic | Style::AnswerClass) || !cx.textual(i) {
            continue;
        }
        let e = groups.entry(st).or_insert((0, 0));
        e.0 += 1;
        if cx.texts[i].contains('?') {
            e.1 += 1;
        }
    }
    let best = groups
        .iter()
        .filter(|(st, (m, q))| {
            **st == Style::QuestionClass
                || (*m >= 2 && q * 2 >= *m && *q >= 2)
                || (*m == 1 && *q == 1)
        })
        .max_by_key(|(st, (m, q))| (**st == Style::QuestionClass, *q, *m))
        .map(|(st, _)| *st);
    let Some(style) = best else { return false };
    let mut seen_question = false;
    for &i in body {
        if !cx.open(i) {
            continue;
        }
        if cx.units[i].style == style && cx.textual(i) {
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
