//! The model → the source format: a chapter as Markdown with YAML front
//! matter, and a `book.toml`.
//!
//! Written so that reading the files back gives the same model: text is
//! escaped where Markdown would read it as markup, paragraphs are wrapped
//! only before words that cannot start a block, emphasis falls back to
//! `<em>`/`<strong>` where `*` could not open or close, and pull quotes get
//! `[!pull]` only when the reader would not see the repetition itself.

use crate::model::{Align, Block, Chapter, Inline, Metadata, Note, plain_text};
use std::collections::HashMap;
use std::fmt::Write;

/// Paragraphs are wrapped at this width (a line may run longer where no
/// break is safe).
pub const WIDTH: usize = 78;

/// Breakable space in rendered inline text, resolved by [`wrap`].
const SOFT: char = '\u{0}';
/// Forced line break (a hard break `\` at the end of a line).
const HARD: char = '\u{1}';

/// `book.toml` for a one-chapter book.
pub fn book_toml(meta: &Metadata, chapter_file: &str, input_name: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Made by `qalam import` from {}.",
        one_line_comment(input_name)
    );
    s.push_str("# Check the import report, then run `qalam check` on this folder.\n\n");
    s.push_str("[book]\n");
    let _ = writeln!(s, "title = {}", toml_string(&meta.title));
    if let Some(st) = &meta.subtitle {
        let _ = writeln!(s, "subtitle = {}", toml_string(st));
    }
    if !meta.authors.is_empty() {
        let list: Vec<String> = meta.authors.iter().map(|a| toml_string(a)).collect();
        let _ = writeln!(s, "authors = [{}]", list.join(", "));
    }
    let _ = writeln!(s, "language = {}", toml_string(meta.language.as_str()));
    if let Some(d) = &meta.date {
        let _ = writeln!(s, "date = {}", toml_string(d));
    }
    if let Some(d) = &meta.description {
        let _ = writeln!(s, "description = {}", toml_string(d));
    }
    let _ = writeln!(s, "chapters = [{}]", toml_string(chapter_file));
    s.push_str("\n[epub]\ntoc-depth = 2   # list the questions in the table of contents\n");
    s
}

fn one_line_comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn yaml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c.is_control() || c == '\u{feff}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML scalar: plain when it reads back as the same string, else
/// double-quoted.
fn yaml_scalar(s: &str) -> String {
    let first = s.chars().next();
    let plain = first.is_some_and(|c| c.is_alphabetic())
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.ends_with(' ')
        && !s.chars().any(|c| {
            c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\t')
        })
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain { s.to_string() } else { yaml_string(s) }
}

/// A chapter file. `orphans` are notes nothing refers to, written after
/// the others so their text is kept (the reader warns about them).
pub fn chapter(ch: &Chapter, orphans: &[Note]) -> String {
    let mut w = Writer::new(ch);
    let mut s = String::new();
    s.push_str("---\n");
    let _ = writeln!(s, "title: {}", yaml_scalar(&inline_md(&ch.title, true)));
    if let Some(sf) = &ch.standfirst {
        s.push_str("standfirst: >\n");
        for line in wrap(&render_inlines(sf, true, &w.labels), WIDTH - 2).lines() {
            let _ = writeln!(s, "  {line}");
        }
    }
    match ch.interviewees.len() {
        0 => {}
        1 => {
            let _ = writeln!(s, "interviewee: {}", yaml_scalar(&ch.interviewees[0]));
        }
        _ => {
            s.push_str("interviewee:\n");
            for n in &ch.interviewees {
                let _ = writeln!(s, "  - {}", yaml_scalar(n));
            }
        }
    }
    if let Some(i) = &ch.interviewer {
        let _ = writeln!(s, "interviewer: {}", yaml_scalar(i));
    }
    if let Some(d) = &ch.date {
        let _ = writeln!(s, "date: {}", yaml_string(d));
    }
    if let Some(bio) = &ch.bio {
        s.push_str("bio: |\n");
        let text = w.blocks_in(&bio.content, 2);
        for line in text.trim_end().lines() {
            if line.is_empty() {
                s.push('\n');
            } else {
                let _ = writeln!(s, "  {line}");
            }
        }
    }
    s.push_str("---\n");

    let mut body = String::new();
    if !ch.intro.is_empty() {
        body.push('\n');
        body.push_str(&w.blocks(&ch.intro));
    }
    for e in &ch.exchanges {
        body.push('\n');
        let _ = writeln!(body, "## {}", heading_md(&e.question.content, &w.labels));
        if !e.answer.is_empty() {
            body.push('\n');
            body.push_str(&w.blocks(&e.answer));
        }
    }
    for n in &ch.notes {
        body.push('\n');
        body.push_str(&w.note(n));
    }
    if !orphans.is_empty() {
        body.push_str("\n<!-- qalam import: the notes below are not referenced in the text.\n     Refer to each where it belongs, or delete it. -->\n");
        for n in orphans {
            body.push('\n');
            body.push_str(&w.note(n));
        }
    }
    s.push_str(&body);
    s
}

