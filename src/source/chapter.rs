//! One chapter file → a [`Chapter`]: front matter, body, notes, bio.

use super::frontmatter::{self, FrontMatter};
use super::markdown::{ImageResolver, Item, Notes, Reader, SpanMode};
use super::pullquote;
use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{Bio, Block, Chapter, Exchange, FileId, Inline, Lang, Note, Question, Span};
use std::path::PathBuf;

pub struct ChapterInput<'a> {
    pub sources: &'a SourceMap,
    pub file: FileId,
    /// Path relative to the book folder.
    pub rel_path: PathBuf,
    pub id: String,
    pub book_lang: &'a Lang,
    pub images: &'a dyn ImageResolver,
}

/// Reads one chapter. Returns `None` when errors make it unusable; every
/// problem is pushed to `diags` either way.
pub fn read(input: &ChapterInput<'_>, diags: &mut Diagnostics) -> Option<Chapter> {
    let sources = input.sources;
    let file = input.file;
    let text = &sources.file(file).text;
    let whole = Span::new(file, 0..text.len().min(1));

    let (front, body_start) = match frontmatter::split(sources, file, diags) {
        None => {
            diags.push(
                Diagnostic::error("front-matter-missing", "the chapter has no front matter")
                    .at(sources, whole)
                    .help("start the file with a front matter block:\n---\ntitle: The chapter's title\ninterviewee: Name\n---"),
            );
            return None;
        }
        Some(Err(())) => return None,
        Some(Ok(split)) => {
            let fm = frontmatter::parse(sources, file, split.yaml, diags)?;
            (fm, split.body_start)
        }
    };

    let lang = match &front.lang {
        None => input.book_lang.clone(),
        Some((l, span)) => Lang::parse(l).unwrap_or_else(|| {
            diags.push(
                Diagnostic::error("bad-language", format!("`{l}` is not a language tag"))
                    .at(sources, *span)
                    .help("use a BCP 47 tag such as en, ru, kk"),
            );
            input.book_lang.clone()
        }),
    };

    let body = &text[body_start..];
    let errors_before = diags.error_count();
    let mut reader = Reader::new(
        sources,
        file,
        body,
        SpanMode::Offset(body_start),
        input.images,
        diags,
    );
    let items = reader.read_items();
    let notes_raw = std::mem::take(&mut reader.notes);
    drop(reader);

    let body_span = Span::new(file, body_start..text.len());
    // Empty means nothing was written, not that everything written failed
    // (a lone broken image has its own error).
    if items.is_empty() && diags.error_count() == errors_before {
        diags.push(
            Diagnostic::error("empty-chapter", "the chapter has no text after its front matter")
                .at(sources, Span::new(file, body_start.saturating_sub(4)..body_start))
                .help("write the interview below the closing ---: questions as `## …` headings, answers as paragraphs"),
        );
        return None;
    }
    if items.is_empty() {
        return None;
    }

    // Group items: a `#` title, the intro, then question + answer pairs.
    let mut heading_title = None;
    let mut intro = Vec::new();
    let mut exchanges: Vec<Exchange> = Vec::new();
    for item in items {
        match item {
            Item::Title(content, span) => {
                if heading_title.is_some() || front.title.is_some() {
                    diags.push(
                        Diagnostic::error("two-titles", "the chapter has more than one title")
                            .at(sources, span)
                            .help("a chapter has one title: in the front matter (`title:`) or as one `#` heading; make this one `##` (a question) or `###` (a sub-heading)"),
                    );
                } else if !intro.is_empty() || !exchanges.is_empty() {
                    diags.push(
                        Diagnostic::error(
                            "title-not-first",
                            "a `#` title must come before the chapter's text",
                        )
                        .at(sources, span)
                        .help(
                            "move the `#` heading to the top, or put the title in the front matter",
                        ),
                    );
                } else {
                    heading_title = Some(content);
                }
            }
            Item::Question { id, content, span } => {
                let n = exchanges.len() + 1;
                exchanges.push(Exchange {
                    question: Question {
                        id: id.unwrap_or_else(|| format!("q{n}")),
                        content,
                        span,
                    },
                    answer: Vec::new(),
                });
            }
            Item::Block(b) => match exchanges.last_mut() {
                Some(e) => e.answer.push(b),
                None => intro.push(b),
            },
        }
    }
    for e in &exchanges {
        headline_has_text(
            &e.question.content,
            "question",
            e.question.span,
            sources,
            diags,
        );
        if e.answer.is_empty() {
            diags.push(
                Diagnostic::warning("empty-answer", "this question has no answer")
                    .at(sources, e.question.span)
                    .help(
                        "write the answer as paragraphs below the question, or remove the question",
                    ),
            );
        }
    }

    let title = match (front.title.as_ref(), heading_title) {
        (Some((t, span)), _) => inline_markdown(t, *span, input, diags),
        (None, Some(t)) => t,
        (None, None) => {
            diags.push(
                Diagnostic::error("missing-title", "the chapter has no title")
                    .at(sources, Span::new(file, 0..3))
                    .help("add `title: …` to the front matter"),
            );
            return None;
        }
    };
    for b in intro
        .iter()
        .chain(exchanges.iter().flat_map(|e| e.answer.iter()))
    {
        if let Block::Heading { content, span, .. } = b {
            headline_has_text(content, "heading", *span, sources, diags);
        }
    }
    // A title of only a note reference has no words for the contents.
    if crate::model::plain_text(&title).trim().is_empty() {
        diags.push(
            Diagnostic::error("missing-title", "the chapter's title is empty")
                .at(sources, front.title.as_ref().map_or(whole, |t| t.1))
                .help("give the chapter a title"),
        );
        return None;
    }

    let standfirst = front
        .standfirst
        .as_ref()
        .map(|(t, span)| inline_markdown(t, *span, input, diags))
        .filter(|s| !s.is_empty());

    let mut chapter = Chapter {
        file: input.rel_path.clone(),
        id: input.id.clone(),
        title,
        standfirst,
        running_head: front
            .running_head
            .as_ref()
            .map(|(t, _)| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty()),
        interviewees: front.interviewees.clone(),
        interviewer: front.interviewer.clone(),
        date: front.date.as_ref().map(|d| d.0.clone()),
        lang: lang.clone(),
        intro,
        exchanges,
        notes: Vec::new(),
        bio: None,
        span: body_span,
    };

    number_notes(&mut chapter, notes_raw, sources, diags);
    pullquote::classify(&mut chapter);
    chapter.bio = bio(&front, input, diags);
    Some(chapter)
}

