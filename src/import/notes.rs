//! Endnote markers in scraped text: `events2`, `Transformation”.1`, `[1]`,
//! `¹`, or a superscript number from HTML, turned into note references.
//!
//! Real numbers must stay numbers (`2014`, `12,000`, `43 countries`, `10th`,
//! `Covid-19`), so the ambiguous forms (digits glued to a word or after
//! punctuation) are accepted only as the next number in sequence and only
//! when the notes list has a note of that number. Bracketed and superscript
//! numbers are unambiguous and may repeat an earlier note.

use crate::model::Inline;

/// The marker scan's state across a chapter.
pub struct Scan {
    /// Number of notes in the notes list: markers above it are not markers.
    pub max: u32,
    /// The next number an ambiguous marker may have.
    pub expected: u32,
    /// Markers that looked like markers but could not be (numbers beyond the
    /// notes list), as (text, reason), for the report.
    pub doubtful: Vec<(String, String)>,
}

impl Scan {
    pub fn new(max: u32) -> Self {
        Scan {
            max,
            expected: 1,
            doubtful: Vec::new(),
        }
    }

    fn accept(&mut self, n: u32, ambiguous: bool) -> bool {
        let ok = if ambiguous {
            n == self.expected && n <= self.max
        } else {
            n >= 1 && n <= self.max
        };
        if ok {
            self.expected = self.expected.max(n + 1);
        }
        ok
    }
}

/// Replaces the note markers in `v` by [`Inline::NoteRef`] (numbered by the
/// notes list, 1-based). Returns how many were found.
pub fn mark(v: &mut Vec<Inline>, scan: &mut Scan) -> usize {
    let mut out: Vec<Inline> = Vec::with_capacity(v.len());
    let mut found = 0;
    let items = std::mem::take(v);
    let mut iter = items.into_iter().peekable();
    while let Some(i) = iter.next() {
        match i {
            Inline::Text(t) => {
                let next_is_word = matches!(iter.peek(), Some(Inline::Text(_)));
                found += mark_text(&t, scan, &mut out, next_is_word);
            }
            Inline::Superscript(c) => {
                let t = crate::model::plain_text(&c);
                let digits = t.trim();
                let n = digits
                    .trim_matches(['[', ']', '(', ')'])
                    .parse::<u32>()
                    .ok()
                    .filter(|_| {
                        !digits.is_empty()
                            && digits
                                .trim_matches(['[', ']', '(', ')'])
                                .bytes()
                                .all(|b| b.is_ascii_digit())
                    });
                match n {
                    Some(n) if scan.accept(n, false) => {
                        trim_end_space(&mut out);
                        out.push(Inline::NoteRef(n));
                        found += 1;
                    }
                    _ => out.push(Inline::Superscript(c)),
                }
            }
            Inline::Emphasis(mut c) => {
                found += mark(&mut c, scan);
                out.push(Inline::Emphasis(c));
            }
            Inline::Strong(mut c) => {
                found += mark(&mut c, scan);
                out.push(Inline::Strong(c));
            }
            Inline::Foreign { lang, mut content } => {
                found += mark(&mut content, scan);
                out.push(Inline::Foreign { lang, content });
            }
            other => out.push(other),
        }
    }
    // Merge neighbouring text left by the splits.
    let mut merged: Vec<Inline> = Vec::with_capacity(out.len());
    for i in out {
        match (merged.last_mut(), i) {
            (Some(Inline::Text(a)), Inline::Text(b)) => a.push_str(&b),
            (_, Inline::Text(b)) if b.is_empty() => {}
            (_, i) => merged.push(i),
        }
    }
    *v = merged;
    found
}

fn trim_end_space(out: &mut [Inline]) {
    if let Some(Inline::Text(t)) = out.last_mut() {
        let n = t.trim_end().len();
        t.truncate(n);
    }
}

pub fn superscript_digit(c: char) -> Option<u32> {
    Some(match c {
        '⁰' => 0,
        '¹' => 1,
        '²' => 2,
        '³' => 3,
        '⁴' => 4,
        '⁵' => 5,
        '⁶' => 6,
        '⁷' => 7,
        '⁸' => 8,
        '⁹' => 9,
        _ => return None,
    })
}