struct Writer {
    labels: HashMap<u32, String>,
    haystack: String,
    /// Wrap width of the blocks being written (less inside quotes, lists,
    /// notes and the front matter).
    width: usize,
}

impl Writer {
    fn new(ch: &Chapter) -> Self {
        Writer {
            labels: ch
                .notes
                .iter()
                .map(|n| (n.number, n.label.clone()))
                .collect(),
            haystack: crate::source::pullquote::chapter_haystack(ch),
            width: WIDTH,
        }
    }

    /// Blocks written `indent` columns in.
    fn blocks_in(&mut self, blocks: &[Block], indent: usize) -> String {
        let saved = self.width;
        self.width = saved.saturating_sub(indent).max(30);
        let s = self.blocks(blocks);
        self.width = saved;
        s
    }

    /// Blocks separated by blank lines, each ending with a newline.
    fn blocks(&mut self, blocks: &[Block]) -> String {
        let mut out = String::new();
        let mut prev_list: Option<bool> = None;
        for (k, b) in blocks.iter().enumerate() {
            if k > 0 {
                out.push('\n');
            }
            // Two lists of the same kind in a row would merge into one.
            if let Block::List { start, .. } = b {
                if prev_list == Some(start.is_some()) {
                    out.push_str("<!-- -->\n\n");
                }
                prev_list = Some(start.is_some());
            } else {
                prev_list = None;
            }
            out.push_str(&self.block(b));
        }
        out
    }

    fn block(&mut self, b: &Block) -> String {
        match b {
            Block::Paragraph { content, .. } => {
                let mut s = wrap(&render_inlines(content, true, &self.labels), self.width);
                s.push('\n');
                s
            }
            Block::Heading { level, content, .. } => {
                format!(
                    "{} {}\n",
                    "#".repeat((*level).clamp(3, 6) as usize),
                    heading_md(content, &self.labels)
                )
            }
            Block::BlockQuote { content, .. } => {
                let auto_pull = crate::source::pullquote::repeats(&self.haystack, content);
                let inner =
                    self.quote_body(content, if auto_pull { Some("[!quote]") } else { None });
                prefix_lines(&inner, "> ", ">")
            }
            Block::PullQuote { content, .. } => {
                let auto_pull = crate::source::pullquote::repeats(&self.haystack, content);
                let inner =
                    self.quote_body(content, if auto_pull { None } else { Some("[!pull]") });
                prefix_lines(&inner, "> ", ">")
            }
            Block::List { start, items, .. } => {
                let mut s = String::new();
                let loose = items.iter().any(|i| i.blocks.len() > 1);
                for (k, item) in items.iter().enumerate() {
                    if k > 0 && loose {
                        s.push('\n');
                    }
                    let marker = match start {
                        Some(n) => format!("{}. ", n.saturating_add(k as u64)),
                        None => "- ".to_string(),
                    };
                    let indent = " ".repeat(marker.len());
                    let inner = if item.blocks.is_empty() {
                        String::from("\n")
                    } else {
                        self.blocks_in(&item.blocks, marker.len())
                    };
                    let mut first = true;
                    for line in inner.lines() {
                        if first {
                            s.push_str(&marker);
                            s.push_str(line);
                            first = false;
                        } else if !line.is_empty() {
                            s.push_str(&indent);
                            s.push_str(line);
                        }
                        s.push('\n');
                    }
                }
                s
            }
            Block::Figure { image, caption, .. } => {
                let alt = escape_text(&image.alt, false, true, false);
                let cap = plain_text(caption);
                if cap.trim().is_empty() {
                    format!("![{alt}]({})\n", image.src)
                } else {
                    format!(
                        "![{alt}]({} \"{}\")\n",
                        image.src,
                        cap.replace('\\', "\\\\").replace('"', "\\\"")
                    )
                }
            }
            Block::SectionBreak { .. } => "***\n".to_string(),
            Block::CodeBlock { text, lang, .. } => {
                let longest = longest_run(text, '`');
                let fence = "`".repeat(longest.max(2) + 1);
                let info = lang
                    .as_deref()
                    .filter(|l| !l.contains(['`', ' ']))
                    .unwrap_or("");
                format!("{fence}{info}\n{text}\n{fence}\n")
            }
            Block::Table {
                align, head, rows, ..
            } => {
                let width = head.len().max(1);
                let cell = |c: &Vec<Inline>| {
                    render_inlines(c, false, &self.labels)
                        .replace([SOFT, HARD], " ")
                        .replace('|', "\\|")
                };
                let mut s = String::from("|");
                for k in 0..width {
                    let _ = write!(s, " {} |", head.get(k).map(cell).unwrap_or_default());
                }
                s.push_str("\n|");
                for k in 0..width {
                    let a = align.get(k).copied().unwrap_or(Align::None);
                    s.push_str(match a {
                        Align::None => " --- |",
                        Align::Left => " :-- |",
                        Align::Center => " :-: |",
                        Align::Right => " --: |",
                    });
                }
                s.push('\n');
                for r in rows {
                    s.push('|');
                    for k in 0..width {
                        let _ = write!(s, " {} |", r.get(k).map(cell).unwrap_or_default());
                    }
                    s.push('\n');
                }
                s
            }
        }
    }

