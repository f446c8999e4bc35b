//! Speaker turns: paragraphs labelled `Q:` / `A:` (and their kin in other
//! languages), or two speakers' names, each before a colon, in turn. The
//! labels are taken off; the one who asks is the interviewer.

use super::wording::{QEnd, ends_question};
use super::{Ctx, Nothing, Role};
use crate::import::report::Entry;
use crate::import::textutil::word_count;
use crate::import::words;
use crate::model::{Inline, plain_text};
use std::collections::HashMap;

/// Who asks, by Q/A labels or two speakers' names; sets the questions and
/// answers when the turns are labelled, and the interviewee's name when
/// speakers are named.
pub fn run(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    let n = cx.units.len();
    let body: Vec<usize> = (0..n).filter(|&i| cx.open(i)).collect();
    // Q: / A: labels.
    let q = body
        .iter()
        .filter(|&&i| cx.is_para(i) && qa_label(&cx.texts[i]).is_some_and(|l| l.0 == Speaker::Q))
        .count();
    let a = body
        .iter()
        .filter(|&&i| cx.is_para(i) && qa_label(&cx.texts[i]).is_some_and(|l| l.0 == Speaker::A))
        .count();
    if q >= 2 || (q >= 1 && a >= 1) {
        by_labels(
            cx,
            &body,
            |t| qa_label(t).map(|(s, len)| (s == Speaker::Q, len)),
            a > 0,
        );
        cx.turns_decided = true;
        return Ok(());
    }
    // Two named speakers.
    if let Some(((asker, other), (asker_name, other_name))) = two_speakers(cx, &body) {
        by_labels(
            cx,
            &body,
            |t| {
                speaker_label(t).and_then(|(name, len)| {
                    let key = speaker_key(&name);
                    (key == asker || key == other).then(|| (key == asker, len))
                })
            },
            true,
        );
        cx.turns_decided = true;
        let is_name =
            |n: &str| n.chars().count() > 2 && !words::has("answer-labels", &n.to_lowercase());
        if is_name(&other_name) {
            cx.speaker = Some(other_name);
        }
        if is_name(&asker_name) {
            cx.asker = Some(asker_name);
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    Q,
    A,
}

/// A `Q:` / `A:` label at the start of a paragraph, with its length in
/// bytes (label, separator and spaces).
pub fn qa_label(t: &str) -> Option<(Speaker, usize)> {
    // Lower-cased, a label's letters are the text's (no letter lower-cases
    // to more or fewer letters in a label): a cheap test first.
    let first = t.chars().next()?.to_lowercase().next()?;
    let labels = words::list("question-labels")
        .map(|l| (l, Speaker::Q))
        .chain(words::list("answer-labels").map(|l| (l, Speaker::A)));
    for (label, who) in labels.filter(|(l, _)| l.starts_with(first)) {
        let n = label.chars().count();
        // A one-letter label must be written in capitals.
        let short = n == 1;
        let Some((cut, _)) = t.char_indices().nth(n) else {
            continue;
        };
        let head = &t[..cut];
        if head.to_lowercase() != label || (short && !head.chars().all(char::is_uppercase)) {
            continue;
        }
        let rest_orig = &t[cut..];
        // The separator: ":", ".", ")", " -", " –", " —".
        let trimmed = rest_orig.trim_start_matches(' ');
        // The letters of other languages' labels take a colon only ("P. Smith").
        if short && words::has("colon-only-labels", label) && !trimmed.starts_with(':') {
            continue;
        }
        let sep_len = if trimmed.starts_with(':')
            || (short && (trimmed.starts_with('.') || trimmed.starts_with(')')))
        {
            1
        } else if trimmed.starts_with("- ")
            || trimmed.starts_with("– ")
            || trimmed.starts_with("— ")
        {
            trimmed.chars().next().map_or(1, char::len_utf8)
        } else {
            continue;
        };
        // With "." after a single letter ("A. Smith"), only a clear label counts.
        if short && trimmed.starts_with('.') && rest_orig.len() != trimmed.len() {
            continue;
        }
        let after = &trimmed[sep_len..];
        let text = after.trim_start();
        if text.is_empty() || after.len() == text.len() {
            continue;
        }
        let first = text.chars().next().unwrap_or(' ');
        if !(first.is_uppercase()
            || first.is_ascii_digit()
            || matches!(first, '"' | '“' | '«' | '‘' | '\'' | '(' | '¿' | '¡' | '„'))
        {
            continue;
        }
        return Some((who, t.len() - text.len()));
    }
    None
}

/// A speaker's name before a colon: "Jane Roe: …", "BAIMENOV: …".
pub fn speaker_label(t: &str) -> Option<(String, usize)> {
    let colon = t.find(':')?;
    let name = t[..colon].trim();
    if name.is_empty() || name.chars().count() > 40 {
        return None;
    }
    let ws: Vec<&str> = name.split_whitespace().collect();
    if ws.is_empty() || ws.len() > 4 {
        return None;
    }
    let capital = ws.iter().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
    });
    if !capital || words::has("not-speakers", &name.to_lowercase()) {
        return None;
    }
    let after = &t[colon + 1..];
    let text = after.trim_start();
    if text.is_empty() || text.len() == after.len() {
        return None;
    }
    Some((name.to_string(), t.len() - text.len()))
}

