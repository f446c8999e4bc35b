//! Block content: paragraphs, questions, quotes, pull quotes, lists,
//! tables and figures, with the page markers that fall between them.

use super::context::{Cx, Mode, numbers};
use super::doc::{Doc, anchor};
use super::front::img_element;
use super::inline::{end_marks, inlines, marked_inlines, marked_text, start_marks};
use crate::epub::fonts::Style;
use crate::model::{Align, Block};

pub(super) fn blocks(d: &mut Doc, bs: &[Block], cx: &mut Cx, mode: Mode) {
    blocks_from(d, bs, 0, cx, mode);
}

/// Blocks that are `bs[first..]` of their sequence (for the block paths of
/// the page markers).
pub(super) fn blocks_from(d: &mut Doc, bs: &[Block], first: usize, cx: &mut Cx, mode: Mode) {
    for (k, b) in bs.iter().enumerate() {
        cx.path.push(first + k);
        block(d, b, cx, mode);
        cx.path.pop();
    }
}

pub(super) fn block(d: &mut Doc, b: &Block, cx: &mut Cx, mode: Mode) {
    match b {
        Block::Paragraph { content, .. } => {
            let ms = cx.take_block();
            d.start("p", &[]);
            marked_inlines(d, content, cx, mode, ms);
            d.end("p");
            d.nl();
        }
        Block::Heading {
            level, id, content, ..
        } => {
            // Never skip a level: h1 title, h2 questions, then one deeper at most.
            let level = (*level).clamp(2, 6).min(d.last_heading + 1).max(2);
            d.last_heading = level;
            let ms = cx.take_block();
            d.page_breaks(&numbers(&ms));
            let name = ["h2", "h3", "h4", "h5", "h6"][usize::from(level - 2)];
            let id = match (mode, id) {
                (Mode::Normal, Some(id)) => Some(d.claim(id)),
                _ => None,
            };
            d.styled(Style::DISPLAY_BOLD, |d| {
                let class = "subhead";
                match &id {
                    Some(id) => d.start(name, &[("id", id), ("class", class)]),
                    None => d.start(name, &[("class", class)]),
                }
                inlines(d, content, cx, mode);
                d.end(name);
            });
            d.nl();
        }
        Block::BlockQuote { content, .. } => {
            d.start("blockquote", &[]);
            d.nl();
            blocks(d, content, cx, mode);
            d.end("blockquote");
            d.nl();
        }
        Block::PullQuote { content, .. } => {
            // Not inside: the pull quote is hidden from assistive technology.
            let ms = cx.take_within();
            d.page_breaks(&numbers(&ms));
            d.start(
                "aside",
                &[
                    ("class", "pullquote"),
                    ("epub:type", "pullquote"),
                    ("role", "doc-pullquote"),
                    ("aria-hidden", "true"),
                ],
            );
            d.nl();
            d.styled(Style::BODY.italic(true), |d| {
                blocks(d, content, cx, Mode::Presentational)
            });
            d.end("aside");
            d.nl();
        }
        Block::List { start, items, .. } => {
            let name = if start.is_some() { "ol" } else { "ul" };
            match start {
                Some(s) if *s != 1 => d.start(name, &[("start", &s.to_string())]),
                _ => d.start(name, &[]),
            }
            d.nl();
            for (k, item) in items.iter().enumerate() {
                d.start("li", &[]);
                cx.path.push(k);
                // A tight item (one paragraph) is set without a paragraph.
                match item.blocks.as_slice() {
                    [Block::Paragraph { content, .. }] => {
                        cx.path.push(0);
                        let ms = cx.take_block();
                        marked_inlines(d, content, cx, mode, ms);
                        cx.path.pop();
                    }
                    [Block::Paragraph { content, .. }, rest @ ..]
                        if rest.iter().all(|b| matches!(b, Block::List { .. })) =>
                    {
                        cx.path.push(0);
                        let ms = cx.take_block();
                        marked_inlines(d, content, cx, mode, ms);
                        cx.path.pop();
                        blocks_from(d, rest, 1, cx, mode);
                    }
                    all => blocks(d, all, cx, mode),
                }
                cx.path.pop();
                d.end("li");
                d.nl();
            }
            d.end(name);
            d.nl();
        }
        Block::Figure { image, caption, .. } => {
            let ms = cx.take_block();
            d.page_breaks(&numbers(&ms));
            let Some(img) = cx.plan.image(&image.path) else {
                return;
            };
            d.start("figure", &[("class", "figure")]);
            d.nl();
            img_element(d, img, &image.alt);
            d.nl();
            if !caption.is_empty() {
                d.styled(Style::DISPLAY, |d| {
                    d.start("figcaption", &[]);
                    inlines(d, caption, cx, mode);
                    d.end("figcaption");
                });
                d.nl();
            }
            d.end("figure");
            d.nl();
        }
        Block::SectionBreak { .. } => {
            // The dinkus is kept with what follows it: a page that starts
            // with the next block starts with the dinkus.
            let ms = cx.take_start_of_next();
            d.page_breaks(&numbers(&ms));
            d.empty("hr", &[("class", "dinkus")]);
            d.nl();
        }
        Block::CodeBlock { text, lang, .. } => {
            let class = lang
                .as_deref()
                .map(|l| format!("language-{}", anchor(l)))
                .unwrap_or_default();
            d.start("pre", &[("class", "code")]);
            if class.is_empty() {
                d.start("code", &[]);
            } else {
                d.start("code", &[("class", &class)]);
            }
            let ms = cx.take_block();
            let shown = text.strip_suffix('\n').unwrap_or(text);
            d.styled(Style::BODY.mono(), |d| {
                if ms.is_empty() {
                    d.text(shown);
                } else {
                    // Pages start at line starts: no word or link to avoid.
                    start_marks(cx, ms.iter().map(|m| (m.offset, m.number)).collect());
                    marked_text(d, shown, cx);
                    end_marks(d, cx);
                }
            });
            d.end("code");
            d.end("pre");
            d.nl();
        }
        Block::Table {
            align, head, rows, ..
        } => {
            let ms = cx.take_block();
            d.page_breaks(&numbers(&ms));
            let class = |i: usize| match align.get(i).copied().unwrap_or(Align::None) {
                Align::None => None,
                Align::Left => Some("left"),
                Align::Center => Some("center"),
                Align::Right => Some("right"),
            };
            d.start("table", &[]);
            d.nl();
            if !head.is_empty() {
                d.start("thead", &[]);
                d.start("tr", &[]);
                for (i, cell) in head.iter().enumerate() {
                    match class(i) {
                        Some(c) => d.start("th", &[("scope", "col"), ("class", c)]),
                        None => d.start("th", &[("scope", "col")]),
                    }
                    d.styled(Style::BODY.bold(), |d| inlines(d, cell, cx, mode));
                    d.end("th");
                }
                d.end("tr");
                d.end("thead");
                d.nl();
            }
            d.start("tbody", &[]);
            d.nl();
            for row in rows {
                d.start("tr", &[]);
                for (i, cell) in row.iter().enumerate() {
                    match class(i) {
                        Some(c) => d.start("td", &[("class", c)]),
                        None => d.start("td", &[]),
                    }
                    inlines(d, cell, cx, mode);
                    d.end("td");
                }
                d.end("tr");
                d.nl();
            }
            d.end("tbody");
            d.end("table");
            d.nl();
        }
    }
}