    /// A quote's blocks, with `marker` put before the first paragraph.
    fn quote_body(&mut self, content: &[Block], marker: Option<&str>) -> String {
        let inner = self.blocks_in(content, 2);
        match (marker, content.first()) {
            (Some(m), Some(Block::Paragraph { .. })) => format!("{m} {inner}"),
            _ => inner,
        }
    }

    fn note(&mut self, n: &Note) -> String {
        let inner = self.blocks_in(&n.content, 4);
        let mut s = format!("[^{}]:", n.label);
        let mut first = true;
        for line in inner.lines() {
            if first {
                s.push(' ');
                s.push_str(line);
                first = false;
            } else if line.is_empty() {
                // keep blank lines inside the note
            } else {
                s.push_str("    ");
                s.push_str(line);
            }
            s.push('\n');
        }
        if first {
            s.push('\n');
        }
        s
    }
}

fn prefix_lines(text: &str, prefix: &str, blank: &str) -> String {
    let mut s = String::new();
    for line in text.trim_end_matches('\n').lines() {
        if line.is_empty() {
            s.push_str(blank);
        } else {
            s.push_str(prefix);
            s.push_str(line);
        }
        s.push('\n');
    }
    s
}

fn longest_run(t: &str, c: char) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for x in t.chars() {
        if x == c {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// Inline Markdown on one line (titles).
fn inline_md(v: &[Inline], block_start: bool) -> String {
    render_inlines(v, block_start, &HashMap::new()).replace([SOFT, HARD], " ")
}

/// A heading's text: one line, with `#`, `{` and `}` of its text escaped.
fn heading_md(v: &[Inline], labels: &HashMap<u32, String>) -> String {
    render(v, false, true, labels).replace([SOFT, HARD], " ")
}

/// Wraps rendered inline text at `width`, breaking only at soft spaces
/// before words that cannot start a Markdown block.
pub fn wrap(s: &str, width: usize) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / width.max(1));
    let mut line_len = 0usize;
    for (k, segment) in s.split(HARD).enumerate() {
        if k > 0 {
            out.push_str("\\\n");
            line_len = 0;
        }
        let mut first_word = true;
        for word in segment.split(SOFT) {
            let wl = word.chars().count();
            if first_word {
                out.push_str(word);
                line_len += wl;
                first_word = false;
                continue;
            }
            if line_len + 1 + wl > width && line_len > 0 && can_start_line(word) {
                out.push('\n');
                out.push_str(word);
                line_len = wl;
            } else {
                out.push(' ');
                out.push_str(word);
                line_len += 1 + wl;
            }
        }
    }
    out
}

