//! Pull quotes: block quotes that repeat a passage of their own chapter.
//!
//! The source format marks them implicitly (the quote's text occurs verbatim
//! in the chapter) or explicitly (`[!pull]`; `[!quote]` forces an ordinary
//! quotation). Matching ignores case, white space and quote/dash styles, since
//! a pull quote often starts a sentence that runs mid-sentence in the text.
//! The chapter text is normalised once and each quote searched once with a
//! linear substring search, so the cost is linear in the chapter's length.

use crate::model::{Block, Chapter, Inline, plain_text_blocks};

/// Shorter quotes are not taken for repetitions: a three-word phrase may
/// recur by chance.
const MIN_PULL_CHARS: usize = 24;

enum Marker {
    Pull,
    Quote,
    None,
}

pub fn classify(chapter: &mut Chapter) {
    let haystack = chapter_haystack(chapter);
    let visit = |blocks: &mut Vec<Block>| {
        for b in blocks.iter_mut() {
            let Block::BlockQuote { content, span } = b else {
                continue;
            };
            let is_pull = match take_marker(content) {
                Marker::Pull => true,
                Marker::Quote => false,
                Marker::None => repeats(&haystack, content),
            };
            if is_pull {
                *b = Block::PullQuote {
                    content: std::mem::take(content),
                    span: *span,
                };
            }
        }
    };
    visit(&mut chapter.intro);
    for e in &mut chapter.exchanges {
        visit(&mut e.answer);
    }
}

/// The chapter's running text (quotes left out), normalised for [`repeats`].
pub fn chapter_haystack(chapter: &Chapter) -> String {
    let mut haystack = String::new();
    for b in chapter.body_blocks() {
        if !matches!(b, Block::BlockQuote { .. } | Block::PullQuote { .. }) {
            normalise_into(&plain_text_blocks(std::slice::from_ref(b)), &mut haystack);
            haystack.push(' ');
        }
    }
    haystack
}

/// Whether a quote's `content` repeats a passage of the text in `haystack`
/// (from [`chapter_haystack`]) closely enough to be taken for a pull quote.
pub fn repeats(haystack: &str, content: &[Block]) -> bool {
    let mut needle = String::new();
    normalise_into(&plain_text_blocks(content), &mut needle);
    // The repeated passage may end differently in the text ("below." as a
    // quote, "below:" mid-sentence).
    let needle =
        needle.trim_matches(|c: char| c == ' ' || c == '"' || c == '\'' || ".,;:!?…".contains(c));
    needle.chars().count() >= MIN_PULL_CHARS && haystack.contains(needle)
}

/// Removes a leading `[!pull]` or `[!quote]` from the quote's first paragraph.
fn take_marker(content: &mut [Block]) -> Marker {
    let Some(Block::Paragraph { content: inl, .. }) = content.first_mut() else {
        return Marker::None;
    };
    let Some(Inline::Text(t)) = inl.first_mut() else {
        return Marker::None;
    };
    let lower = t.trim_start().to_ascii_lowercase();
    let (marker, len) = if lower.starts_with("[!pull]") {
        (Marker::Pull, 7)
    } else if lower.starts_with("[!quote]") {
        (Marker::Quote, 8)
    } else {
        return Marker::None;
    };
    let lead = t.len() - t.trim_start().len();
    *t = t[lead + len..].trim_start().to_string();
    if t.is_empty() {
        inl.remove(0);
    }
    marker
}

/// Lower-cases, folds typographic variants and collapses white space.
pub(crate) fn normalise_into(text: &str, out: &mut String) {
    let mut space = out.ends_with(' ') || out.is_empty();
    for c in text.chars() {
        let c = match c {
            '‘' | '’' | 'ʼ' | '`' => '\'',
            '“' | '”' | '«' | '»' | '„' => '"',
            '–' | '—' | '‐' | '‑' => '-',
            '\u{a0}' | '\u{202f}' => ' ',
            c => c,
        };
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
        } else if c.is_ascii() {
            // Most of a text is ASCII: no Unicode tables for it.
            out.push(c.to_ascii_lowercase());
            space = false;
        } else {
            out.extend(c.to_lowercase());
            space = false;
        }
    }
}
