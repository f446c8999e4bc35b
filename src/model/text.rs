use super::{Block, Inline};

/// The text of inlines as a reader would hear it: note references become
/// nothing, line breaks a space. Used for pull-quote matching, titles in
/// metadata and text comparisons.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::LineBreak => out.push(' '),
            Inline::NoteRef(_) => {}
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Link { content: c, .. }
            | Inline::Foreign { content: c, .. } => push_plain(c, out),
        }
    }
}

/// The plain text of blocks, paragraphs separated by a blank line.
pub fn plain_text_blocks(blocks: &[Block]) -> String {
    let mut out = String::new();
    push_blocks(blocks, &mut out);
    out
}

fn push_blocks(blocks: &[Block], out: &mut String) {
    for block in blocks {
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str("\n\n");
        }
        match block {
            Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
                push_plain(content, out)
            }
            Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                push_blocks(content, out)
            }
            Block::List { items, .. } => {
                for item in items {
                    push_blocks(&item.blocks, out);
                }
            }
            Block::Figure { caption, .. } => push_plain(caption, out),
            Block::SectionBreak { .. } => {}
            Block::CodeBlock { text, .. } => out.push_str(text),
            Block::Table { head, rows, .. } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    push_plain(cell, out);
                    out.push(' ');
                }
            }
        }
    }
}

/// Unicode's noncharacters: U+FDD0 to U+FDEF and the last two code points
/// of every plane (U+FFFE, U+FFFF, U+1FFFE, …).
pub fn is_noncharacter(c: char) -> bool {
    ('\u{fdd0}'..='\u{fdef}').contains(&c) || (c as u32) & 0xfffe == 0xfffe
}

/// Whether a text value would be empty once written: nothing but spaces,
/// control characters and the characters XML forbids (which the writers
/// drop). The reader refuses such metadata; the writers leave it out.
pub fn is_blank(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_whitespace() || c.is_control() || is_noncharacter(c))
}