/// Whether a line may begin with `word` without starting a block.
fn can_start_line(word: &str) -> bool {
    let Some(c) = word.chars().next() else {
        return false;
    };
    if c.is_ascii_digit() {
        let digits = word.trim_start_matches(|c: char| c.is_ascii_digit());
        return !(digits.starts_with('.') || digits.starts_with(')'));
    }
    c.is_alphanumeric()
        || (!c.is_ascii() && !c.is_whitespace() && c != '\u{a0}')
        || matches!(c, '(' | '"' | '\'' | '$')
}

/// Renders inlines as Markdown with [`SOFT`] for breakable spaces and
/// [`HARD`] for hard breaks. `block_start`: the text begins a block, so a
/// first character that would start one (`#`, `>`, `-`, `1.`) is escaped.
pub fn render_inlines(v: &[Inline], block_start: bool, labels: &HashMap<u32, String>) -> String {
    render(v, block_start, false, labels)
}

fn render(v: &[Inline], block_start: bool, heading: bool, labels: &HashMap<u32, String>) -> String {
    let mut r = Render {
        out: String::new(),
        labels,
        line_start: block_start,
        in_delims: false,
        heading,
    };
    r.run(v, None);
    r.out
}

struct Render<'a> {
    out: String,
    labels: &'a HashMap<u32, String>,
    /// The next text begins a line (a block, or the line after a hard break).
    line_start: bool,
    /// Inside `*…*` or `**…**`: emphasis within is written as HTML, since
    /// nested delimiters are read in surprising ways.
    in_delims: bool,
    /// In a heading, where a closing `#` sequence or a `{#id}` in the text
    /// would be read as syntax. Code spans and link targets are left alone:
    /// a backslash there is a character, not an escape.
    heading: bool,
}

impl Render<'_> {
    /// `after`: the first character of what follows this run, if known.
    fn run(&mut self, v: &[Inline], after: Option<char>) {
        for (k, i) in v.iter().enumerate() {
            let next = v.get(k + 1).map(first_char).unwrap_or(after);
            self.inline(i, next);
        }
    }

    fn prev(&self) -> Option<char> {
        self.out
            .chars()
            .next_back()
            .map(|c| if c == SOFT || c == HARD { ' ' } else { c })
    }

    fn inline(&mut self, i: &Inline, next: Option<char>) {
        match i {
            Inline::Text(t) => {
                let start = std::mem::take(&mut self.line_start);
                let mut e = escape_text(t, start, false, self.heading);
                // After a link or note reference, "(" or ":" would extend it.
                if self.out.ends_with(']') && (e.starts_with('(') || e.starts_with(':')) {
                    e.insert(0, '\\');
                }
                // "!" before a link or note reference would make an image.
                if e.ends_with('!') && next == Some('[') && !e.ends_with("\\!") {
                    e.pop();
                    e.push_str("\\!");
                }
                self.out.push_str(&e);
            }
            Inline::LineBreak => {
                self.out.push(HARD);
                self.line_start = true;
            }
            Inline::Code(t) => {
                self.line_start = false;
                // Spaces inside code are plain spaces, never break points.
                let n = longest_run(t, '`') + 1;
                let fence = "`".repeat(n);
                let pad = t.starts_with('`')
                    || t.ends_with('`')
                    || (t.starts_with(' ') && t.ends_with(' ') && !t.trim().is_empty());
                if pad {
                    let _ = write!(self.out, "{fence} {t} {fence}");
                } else {
                    let _ = write!(self.out, "{fence}{t}{fence}");
                }
            }
            Inline::Emphasis(c) | Inline::Strong(c) => {
                let (delim, tag) = if matches!(i, Inline::Emphasis(_)) {
                    ("*", "em")
                } else {
                    ("**", "strong")
                };
                let prev = self.prev();
                let first = c.first().map(first_char).unwrap_or(None);
                let last = last_char(c);
                let opens = first.is_some_and(|f| {
                    f.is_alphanumeric()
                        || (is_md_punct(f)
                            && f != '*'
                            && prev
                                .is_none_or(|p| p.is_whitespace() || (is_md_punct(p) && p != '*')))
                        || (!f.is_whitespace() && !is_md_punct(f))
                });
                let closes = last.is_some_and(|l| {
                    l.is_alphanumeric()
                        || (is_md_punct(l)
                            && l != '*'
                            && next
                                .is_none_or(|n| n.is_whitespace() || (is_md_punct(n) && n != '*')))
                        || (!l.is_whitespace() && !is_md_punct(l))
                });
                let clash = prev == Some('*')
                    || next == Some('*')
                    || first == Some('*')
                    || last == Some('*');
                // Nested emphasis of the same kind cannot be written with *.
                let nested_same = c
                    .iter()
                    .any(|x| std::mem::discriminant(x) == std::mem::discriminant(i));
                let use_md = opens && closes && !clash && !nested_same && !self.in_delims;
                self.line_start = false;
                if use_md {
                    self.out.push_str(delim);
                    self.in_delims = true;
                    self.run(c, Some('*'));
                    self.in_delims = false;
                    self.out.push_str(delim);
                } else {
                    let _ = write!(self.out, "<{tag}>");
                    self.run(c, Some('<'));
                    let _ = write!(self.out, "</{tag}>");
                }
            }
            Inline::Superscript(c) | Inline::Subscript(c) => {
                let tag = if matches!(i, Inline::Superscript(_)) {
                    "sup"
                } else {
                    "sub"
                };
                self.line_start = false;
                let _ = write!(self.out, "<{tag}>");
                self.run(c, Some('<'));
                let _ = write!(self.out, "</{tag}>");
            }
            Inline::Link { url, content } => {
                self.line_start = false;
                let autolink = matches!(content.as_slice(), [Inline::Text(t)] if t == url)
                    && (url.starts_with("https://") || url.starts_with("http://"))
                    && !url.contains(['<', '>', ' ', '\\']);
                if autolink {
                    let _ = write!(self.out, "<{url}>");
                } else {
                    // "[^1][text](url)" would read as a reference link.
                    if self.out.ends_with(']') && !self.out.ends_with("\\]") {
                        self.out.push_str("<!-- -->");
                    }
                    self.out.push('[');
                    self.run(content, Some(']'));
                    self.out.push(']');
                    if url.contains(['(', ')', ' ']) {
                        let _ = write!(self.out, "(<{url}>)");
                    } else {
                        let _ = write!(self.out, "({url})");
                    }
                }
            }
            Inline::NoteRef(n) => {
                self.line_start = false;
                let label = self.labels.get(n).cloned().unwrap_or_else(|| n.to_string());
                let _ = write!(self.out, "[^{label}]");
            }
            Inline::Foreign { lang, content } => {
                self.line_start = false;
                let _ = write!(self.out, "<span lang=\"{}\">", lang.as_str());
                self.run(content, Some('<'));
                self.out.push_str("</span>");
            }
        }
    }
}