/// Abbreviations after which a number is a number ("No. 1", "p.12").
const NUMBER_ABBREVIATIONS: &[&str] = &[
    "no", "nos", "nr", "p", "pp", "vol", "art", "para", "fig", "ch", "sec", "op", "ed", "v", "vs",
    "n", "tel", "№",
];

fn mark_text(t: &str, scan: &mut Scan, out: &mut Vec<Inline>, _next_is_word: bool) -> usize {
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    let mut found = 0;
    let mut plain_from = 0usize;
    let mut k = 0usize;
    let push_plain = |out: &mut Vec<Inline>, s: &str| {
        if !s.is_empty() {
            crate::source::markdown::push_text(out, s);
        }
    };
    while k < chars.len() {
        let (pos, c) = chars[k];
        // Superscript digits: ¹, ²³.
        if superscript_digit(c).is_some() {
            let mut j = k;
            let mut n = 0u32;
            while j < chars.len() {
                match superscript_digit(chars[j].1) {
                    Some(d) => n = n.saturating_mul(10).saturating_add(d),
                    None => break,
                }
                j += 1;
            }
            let prev_ok = k > 0 && !chars[k - 1].1.is_whitespace();
            if prev_ok && scan.accept(n, false) {
                push_plain(out, &t[plain_from..pos]);
                out.push(Inline::NoteRef(n));
                found += 1;
                plain_from = chars.get(j).map_or(t.len(), |&(p, _)| p);
                k = j;
                continue;
            }
            k = j;
            continue;
        }
        // [12]
        if c == '[' {
            let mut j = k + 1;
            while j < chars.len() && chars[j].1.is_ascii_digit() {
                j += 1;
            }
            if j > k + 1 && j - k - 1 <= 3 && chars.get(j).is_some_and(|&(_, c)| c == ']') {
                let n: u32 = t[chars[k + 1].0..chars[j].0].parse().unwrap_or(0);
                let after_ok = chars.get(j + 1).is_none_or(|&(_, c)| !c.is_alphanumeric());
                if after_ok && scan.accept(n, false) {
                    let mut before = &t[plain_from..pos];
                    before = before.trim_end();
                    push_plain(out, before);
                    out.push(Inline::NoteRef(n));
                    found += 1;
                    plain_from = chars.get(j + 1).map_or(t.len(), |&(p, _)| p);
                    k = j + 1;
                    continue;
                } else if after_ok && n > scan.max {
                    scan.doubtful.push((
                        format!("[{n}]"),
                        "looks like a note marker, but the notes list has no such note".into(),
                    ));
                }
            }
            k += 1;
            continue;
        }
        // Digits glued to a word or to closing punctuation: events2, ”.1
        if c.is_ascii_digit() && k > 0 {
            let mut j = k;
            while j < chars.len() && chars[j].1.is_ascii_digit() {
                j += 1;
            }
            // The digits must end the word.
            let ends_ok = chars.get(j).is_none_or(|&(_, c)| {
                c.is_whitespace()
                    || matches!(
                        c,
                        '.' | ','
                            | ';'
                            | ':'
                            | '!'
                            | '?'
                            | ')'
                            | '”'
                            | '’'
                            | '"'
                            | '\''
                            | '»'
                            | '—'
                            | '–'
                    )
            }) && !(chars.get(j).is_some_and(|&(_, c)| matches!(c, '.' | ','))
                && chars.get(j + 1).is_some_and(|&(_, c)| c.is_ascii_digit()));
            if j - k <= 3 && ends_ok && glued_before(&chars, k, t) {
                let n: u32 = t[pos..chars.get(j).map_or(t.len(), |&(p, _)| p)]
                    .parse()
                    .unwrap_or(0);
                if scan.accept(n, true) {
                    push_plain(out, &t[plain_from..pos]);
                    out.push(Inline::NoteRef(n));
                    found += 1;
                    plain_from = chars.get(j).map_or(t.len(), |&(p, _)| p);
                    k = j;
                    continue;
                }
            }
            k = j;
            continue;
        }
        k += 1;
    }
    push_plain(out, &t[plain_from..]);
    found
}

