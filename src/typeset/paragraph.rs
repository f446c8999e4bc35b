//! Model inlines -> styled text: one plain string for the paragraph and the
//! style of every byte range of it, plus the links and note references the
//! PDF must make clickable.
//!
//! The paragraph's text is the concatenation of its spans; every later
//! stage (glyph clusters, lines) points into it by byte range, so a position
//! on a page maps back to a position in the text.

use super::fonts::Family;
use crate::model::{Inline, Lang};
use std::ops::Range;

/// How figures are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Figures {
    /// Old-style proportional figures, for running text.
    #[default]
    OldStyle,
    /// Lining proportional figures (headings, capitals).
    Lining,
    /// Lining tabular figures, for numbers that must line up (tables, lists).
    Tabular,
}

/// Vertical position of a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Position {
    #[default]
    Normal,
    Superscript,
    Subscript,
}

/// The look of a span of text.
#[derive(Debug, Clone, PartialEq)]
pub struct TextStyle {
    pub family: Family,
    pub bold: bool,
    pub italic: bool,
    /// Font size in pt.
    pub size: f32,
    pub position: Position,
    pub figures: Figures,
    /// Set words of two or more capitals (ACSH, UNDP) in true small caps
    /// (`c2sc`) when the face has them.
    pub acronym_small_caps: bool,
    /// Set every capital in small caps (`c2sc`), one-letter words too: text
    /// upper-cased to be read as small caps (running heads, names).
    pub small_caps: bool,
    /// Language of this span when it differs from the paragraph's.
    pub lang: Option<Lang>,
    /// Index into [`StyledText::links`].
    pub link: Option<u32>,
    /// The endnote number this span refers to (a note reference mark).
    pub note: Option<u32>,
    /// Break after `/ . - _ ? &` without a hyphen (URLs, code).
    pub breakable_token: bool,
}

impl TextStyle {
    /// Body text: the body family, old-style figures, small-capped acronyms.
    pub fn body(size: f32) -> TextStyle {
        TextStyle {
            family: Family::Body,
            bold: false,
            italic: false,
            size,
            position: Position::Normal,
            figures: Figures::OldStyle,
            acronym_small_caps: true,
            small_caps: false,
            lang: None,
            link: None,
            note: None,
            breakable_token: false,
        }
    }

    /// Display text (questions, titles): heading family, lining figures.
    pub fn heading(size: f32, bold: bool) -> TextStyle {
        TextStyle {
            family: Family::Heading,
            bold,
            figures: Figures::Lining,
            acronym_small_caps: false,
            ..TextStyle::body(size)
        }
    }

    /// The size glyphs are drawn at (smaller for super- and subscripts).
    pub fn glyph_size(&self) -> f32 {
        match self.position {
            Position::Normal => self.size,
            Position::Superscript | Position::Subscript => self.size * 0.62,
        }
    }

    /// Baseline shift in pt, positive upwards.
    pub fn baseline_shift(&self) -> f32 {
        match self.position {
            Position::Normal => 0.0,
            Position::Superscript => self.size * 0.36,
            Position::Subscript => -self.size * 0.14,
        }
    }
}

/// A link in the paragraph: the URL and the text range that shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkTarget {
    pub url: String,
    pub range: Range<usize>,
}

/// A note reference mark: its number and the range of the mark's digits.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteAnchor {
    pub number: u32,
    pub range: Range<usize>,
}

/// A paragraph's text with styles.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StyledText {
    pub text: String,
    /// Contiguous, ordered, covering `text`; empty spans are never stored.
    pub spans: Vec<(Range<usize>, TextStyle)>,
    pub links: Vec<LinkTarget>,
    pub notes: Vec<NoteAnchor>,
}

impl StyledText {
    pub fn new() -> StyledText {
        StyledText::default()
    }