/// A question or heading must say something: one made of nothing but a
/// note reference (`## [^1]`) or spaces has no text to show in the contents,
/// to read aloud or to tag (PDF/UA refuses an empty heading).
fn headline_has_text(
    content: &[Inline],
    what: &str,
    span: Span,
    sources: &SourceMap,
    diags: &mut Diagnostics,
) {
    if !crate::model::plain_text(content).trim().is_empty() {
        return;
    }
    let only_note = content.iter().any(|i| matches!(i, Inline::NoteRef(_)));
    diags.push(
        Diagnostic::error(
            "heading-no-text",
            if only_note {
                format!("this {what} has no text, only a note reference")
            } else {
                format!("this {what} has no text")
            },
        )
        .at(sources, span)
        .help(format!(
            "write the {what}'s words{}, or remove it",
            if only_note {
                " before the note reference (`## What changed?[^1]`)"
            } else {
                ""
            }
        )),
    );
}

/// Parses a short front matter value (title, standfirst) as Markdown inlines.
fn inline_markdown(
    text: &str,
    span: Span,
    input: &ChapterInput<'_>,
    diags: &mut Diagnostics,
) -> Vec<Inline> {
    let mut reader = Reader::new(
        input.sources,
        input.file,
        text,
        SpanMode::Fixed(span),
        input.images,
        diags,
    );
    let blocks = reader.read_blocks();
    let had_notes = !reader.notes.refs.is_empty();
    drop(reader);
    if had_notes {
        diags.push(
            Diagnostic::warning(
                "note-misplaced",
                "note references in the title or standfirst are ignored",
            )
            .at(input.sources, span)
            .help("put the note reference in the chapter's text"),
        );
    }
    let mut out = Vec::new();
    for b in blocks {
        if let Block::Paragraph { content, .. } | Block::Heading { content, .. } = b {
            if !out.is_empty() {
                out.push(Inline::Text(" ".into()));
            }
            out.extend(
                content
                    .into_iter()
                    .filter(|i| !matches!(i, Inline::NoteRef(_))),
            );
        }
    }
    out
}

