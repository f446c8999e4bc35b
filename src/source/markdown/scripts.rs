//! Inline text after parsing: merged and trimmed text runs, `^sup^` and
//! `~sub~`, and the stand-ins for escaped characters put back.

use crate::model::Inline;

/// Appends text, merging with a preceding text inline.
pub fn push_text(out: &mut Vec<Inline>, t: &str) {
    if t.is_empty() {
        return;
    }
    if let Some(Inline::Text(last)) = out.last_mut() {
        last.push_str(t);
    } else {
        out.push(Inline::Text(t.to_string()));
    }
}

/// Removes leading and trailing white space of an inline run.
pub fn trim_inlines(v: &mut Vec<Inline>) {
    if let Some(Inline::Text(t)) = v.first_mut() {
        let trimmed = t.trim_start();
        if trimmed.len() != t.len() {
            *t = trimmed.to_string();
        }
    }
    // Final breaks and blank texts go until a text with something in it
    // ends the run: taking one away can bare the white space of the text
    // before it (`A ⏎ nbsp`).
    loop {
        match v.last_mut() {
            Some(Inline::LineBreak) => {
                v.pop();
            }
            Some(Inline::Text(t)) => {
                let kept = t.trim_end().len();
                if kept > 0 {
                    t.truncate(kept);
                    break;
                }
                v.pop();
            }
            _ => break,
        }
    }
    v.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
}

/// Turns `^x^` and `~x~` left in text into superscript and subscript.
///
/// pulldown-cmark only recognises them between word boundaries, while the
/// source format (like pandoc) allows `10^th^` and `H~2~O`: the marked text
/// has no white space, as in pandoc.
pub(super) fn scripts(v: Vec<Inline>) -> Vec<Inline> {
    let mut v = scripts_inner(v);
    crate::model::visit_inline_vec(&mut v, &mut |x: &mut Vec<Inline>| {
        for i in x.iter_mut() {
            if let Inline::Text(t) = i
                && t.contains([ESCAPED_CARET_CHAR, ESCAPED_TILDE_CHAR])
            {
                *t = t
                    .replace(ESCAPED_CARET_CHAR, "^")
                    .replace(ESCAPED_TILDE_CHAR, "~");
            }
        }
    });
    v
}

/// Stand-ins for escaped `^`, `~` and `[` between parsing and [`scripts`]
/// (`[` until the note-reference check of a paragraph): Unicode
/// noncharacters, which no text contains.
pub(super) const ESCAPED_CARET: &str = "\u{fdd0}";
pub(super) const ESCAPED_TILDE: &str = "\u{fdd1}";
pub(super) const ESCAPED_BRACKET: &str = "\u{fdd2}";
pub(super) const ESCAPED_CARET_CHAR: char = '\u{fdd0}';
pub(super) const ESCAPED_TILDE_CHAR: char = '\u{fdd1}';
pub(super) const ESCAPED_BRACKET_CHAR: char = '\u{fdd2}';

pub(super) fn restore_escaped_str(t: &str) -> String {
    t.replace(ESCAPED_CARET_CHAR, "^")
        .replace(ESCAPED_TILDE_CHAR, "~")
        .replace(ESCAPED_BRACKET_CHAR, "[")
}

/// Puts escaped `[` back (see [`ESCAPED_BRACKET`]).
pub(super) fn restore_brackets(v: &mut Vec<Inline>) {
    crate::model::visit_inline_vec(v, &mut |x: &mut Vec<Inline>| {
        for i in x.iter_mut() {
            if let Inline::Text(t) = i
                && t.contains(ESCAPED_BRACKET_CHAR)
            {
                *t = t.replace(ESCAPED_BRACKET_CHAR, "[");
            }
        }
    });
}

pub(super) fn scripts_inner(v: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(v.len());
    for i in v {
        match i {
            Inline::Text(t) if t.contains(['^', '~']) => split_scripts(&t, &mut out),
            Inline::Emphasis(c) => out.push(Inline::Emphasis(scripts_inner(c))),
            Inline::Strong(c) => out.push(Inline::Strong(scripts_inner(c))),
            Inline::Link { url, content } => out.push(Inline::Link {
                url,
                content: scripts_inner(content),
            }),
            Inline::Foreign { lang, content } => out.push(Inline::Foreign {
                lang,
                content: scripts_inner(content),
            }),
            other => out.push(other),
        }
    }
    out
}

pub(super) fn split_scripts(t: &str, out: &mut Vec<Inline>) {
    let mut rest = t;
    loop {
        let found = rest.char_indices().find_map(|(i, c)| {
            if c != '^' && c != '~' {
                return None;
            }
            let after = &rest[i + 1..];
            let end = after.find(c)?;
            let inner = &after[..end];
            let valid = !inner.is_empty()
                && !inner.contains(char::is_whitespace)
                && !inner.contains(['^', '~']);
            valid.then_some((i, c, inner, i + 1 + end + 1))
        });
        match found {
            Some((start, c, inner, next)) => {
                push_text(out, &rest[..start]);
                let content = vec![Inline::Text(inner.to_string())];
                out.push(if c == '^' {
                    Inline::Superscript(content)
                } else {
                    Inline::Subscript(content)
                });
                rest = &rest[next..];
            }
            None => {
                push_text(out, rest);
                return;
            }
        }
    }
}

/// Joins adjacent texts and drops empty ones.
pub(super) fn merge_texts(v: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(v.len());
    for i in v {
        match i {
            Inline::Text(t) => push_text(&mut out, &t),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::trim_inlines;
    use crate::model::Inline;

    #[test]
    fn trimming_goes_on_while_the_end_changes() {
        // Found by tests/import_props.rs: `A <br>&nbsp;` kept "A " once the
        // blank text and the break had gone, and read back as "A".
        let mut v = vec![
            Inline::Text(" A ".into()),
            Inline::LineBreak,
            Inline::Text("\u{a0}".into()),
            Inline::LineBreak,
        ];
        trim_inlines(&mut v);
        assert_eq!(v, vec![Inline::Text("A".into())]);
        let mut v = vec![Inline::Code(" ".into()), Inline::Text(" ".into())];
        trim_inlines(&mut v);
        assert_eq!(v, vec![Inline::Code(" ".into())]);
    }
}
