//! How a paragraph reads: as a question (a question mark at the end, the
//! second person, an imperative such as "Tell us …") or as an answer (the
//! first person, "Because …").

use crate::import::textutil::{word_count, words};

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
    matches!(
        first.as_str(),
        "because"
            | "yes"
            | "no"
            | "well"
            | "absolutely"
            | "certainly"
            | "sure"
            | "indeed"
            | "actually"
            | "honestly"
            | "partly"
            | "mostly"
            | "both"
            | "neither"
            | "definitely"
            | "не"
            | "да"
            | "нет"
            | "потому"
            | "конечно"
    )
}

/// Counts of second- and first-person words.
pub fn persons(t: &str) -> (usize, usize) {
    let mut sp = 0;
    let mut fp = 0;
    // One buffer for every word: this runs on each paragraph, several times.
    let mut l = String::new();
    for w in words(t) {
        // Pronouns are short and start with one of a few letters: skip the
        // rest before lower-casing anything.
        if w.len() > 16
            || !w.chars().next().is_some_and(|c| {
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
            })
        {
            continue;
        }
        l.clear();
        for c in w.chars().flat_map(char::to_lowercase) {
            l.push(if c == '’' { '\'' } else { c });
        }
        if l.starts_with("you")
            && matches!(
                l.as_str(),
                "you"
                    | "your"
                    | "yours"
                    | "yourself"
                    | "yourselves"
                    | "you're"
                    | "you've"
                    | "you'd"
                    | "you'll"
            )
            || matches!(
                l.as_str(),
                "вы" | "вас"
                    | "вам"
                    | "ваш"
                    | "ваша"
                    | "ваше"
                    | "ваши"
                    | "вами"
                    | "ты"
                    | "тебя"
                    | "сіз"
                    | "сіздің"
                    | "сізге"
            )
        {
            sp += 1;
        } else if matches!(
            l.as_str(),
            "i" | "i'm"
                | "i've"
                | "i'd"
                | "i'll"
                | "me"
                | "my"
                | "mine"
                | "myself"
                | "we"
                | "we're"
                | "we've"
                | "we'd"
                | "we'll"
                | "our"
                | "ours"
                | "ourselves"
                | "я"
                | "мы"
                | "мой"
                | "моя"
                | "наш"
                | "наша"
                | "наши"
                | "нам"
                | "нас"
                | "біз"
                | "біздің"
                | "мен"
        ) {
            fp += 1;
        }
    }
    (sp, fp)
}

const IMPERATIVES: &[&str] = &[
    "tell us",
    "tell me",
    "describe",
    "explain",
    "talk us through",
    "talk me through",
    "walk us through",
    "walk me through",
    "please",
    "give us",
    "give me",
    "share with us",
    "take us",
    "help us understand",
    "let's talk about",
    "let’s talk about",
    "expand on",
    "elaborate",
    "say more",
    "paint a picture",
    "расскажите",
    "опишите",
    "объясните",
    "айтып беріңізші",
];

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
            if wc <= 50 && IMPERATIVES.iter().any(|p| last.starts_with(p)) {
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