    /// Appends text in `style` (merged with the previous span when equal).
    pub fn push(&mut self, text: &str, style: &TextStyle) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        let end = self.text.len();
        if let Some((r, s)) = self.spans.last_mut()
            && s == style
            && r.end == start
        {
            r.end = end;
            return;
        }
        self.spans.push((start..end, style.clone()));
    }

    /// Plain text in one style.
    pub fn plain(text: &str, style: &TextStyle) -> StyledText {
        let mut s = StyledText::new();
        s.push(text, style);
        s
    }

    /// Converts model inlines: emphasis -> italic, strong -> bold, code ->
    /// mono, sup/sub, links (URL and range kept), note references ->
    /// superscript lining number carrying the note number, foreign spans ->
    /// their language, hard line breaks -> `\n` (a forced break).
    pub fn from_inlines(inlines: &[Inline], base: &TextStyle) -> StyledText {
        let mut out = StyledText::new();
        out.add_inlines(inlines, base);
        out
    }

    pub fn add_inlines(&mut self, inlines: &[Inline], style: &TextStyle) {
        for inline in inlines {
            match inline {
                Inline::Text(t) => {
                    // Tabs and stray newlines inside text are spaces.
                    if t.contains(['\n', '\t', '\r']) {
                        let t: String = t
                            .chars()
                            .map(|c| {
                                if matches!(c, '\n' | '\t' | '\r') {
                                    ' '
                                } else {
                                    c
                                }
                            })
                            .collect();
                        self.push(&t, style);
                    } else {
                        self.push(t, style);
                    }
                }
                Inline::LineBreak => self.push("\n", style),
                Inline::Emphasis(c) => {
                    let s = TextStyle {
                        italic: !style.italic,
                        ..style.clone()
                    };
                    self.add_inlines(c, &s);
                }
                Inline::Strong(c) => {
                    let s = TextStyle {
                        bold: true,
                        ..style.clone()
                    };
                    self.add_inlines(c, &s);
                }
                Inline::Superscript(c) => {
                    let s = TextStyle {
                        position: Position::Superscript,
                        figures: Figures::Lining,
                        ..style.clone()
                    };
                    self.add_inlines(c, &s);
                }
                Inline::Subscript(c) => {
                    let s = TextStyle {
                        position: Position::Subscript,
                        figures: Figures::Lining,
                        ..style.clone()
                    };
                    self.add_inlines(c, &s);
                }
                Inline::Code(t) => {
                    let s = TextStyle {
                        family: Family::Mono,
                        figures: Figures::Tabular,
                        acronym_small_caps: false,
                        breakable_token: true,
                        // Mono is set a little smaller so its x-height matches.
                        size: style.size * 0.9,
                        ..style.clone()
                    };
                    let t: String = t.chars().map(|c| if c == '\n' { ' ' } else { c }).collect();
                    self.push(&t, &s);
                }
                Inline::Link { url, content } => {
                    let start = self.text.len();
                    let idx = self.links.len() as u32;
                    self.links.push(LinkTarget {
                        url: url.clone(),
                        range: start..start,
                    });
                    let s = TextStyle {
                        link: Some(idx),
                        breakable_token: true,
                        ..style.clone()
                    };
                    self.add_inlines(content, &s);
                    self.links[idx as usize].range.end = self.text.len();
                }
                Inline::NoteRef(n) => {
                    let start = self.text.len();
                    let s = TextStyle {
                        position: Position::Superscript,
                        figures: Figures::Lining,
                        note: Some(*n),
                        link: None,
                        ..style.clone()
                    };
                    self.push(&n.to_string(), &s);
                    self.notes.push(NoteAnchor {
                        number: *n,
                        range: start..self.text.len(),
                    });
                }
                Inline::Foreign { lang, content } => {
                    let s = TextStyle {
                        lang: Some(lang.clone()),
                        ..style.clone()
                    };
                    self.add_inlines(content, &s);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inlines_become_styled_spans() {
        let inl = vec![
            Inline::Text("See ".into()),
            Inline::Emphasis(vec![Inline::Text("this".into())]),
            Inline::NoteRef(3),
            Inline::Text(" at ".into()),
            Inline::Link {
                url: "https://example.org/a".into(),
                content: vec![Inline::Text("example.org/a".into())],
            },
            Inline::Foreign {
                lang: Lang::parse("ar").unwrap(),
                content: vec![Inline::Text("مرحبا".into())],
            },
        ];
        let st = StyledText::from_inlines(&inl, &TextStyle::body(10.5));
        assert_eq!(st.text, "See this3 at example.org/aمرحبا");
        assert_eq!(
            st.notes,
            vec![NoteAnchor {
                number: 3,
                range: 8..9
            }]
        );
        assert_eq!(st.links[0].range, 13..26);
        assert_eq!(&st.text[st.links[0].range.clone()], "example.org/a");
        let (r, s) = &st.spans[1];
        assert_eq!(&st.text[r.clone()], "this");
        assert!(s.italic);
        let (_, n) = &st.spans[2];
        assert_eq!(n.note, Some(3));
        assert_eq!(n.position, Position::Superscript);
        let spans_cover: usize = st.spans.iter().map(|(r, _)| r.len()).sum();
        assert_eq!(spans_cover, st.text.len());
    }
}
