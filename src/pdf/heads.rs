//! The words of the running heads: a chapter's `running-head`, else its
//! title up to a colon; cut after the last whole word that fits, with an
//! ellipsis, when that is still longer than the line.

use super::flow::strip_notes;
use crate::model::{Chapter, plain_text};
use crate::typeset::SetParagraph;

/// The running head of a chapter before it is fitted: its own short form,
/// or the title's main part ("Archive That Sings: How …" → "Archive That
/// Sings"), in capitals (set as small caps).
pub(crate) fn chapter_head(ch: &Chapter) -> String {
    if let Some(h) = &ch.running_head {
        return h.to_uppercase();
    }
    let title = plain_text(&strip_notes(&ch.title));
    let short = match title.split_once(':') {
        Some((main, _)) if main.chars().any(char::is_alphanumeric) => main.trim_end(),
        _ => title.as_str(),
    };
    short.to_uppercase()
}

/// `text` set by `set` on one line: whole, or cut after the last word (a
/// group of words tied by no-break spaces counts as one) that leaves room
/// for an ellipsis. A single word too long for the line is set as it is.
pub(crate) fn fit(text: &str, mut set: impl FnMut(&str) -> SetParagraph) -> SetParagraph {
    let whole = set(text);
    if whole.lines.len() <= 1 {
        return whole;
    }
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    for n in (1..words.len()).rev() {
        let kept = words[..n].join(" ");
        let kept = kept.trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | ':' | '—' | '–' | '-' | '.')
        });
        if kept.is_empty() {
            continue;
        }
        let p = set(&format!("{kept}…"));
        if p.lines.len() <= 1 {
            return p;
        }
    }
    whole
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Inline, Lang};
    use crate::typeset::{FontBook, ParagraphSpec, StyledText, TextStyle, Typesetter};
    use std::sync::Arc;

    fn chapter(title: &str, head: Option<&str>) -> Chapter {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
        let book = crate::source::load(&dir).book.expect("the sample");
        let mut ch = book.chapters[0].clone();
        ch.title = vec![Inline::Text(title.into())];
        ch.running_head = head.map(str::to_string);
        ch
    }

    #[test]
    fn the_head_is_the_short_form_or_the_title_up_to_a_colon() {
        let ch = chapter("Архив, который поёт: как в работе", None);
        assert_eq!(chapter_head(&ch), "АРХИВ, КОТОРЫЙ ПОЁТ");
        let ch = chapter("Архив, который поёт: как в работе", Some("Архив"));
        assert_eq!(chapter_head(&ch), "АРХИВ");
        let ch = chapter("Listening to a restless island", None);
        assert_eq!(chapter_head(&ch), "LISTENING TO A RESTLESS ISLAND");
        // A colon with nothing before it is not a main part.
        assert_eq!(chapter_head(&chapter(": a b", None)), ": A B");
    }

    #[test]
    fn a_long_head_keeps_whole_words_and_an_ellipsis() {
        let mut ts = Typesetter::new(Arc::new(FontBook::bundled()));
        let lang = Lang::english();
        let style = TextStyle::body(10.0);
        let mut set = |t: &str| {
            let st = StyledText::plain(t, &style);
            ts.set_paragraph(&ParagraphSpec::centred(&st, 200.0, &lang))
        };
        let short = fit("A SHORT HEAD", &mut set);
        assert_eq!(short.source_text(), "A SHORT HEAD");
        let long = "THE ARCHIVE THAT SINGS, AND HOW A TEAM OF VOLUNTEERS SAVED FORTY BOXES \
                    OF TAPE FROM A FLOODED BASEMENT";
        let p = fit(long, &mut set);
        assert_eq!(p.lines.len(), 1);
        let text = p.source_text();
        assert!(text.ends_with('…'), "{text}");
        let kept = text.trim_end_matches('…');
        assert!(long.starts_with(kept), "{text}");
        // Whole words: the next character of the title is a space or a
        // mark the cut dropped.
        let after = long[kept.len()..].chars().next();
        assert!(matches!(after, Some(' ' | ',')), "{text}");
        assert!(kept.len() > 20, "as many words as fit: {text}");
    }
}