/// Who a speaker label names: the surname, so that "Richard David Precht:"
/// and "Precht:" are one speaker (initials stay as written).
pub fn speaker_key(name: &str) -> String {
    let last = name.split_whitespace().next_back().unwrap_or(name);
    last.trim_end_matches('.').to_lowercase()
}

/// The two speakers of a transcript: (asker, other) by [`speaker_key`],
/// and the fullest form of each name seen, when two names label at least
/// two paragraphs each and most of the labelled ones.
fn two_speakers(cx: &Ctx<'_>, body: &[usize]) -> Option<((String, String), (String, String))> {
    // Per key: paragraphs, ones with a question, first index, fullest name.
    let mut count: HashMap<String, (usize, usize, usize, String)> = HashMap::new();
    let mut labelled = 0;
    for (k, &i) in body.iter().enumerate() {
        if !cx.is_para(i) {
            continue;
        }
        if let Some((name, len)) = speaker_label(&cx.texts[i]) {
            labelled += 1;
            let e = count
                .entry(speaker_key(&name))
                .or_insert((0, 0, k, name.clone()));
            e.0 += 1;
            if name.len() > e.3.len() {
                e.3 = name;
            }
            let said = &cx.texts[i][len..];
            if ends_question(said) == QEnd::Yes
                || (said.contains('?') && super::wording::question_score(said) >= 2)
            {
                e.1 += 1;
            }
        }
    }
    let mut v: Vec<(String, (usize, usize, usize, String))> =
        count.into_iter().filter(|(_, c)| c.0 >= 2).collect();
    // The two who speak most, if they speak most of the labelled turns.
    v.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.1.2.cmp(&b.1.2)));
    v.truncate(2);
    if v.len() != 2 || v[0].1.0 + v[1].1.0 < labelled * 8 / 10 {
        return None;
    }
    // A transcript is mostly turns; a few labelled lines in a story or a
    // list ("Pro: …", "Con: …") are not one.
    let paras = body.iter().filter(|&&i| cx.is_para(i)).count();
    if labelled * 4 < paras {
        return None;
    }
    // The asker asks more in their turns; on a tie, speaks first.
    v.sort_by(|a, b| {
        let ra = a.1.1 as f64 / a.1.0 as f64;
        let rb = b.1.1 as f64 / b.1.0 as f64;
        rb.partial_cmp(&ra)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.1.2.cmp(&b.1.2))
    });
    let other = v.pop()?;
    let asker = v.pop()?;
    // Who asks must ask now and then.
    if asker.1.1 * 4 < asker.1.0 {
        return None;
    }
    Some(((asker.0, other.0), (asker.1.3, other.1.3)))
}

