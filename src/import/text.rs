//! Plain text (a page scraped to text) → units.
//!
//! Two layouts occur: one paragraph per line (what copying a web page
//! gives), and paragraphs hard-wrapped at a fixed width with blank lines
//! between them (e-mail, pandoc, many scrapers). The layout is told from the
//! line lengths, then lines are joined into paragraphs: in wrapped text every
//! full-width line continues; in one-line text only a sentence visibly
//! broken in two (no closing punctuation, the next line going on in lower
//! case or the line ending on a word like "than") is joined, and the join is
//! reported.

use super::junk;
use super::report::{Entry, Report};
use super::textutil::{clean, linkify};
use super::unit::{Kind, Unit};
use crate::model::{FileId, Span};

struct Line {
    /// 1-based line number.
    no: u32,
    start: usize,
    end: usize,
    text: String,
}

/// Reads `src` into units, reporting joined lines to `report`.
pub fn read(src: &str, file: FileId, report: &mut Report) -> Vec<Unit> {
    let lines = split_lines(src);
    let wrap = wrap_width(&lines);
    report.layout = match wrap {
        Some(w) => format!("paragraphs hard-wrapped at about {w} characters"),
        None => "one paragraph per line".into(),
    };
    let mut units: Vec<Unit> = Vec::new();
    // The paragraph being built, the number and length of its last line.
    let mut cur: Option<(Line, u32, usize)> = None;
    let mut prev_blank = true;
    for line in lines {
        if line.text.is_empty() {
            if let Some((l, _, _)) = cur.take() {
                units.push(unit(file, l));
            }
            prev_blank = true;
            continue;
        }
        let len = line.text.chars().count();
        match cur.take() {
            Some((mut acc, last_no, last_len))
                if !prev_blank && continues(&acc.text, last_len, &line.text, wrap) =>
            {
                if wrap.is_none() {
                    report.joined.push(Entry {
                        line: line.no,
                        text: line.text.clone(),
                        reason: format!(
                            "joined to line {last_no}: a sentence broken across two lines"
                        ),
                    });
                }
                join_into(&mut acc.text, &line.text);
                acc.end = line.end;
                cur = Some((acc, line.no, len));
            }
            other => {
                if let Some((l, _, _)) = other {
                    units.push(unit(file, l));
                }
                let no = line.no;
                cur = Some((line, no, len));
            }
        }
        prev_blank = false;
    }
    if let Some((l, _, _)) = cur {
        units.push(unit(file, l));
    }
    units
}

fn split_lines(src: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut no = 1u32;
    for piece in src.split_inclusive('\n') {
        let end = start + piece.len();
        let body = piece.trim_end_matches(['\n', '\r']);
        out.push(Line {
            no,
            start,
            end: start + body.len(),
            text: clean(body),
        });
        start = end;
        no = no.saturating_add(1);
    }
    out
}

/// The wrap width when the text is hard-wrapped with blank lines between
/// paragraphs; `None` for one paragraph per line.
fn wrap_width(lines: &[Line]) -> Option<usize> {
    let lens: Vec<usize> = lines
        .iter()
        .filter(|l| !l.text.is_empty())
        .map(|l| l.text.chars().count())
        .collect();
    if lens.len() < 4 {
        return None;
    }
    let followed = lines
        .windows(2)
        .filter(|w| !w[0].text.is_empty() && !w[1].text.is_empty())
        .count();
    let has_blank = lines.iter().any(|l| l.text.is_empty());
    let mut sorted = lens.clone();
    sorted.sort_unstable();
    let p90 = sorted[(sorted.len() * 9 / 10).min(sorted.len() - 1)];
    (has_blank && followed * 10 >= lens.len() * 4 && (30..=110).contains(&p90)).then_some(p90)
}

/// Words after which a line cannot end a sentence.
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "and",
    "or",
    "nor",
    "to",
    "in",
    "on",
    "for",
    "with",
    "by",
    "at",
    "from",
    "than",
    "as",
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "but",
    "its",
    "their",
    "our",
    "his",
    "her",
    "my",
    "your",
    "into",
    "onto",
    "about",
    "between",
    "under",
    "over",
    "more",
    "most",
    "less",
    "such",
    "both",
    "either",
    "neither",
    "where",
    "when",
    "while",
    "if",
    "because",
    "although",
    "though",
    "not",
    "very",
    "also",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "this",
    "these",
    "those",
    "some",
    "many",
    "much",
    "every",
    "each",
    "any",
    "all",
    "no",
    "so",
    "up",
    "via",
    "per",
    "how",
    "what",
    "и",
    "в",
    "на",
    "с",
    "по",
    "для",
    "что",
    "как",
    "не",
    "из",
    "к",
    "о",
    "от",
    "до",
    "за",
    "чем",
    "более",
];