/// Whether the digits at `k` are glued to something a marker follows: a
/// word (`events2`) or closing punctuation after a word (`Transformation”.1`).
fn glued_before(chars: &[(usize, char)], k: usize, t: &str) -> bool {
    let prev = chars[k - 1].1;
    if prev.is_alphabetic() {
        // The word before: letters only (not "COVID-19", "A4", "G20").
        let mut s = k;
        while s > 0 && chars[s - 1].1.is_alphabetic() {
            s -= 1;
        }
        if s > 0
            && (chars[s - 1].1.is_ascii_digit()
                || matches!(chars[s - 1].1, '-' | '_' | '/' | '@' | '#'))
        {
            return false;
        }
        let word = &t[chars[s].0..chars[k].0];
        let letters = word.chars().count();
        let all_upper = word.chars().all(char::is_uppercase);
        return letters >= 3
            || (letters >= 2 && !all_upper && word.chars().skip(1).all(char::is_lowercase));
    }
    // Closing punctuation, itself after a word or a closing quote.
    let mut s = k;
    while s > 0
        && matches!(
            chars[s - 1].1,
            '.' | ',' | ';' | ':' | '!' | '?' | '”' | '’' | '"' | '\'' | ')' | '»' | ']'
        )
    {
        s -= 1;
    }
    if s == k || s == 0 || k - s > 3 {
        return false;
    }
    let before = chars[s - 1].1;
    if !before.is_alphabetic() {
        return false;
    }
    // "No.1", "p.12": an abbreviation that introduces a number.
    let mut w = s;
    while w > 0 && chars[w - 1].1.is_alphabetic() {
        w -= 1;
    }
    let word = t[chars[w].0..chars[s].0].to_lowercase();
    !NUMBER_ABBREVIATIONS.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(t: &str, max: u32) -> Vec<Inline> {
        let mut v = vec![Inline::Text(t.into())];
        let mut s = Scan::new(max);
        mark(&mut v, &mut s);
        v
    }

    #[test]
    fn glued_markers_in_sequence() {
        assert_eq!(
            run(
                "the book “Diversity in Transformation”.1 Kazakhstan’s wealth, the Qantar events2 led",
                2
            ),
            vec![
                Inline::Text("the book “Diversity in Transformation”.".into()),
                Inline::NoteRef(1),
                Inline::Text(" Kazakhstan’s wealth, the Qantar events".into()),
                Inline::NoteRef(2),
                Inline::Text(" led".into()),
            ]
        );
    }

    #[test]
    fn numbers_stay_numbers() {
        for t in [
            "in 2014 the agency merged",
            "over 12,000 participants",
            "43 participating countries",
            "the 10th century",
            "the Covid-19 pandemic",
            "a G20 summit and A4 paper",
            "a 3.5 percent rise",
            "decree No.1 of the year",
            "in 1991.2 cases",
        ] {
            assert_eq!(run(t, 3), vec![Inline::Text(t.into())], "{t}");
        }
    }

    #[test]
    fn out_of_sequence_glued_digits_are_text() {
        // Note 1 is expected first; "events2" cannot be a marker yet.
        assert_eq!(
            run("the events2 led", 2),
            vec![Inline::Text("the events2 led".into())]
        );
        // No notes list: no markers at all.
        assert_eq!(
            run("the events1 led", 0),
            vec![Inline::Text("the events1 led".into())]
        );
    }

    #[test]
    fn brackets_and_superscripts() {
        assert_eq!(
            run("as reported [1] and again.[2] Also¹ and [7].", 2),
            vec![
                Inline::Text("as reported".into()),
                Inline::NoteRef(1),
                Inline::Text(" and again.".into()),
                Inline::NoteRef(2),
                Inline::Text(" Also".into()),
                Inline::NoteRef(1),
                Inline::Text(" and [7].".into()),
            ]
        );
    }
}