fn is_md_punct(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace() && !c.is_ascii())
}

/// The first character an inline renders as.
fn first_char(i: &Inline) -> Option<char> {
    match i {
        Inline::Text(t) => {
            let c = t.chars().next()?;
            Some(if needs_escape(c) { '\\' } else { c })
        }
        Inline::LineBreak => Some('\\'),
        Inline::Code(_) => Some('`'),
        Inline::Emphasis(_) | Inline::Strong(_) => Some('*'),
        Inline::Superscript(_) | Inline::Subscript(_) | Inline::Foreign { .. } => Some('<'),
        Inline::Link { .. } | Inline::NoteRef(_) => Some('['),
    }
}

fn last_char(v: &[Inline]) -> Option<char> {
    match v.last()? {
        Inline::Text(t) => t.chars().next_back(),
        Inline::LineBreak => Some(' '),
        Inline::Code(_) => Some('`'),
        Inline::Emphasis(_) | Inline::Strong(_) => Some('*'),
        Inline::Superscript(_) | Inline::Subscript(_) | Inline::Foreign { .. } => Some('>'),
        Inline::Link { .. } => Some(')'),
        Inline::NoteRef(_) => Some(']'),
    }
}

fn needs_escape(c: char) -> bool {
    matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '^' | '~')
}

