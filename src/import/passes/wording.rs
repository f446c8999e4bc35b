//! How a paragraph reads: as a question (a question mark at the end, the
//! second person, an imperative such as "Tell us …") or as an answer (the
//! first person, "Because …").

use crate::import::textutil::{word_count, words as split_words};
use crate::import::words;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QEnd {
    No,
    Yes,
    /// Ends with a question inside quotation marks: `He asked, “Why?”`.
    Quoted,
}

pub fn ends_question(t: &str) -> QEnd {
    let t = t.trim_end();
    let core = t.trim_end_matches(|c: char| c.is_ascii_digit() || c == ']' || c == '[');
    let core = if core.len() < t.len() && core.ends_with(['?', '”', '"', '»', '’']) {
        core
    } else {
        t
    };
    if core.ends_with('?') {
        return QEnd::Yes;
    }
    let closing = core.trim_end_matches(['”', '"', '»', '’', '\'', ')', ']']);
    if closing.len() < core.len() && closing.ends_with('?') {
        let opened = closing.contains(['“', '«', '„', '‘'])
            || closing.matches('"').count() % 2 == 1
            || closing.contains('(');
        return if opened { QEnd::Quoted } else { QEnd::Yes };
    }
    QEnd::No
}

/// Words an answer often opens with.
pub fn starts_like_answer(t: &str) -> bool {
    let first = t
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .next()
        .unwrap_or("")
        .to_lowercase();
    words::has("answer-openers", &first)
}

/// Counts of second- and first-person words.
pub fn persons(t: &str) -> (usize, usize) {
    let mut sp = 0;
    let mut fp = 0;
    // One buffer for every word: this runs on each paragraph, several times.
    let mut l = String::new();
    for w in split_words(t) {
        // Pronouns are short and start with one of a few letters: skip the
        // rest before lower-casing anything.
        if w.len() > 16 || !w.chars().next().is_some_and(may_be_pronoun) {
            continue;
        }
        l.clear();
        for c in w.chars().flat_map(char::to_lowercase) {
            l.push(if c == '’' { '\'' } else { c });
        }
        if words::has("second-person", &l) {
            sp += 1;
        } else if words::has("first-person", &l) {
            fp += 1;
        }
    }
    (sp, fp)
}

/// Whether a word starting with `c` may be one of the pronouns
/// [`persons`] counts (the first letters of the "second-person" and
/// "first-person" lists), so the rest are skipped before lower-casing.
fn may_be_pronoun(c: char) -> bool {
    matches!(
        c,
        'y' | 'Y'
            | 'i'
            | 'I'
            | 'm'
            | 'M'
            | 'w'
            | 'W'
            | 'o'
            | 'O'
            | 'в'
            | 'В'
            | 'т'
            | 'Т'
            | 'с'
            | 'С'
            | 'я'
            | 'Я'
            | 'н'
            | 'Н'
            | 'б'
            | 'Б'
            | 'м'
            | 'М'
    )
}

/// How much a paragraph reads as the interviewer's question: 3 or more is a
/// question, 2 is borderline.
pub fn question_score(t: &str) -> i32 {
    let wc = word_count(t);
    let (sp, fp) = persons(t);
    let mut s = 0;
    match ends_question(t) {
        QEnd::Yes => s += 3,
        QEnd::Quoted => {}
        QEnd::No => {
            let last = last_sentence(t).to_lowercase();
            if wc <= 50 && words::list("imperatives").any(|p| last.starts_with(p)) {
                s += 2;
            }
            if wc <= 60 && unquoted(t).contains('?') {
                s += 1;
            }
        }
    }
    if sp > 0 {
        s += 1;
    } else if fp >= 2 {
        s -= 2;
    } else if fp == 1 {
        s -= 1;
    }
    if wc > 100 {
        s -= 2;
    }
    if wc > 160 {
        s -= 2;
    }
    s
}

fn last_sentence(t: &str) -> &str {
    let t = t.trim_end();
    let body = t.trim_end_matches(['.', '!', '?', '…', '"', '”', '’']);
    match body.rfind(['.', '!', '?']) {
        Some(i) => body[i + 1..].trim_start(),
        None => body,
    }
}

/// The text with quotations taken out.
pub fn unquoted(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut depth = 0i32;
    let mut straight_open = false;
    for c in t.chars() {
        match c {
            '“' | '«' | '„' => depth += 1,
            '”' | '»' => depth = (depth - 1).max(0),
            '"' => straight_open = !straight_open,
            c if depth == 0 && !straight_open => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pronouns_pass_the_first_letter_test() {
        for w in words::list("second-person").chain(words::list("first-person")) {
            let c = w.chars().next().unwrap();
            assert!(may_be_pronoun(c), "{w}");
            assert!(c.to_uppercase().all(may_be_pronoun), "{w}");
        }
    }

    #[test]
    fn question_scores() {
        // Seed-like questions.
        assert!(
            question_score("In your tenure, you introduced reforms. What motivated these moves?")
                >= 3
        );
        assert!(question_score("How is Kazakhstan addressing this critical challenge?") >= 3);
        // A two-sentence question that does not end with "?".
        assert!(question_score("Why did you leave? Tell us about that year.") >= 3);
        // An answer ending with a quoted question.
        assert_eq!(
            ends_question("My grandmother asked, “Who will remember them if we don’t?”"),
            QEnd::Quoted
        );
        assert!(question_score("My grandmother asked, “Who will remember them if we don’t?”") < 2);
        // First person, ending with "?": borderline at most.
        assert!(question_score("We asked ourselves: what do we owe our children?") < 3);
        // A note marker after the question mark.
        assert_eq!(ends_question("What happened next?2"), QEnd::Yes);
    }
}
