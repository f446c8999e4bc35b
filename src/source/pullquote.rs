//! Pull quotes: block quotes that repeat a passage of their own chapter.
//!
//! The source format marks them implicitly (the quote's text occurs verbatim
//! in the chapter) or explicitly (`[!pull]`; `[!quote]` forces an ordinary
//! quotation). Matching ignores case, white space and quote/dash styles, since
//! a pull quote often starts a sentence that runs mid-sentence in the text.
//!
//! Cost: the chapter text is normalised once, and all of a chapter's quotes
//! are searched for together in one pass over it (an Aho-Corasick automaton
//! of the quotes), so the time grows with the chapter's length plus the
//! quotes' length, not with their product as one search per quote would.

use std::collections::HashSet;

use aho_corasick::AhoCorasick;

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
    let mut blocks: Vec<&mut Block> = Vec::new();
    // The repetition test needs the text around the quotes, so it is made
    // before the quotes are changed (on a read-only pass), then applied.
    let repeats = Repeats::of_chapter(chapter);
    blocks.extend(chapter.intro.iter_mut());
    for e in &mut chapter.exchanges {
        blocks.extend(e.answer.iter_mut());
    }
    for b in blocks {
        let Block::BlockQuote { content, span } = b else {
            continue;
        };
        let is_pull = match take_marker(content) {
            Marker::Pull => true,
            Marker::Quote => false,
            Marker::None => repeats.repeats(content),
        };
        if is_pull {
            *b = Block::PullQuote {
                content: std::mem::take(content),
                span: *span,
            };
        }
    }
}

/// Which of a chapter's quotes repeat a passage of its running text.
pub struct Repeats {
    /// The chapter's running text (quotes left out), normalised.
    haystack: String,
    /// The chapter's quotes (as [`needle`] makes them) found in `haystack`.
    found: HashSet<String>,
    /// Every quote that was searched for, found or not.
    searched: HashSet<String>,
}

impl Repeats {
    /// Searches the text of `chapter` for all its top-level quotes at once.
    pub fn of_chapter(chapter: &Chapter) -> Self {
        let haystack = chapter_haystack(chapter);
        let searched: HashSet<String> = chapter
            .body_blocks()
            .filter_map(|b| match b {
                Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                    needle(content)
                }
                _ => None,
            })
            .collect();
        let patterns: Vec<&str> = searched.iter().map(String::as_str).collect();
        let mut found = HashSet::new();
        // The automaton is linear in the patterns' total length; building it
        // fails only past its internal size limits, and then each quote is
        // looked up on its own (slower, same answers).
        match AhoCorasick::new(&patterns) {
            Ok(ac) => {
                for m in ac.find_overlapping_iter(&haystack) {
                    found.insert(patterns[m.pattern().as_usize()].to_string());
                }
            }
            Err(_) => {
                for p in &patterns {
                    if haystack.contains(p) {
                        found.insert(p.to_string());
                    }
                }
            }
        }
        Repeats {
            haystack,
            found,
            searched,
        }
    }

    /// Whether a quote's `content` repeats a passage of the chapter's text
    /// closely enough to be taken for a pull quote.
    pub fn repeats(&self, content: &[Block]) -> bool {
        let Some(n) = needle(content) else {
            return false;
        };
        if self.searched.contains(&n) {
            self.found.contains(&n)
        } else {
            // A quote nested deeper than the chapter's top level.
            self.haystack.contains(&n)
        }
    }
}

/// The chapter's running text (quotes left out), normalised for [`needle`].
fn chapter_haystack(chapter: &Chapter) -> String {
    let mut haystack = String::new();
    for b in chapter.body_blocks() {
        if !matches!(b, Block::BlockQuote { .. } | Block::PullQuote { .. }) {
            normalise_into(&plain_text_blocks(std::slice::from_ref(b)), &mut haystack);
            haystack.push(' ');
        }
    }
    haystack
}

/// A quote's text as it is searched for in the running text, or `None` when
/// it is too short to be taken for a repetition.
fn needle(content: &[Block]) -> Option<String> {
    let mut needle = String::new();
    normalise_into(&plain_text_blocks(content), &mut needle);
    // The repeated passage may end differently in the text ("below." as a
    // quote, "below:" mid-sentence).
    let trimmed =
        needle.trim_matches(|c: char| c == ' ' || c == '"' || c == '\'' || ".,;:!?…".contains(c));
    (trimmed.chars().count() >= MIN_PULL_CHARS).then(|| trimmed.to_string())
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