/// Escapes text for Markdown. Spaces become [`SOFT`] break points (unless
/// `keep_spaces`). `line_start`: escape what would begin a block.
/// `heading`: escape `#`, `{` and `}` as well.
pub fn escape_text(t: &str, line_start: bool, keep_spaces: bool, heading: bool) -> String {
    let mut out = String::with_capacity(t.len() + 8);
    let chars: Vec<char> = t.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        let at_start = line_start && k == 0;
        match c {
            c if needs_escape(c) => {
                out.push('\\');
                out.push(c);
            }
            '&' if entity_like(&chars[k + 1..]) => out.push_str("\\&"),
            // Hyphens in a run would become a dash.
            '-' if (k > 0 && chars[k - 1] == '-') || chars.get(k + 1) == Some(&'-') => {
                out.push_str("\\-")
            }
            '#' | '{' | '}' if heading => {
                out.push('\\');
                out.push(c);
            }
            '#' | '>' | '-' | '+' | '=' | '|' | ':' if at_start => {
                out.push('\\');
                out.push(c);
            }
            ' ' if !keep_spaces => out.push(SOFT),
            // Straight quotes left by the importer stay straight (the
            // reader's smart quotes would guess); apostrophes in words are safe.
            '"' => out.push_str("\\\""),
            '\'' if !(k > 0
                && chars[k - 1].is_alphanumeric()
                && chars.get(k + 1).is_some_and(|c| c.is_alphanumeric())) =>
            {
                out.push_str("\\'")
            }
            c => out.push(c),
        }
    }
    // "1. " or "1) " at the start of a block is a list.
    if line_start {
        let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && matches!(chars.get(digits), Some('.') | Some(')')) {
            let mut fixed = String::new();
            fixed.extend(&chars[..digits]);
            fixed.push('\\');
            fixed.push_str(&out[digits..]);
            return fixed;
        }
    }
    out
}

fn entity_like(rest: &[char]) -> bool {
    let mut k = 0;
    if rest.first() == Some(&'#') {
        k = 1;
    }
    let name = rest[k..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    name > 0 && rest.get(k + name) == Some(&';')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(v: &[Inline]) -> String {
        wrap(&render_inlines(v, true, &HashMap::new()), 1000)
    }

    #[test]
    fn escapes() {
        assert_eq!(
            md(&[Inline::Text(
                "a *b* [c] <d> _e_ `f` ^g^ ~h~ \\ &amp; R&D".into()
            )]),
            "a \\*b\\* \\[c\\] \\<d> \\_e\\_ \\`f\\` \\^g\\^ \\~h\\~ \\\\ \\&amp; R&D"
        );
        assert_eq!(
            md(&[Inline::Text("1. Not a list".into())]),
            "1\\. Not a list"
        );
        assert_eq!(
            md(&[Inline::Text("# not a heading".into())]),
            "\\# not a heading"
        );
        assert_eq!(
            md(&[Inline::Text("- not an item".into())]),
            "\\- not an item"
        );
    }

    #[test]
    fn emphasis_falls_back_to_html() {
        let v = vec![
            Inline::Text("x".into()),
            Inline::Emphasis(vec![Inline::Text("“quoted”".into())]),
            Inline::Text("y".into()),
        ];
        assert_eq!(md(&v), "x<em>“quoted”</em>y");
        let v = vec![
            Inline::Text("a ".into()),
            Inline::Strong(vec![Inline::Text("bold".into())]),
            Inline::Text(" b".into()),
        ];
        assert_eq!(md(&v), "a **bold** b");
    }

    #[test]
    fn headings_escape_their_syntax_but_not_inside_code_or_autolinks() {
        let h = |v: &[Inline]| heading_md(v, &HashMap::new());
        assert_eq!(
            h(&[Inline::Text("Why # and {#x}?".into())]),
            "Why \\# and \\{\\#x\\}?"
        );
        // Found by tests/import_props.rs: `\#` inside a code span is two
        // characters, so the question read back differently.
        assert_eq!(
            h(&[
                Inline::Code("#".into()),
                Inline::Text(" # ".into()),
                Inline::Code("`{#x}`".into())
            ]),
            "`#` \\# `` `{#x}` ``"
        );
        let url = "https://a.org/#f";
        assert_eq!(
            h(&[
                Inline::Link {
                    url: url.into(),
                    content: vec![Inline::Text(url.into())]
                },
                Inline::Text(" and \\#".into()),
            ]),
            "<https://a.org/#f> and \\\\\\#"
        );
    }

    #[test]
    fn wraps_only_where_safe() {
        let s = render_inlines(
            &[Inline::Text("aaaa bbbb - cccc 1. dddd".into())],
            true,
            &HashMap::new(),
        );
        assert_eq!(wrap(&s, 4), "aaaa\nbbbb -\ncccc 1.\ndddd");
    }
}
