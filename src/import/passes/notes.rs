//! The endnotes: the notes list (an HTML notes list, or a list after an
//! "Endnotes" line), then the markers in the text (`[1]`, `[ 1]`, `¹`,
//! `<sup>`, glued digits; see [`crate::import::notes`]), numbered by first
//! reference.

use super::{Ctx, Nothing, Role};
use crate::import::junk;
use crate::import::notes as note_markers;
use crate::import::unit::{Kind, Unit};
use crate::model::Inline;
use std::collections::HashMap;

/// The notes list.
pub fn list(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    cx.notes = notes_section(cx);
    Ok(())
}

/// The markers in the text, and the notes numbered by first reference.
pub fn markers(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    // The notes: list index (1-based) → unit.
    let note_units: Vec<usize> = cx.notes.clone().map(|(_, v)| v).unwrap_or_default();
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
    cx.numbers = number_notes(cx, &note_of);
    cx.note_of = note_of;
    Ok(())
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
/// Numbers notes by first reference. Text markers are found first when the
/// notes came from a text notes list. Returns, per list index, the number
/// and the line of the first reference.
fn number_notes(cx: &mut Ctx<'_>, note_of: &[(u32, usize)]) -> HashMap<u32, (u32, u32)> {
    let n = cx.units.len();
    let body = |r: Role| matches!(r, Role::Body | Role::Question | Role::QuestionMore);
    let any_ref = (0..n).any(|i| body(cx.role[i]) && unit_refs(&cx.units[i]).next().is_some());
    if !note_of.is_empty() {
        let max = note_of.iter().map(|(k, _)| *k).max().unwrap_or(0);
        let mut scan = note_markers::Scan::new(max);
        // When some markers are links, those written `[1]` or `¹` in the
        // text are markers too (never glued digits: those need the
        // sequence).
        if any_ref {
            scan.expected = u32::MAX;
        }
        for i in 0..n {
            if cx.role[i] != Role::Body
                || (any_ref
                    && !cx.texts[i]
                        .chars()
                        .any(|c| c == '[' || note_markers::superscript_digit(c).is_some()))
            {
                continue;
            }
            let before = scan.doubtful.len();
            if let Some(v) = cx.units[i].inlines_mut() {
                note_markers::mark(v, &mut scan);
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
                let mut scan = note_markers::Scan::new(0);
                let mut v = vec![Inline::Text(cx.texts[i].clone())];
                note_markers::mark(&mut v, &mut scan);
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

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::import::unit::{Kind, PageMeta, Unit};
    use crate::model::{FileId, Inline, Span};

    fn item(n: u64, t: &str) -> Unit {
        Unit::new(
            0,
            Span::new(FileId(0), 0..0),
            Kind::ListItem {
                ordered: true,
                number: Some(n),
                content: vec![Inline::Text(t.into())],
            },
        )
    }

    fn refs(parts: &crate::import::passes::Parts) -> usize {
        let mut n = 0;
        for e in &parts.exchanges {
            let mut b = e.answer.clone();
            crate::model::visit_inlines_mut(&mut b, &mut |v: &mut Vec<Inline>| {
                n += v.iter().filter(|x| matches!(x, Inline::NoteRef(_))).count()
            });
        }
        n
    }

    #[test]
    fn a_bracketed_marker_after_a_space() {
        let (parts, report) = page(
            vec![
                para("Water for the valley"),
                para("Q: Who keeps the register?"),
                para("A: The district keeps a register [1] with every family in it."),
                para("Q: And the wells?"),
                para("A: They are listed too.[2]"),
                para("Notes"),
                item(1, "The register of 2019."),
                item(2, "The wells survey."),
            ],
            &PageMeta::default(),
            false,
        );
        assert_eq!(parts.notes.len(), 2, "{:?}", report.unsure);
        assert_eq!(refs(&parts), 2);
    }

    fn note(key: u32, t: &str) -> Unit {
        Unit::new(
            0,
            Span::new(FileId(0), 0..0),
            Kind::Note {
                key,
                blocks: vec![crate::model::Block::Paragraph {
                    content: vec![Inline::Text(t.into())],
                    span: Span::new(FileId(0), 0..0),
                }],
            },
        )
    }

    #[test]
    fn written_markers_beside_linked_ones() {
        // One marker is a link to the notes list, the other written `[1]`.
        let mut linked = para("They are listed too");
        if let Some(v) = linked.inlines_mut() {
            v.push(Inline::NoteRef(2));
            v.push(Inline::Text(" in the survey.".into()));
        }
        let (parts, report) = page(
            vec![
                h1("Water for the valley"),
                bold("Who keeps the register?"),
                para("The district keeps a register [1] with every family in it."),
                bold("And the wells?"),
                linked,
                note(0, "The register of 2019."),
                note(1, "The wells survey."),
            ],
            &PageMeta::default(),
            true,
        );
        assert_eq!(refs(&parts), 2, "{:?}", report.unsure);
        assert_eq!(parts.notes.len(), 2);
        assert!(parts.orphan_notes.is_empty());
        assert_eq!(parts.notes[0].content.len(), 1);
        assert_eq!(report.endnotes[0].text, "The register of 2019.");
    }
}