/// Whether `next` continues the paragraph `prev`, whose last line is
/// `last_len` characters long.
fn continues(prev: &str, last_len: usize, next: &str, wrap: Option<usize>) -> bool {
    if marker_mid_sentence(prev, next) {
        return true;
    }
    if starts_unit(next) {
        return false;
    }
    let next_first = next.chars().next().unwrap_or(' ');
    let prev_last = prev.chars().next_back().unwrap_or(' ');
    let lower_next = next_first.is_lowercase() || next_first.is_ascii_digit();
    if let Some(w) = wrap {
        // A full line continues; a short line ends its paragraph unless the
        // sentence visibly goes on.
        return last_len * 10 >= w * 6 || (lower_next && !ends_sentence(prev_last));
    }
    if last_len < 40 || ends_sentence(prev_last) {
        return false;
    }
    let last_word = prev.rsplit(' ').next().unwrap_or("").to_lowercase();
    (lower_next && (prev_last.is_alphanumeric() || prev_last == ','))
        || (prev_last.is_alphabetic() && FUNCTION_WORDS.contains(&last_word.as_str()))
}

/// A note marker that a wrapped line begins with, in mid-sentence: "… a
/// register" + "[1] with every family …" is one sentence, not a note.
fn marker_mid_sentence(prev: &str, next: &str) -> bool {
    let Some(r) = next.strip_prefix('[') else {
        return false;
    };
    let digits = r.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after) = r[digits..].strip_prefix("] ") else {
        return false;
    };
    (1..=3).contains(&digits)
        && after.chars().next().is_some_and(char::is_lowercase)
        && prev.chars().next_back().is_some_and(char::is_alphanumeric)
}

fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | ':' | ';' | '…' | '"' | '”' | '’' | '»' | ')' | ']' | '\''
    )
}

/// Lines that begin a unit of their own whatever precedes them.
fn starts_unit(line: &str) -> bool {
    list_marker(line).is_some()
        || junk::is_notes_heading(line)
        || junk::is_bio_heading(line)
        || super::passes::speakers::qa_label(line).is_some()
}

fn join_into(acc: &mut String, next: &str) {
    // "co-" + "operation": a hyphen at the end of a line joins without a space.
    let hyphen = acc.ends_with('-')
        && acc[..acc.len() - 1]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic)
        && next.chars().next().is_some_and(char::is_lowercase);
    if !hyphen {
        acc.push(' ');
    }
    acc.push_str(next);
}

fn unit(file: FileId, l: Line) -> Unit {
    let span = Span::new(file, l.start..l.end.max(l.start));
    if is_section_break(&l.text) {
        return Unit::new(
            l.no,
            span,
            Kind::Block(crate::model::Block::SectionBreak { span }),
        );
    }
    let kind = match list_marker(&l.text) {
        Some((ordered, number, rest)) => Kind::ListItem {
            ordered,
            number,
            content: linkify(rest),
        },
        None => Kind::Para(linkify(&l.text)),
    };
    Unit::new(l.no, span, kind)
}

/// A line that only separates sections: `***`, `---`, `* * *`, `⁂`.
fn is_section_break(t: &str) -> bool {
    let mut marks = t.chars().filter(|c| !c.is_whitespace());
    // Every line is asked: most start with a letter and are answered here.
    let Some(first) = marks.next() else {
        return false;
    };
    match first {
        '*' | '-' | '_' | '•' | '·' => marks.clone().count() >= 2 && marks.all(|c| c == first),
        '⁂' | '§' => marks.next().is_none(),
        '◆' | '~' => marks.clone().count() == 2 && marks.all(|c| c == first),
        _ => false,
    }
}

