//! Units → the parts of a chapter: what is junk, the title and standfirst,
//! the questions and their answers, pull quotes, endnotes and the bio.
//!
//! The same rules serve text and HTML; HTML units arrive with hints (an
//! `<h1>`, a standfirst class, a bold paragraph) that settle some questions
//! before any guessing. Each decision that drops text or rests on a guess is
//! written to the report with the unit's line.

use super::junk::{self, Junk};
use super::notes;
use super::report::{Entry, Item, NoteItem, Report};
use super::textutil::{fold, word_count, words};
use super::unit::{Hint, Kind, PageMeta, Style, Unit};
use crate::model::{Block, Exchange, Inline, ListItem, Note, Question, Span, plain_text};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
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

struct Ctx<'r> {
    units: Vec<Unit>,
    texts: Vec<String>,
    /// Words in each of `texts` (asked for many times per unit).
    words: Vec<usize>,
    role: Vec<Role>,
    keep_all: bool,
    report: &'r mut Report,
}

impl Ctx<'_> {
    fn line(&self, i: usize) -> u32 {
        self.units[i].line
    }

    /// Drops unit `i` (or, with `--keep-all`, keeps it and says so).
    fn drop(&mut self, i: usize, reason: &str) {
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

    fn unsure(&mut self, i: usize, reason: impl Into<String>) {
        let (line, text) = (self.line(i), self.texts[i].clone());
        self.report.unsure(line, text, reason);
    }

    fn open(&self, i: usize) -> bool {
        self.role[i] == Role::Open
    }

    /// Units of one line of text (paragraphs, headings, list lines).
    fn textual(&self, i: usize) -> bool {
        matches!(
            self.units[i].kind,
            Kind::Para(_) | Kind::Heading(..) | Kind::ListItem { .. }
        )
    }

    fn is_para(&self, i: usize) -> bool {
        matches!(self.units[i].kind, Kind::Para(_))
    }
}

pub fn assemble(
    units: Vec<Unit>,
    meta: &PageMeta,
    keep_all: bool,
    report: &mut Report,
) -> Result<Parts, String> {
    let texts: Vec<String> = units.iter().map(Unit::text).collect();
    let words = texts.iter().map(|t| word_count(t)).collect();
    let n = units.len();
    let mut cx = Ctx {
        units,
        texts,
        words,
        role: vec![Role::Open; n],
        keep_all,
        report,
    };
    let mut parts = Parts {
        date: meta.date.clone(),
        ..Parts::default()
    };

    // Units without text (an empty paragraph) carry nothing.
    for i in 0..n {
        if cx.texts[i].trim().is_empty()
            && !matches!(cx.units[i].kind, Kind::Block(_) | Kind::Note { .. })
        {
            cx.role[i] = Role::Dropped;
        }
    }
    hints(&mut cx, &mut parts);
    junk_pass(&mut cx, &mut parts);

    let title = title(&mut cx).ok_or_else(|| {
        "found no title: the input has no text besides page furniture".to_string()
    })?;
    let notes_idx = notes_section(&mut cx);
    bio_section(&mut cx, title, notes_idx.as_ref().map(|(h, _)| *h));
    standfirst(&mut cx, title, meta);
    pull_quotes(&mut cx);
    let speaker = questions(&mut cx);

    // The notes: list index (1-based) → unit.
    let note_units: Vec<usize> = notes_idx.map(|(_, v)| v).unwrap_or_default();
    // A note with no text is no note (its markers stay text).
    let note_units: Vec<usize> = note_units
        .into_iter()
        .filter(|&i| !cx.texts[i].trim().is_empty())
        .collect();
    let note_of: Vec<(u32, usize)> = note_units
        .iter()
        .enumerate()
        .map(|(k, &i)| match &cx.units[i].kind {
            Kind::Note { key, .. } => (key + 1, i),
            _ => (k as u32 + 1, i),
        })
        .collect();
    let first_ref = number_notes(&mut cx, &note_of);

    build(&mut cx, &mut parts, title, &note_of, &first_ref, speaker)?;
    Ok(parts)
}

/// Roles the HTML reader was sure of.
fn hints(cx: &mut Ctx<'_>, parts: &mut Parts) {
    let mut have_title = false;
    let mut have_standfirst = false;
    for i in 0..cx.units.len() {
        if cx.role[i] == Role::Dropped {
            continue;
        }
        if matches!(cx.units[i].kind, Kind::Note { .. }) {
            cx.role[i] = Role::Note;
            continue;
        }
        match cx.units[i].hint.clone() {
            Some(Hint::Title) if !have_title => {
                have_title = true;
                cx.role[i] = Role::Title;
            }
            Some(Hint::Standfirst) if !have_standfirst => {
                have_standfirst = true;
                cx.role[i] = Role::Standfirst;
            }
            Some(Hint::Bio) => cx.role[i] = Role::Bio,
            Some(Hint::Chrome(reason)) => cx.drop(i, &reason),
            Some(Hint::Byline(name)) => {
                if let Some(Junk::Byline {
                    name,
                    interviewer: true,
                }) = junk::classify(&cx.texts[i])
                {
                    parts.interviewer = Some(name);
                }
                cx.drop(i, &format!("byline ({name})"));
            }
            _ => {}
        }
    }
}

