use super::{Block, Inline};

/// Calls `f` on every inline sequence inside `blocks`, innermost first
/// (content of emphasis, links … before the sequence holding them).
pub fn visit_inlines_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    for b in blocks {
        match b {
            Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
                visit_inline_vec(content, f)
            }
            Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                visit_inlines_mut(content, f)
            }
            Block::List { items, .. } => {
                for item in items {
                    visit_inlines_mut(&mut item.blocks, f);
                }
            }
            Block::Figure { caption, .. } => visit_inline_vec(caption, f),
            Block::Table { head, rows, .. } => {
                for cell in head.iter_mut().chain(rows.iter_mut().flatten()) {
                    visit_inline_vec(cell, f);
                }
            }
            Block::SectionBreak { .. } | Block::CodeBlock { .. } => {}
        }
    }
}

/// Calls `f` on `v` and on every nested inline sequence in it.
pub fn visit_inline_vec(v: &mut Vec<Inline>, f: &mut dyn FnMut(&mut Vec<Inline>)) {
    for i in v.iter_mut() {
        match i {
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Link { content: c, .. }
            | Inline::Foreign { content: c, .. } => visit_inline_vec(c, f),
            Inline::Text(_) | Inline::LineBreak | Inline::Code(_) | Inline::NoteRef(_) => {}
        }
    }
    f(v);
}