/// A list marker at the start of a line: `- `, `* `, `• `, `+ `, `1. `,
/// `1) `, `(1) `, `[1] `, `¹ `. Returns (ordered, number, the rest).
pub fn list_marker(t: &str) -> Option<(bool, Option<u64>, &str)> {
    for bullet in ["- ", "* ", "• ", "· ", "+ ", "▪ ", "◦ ", "‣ "] {
        if let Some(rest) = t.strip_prefix(bullet) {
            let rest = rest.trim_start();
            return (!rest.is_empty()).then_some((false, None, rest));
        }
    }
    let (inner, rest) = if let Some(r) = t.strip_prefix('[') {
        let end = r.find(']')?;
        (&r[..end], &r[end + 1..])
    } else if let Some(r) = t.strip_prefix('(') {
        let end = r.find(')')?;
        (&r[..end], &r[end + 1..])
    } else {
        let end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (num, after) = t.split_at(end);
        match after.strip_prefix('.').or_else(|| after.strip_prefix(')')) {
            Some(after) => (num, after),
            None => return superscript_marker(t),
        }
    };
    if inner.is_empty() || inner.len() > 3 || !inner.bytes().all(|b| b.is_ascii_digit()) {
        return superscript_marker(t);
    }
    let rest_trim = rest.trim_start();
    if rest_trim.len() == rest.len() || rest_trim.is_empty() {
        return None;
    }
    Some((true, inner.parse().ok(), rest_trim))
}

/// `¹ Text`: a note written with a superscript number.
fn superscript_marker(t: &str) -> Option<(bool, Option<u64>, &str)> {
    let end = t
        .char_indices()
        .find(|&(_, c)| super::notes::superscript_digit(c).is_none())
        .map_or(t.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let n = t[..end]
        .chars()
        .filter_map(super::notes::superscript_digit)
        .fold(0u64, |a, d| a.saturating_mul(10).saturating_add(d as u64));
    let rest = t[end..].trim_start();
    (!rest.is_empty()).then_some((true, Some(n), rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plain_text;

    fn texts(src: &str) -> Vec<String> {
        let mut r = Report::default();
        read(src, FileId(0), &mut r)
            .iter()
            .map(|u| u.text())
            .collect()
    }

    #[test]
    fn a_marker_that_begins_a_wrapped_line_continues_the_sentence() {
        let src = "Title\n\nThe district keeps a register, and has done so since the nineties, a\nregister\n[1] with every family in it, and every channel they draw from, and\nthe officials who check it each spring.\n\nNotes\n\n[1] The register of 2019.\n";
        let t = texts(src);
        assert!(
            t.iter()
                .any(|x| x.contains("register [1] with every family")),
            "{t:?}"
        );
        assert!(t.iter().any(|x| x == "The register of 2019."), "{t:?}");
    }

    #[test]
    fn section_breaks() {
        for t in [
            "***",
            "* * *",
            "---",
            "- - - -",
            "___",
            "•••",
            "· · ·",
            "⁂",
            " § ",
            "◆◆◆",
            "~~~",
        ] {
            assert!(is_section_break(t), "{t:?}");
        }
        for t in [
            "", "**", "*-*", "~~~~", "◆◆", "⁂⁂", "§ 3", "- item", "Heading", "***x",
        ] {
            assert!(!is_section_break(t), "{t:?}");
        }
    }

    #[test]
    fn one_paragraph_per_line_joins_broken_sentences() {
        let src = "Title\nA first paragraph that is long enough to be a paragraph, where more than\n120 people live.\nNext one.\n";
        let mut r = Report::default();
        let units = read(src, FileId(0), &mut r);
        assert_eq!(units.len(), 3);
        assert_eq!(
            plain_text(units[1].inlines().unwrap()),
            "A first paragraph that is long enough to be a paragraph, where more than 120 people live."
        );
        assert_eq!(r.joined.len(), 1);
        assert_eq!(r.joined[0].line, 3);
    }

    #[test]
    fn wrapped_paragraphs_are_reflowed() {
        let src = "Title\n\nThis paragraph is wrapped at a narrow width so\nthat it spans three lines of text in the\nfile.\n\nShort one.\n\nAnother paragraph wrapped at the same width\nas the first one, over two lines.\n";
        assert_eq!(
            texts(src),
            vec![
                "Title",
                "This paragraph is wrapped at a narrow width so that it spans three lines of text in the file.",
                "Short one.",
                "Another paragraph wrapped at the same width as the first one, over two lines."
            ]
        );
    }

    #[test]
    fn list_markers() {
        assert_eq!(list_marker("- Item 1"), Some((false, None, "Item 1")));
        assert_eq!(list_marker("[2] A note"), Some((true, Some(2), "A note")));
        assert_eq!(list_marker("3. A note"), Some((true, Some(3), "A note")));
        assert_eq!(list_marker("¹ A note"), Some((true, Some(1), "A note")));
        assert_eq!(list_marker("2014. That year"), None);
        assert_eq!(list_marker("3.5 percent"), None);
        assert_eq!(list_marker("-5 degrees"), None);
    }
}