/// Questions and answers by their labels; unlabelled paragraphs continue the
/// speaker before them (a question's second paragraph joins the question
/// when answers are labelled too).
fn by_labels(
    cx: &mut Ctx<'_>,
    body: &[usize],
    label: impl Fn(&str) -> Option<(bool, usize)>,
    answers_labelled: bool,
) {
    let mut in_question = false;
    let mut last_q: Option<usize> = None;
    for &i in body {
        if !cx.open(i) {
            continue;
        }
        let l = if cx.is_para(i) {
            label(&cx.texts[i])
        } else {
            None
        };
        match l {
            Some((true, len)) => {
                strip_prefix(cx, i, len);
                cx.role[i] = Role::Question;
                in_question = true;
                last_q = Some(i);
            }
            Some((false, len)) => {
                strip_prefix(cx, i, len);
                cx.role[i] = Role::Body;
                in_question = false;
            }
            None if in_question && answers_labelled && cx.is_para(i) => {
                cx.role[i] = Role::QuestionMore;
                let q = last_q.unwrap_or(i);
                let (line, text) = (cx.line(i), cx.texts[i].clone());
                cx.report.joined.push(Entry {
                    line,
                    text,
                    reason: format!(
                        "joined to the question at line {}: no answer label before it",
                        cx.line(q)
                    ),
                });
            }
            None => {
                cx.role[i] = Role::Body;
                in_question = false;
            }
        }
    }
}

/// Removes a label of `len` bytes from the start of unit `i`.
fn strip_prefix(cx: &mut Ctx<'_>, i: usize, len: usize) {
    let chars = cx.texts[i][..len].chars().count();
    if let Some(v) = cx.units[i].inlines_mut() {
        drop_chars(v, chars);
        crate::source::markdown::trim_inlines(v);
        // A bold label leaves an empty bold behind.
        v.retain(|x| !matches!(x, Inline::Strong(c) | Inline::Emphasis(c) if plain_text(c).trim().is_empty()));
        crate::source::markdown::trim_inlines(v);
    }
    cx.texts[i] = cx.texts[i][len..].to_string();
    cx.words[i] = word_count(&cx.texts[i]);
}

