//! Speaker turns: paragraphs labelled `Q:` / `A:` (and their kin in other
//! languages), or two speakers' names, each before a colon, in turn. The
//! labels are taken off; the one who asks is the interviewer.

use super::wording::{QEnd, ends_question};
use super::{Ctx, Role};
use crate::import::report::Entry;
use crate::import::textutil::word_count;
use crate::model::{Inline, plain_text};
use std::collections::HashMap;

/// Who asks, by Q/A labels or two speakers' names; sets the questions and
/// answers when the turns are labelled, and the interviewee's name when
/// speakers are named.
pub fn run(cx: &mut Ctx<'_>) -> Result<(), String> {
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
    if let Some((asker, other)) = two_speakers(cx, &body) {
        by_labels(
            cx,
            &body,
            |t| {
                speaker_label(t).and_then(|(name, len)| {
                    (name == asker || name == other).then(|| (name == asker, len))
                })
            },
            true,
        );
        cx.turns_decided = true;
        let is_name =
            other.chars().count() > 2 && !matches!(other.to_lowercase().as_str(), "answer" | "a");
        if is_name {
            cx.speaker = Some(other);
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
    const LABELS: &[(&str, Speaker, bool)] = &[
        ("question", Speaker::Q, false),
        ("interviewer", Speaker::Q, false),
        ("answer", Speaker::A, false),
        ("q", Speaker::Q, true),
        ("a", Speaker::A, true),
        ("в", Speaker::Q, true),
        ("о", Speaker::A, true),
        ("вопрос", Speaker::Q, false),
        ("ответ", Speaker::A, false),
    ];
    let first = t
        .chars()
        .next()
        .map(|c| c.to_lowercase().next().unwrap_or(c));
    if !matches!(first, Some('q' | 'a' | 'i' | 'в' | 'о')) {
        return None;
    }
    for &(label, who, short) in LABELS {
        let n = label.chars().count();
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
            || matches!(first, '"' | '“' | '«' | '‘' | '\'' | '('))
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
    const NOT_SPEAKERS: &[&str] = &[
        "note",
        "notes",
        "update",
        "source",
        "sources",
        "photo",
        "image",
        "credit",
        "correction",
        "disclaimer",
        "editor's note",
        "editor’s note",
        "tags",
        "read more",
        "related",
        "share",
        "published",
        "updated",
        "by",
        "see also",
        "caption",
        "warning",
        "example",
        "first",
        "second",
        "third",
        "finally",
        "today",
        "background",
        "context",
        "result",
        "results",
        "summary",
    ];
    if !capital || NOT_SPEAKERS.contains(&name.to_lowercase().as_str()) {
        return None;
    }
    let after = &t[colon + 1..];
    let text = after.trim_start();
    if text.is_empty() || text.len() == after.len() {
        return None;
    }
    Some((name.to_string(), t.len() - text.len()))
}

/// The two speakers of a transcript, asker first, when there are exactly
/// two names that each label at least two paragraphs.
fn two_speakers(cx: &Ctx<'_>, body: &[usize]) -> Option<(String, String)> {
    let mut count: HashMap<String, (usize, usize, usize)> = HashMap::new(); // (paragraphs, ending "?", first index)
    let mut labelled = 0;
    for (k, &i) in body.iter().enumerate() {
        if !cx.is_para(i) {
            continue;
        }
        if let Some((name, _)) = speaker_label(&cx.texts[i]) {
            labelled += 1;
            let e = count.entry(name).or_insert((0, 0, k));
            e.0 += 1;
            if ends_question(&cx.texts[i]) == QEnd::Yes {
                e.1 += 1;
            }
        }
    }
    let mut v: Vec<(String, (usize, usize, usize))> =
        count.into_iter().filter(|(_, c)| c.0 >= 2).collect();
    if v.len() != 2 || v[0].1.0 + v[1].1.0 < labelled * 8 / 10 {
        return None;
    }
    // The asker ends more of their paragraphs with "?"; on a tie, speaks first.
    v.sort_by(|a, b| {
        let ra = a.1.1 as f64 / a.1.0 as f64;
        let rb = b.1.1 as f64 / b.1.0 as f64;
        rb.partial_cmp(&ra)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.1.2.cmp(&b.1.2))
    });
    let other = v.pop()?.0;
    let asker = v.pop()?.0;
    Some((asker, other))
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
}
