//! Writes a book's text as Typst markup, for timing Typst on the same text
//! as qalam's PDF (`benches/typst.sh`, called by `benches/measure.sh`).
//!
//!   cargo run --release --example typst_text -- /tmp/book-50 /tmp/book-50.typ
//!
//! The page (trim, margins), the body type (Vollkorn at the book's size and
//! leading, justified and hyphenated) and the chapter's parts (title,
//! standfirst, questions in Noto Sans, answers, block quotes, lists, notes at
//! the chapter's end, the bio) follow qalam's design closely enough that both
//! set about the same number of pages; ornaments qalam adds (running heads,
//! the title page, the contents) are left out, which favours Typst.

use qalam::model::{Block, Book, Chapter, Inline};
use std::fmt::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, out] = args.as_slice() else {
        eprintln!("usage: typst_text BOOK_DIR OUT.typ");
        std::process::exit(2);
    };
    let loaded = qalam::internals::source::load(std::path::Path::new(dir));
    let Some(book) = loaded.book else {
        eprintln!("{dir}: the book has errors (run `qalam check {dir}`)");
        std::process::exit(1);
    };
    if let Err(e) = std::fs::write(out, typst(&book)) {
        eprintln!("{out}: {e}");
        std::process::exit(1);
    }
}

fn typst(book: &Book) -> String {
    let p = &book.settings.pdf;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "#set page(width: {w}pt, height: {h}pt, margin: (inside: {mi}pt, outside: {mo}pt, top: {mt}pt, bottom: {mb}pt), numbering: \"1\")",
        w = p.trim.width.pt(),
        h = p.trim.height.pt(),
        mi = p.margin_inner.pt(),
        mo = p.margin_outer.pt(),
        mt = p.margin_top.pt(),
        mb = p.margin_bottom.pt(),
    );
    let size = p.font_size.pt();
    // Lines exactly `leading` apart, baseline to baseline, as qalam sets
    // them: each line's box is the leading tall, with no gap between.
    let _ = writeln!(
        s,
        "#set text(font: \"Vollkorn\", size: {size}pt, lang: \"{}\", hyphenate: true, top-edge: {}pt, bottom-edge: 0pt)",
        book.meta.language.primary(),
        p.leading.pt()
    );
    s.push_str("#set par(justify: true, leading: 0pt, spacing: 0pt, first-line-indent: 1em)\n");
    s.push_str("#show heading: set text(font: \"Noto Sans\", size: 1.1em)\n");
    s.push_str("#show heading: set block(above: 1.2em, below: 0.6em)\n");
    s.push_str("#show heading.where(level: 1): set text(size: 1.8em)\n");
    s.push_str("#set document(title: [");
    escape(&book.meta.title, &mut s);
    s.push_str("])\n");
    s.push_str("#set page(header: context { if calc.even(here().page()) [#document.title] })\n\n");
    s.push_str("#outline(depth: 2)\n\n");
    for chapter in &book.chapters {
        write_chapter(chapter, &mut s);
    }
    s
}

fn write_chapter(c: &Chapter, s: &mut String) {
    s.push_str("#pagebreak(to: \"odd\")\n= ");
    inlines(&c.title, s);
    s.push_str("\n\n");
    if let Some(standfirst) = &c.standfirst {
        s.push_str("#emph[");
        inlines(standfirst, s);
        s.push_str("]\n\n");
    }
    blocks(&c.intro, s);
    for e in &c.exchanges {
        s.push_str("== ");
        inlines(&e.question.content, s);
        s.push_str("\n\n");
        blocks(&e.answer, s);
    }
    if !c.notes.is_empty() {
        s.push_str("=== Notes\n\n");
        for n in &c.notes {
            let _ = write!(s, "+ ");
            let mut text = String::new();
            blocks(&n.content, &mut text);
            s.push_str(text.trim().replace("\n\n", " ").as_str());
            s.push('\n');
        }
        s.push('\n');
    }
    if let Some(bio) = &c.bio {
        s.push_str("#pagebreak()\n=== About ");
        escape(&bio.name, s);
        s.push_str("\n\n");
        blocks(&bio.content, s);
    }
}

fn blocks(bs: &[Block], s: &mut String) {
    for b in bs {
        match b {
            Block::Paragraph { content, .. } => {
                inlines(content, s);
                s.push_str("\n\n");
            }
            Block::Heading { content, .. } => {
                s.push_str("=== ");
                inlines(content, s);
                s.push_str("\n\n");
            }
            Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                s.push_str("#quote(block: true)[\n");
                blocks(content, s);
                s.push_str("]\n\n");
            }
            Block::List { start, items, .. } => {
                for item in items {
                    s.push_str(if start.is_some() { "+ " } else { "- " });
                    let mut text = String::new();
                    blocks(&item.blocks, &mut text);
                    s.push_str(text.trim().replace("\n\n", " ").as_str());
                    s.push('\n');
                }
                s.push('\n');
            }
            Block::Figure { caption, .. } => {
                s.push_str("#figure(rect(width: 50%, height: 6em))[");
                inlines(caption, s);
                s.push_str("]\n\n");
            }
            Block::SectionBreak { .. } => s.push_str("#align(center)[\\* \\* \\*]\n\n"),
            Block::CodeBlock { text, .. } => {
                s.push_str("#raw(block: true, \"");
                for ch in text.chars() {
                    match ch {
                        '"' | '\\' => {
                            s.push('\\');
                            s.push(ch);
                        }
                        '\n' => s.push_str("\\n"),
                        _ => s.push(ch),
                    }
                }
                s.push_str("\")\n\n");
            }
            Block::Table { head, rows, .. } => {
                let _ = write!(s, "#table(columns: {}", head.len().max(1));
                for cell in head.iter().chain(rows.iter().flatten()) {
                    s.push_str(", [");
                    inlines(cell, s);
                    s.push(']');
                }
                s.push_str(")\n\n");
            }
        }
    }
}

fn inlines(is: &[Inline], s: &mut String) {
    for i in is {
        match i {
            Inline::Text(t) => escape(t, s),
            Inline::LineBreak => s.push_str("\\ "),
            Inline::Emphasis(c) => wrap("emph", c, s),
            Inline::Strong(c) => wrap("strong", c, s),
            Inline::Superscript(c) => wrap("super", c, s),
            Inline::Subscript(c) => wrap("sub", c, s),
            Inline::Code(t) => {
                s.push_str("#raw(\"");
                for ch in t.chars() {
                    if ch == '"' || ch == '\\' {
                        s.push('\\');
                    }
                    s.push(ch);
                }
                s.push_str("\")");
            }
            Inline::Link { content, .. } => inlines(content, s),
            Inline::NoteRef(n) => {
                let _ = write!(s, "#super[{n}]");
            }
            Inline::Foreign { content, .. } => inlines(content, s),
        }
    }
}

fn wrap(f: &str, content: &[Inline], s: &mut String) {
    let _ = write!(s, "#{f}[");
    inlines(content, s);
    s.push(']');
}

/// Typst markup's special characters, escaped with a backslash.
fn escape(t: &str, s: &mut String) {
    for ch in t.chars() {
        match ch {
            '\\' | '*' | '_' | '`' | '#' | '$' | '@' | '<' | '>' | '[' | ']' | '=' | '-' | '+'
            | '/' | '~' => {
                s.push('\\');
                s.push(ch);
            }
            '\n' => s.push(' '),
            _ => s.push(ch),
        }
    }
}
