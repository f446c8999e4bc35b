//! The chapter's parts from the roles: title and standfirst, the
//! introduction, the exchanges (each question with its answer), pull
//! quotes, the notes numbered by first reference, and the bio.

use super::{Ctx, Nothing, Parts, Role};
use crate::import::report::{Item, NoteItem};
use crate::import::unit::Kind;
use crate::model::{Block, Exchange, Inline, ListItem, Note, Question, Span, plain_text};

pub fn run(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    let mut parts = std::mem::take(&mut cx.parts);
    let r = build(cx, &mut parts);
    cx.parts = parts;
    r
}

fn build(cx: &mut Ctx<'_>, parts: &mut Parts) -> Result<(), Nothing> {
    let title = cx.title;
    let note_of = cx.note_of.clone();
    let numbers = std::mem::take(&mut cx.numbers);
    let n = cx.units.len();
    parts.title = inline_only(cx.units[title].inlines().cloned().unwrap_or_default());
    parts.title_span = cx.units[title].span;
    cx.report.title = plain_text(&parts.title);
    if cx.report.title.trim().is_empty() {
        return Err(Nothing::EmptyTitle);
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
    for &(k, i) in &note_of {
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
        parts.bio = Some(blocks);
    }
    parts.intro = intro;
    parts.exchanges = exchanges;
    cx.numbers = numbers;
    Ok(())
}

/// The last word: a chapter without questions is said to be one, and the
/// paragraphs are counted.
pub fn summary(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    if cx.parts.exchanges.is_empty() {
        let line = cx.units[cx.title].line;
        cx.report.unsure(
            line,
            cx.report.title.clone(),
            "no questions found (not an interview?): all the text is kept as the chapter's text, with no questions made up",
        );
    }
    cx.report.intro_paragraphs = count_paras(&cx.parts.intro);
    cx.report.answer_paragraphs = cx
        .parts
        .exchanges
        .iter()
        .map(|e| count_paras(&e.answer))
        .sum();
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