/// Style-guide specimens and web chrome.
#[allow(clippy::needless_range_loop)] // several parallel vectors, indexed alike
fn junk_pass(cx: &mut Ctx<'_>, parts: &mut Parts) {
    let n = cx.units.len();
    let mut specimen: Vec<Option<bool>> = vec![None; n];
    let mut section: Option<(&'static str, String)> = None;
    for i in 0..n {
        if !cx.open(i) {
            continue;
        }
        if !cx.textual(i) {
            section = None;
            continue;
        }
        let t = cx.texts[i].clone();
        if let Some((reason, heading)) = &section {
            let wc = cx.words[i];
            let ends_period = t.trim_end().ends_with('.');
            if wc > 25
                || (ends_period && wc >= 12)
                || junk::is_notes_heading(&t)
                || junk::is_bio_heading(&t)
                || bio_name(&t).is_some()
            {
                section = None;
            } else {
                let reason = format!("{reason} (listed under \"{heading}\")");
                cx.drop(i, &reason);
                continue;
            }
        }
        match junk::classify(&t) {
            None => {}
            Some(Junk::Specimen { strong }) => specimen[i] = Some(strong),
            Some(Junk::Chrome(reason)) => cx.drop(i, reason),
            Some(Junk::ChromeSection(reason)) => {
                cx.drop(i, reason);
                section = Some((reason, t.clone()));
            }
            Some(Junk::Byline { name, interviewer }) => {
                if interviewer && parts.interviewer.is_none() {
                    parts.interviewer = Some(name.clone());
                }
                let what = if interviewer {
                    "byline naming the interviewer"
                } else {
                    "byline"
                };
                cx.drop(i, &format!("{what} ({name})"));
            }
            Some(Junk::Dateline(d)) => {
                if parts.date.is_none() {
                    parts.date = d;
                }
                cx.drop(i, "dateline");
            }
        }
    }
    // Specimens come in runs: a run with a strong one is junk, and so is a
    // run of three weak ones; a weak one alone is text, but doubtful.
    let mut i = 0;
    while i < n {
        if specimen[i].is_none() {
            i += 1;
            continue;
        }
        let mut run = vec![i];
        let mut j = i + 1;
        while j < n {
            if cx.role[j] == Role::Dropped {
                j += 1;
                continue;
            }
            if specimen[j].is_some() {
                run.push(j);
                j += 1;
            } else {
                break;
            }
        }
        let strong = run.iter().any(|&k| specimen[k] == Some(true));
        if strong || run.len() >= 3 {
            for &k in &run {
                cx.drop(k, "CMS style-guide specimen");
            }
        } else {
            for &k in &run {
                cx.unsure(k, "kept, but it looks like a style-guide label");
            }
        }
        i = j;
    }
}

fn title(cx: &mut Ctx<'_>) -> Option<usize> {
    if let Some(i) = cx.role.iter().position(|&r| r == Role::Title) {
        return Some(i);
    }
    let i = (0..cx.units.len())
        .find(|&i| cx.open(i) && matches!(cx.units[i].kind, Kind::Para(_) | Kind::Heading(..)))?;
    cx.role[i] = Role::Title;
    let wc = cx.words[i];
    if wc > 30 {
        cx.unsure(
            i,
            format!("taken as the title, but it is long for one ({wc} words)"),
        );
    }
    Some(i)
}

/// The endnotes: an HTML notes list, or a list after an "Endnotes" line.
/// Returns the heading (or first note) and the note units in order.
fn notes_section(cx: &mut Ctx<'_>) -> Option<(usize, Vec<usize>)> {
    let n = cx.units.len();
    let html: Vec<usize> = (0..n).filter(|&i| cx.role[i] == Role::Note).collect();
    if let Some(&first) = html.first() {
        // A "Notes" heading just before the list is the book's to set.
        let mut head = first;
        if let Some(h) = (0..first).rev().find(|&i| cx.role[i] != Role::Dropped)
            && cx.open(h)
            && cx.textual(h)
            && junk::is_notes_heading(&cx.texts[h])
        {
            cx.role[h] = Role::NotesHeading;
            cx.report.drop(
                cx.units[h].line,
                cx.texts[h].clone(),
                "notes heading (the book sets its own)",
            );
            head = h;
        }
        return Some((head, html));
    }
    let h = (0..n).rev().find(|&i| {
        cx.open(i) && cx.textual(i) && cx.words[i] <= 4 && junk::is_notes_heading(&cx.texts[i])
    })?;
    let mut items = Vec::new();
    for j in h + 1..n {
        match cx.role[j] {
            Role::Dropped => continue,
            Role::Open if matches!(cx.units[j].kind, Kind::ListItem { .. }) => items.push(j),
            _ => break,
        }
    }
    if items.is_empty() {
        cx.unsure(
            h,
            "a notes heading with no list of notes after it; kept as text",
        );
        return None;
    }
    cx.role[h] = Role::NotesHeading;
    cx.report.drop(
        cx.units[h].line,
        cx.texts[h].clone(),
        "notes heading (the book sets its own)",
    );
    for &j in &items {
        cx.role[j] = Role::Note;
    }
    Some((h, items))
}

/// The bio: an HTML bio block, paragraphs after "About the author", or the
/// last paragraph when it reads as one ("Dr Jane Roe is …").
fn bio_section(cx: &mut Ctx<'_>, title: usize, notes_head: Option<usize>) {
    let n = cx.units.len();
    if let Some(first) = cx.role.iter().position(|&r| r == Role::Bio) {
        if let Some(h) = (0..first).rev().find(|&i| cx.role[i] != Role::Dropped)
            && cx.open(h)
            && cx.textual(h)
            && junk::is_bio_heading(&cx.texts[h])
        {
            cx.role[h] = Role::BioHeading;
            cx.report.drop(
                cx.units[h].line,
                cx.texts[h].clone(),
                "bio heading (the book sets its own)",
            );
        }
        return;
    }
    if let Some(h) = (title + 1..n).rev().find(|&i| {
        cx.open(i) && cx.textual(i) && cx.words[i] <= 5 && junk::is_bio_heading(&cx.texts[i])
    }) {
        let mut paras = Vec::new();
        for j in h + 1..n {
            match cx.role[j] {
                Role::Dropped => continue,
                Role::Open if cx.is_para(j) && qa_label(&cx.texts[j]).is_none() => paras.push(j),
                _ => break,
            }
        }
        if paras.is_empty() {
            cx.unsure(h, "a bio heading with no paragraph after it; kept as text");
        } else {
            cx.role[h] = Role::BioHeading;
            cx.report.drop(
                cx.units[h].line,
                cx.texts[h].clone(),
                "bio heading (the book sets its own)",
            );
            for j in paras {
                cx.role[j] = Role::Bio;
            }
            return;
        }
    }
    // The last paragraph, if it is about someone.
    let Some(last) = (title + 1..n).rev().find(|&i| {
        cx.role[i] != Role::Dropped && cx.role[i] != Role::Note && cx.role[i] != Role::NotesHeading
    }) else {
        return;
    };
    if !cx.open(last) || !cx.is_para(last) {
        return;
    }
    let t = &cx.texts[last];
    let named = bio_name(t).is_some();
    let after_notes = notes_head.is_some_and(|h| last > h);
    if after_notes && !named {
        cx.unsure(last, "a paragraph after the endnotes that does not read as a bio; kept at the end of the text");
        return;
    }
    if !named || ends_question(t) != QEnd::No || word_count(t) < 10 {
        return;
    }
    // Before the notes (or with none), the bio must leave an answer before it.
    let prev = (title + 1..last).rev().find(|&i| cx.open(i));
    let prev_ok = prev.is_some_and(|p| cx.is_para(p) && ends_question(&cx.texts[p]) == QEnd::No);
    if after_notes || prev_ok {
        cx.role[last] = Role::Bio;
        if !after_notes {
            cx.unsure(
                last,
                "taken as the bio: the last paragraph, about the interviewee",
            );
        }
    }
}

/// The standfirst: the deck after the title.
fn standfirst(cx: &mut Ctx<'_>, title: usize, meta: &PageMeta) {
    if cx.role.contains(&Role::Standfirst) {
        return;
    }
    let n = cx.units.len();
    let Some(c) = (title + 1..n).find(|&i| cx.role[i] != Role::Dropped) else {
        return;
    };
    if !cx.open(c) || !cx.is_para(c) {
        return;
    }
    let t = &cx.texts[c];
    let deck_like = cx.words[c] <= 80
        && question_score(t) < 3
        && qa_label(t).is_none()
        && speaker_label(t).is_none()
        && matches!(
            cx.units[c].style,
            Style::Plain | Style::Italic | Style::Bold
        )
        && (c + 1..n).any(|i| cx.open(i));
    if !deck_like {
        return;
    }
    cx.role[c] = Role::Standfirst;
    let from_meta = meta
        .description
        .as_ref()
        .is_some_and(|d| fold(d) == fold(t));
    if cx.report.format == "html" && !from_meta {
        cx.unsure(
            c,
            "taken as the standfirst: the first paragraph after the title",
        );
    }
}

/// Short paragraphs that repeat a sentence of the text are pull quotes.
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
    // Each search is linear in the text: on a pathological input with
    // thousands of short lines, stop looking rather than take minutes.
    let mut budget: usize = 400_000_000;
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
        let elsewhere = memchr::memmem::find_iter(hay.as_bytes(), needle.as_bytes())
            .any(|at| at + needle.len() <= r.start || at >= r.end);
        if elsewhere {
            cx.role[i] = Role::Pull;
        }
    }
}