fn bio(front: &FrontMatter, input: &ChapterInput<'_>, diags: &mut Diagnostics) -> Option<Bio> {
    let sources = input.sources;
    let portrait = front.portrait.as_ref().and_then(|(src, span)| {
        let alt = front.portrait_alt.as_deref().unwrap_or("").trim();
        if alt.is_empty() {
            diags.push(
                Diagnostic::error("image-no-alt", "the portrait has no `portrait-alt` text")
                    .at(sources, *span)
                    .help("describe the portrait for readers who cannot see it: portrait-alt: Alikhan Baimenov speaking at a conference"),
            );
            return None;
        }
        input.images.resolve(src, alt, *span, diags)
    });
    let (text, span) = match &front.bio {
        Some(b) => b,
        None => {
            if let Some((_, span)) = &front.portrait {
                diags.push(
                    Diagnostic::warning("portrait-without-bio", "a portrait is given but no bio")
                        .at(sources, *span)
                        .help("add `bio: |` with a few lines about the interviewee"),
                );
            }
            return None;
        }
    };
    let mut reader = Reader::new(
        sources,
        input.file,
        text,
        SpanMode::Fixed(*span),
        input.images,
        diags,
    );
    let content = reader.read_blocks();
    let had_notes = !reader.notes.refs.is_empty();
    drop(reader);
    if had_notes {
        diags.push(
            Diagnostic::warning("note-misplaced", "note references in the bio are ignored")
                .at(sources, *span)
                .help("endnotes belong to the chapter's text"),
        );
    }
    if content.is_empty() {
        diags.push(
            Diagnostic::warning("empty-bio", "the bio is empty")
                .at(sources, *span)
                .help("write a few lines about the interviewee, or remove `bio:`"),
        );
        return None;
    }
    if front.interviewees.is_empty() {
        diags.push(
            Diagnostic::warning(
                "bio-without-name",
                "the bio has no interviewee to name it after",
            )
            .at(sources, *span)
            .help("add `interviewee: Name` to the front matter"),
        );
    }
    Some(Bio {
        name: front.interviewees.join(", "),
        content: strip_note_refs(content),
        portrait,
        portrait_span: front.portrait.as_ref().map(|(_, span)| *span),
    })
}

fn strip_note_refs(blocks: Vec<Block>) -> Vec<Block> {
    let mut blocks = blocks;
    crate::model::visit_inlines_mut(&mut blocks, &mut |v: &mut Vec<Inline>| {
        v.retain(|i| !matches!(i, Inline::NoteRef(_)));
    });
    blocks
}

/// Numbers notes 1..n by first reference and rewrites references from
/// parser slots to numbers. Linear in the number of references.
fn number_notes(chapter: &mut Chapter, raw: Notes, sources: &SourceMap, diags: &mut Diagnostics) {
    const UNNUMBERED: u32 = 0;
    let mut number_of_slot = vec![UNNUMBERED; raw.labels.len()];
    let mut next = 1u32;
    for &(slot, span) in &raw.refs {
        let s = slot as usize;
        if number_of_slot[s] != UNNUMBERED {
            continue;
        }
        if raw.defs[s].is_none() {
            diags.push(
                Diagnostic::error(
                    "note-undefined",
                    format!(
                        "note `[^{}]` is referenced but never defined",
                        raw.labels[s]
                    ),
                )
                .at(sources, span)
                .help(format!(
                    "add a definition on its own line: [^{}]: The note's text.",
                    raw.labels[s]
                )),
            );
            number_of_slot[s] = u32::MAX;
            continue;
        }
        number_of_slot[s] = next;
        next += 1;
    }

    let mut notes: Vec<Note> = Vec::with_capacity(next as usize - 1);
    for (s, def) in raw.defs.into_iter().enumerate() {
        let Some((content, span)) = def else { continue };
        match number_of_slot[s] {
            UNNUMBERED => diags.push(
                Diagnostic::warning(
                    "note-unused",
                    format!(
                        "note `[^{}]` is defined but never referenced",
                        raw.labels[s]
                    ),
                )
                .at(sources, span)
                .help(format!(
                    "refer to it in the text with [^{}], or remove the definition",
                    raw.labels[s]
                )),
            ),
            number => notes.push(Note {
                number,
                label: raw.labels[s].clone(),
                content,
                span,
            }),
        }
    }
    notes.sort_by_key(|n| n.number);

    let renumber = |v: &mut Vec<Inline>| {
        v.retain_mut(|i| match i {
            Inline::NoteRef(slot) => match number_of_slot.get(*slot as usize) {
                Some(&n) if n != UNNUMBERED && n != u32::MAX => {
                    *slot = n;
                    true
                }
                _ => false,
            },
            _ => true,
        });
    };
    let mut renumber = renumber;
    crate::model::visit_inlines_mut(&mut chapter.intro, &mut renumber);
    for e in &mut chapter.exchanges {
        crate::model::visit_inlines_mut(&mut e.answer, &mut renumber);
    }
    chapter.notes = notes;
}