/// Removes the first `n` characters of text from `v`.
fn drop_chars(v: &mut Vec<Inline>, mut n: usize) -> usize {
    let mut k = 0;
    while n > 0 && k < v.len() {
        match &mut v[k] {
            Inline::Text(t) | Inline::Code(t) => {
                let len = t.chars().count();
                if len <= n {
                    n -= len;
                    v.remove(k);
                    continue;
                }
                let cut = t.char_indices().nth(n).map_or(t.len(), |(b, _)| b);
                *t = t[cut..].to_string();
                n = 0;
            }
            Inline::LineBreak => {
                n = n.saturating_sub(1);
                v.remove(k);
                continue;
            }
            Inline::NoteRef(_) => k += 1,
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Link { content: c, .. }
            | Inline::Foreign { content: c, .. } => {
                n = drop_chars(c, n);
                if c.is_empty() {
                    v.remove(k);
                    continue;
                }
                k += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(qa_label("Q: What now?"), Some((Speaker::Q, 3)));
        assert_eq!(qa_label("A: We wait."), Some((Speaker::A, 3)));
        assert_eq!(qa_label("Q. What now?"), Some((Speaker::Q, 3)));
        assert_eq!(qa_label("A. Smith wrote it."), Some((Speaker::A, 3)));
        assert_eq!(
            qa_label("Question – Why?"),
            Some((Speaker::Q, "Question – ".len()))
        );
        assert_eq!(qa_label("Quite so."), None);
        assert_eq!(qa_label("A:b"), None);
        assert_eq!(
            speaker_label("Jane Roe: Thank you."),
            Some(("Jane Roe".into(), 10))
        );
        assert_eq!(speaker_label("Note: this was edited."), None);
    }

    #[test]
    fn labels_in_other_languages() {
        assert_eq!(
            qa_label("Frage: Wie geht es weiter?"),
            Some((Speaker::Q, 7))
        );
        assert_eq!(qa_label("Antwort: Wir warten."), Some((Speaker::A, 9)));
        assert_eq!(
            qa_label("Pregunta: ¿Por qué?").map(|l| l.0),
            Some(Speaker::Q)
        );
        assert_eq!(qa_label("P: Por qué ahora?"), Some((Speaker::Q, 3)));
        assert_eq!(qa_label("R: Porque sí."), Some((Speaker::A, 3)));
        assert_eq!(qa_label("P. Smith wrote it."), None);
        assert_eq!(qa_label("F. Scott Fitzgerald wrote it."), None);
        assert_eq!(
            qa_label("Вопрос: Что дальше?").map(|l| l.0),
            Some(Speaker::Q)
        );
        assert_eq!(speaker_label("Foto: dpa"), None);
        assert_eq!(speaker_label("JS: Thank you."), Some(("JS".into(), 4)));
        assert_eq!(speaker_key("Richard David Precht"), speaker_key("Precht"));
    }

    fn turns(
        units: Vec<crate::import::unit::Unit>,
    ) -> (Vec<String>, Option<String>, Option<String>) {
        use crate::import::unit::PageMeta;
        let meta = PageMeta::default();
        let mut report = crate::import::report::Report::default();
        let mut cx = Ctx::new(numbered(units), &meta, false, &mut report);
        cx.title = 0;
        cx.role[0] = Role::Title;
        super::run(&mut cx).unwrap();
        let q = (0..cx.units.len())
            .filter(|&i| cx.role[i] == Role::Question)
            .map(|i| cx.texts[i].clone())
            .collect();
        (q, cx.speaker.clone(), cx.asker.clone())
    }

    #[test]
    fn two_names_in_turn() {
        let (q, who, asker) = turns(vec![
            para("Der Philosoph im Gespräch"),
            para("Foto: dpa"),
            lead(
                "Fischer:",
                "Herr Precht, Sie schreiben über die Arbeit. Warum jetzt?",
            ),
            lead(
                "Richard David Precht:",
                "Weil sich die Arbeit gerade ändert, und zwar schneller als je.",
            ),
            para("Das sieht man überall."),
            lead("Fischer:", "Was heißt das für die Schulen?"),
            lead("Precht:", "Dass sie anders lehren müssen."),
            para("Foto: Getty"),
        ]);
        assert_eq!(
            q,
            [
                "Herr Precht, Sie schreiben über die Arbeit. Warum jetzt?",
                "Was heißt das für die Schulen?"
            ]
        );
        assert_eq!(who.as_deref(), Some("Richard David Precht"));
        assert_eq!(asker.as_deref(), Some("Fischer"));
    }

    #[test]
    fn initials_and_spanish_labels() {
        let (q, who, _) = turns(vec![
            para("Title"),
            para("JS: What did the river look like then?"),
            para("AB: It was twice as wide."),
            para("JS: And now?"),
            para("AB: Half of it is gone."),
        ]);
        assert_eq!(q, ["What did the river look like then?", "And now?"]);
        assert_eq!(who, None, "initials are not a name");
        let (q, _, _) = turns(vec![
            para("Título"),
            para("P: ¿Qué queda del río?"),
            para("R: La mitad."),
            para("P: ¿Y mañana?"),
            para("R: Nadie lo sabe."),
        ]);
        assert_eq!(q, ["¿Qué queda del río?", "¿Y mañana?"]);
    }

    /// Labelled lines in a story ("Pro: …", "Con: …" among many paragraphs)
    /// are no transcript: nobody is made an interviewee.
    #[test]
    fn a_few_labelled_lines_in_a_story_are_no_transcript() {
        let mut units = vec![h1("One hundred two")];
        for k in 0..12 {
            units.push(para(&format!("He walked on through the town, page {k}.")));
        }
        for (who, what) in [
            ("Pro", "homework with a friend."),
            ("Con", "shirtlessness."),
            ("Pro", "trying the new magic."),
            ("Con", "money."),
        ] {
            units.push(para(&format!("{who}: {what}")));
        }
        for k in 0..8 {
            units.push(para(&format!("And the story went on, page {k}.")));
        }
        let (parts, _) = page(units, &crate::import::unit::PageMeta::default(), false);
        assert!(parts.interviewees.is_empty(), "{:?}", parts.interviewees);
        assert!(questions(&parts).is_empty(), "{:?}", questions(&parts));
    }
}