/// Who asks: Q/A labels, two speakers' names, the page's formatting, or
/// the text itself. Returns the interviewee's name when speakers are named.
fn questions(cx: &mut Ctx<'_>) -> Option<String> {
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
        return None;
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
        let is_name =
            other.chars().count() > 2 && !matches!(other.to_lowercase().as_str(), "answer" | "a");
        return is_name.then_some(other);
    }
    // Formatting: bold paragraphs or headings that mostly end with "?".
    if by_style(cx, &body) {
        return None;
    }
    by_text(cx, &body);
    None
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
fn starts_like_answer(t: &str) -> bool {
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
fn persons(t: &str) -> (usize, usize) {
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
fn unquoted(t: &str) -> String {
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

const HONORIFICS: &[&str] = &[
    "dr",
    "dr.",
    "prof",
    "prof.",
    "professor",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "mx",
    "mx.",
    "sir",
    "dame",
    "h.e.",
    "ambassador",
    "rev.",
    "reverend",
    "judge",
    "academician",
    "justice",
    "lord",
    "lady",
    "д-р",
    "проф.",
    "профессор",
    "академик",
];
const PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "den", "bin", "al", "el", "la", "le", "di", "da", "du", "ibn", "ul",
    "dos", "del", "y",
];
const BIO_VERBS: &[&str] = &[
    "is",
    "was",
    "has",
    "had",
    "serves",
    "served",
    "holds",
    "held",
    "leads",
    "led",
    "heads",
    "headed",
    "chairs",
    "chaired",
    "directs",
    "directed",
    "teaches",
    "taught",
    "works",
    "worked",
    "joined",
    "founded",
    "co-founded",
    "cofounded",
    "became",
    "spent",
    "received",
    "studied",
    "graduated",
    "lives",
    "began",
    "started",
    "writes",
    "wrote",
    "runs",
    "ran",
    "manages",
    "oversees",
    "previously",
    "currently",
    "является",
    "был",
    "была",
    "работает",
    "возглавляет",
    "родился",
    "родилась",
    "руководит",
];

/// The person a paragraph is about, when it opens like a bio: "Dr Jane Roe
/// is …", "Jane Roe, a professor at …, has …", "Жанна Роева — …".
pub fn bio_name(t: &str) -> Option<String> {
    let toks: Vec<&str> = t.split_whitespace().take(40).collect();
    let mut k = 0;
    while k < toks.len() && HONORIFICS.contains(&toks[k].to_lowercase().as_str()) {
        k += 1;
    }
    let start = k;
    let mut name: Vec<&str> = Vec::new();
    let mut ended_by_comma = false;
    while k < toks.len() && name.len() < 5 {
        let w = toks[k];
        let bare = w.trim_end_matches([',', ';']);
        let cap = bare.chars().next().is_some_and(char::is_uppercase)
            && bare
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
            && bare.chars().any(char::is_alphabetic);
        let particle = PARTICLES.contains(&bare) && !name.is_empty();
        if !(cap || particle) {
            break;
        }
        name.push(bare);
        k += 1;
        if bare.len() < w.len() {
            ended_by_comma = true;
            break;
        }
    }
    while name.last().is_some_and(|w| PARTICLES.contains(w)) {
        name.pop();
        k -= 1;
    }
    if name.len() < 2 || (start == 0 && name.len() > 4) {
        return None;
    }
    let next = toks.get(k).map(|w| w.to_lowercase()).unwrap_or_default();
    let verb_next = BIO_VERBS.contains(&next.as_str())
        || next.starts_with("(born")
        || next.starts_with("(b.")
        || matches!(next.as_str(), "—" | "–");
    let verb_later = ended_by_comma
        && toks[k..].iter().take(30).any(|w| {
            matches!(
                w.trim_end_matches(',').to_lowercase().as_str(),
                "is" | "was"
                    | "has"
                    | "serves"
                    | "leads"
                    | "heads"
                    | "chairs"
                    | "works"
                    | "является"
            )
        });
    (verb_next || verb_later).then(|| name.join(" "))
}

/// "Jane Roe, the republic’s …": a name that opens a standfirst.
fn standfirst_name(t: &str) -> Option<String> {
    let toks: Vec<&str> = t.split_whitespace().take(6).collect();
    let mut name = Vec::new();
    for w in toks {
        let bare = w.trim_end_matches(',');
        if !bare.chars().next().is_some_and(char::is_uppercase)
            || !bare
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
        {
            return None;
        }
        name.push(bare);
        if bare.len() < w.len() {
            return (2..=4).contains(&name.len()).then(|| name.join(" "));
        }
    }
    None
}

/// Numbers notes by first reference. Text markers are found first when the
/// notes came from a text notes list. Returns, per list index, the number
/// and the line of the first reference.
fn number_notes(cx: &mut Ctx<'_>, note_of: &[(u32, usize)]) -> HashMap<u32, (u32, u32)> {
    let n = cx.units.len();
    let body = |r: Role| matches!(r, Role::Body | Role::Question | Role::QuestionMore);
    let any_ref = (0..n).any(|i| body(cx.role[i]) && unit_refs(&cx.units[i]).next().is_some());
    if !any_ref && !note_of.is_empty() {
        let max = note_of.iter().map(|(k, _)| *k).max().unwrap_or(0);
        let mut scan = notes::Scan::new(max);
        for i in 0..n {
            if cx.role[i] != Role::Body {
                continue;
            }
            let before = scan.doubtful.len();
            if let Some(v) = cx.units[i].inlines_mut() {
                notes::mark(v, &mut scan);
            }
            for (text, reason) in scan.doubtful.drain(before..).collect::<Vec<_>>() {
                cx.report.unsure(cx.units[i].line, text, reason);
            }
        }
    } else if !any_ref {
        // No notes list: markers cannot be told from numbers; say so when
        // something looks like one.
        for i in 0..n {
            if cx.role[i] == Role::Body && cx.texts[i].contains('[') {
                let mut scan = notes::Scan::new(0);
                let mut v = vec![Inline::Text(cx.texts[i].clone())];
                notes::mark(&mut v, &mut scan);
                for (text, _) in scan.doubtful {
                    cx.report.unsure(
                        cx.units[i].line,
                        text,
                        "looks like a note marker, but there is no notes list; kept as text",
                    );
                }
            }
        }
    }
    // Order of first reference; references in questions are not kept (a
    // question heading carries no note).
    let known: HashMap<u32, usize> = note_of.iter().map(|&(k, i)| (k, i)).collect();
    let mut numbers: HashMap<u32, (u32, u32)> = HashMap::new();
    let mut next = 1;
    for i in 0..n {
        match cx.role[i] {
            Role::Body => {
                let line = cx.units[i].line;
                for k in unit_refs(&cx.units[i]).collect::<Vec<_>>() {
                    if known.contains_key(&k) && !numbers.contains_key(&k) {
                        numbers.insert(k, (next, line));
                        next += 1;
                    }
                }
            }
            Role::Question | Role::QuestionMore | Role::Title | Role::Standfirst | Role::Bio
                if unit_refs(&cx.units[i]).next().is_some() =>
            {
                cx.unsure(
                    i,
                    "a note reference here is left out: notes are referenced from the answers",
                );
            }
            _ => {}
        }
    }
    // Rewrite references to their numbers; drop the rest.
    for i in 0..n {
        let keep = cx.role[i] == Role::Body;
        let map = |v: &mut Vec<Inline>| {
            v.retain_mut(|x| match x {
                Inline::NoteRef(k) => match numbers.get(k) {
                    Some(&(num, _)) if keep => {
                        *k = num;
                        true
                    }
                    _ => false,
                },
                _ => true,
            })
        };
        let mut map = map;
        match &mut cx.units[i].kind {
            Kind::Para(c) | Kind::Heading(_, c) | Kind::ListItem { content: c, .. } => {
                crate::model::visit_inline_vec(c, &mut map)
            }
            Kind::Quote { blocks, .. } | Kind::Note { blocks, .. } => {
                crate::model::visit_inlines_mut(blocks, &mut map)
            }
            Kind::Block(b) => crate::model::visit_inlines_mut(std::slice::from_mut(b), &mut map),
        }
    }
    numbers
}

/// Note references in a unit, in order.
fn unit_refs(u: &Unit) -> impl Iterator<Item = u32> {
    let mut out = Vec::new();
    let mut collect = |v: &[Inline]| collect_refs(v, &mut out);
    match &u.kind {
        Kind::Para(c) | Kind::Heading(_, c) | Kind::ListItem { content: c, .. } => collect(c),
        Kind::Quote { blocks, .. } | Kind::Note { blocks, .. } => {
            let mut b = blocks.clone();
            crate::model::visit_inlines_mut(&mut b, &mut |v: &mut Vec<Inline>| {
                collect_refs_top(v, &mut out)
            });
        }
        Kind::Block(b) => {
            let mut b = vec![b.clone()];
            crate::model::visit_inlines_mut(&mut b, &mut |v: &mut Vec<Inline>| {
                collect_refs_top(v, &mut out)
            });
        }
    }
    out.into_iter()
}

fn collect_refs(v: &[Inline], out: &mut Vec<u32>) {
    for x in v {
        match x {
            Inline::NoteRef(k) => out.push(*k),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Link { content: c, .. }
            | Inline::Foreign { content: c, .. } => collect_refs(c, out),
            _ => {}
        }
    }
}

/// Only the top level (the visitor calls us for nested runs too).
fn collect_refs_top(v: &[Inline], out: &mut Vec<u32>) {
    for x in v {
        if let Inline::NoteRef(k) = x {
            out.push(*k);
        }
    }
}

fn build(
    cx: &mut Ctx<'_>,
    parts: &mut Parts,
    title: usize,
    note_of: &[(u32, usize)],
    numbers: &HashMap<u32, (u32, u32)>,
    speaker: Option<String>,
) -> Result<(), String> {
    let n = cx.units.len();
    parts.title = inline_only(cx.units[title].inlines().cloned().unwrap_or_default());
    parts.title_span = cx.units[title].span;
    cx.report.title = plain_text(&parts.title);
    if cx.report.title.trim().is_empty() {
        return Err("found no title: the first line has no text".into());
    }
    if let Some(i) = cx.role.iter().position(|&r| r == Role::Standfirst) {
        // A deck set all in italics or bold: the style is the page's.
        let s = unwrap_whole(inline_only(
            cx.units[i].inlines().cloned().unwrap_or_default(),
        ));
        cx.report.standfirst = Some(plain_text(&s));
        parts.standfirst = Some(s);
    }

    // Heading levels of sub-headings: the page's levels, ranked from ###.
    let mut levels: Vec<u8> = (0..n)
        .filter(|&i| cx.role[i] == Role::Body)
        .filter_map(|i| match cx.units[i].kind {
            Kind::Heading(l, _) => Some(l),
            _ => None,
        })
        .collect();
    levels.sort_unstable();
    levels.dedup();

    let mut intro: Vec<Block> = Vec::new();
    let mut exchanges: Vec<Exchange> = Vec::new();
    let mut list: Option<(Option<u64>, Vec<ListItem>, Span)> = None;
    let flush = |list: &mut Option<(Option<u64>, Vec<ListItem>, Span)>,
                 intro: &mut Vec<Block>,
                 ex: &mut Vec<Exchange>| {
        if let Some((start, items, span)) = list.take() {
            let b = Block::List { start, items, span };
            match ex.last_mut() {
                Some(e) => e.answer.push(b),
                None => intro.push(b),
            }
        }
    };
    for i in 0..n {
        let role = cx.role[i];
        if !matches!(
            role,
            Role::Question | Role::QuestionMore | Role::Body | Role::Pull
        ) {
            continue;
        }
        let span = cx.units[i].span;
        if !matches!(cx.units[i].kind, Kind::ListItem { .. }) || role != Role::Body {
            flush(&mut list, &mut intro, &mut exchanges);
        }
        match role {
            Role::Question => {
                let content = question_inlines(cx.units[i].inlines().cloned().unwrap_or_default());
                cx.report.questions.push(Item {
                    line: cx.units[i].line,
                    text: plain_text(&content),
                });
                let id = format!("q{}", exchanges.len() + 1);
                exchanges.push(Exchange {
                    question: Question { id, content, span },
                    answer: Vec::new(),
                });
                continue;
            }
            Role::QuestionMore => {
                let more = question_inlines(cx.units[i].inlines().cloned().unwrap_or_default());
                if let Some(e) = exchanges.last_mut() {
                    crate::source::markdown::push_text(&mut e.question.content, " ");
                    for x in more {
                        match x {
                            Inline::Text(t) => {
                                crate::source::markdown::push_text(&mut e.question.content, &t)
                            }
                            x => e.question.content.push(x),
                        }
                    }
                    if let Some(q) = cx.report.questions.last_mut() {
                        q.text = plain_text(&e.question.content);
                    }
                }
                continue;
            }
            _ => {}
        }
        let unit = &cx.units[i];
        let block = match (&unit.kind, role) {
            (
                Kind::ListItem {
                    ordered,
                    number,
                    content,
                },
                Role::Body,
            ) => {
                let item = ListItem {
                    blocks: vec![Block::Paragraph {
                        content: content.clone(),
                        span,
                    }],
                };
                match &mut list {
                    Some((start, items, _)) if start.is_some() == *ordered => items.push(item),
                    _ => {
                        flush(&mut list, &mut intro, &mut exchanges);
                        let start = ordered.then(|| number.unwrap_or(1));
                        list = Some((start, vec![item], span));
                    }
                }
                None
            }
            (Kind::Para(c) | Kind::ListItem { content: c, .. }, Role::Pull) => {
                cx.report.pull_quotes.push(Item {
                    line: unit.line,
                    text: plain_text(c),
                });
                Some(Block::PullQuote {
                    content: vec![Block::Paragraph {
                        content: strip_refs(c.clone()),
                        span,
                    }],
                    span,
                })
            }
            (Kind::Quote { blocks, .. }, Role::Pull) => {
                cx.report.pull_quotes.push(Item {
                    line: unit.line,
                    text: crate::model::plain_text_blocks(blocks),
                });
                Some(Block::PullQuote {
                    content: blocks.clone(),
                    span,
                })
            }
            (Kind::Quote { blocks, .. }, _) => Some(Block::BlockQuote {
                content: blocks.clone(),
                span,
            }),
            (Kind::Para(c), _) => Some(Block::Paragraph {
                content: c.clone(),
                span,
            }),
            (Kind::Heading(l, c), _) => {
                let rank = levels.iter().position(|x| x == l).unwrap_or(0) as u8;
                // One line, notes kept (a sub-heading may carry one).
                let mut content = c.clone();
                crate::model::visit_inline_vec(&mut content, &mut |x: &mut Vec<Inline>| {
                    for i in x.iter_mut() {
                        if matches!(i, Inline::LineBreak) {
                            *i = Inline::Text(" ".into());
                        }
                    }
                });
                merge_text(&mut content);
                Some(Block::Heading {
                    level: (3 + rank).min(6),
                    id: None,
                    content,
                    span,
                })
            }
            (Kind::Block(b), _) => Some(b.clone()),
            (Kind::Note { .. }, _) | (Kind::ListItem { .. }, _) => None,
        };
        if let Some(b) = block {
            match exchanges.last_mut() {
                Some(e) => e.answer.push(b),
                None => intro.push(b),
            }
        }
    }
    flush(&mut list, &mut intro, &mut exchanges);
    // A title without text after it is refused by `import_bytes`, once the
    // clean-up has had its say (it can empty what still counts as text here).

    // Notes.
    for &(k, i) in note_of {
        let blocks = match &cx.units[i].kind {
            Kind::Note { blocks, .. } => blocks.clone(),
            Kind::ListItem { content, .. } | Kind::Para(content) => vec![Block::Paragraph {
                content: strip_refs(content.clone()),
                span: cx.units[i].span,
            }],
            _ => continue,
        };
        let blocks = strip_refs_blocks(blocks);
        let text = crate::model::plain_text_blocks(&blocks);
        if text.trim().is_empty() {
            continue;
        }
        let span = cx.units[i].span;
        match numbers.get(&k) {
            Some(&(number, ref_line)) => {
                cx.report.endnotes.push(NoteItem {
                    number,
                    line: cx.units[i].line,
                    referenced_at: ref_line,
                    text,
                });
                parts.notes.push(Note {
                    number,
                    label: k.to_string(),
                    content: blocks,
                    span,
                });
            }
            None => {
                cx.report.unsure(
                    cx.units[i].line,
                    text,
                    format!("endnote {k} is not referenced anywhere in the text; written as an unreferenced note for you to place"),
                );
                parts.orphan_notes.push(Note {
                    number: 0,
                    label: k.to_string(),
                    content: blocks,
                    span,
                });
            }
        }
    }
    parts.notes.sort_by_key(|n| n.number);
    cx.report.endnotes.sort_by_key(|n| n.number);

    // Bio.
    let bio_units: Vec<usize> = (0..n).filter(|&i| cx.role[i] == Role::Bio).collect();
    if !bio_units.is_empty() {
        let mut blocks = Vec::new();
        for &i in &bio_units {
            match &cx.units[i].kind {
                Kind::Para(c) | Kind::Heading(_, c) | Kind::ListItem { content: c, .. } => blocks
                    .push(Block::Paragraph {
                        content: strip_refs(c.clone()),
                        span: cx.units[i].span,
                    }),
                Kind::Quote { blocks: b, .. } => blocks.extend(strip_refs_blocks(b.clone())),
                Kind::Block(b) => blocks.extend(strip_refs_blocks(vec![b.clone()])),
                Kind::Note { .. } => {}
            }
        }
        let text = crate::model::plain_text_blocks(&blocks);
        cx.report.bio = Some(Item {
            line: cx.units[bio_units[0]].line,
            text: text.clone(),
        });
        if let Some(name) = bio_name(&text) {
            parts.interviewees = vec![name];
        }
        parts.bio = Some(blocks);
    }
    if parts.interviewees.is_empty()
        && let Some(s) = speaker
    {
        parts.interviewees = vec![s];
    }
    if parts.interviewees.is_empty()
        && let Some(s) = &cx.report.standfirst
        && let Some(name) = standfirst_name(s)
    {
        cx.report.unsure.push(Entry {
            line: cx
                .role
                .iter()
                .position(|&r| r == Role::Standfirst)
                .map_or(0, |i| cx.units[i].line),
            text: name.clone(),
            reason: "interviewee's name taken from the start of the standfirst".into(),
        });
        parts.interviewees = vec![name];
    }

    if exchanges.is_empty() {
        let line = cx.units[title].line;
        cx.report.unsure(
            line,
            cx.report.title.clone(),
            "no questions found: all the text is kept as the chapter's introduction",
        );
    }
    cx.report.intro_paragraphs = count_paras(&intro);
    cx.report.answer_paragraphs = exchanges.iter().map(|e| count_paras(&e.answer)).sum();
    parts.intro = intro;
    parts.exchanges = exchanges;
    Ok(())
}

fn count_paras(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .filter(|b| matches!(b, Block::Paragraph { .. }))
        .count()
}

/// Title and standfirst content: no notes, no line breaks.
fn inline_only(v: Vec<Inline>) -> Vec<Inline> {
    let mut v = strip_refs(v);
    crate::model::visit_inline_vec(&mut v, &mut |x: &mut Vec<Inline>| {
        for i in x.iter_mut() {
            if matches!(i, Inline::LineBreak) {
                *i = Inline::Text(" ".into());
            }
        }
    });
    merge_text(&mut v);
    crate::source::markdown::trim_inlines(&mut v);
    v
}

/// The content of a lone emphasis or bold covering all of `v`.
fn unwrap_whole(v: Vec<Inline>) -> Vec<Inline> {
    match v.as_slice() {
        [Inline::Emphasis(c)] | [Inline::Strong(c)] => c.clone(),
        _ => v,
    }
}

/// A question heading: one line, no notes, and no bold that only repeats
/// the heading's own weight.
fn question_inlines(v: Vec<Inline>) -> Vec<Inline> {
    let mut v = inline_only(v);
    let all_bold = v.iter().all(|x| match x {
        Inline::Strong(_) => true,
        Inline::Text(t) => t.trim().is_empty(),
        _ => false,
    });
    if all_bold && v.iter().any(|x| matches!(x, Inline::Strong(_))) {
        let mut flat = Vec::new();
        for x in v {
            match x {
                Inline::Strong(c) => flat.extend(c),
                other => flat.push(other),
            }
        }
        v = flat;
        merge_text(&mut v);
        crate::source::markdown::trim_inlines(&mut v);
    }
    v
}

fn merge_text(v: &mut Vec<Inline>) {
    let old = std::mem::take(v);
    for x in old {
        match x {
            Inline::Text(t) => crate::source::markdown::push_text(v, &t),
            x => v.push(x),
        }
    }
}

fn strip_refs(mut v: Vec<Inline>) -> Vec<Inline> {
    crate::model::visit_inline_vec(&mut v, &mut |x: &mut Vec<Inline>| {
        x.retain(|i| !matches!(i, Inline::NoteRef(_)))
    });
    crate::source::markdown::trim_inlines(&mut v);
    v
}

fn strip_refs_blocks(mut b: Vec<Block>) -> Vec<Block> {
    crate::model::visit_inlines_mut(&mut b, &mut |x: &mut Vec<Inline>| {
        x.retain(|i| !matches!(i, Inline::NoteRef(_)))
    });
    b
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
    fn bio_names() {
        assert_eq!(
            bio_name("Dr Alikhan Baimenov is Chairman of the Hub."),
            Some("Alikhan Baimenov".into())
        );
        assert_eq!(
            bio_name(
                "Aigerim van der Berg, a hydrologist at the institute, has written two books."
            ),
            Some("Aigerim van der Berg".into())
        );
        assert_eq!(
            bio_name("However, pride in our past should not lead to isolation."),
            None
        );
        assert_eq!(bio_name("The Soviet regime did not allow it."), None);
        assert_eq!(
            standfirst_name("Alikhan Baimenov, the Central Asian republic’s reformer"),
            Some("Alikhan Baimenov".into())
        );
    }
}
