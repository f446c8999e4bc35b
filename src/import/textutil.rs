//! Small text helpers shared by the importers: cleaning scraped text,
//! turning bare web addresses into links, and normalising for comparisons.

use crate::model::Inline;

/// Makes scraped text safe and tidy: control characters that no book text
/// has (and that YAML or Markdown would choke on) are removed, line and
/// paragraph separators and tabs become spaces, and runs of spaces collapse
/// to one. No-break spaces are kept. The result is trimmed.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        let c = match c {
            '\t' | '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{b}' | '\u{c}' => ' ',
            c if is_unwanted(c) => continue,
            c => c,
        };
        if c == ' ' {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Characters dropped from imported text: C0 and C1 controls, DEL, the
/// byte-order mark, and Unicode noncharacters (which YAML does not allow in
/// a document, and the Markdown reader uses internally).
pub fn is_unwanted(c: char) -> bool {
    let u = c as u32;
    u < 0x20
        || (0x7f..=0x9f).contains(&u)
        || c == '\u{feff}'
        || (0xfdd0..=0xfdef).contains(&u)
        || (u & 0xfffe) == 0xfffe
}

/// Text with bare web addresses (`https://…`, `www.…`) made into links, as
/// the page had them. Trailing punctuation stays outside the address.
pub fn linkify(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain_start = 0usize;
    let mut i = 0usize;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let at_word_start =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'/');
        if at_word_start && let Some(len) = url_len(&text[i..]) {
            if plain_start < i {
                crate::source::markdown::push_text(&mut out, &text[plain_start..i]);
            }
            let u = &text[i..i + len];
            let url = if u.to_ascii_lowercase().starts_with("www.") {
                format!("https://{u}")
            } else {
                u.to_string()
            };
            out.push(Inline::Link {
                url,
                content: vec![Inline::Text(u.to_string())],
            });
            i += len;
            plain_start = i;
            continue;
        }
        i += 1;
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
    }
    crate::source::markdown::push_text(&mut out, &text[plain_start..]);
    out
}

/// Length of a web address at the start of `s`, if one starts there.
fn url_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let starts = |p: &str| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    let prefix = if starts("https://") {
        8
    } else if starts("http://") {
        7
    } else if starts("www.") {
        4
    } else {
        return None;
    };
    let end = s
        .char_indices()
        .find(|&(_, c)| {
            c.is_whitespace()
                || matches!(
                    c,
                    '<' | '>' | '"' | '“' | '”' | '«' | '»' | '`' | '\\' | '^' | '{' | '}' | '|'
                )
        })
        .map_or(s.len(), |(i, _)| i);
    let mut end = end;
    // Trailing punctuation belongs to the sentence, and a closing bracket
    // only to the address when it opened one.
    while let Some(c) = s[..end].chars().next_back() {
        let trailing = matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' | '*' | '_' | '~' | '[' | ']'
        ) || (c == ')'
            && s[..end].matches('(').count() < s[..end].matches(')').count());
        if trailing {
            end -= c.len_utf8();
        } else {
            break;
        }
    }
    // Something must follow the scheme, with a dot in the host.
    if end <= prefix {
        return None;
    }
    let host = &s[prefix..end];
    let host_end = host.find('/').unwrap_or(host.len());
    (end > prefix && host[..host_end].contains('.') && !host.starts_with('.')).then_some(end)
}

/// Lower-cased text with quotes, dashes and white space folded, for
/// comparing a pull quote with the article.
pub fn fold(text: &str) -> String {
    // The same folding the reader uses to recognise pull quotes, so that an
    // imported pull quote is found again when the book is read.
    let mut out = String::with_capacity(text.len());
    crate::source::pullquote::normalise_into(text, &mut out);
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Words of a text (letters, digits, apostrophes and hyphens inside words).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .map(|w| w.trim_matches(|c: char| c == '\'' || c == '’' || c == '-'))
        .filter(|w| !w.is_empty())
}

/// The number of words split by white space (`split_whitespace().count()`),
/// in one pass without the splitter: the importer asks it of every
/// paragraph many times.
pub fn word_count(text: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in text.chars() {
        let ws = if c.is_ascii() {
            matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r')
        } else {
            c.is_whitespace()
        };
        n += usize::from(!ws && !in_word);
        in_word = !ws;
    }
    n
}

/// The text with surrounding quotes, brackets and final punctuation
/// removed, for matching labels such as "Endnotes:".
pub fn bare(text: &str) -> String {
    text.trim()
        .trim_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ':' | '.'
                        | '"'
                        | '“'
                        | '”'
                        | '*'
                        | '#'
                        | '–'
                        | '—'
                        | '-'
                        | '|'
                        | '•'
                        | '›'
                        | '»'
                        | '«'
                        | '→'
                        | '←'
                        | '↑'
                        | '↓'
                        | '>'
                )
        })
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_count_agrees_with_split_whitespace() {
        for t in [
            "",
            "   ",
            "one",
            " two  words ",
            "a\tb\nc\x0Bd\x0Ce\rf",
            "non\u{a0}breaking and\u{2003}em\u{3000}space",
            "Қазақстан — жаңа\u{85}ел",
            "x\u{1c}y",
        ] {
            assert_eq!(word_count(t), t.split_whitespace().count(), "{t:?}");
        }
    }

    #[test]
    fn cleans_controls_and_spaces() {
        assert_eq!(clean("  a\tb\u{0}c  \u{2028} d\u{a0}e "), "a bc d\u{a0}e");
        assert_eq!(clean("\u{feff}x"), "x");
    }

    #[test]
    fn links_bare_addresses() {
        let v = linkify("See https://example.org/a_(b) and www.example.com/x.");
        assert_eq!(
            v,
            vec![
                Inline::Text("See ".into()),
                Inline::Link {
                    url: "https://example.org/a_(b)".into(),
                    content: vec![Inline::Text("https://example.org/a_(b)".into())]
                },
                Inline::Text(" and ".into()),
                Inline::Link {
                    url: "https://www.example.com/x".into(),
                    content: vec![Inline::Text("www.example.com/x".into())]
                },
                Inline::Text(".".into()),
            ]
        );
        assert_eq!(
            linkify("http:// no"),
            vec![Inline::Text("http:// no".into())]
        );
        assert_eq!(
            linkify("(https://a.org)")[1],
            Inline::Link {
                url: "https://a.org".into(),
                content: vec![Inline::Text("https://a.org".into())]
            }
        );
    }

    #[test]
    fn folds_for_comparison() {
        assert_eq!(
            fold("“Every  Government” — said"),
            "\"every government\" - said"
        );
    }
}
