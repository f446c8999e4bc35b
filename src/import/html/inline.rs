//! Inline content: text, emphasis, links, note references, line breaks,
//! and the clean-up of white space at paragraph edges.

use super::Reader;
use super::classes::*;
use super::dom::*;
use super::parse::MAX_DEPTH;
use crate::import::textutil::{clean, is_unwanted};
use crate::import::unit::Style;
use crate::model::{Block, Inline, Lang, Span};
use scraper::node::Node;

impl Reader<'_> {
    pub(super) fn inlines_of(&mut self, n: N<'_>, depth: usize) -> Vec<Inline> {
        let mut v = Vec::new();
        for c in n.children() {
            self.inline(c, &mut v, depth + 1);
        }
        normalize(&mut v);
        v
    }

    /// Inline content of a node, appended to `out`.
    pub(super) fn inline(&mut self, n: N<'_>, out: &mut Vec<Inline>, depth: usize) {
        match n.value() {
            Node::Text(t) => {
                let mut s = String::with_capacity(t.len());
                let mut space = false;
                for c in t.chars() {
                    if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
                        if !space {
                            s.push(' ');
                        }
                        space = true;
                    } else if !is_unwanted(c) {
                        s.push(c);
                        space = false;
                    }
                }
                crate::source::markdown::push_text(out, &s);
                return;
            }
            Node::Element(_) => {}
            _ => return,
        }
        let name = tag(&n).unwrap_or("");
        if is_ignored(name) || is_hidden(&n) {
            return;
        }
        let toks = tokens(&n);
        if has_token(
            &toks,
            &[
                "screen-reader-text",
                "sr-only",
                "visually-hidden",
                "visuallyhidden",
            ],
        ) {
            return;
        }
        if depth > MAX_DEPTH {
            crate::source::markdown::push_text(out, &text_of(&n));
            return;
        }
        let kids = |me: &mut Self, depth: usize| {
            let mut v = Vec::new();
            for c in n.children() {
                me.inline(c, &mut v, depth + 1);
            }
            v
        };
        // Note references.
        if let Some(k) = self.note_ref(&n) {
            out.push(Inline::NoteRef(k + 1));
            return;
        }
        let lang = attr(&n, "lang").and_then(Lang::parse).filter(|l| {
            self.doc_lang
                .as_deref()
                .is_none_or(|d| Lang::parse(d).is_none_or(|d| d.primary() != l.primary()))
        });
        let item = match name {
            "em" | "i" | "cite" | "dfn" | "var" => Inline::Emphasis(kids(self, depth)),
            "strong" | "b" => Inline::Strong(kids(self, depth)),
            "sup" => Inline::Superscript(kids(self, depth)),
            "sub" => Inline::Subscript(kids(self, depth)),
            "code" | "kbd" | "samp" | "tt" => Inline::Code(clean(&text_of(&n))),
            "br" => Inline::LineBreak,
            "q" => {
                crate::source::markdown::push_text(out, "“");
                let v = kids(self, depth);
                push_all(out, v);
                crate::source::markdown::push_text(out, "”");
                return;
            }
            "a" => {
                let content = kids(self, depth);
                match attr(&n, "href").and_then(|h| self.absolute_url(h)) {
                    Some(url) if !content.is_empty() => Inline::Link { url, content },
                    _ => {
                        push_all(out, content);
                        return;
                    }
                }
            }
            "img" => {
                if !is_tracking_pixel(&n)
                    && let Some(alt) = attr(&n, "alt")
                        .map(clean)
                        .filter(|a| !a.is_empty() && !is_file_name(a))
                {
                    crate::source::markdown::push_text(out, &alt);
                }
                return;
            }
            "del" | "s" | "strike" => {
                // Struck-out text is not what the page says.
                let t = text_of(&n);
                if !t.is_empty() {
                    let line = self.line_of(&n);
                    self.report.drop(line, t, "struck-out text");
                }
                return;
            }
            _ => {
                let v = kids(self, depth);
                if is_block(name) {
                    crate::source::markdown::push_text(out, " ");
                }
                match lang {
                    Some(lang) if !v.is_empty() => Inline::Foreign { lang, content: v },
                    _ => {
                        push_all(out, v);
                        if is_block(name) {
                            crate::source::markdown::push_text(out, " ");
                        }
                        return;
                    }
                }
            }
        };
        let empty = match &item {
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c) => c.is_empty(),
            Inline::Code(t) => t.is_empty(),
            _ => false,
        };
        if !empty {
            out.push(item);
        }
    }

    /// The note a link or superscript refers to.
    pub(super) fn note_ref(&self, n: &N<'_>) -> Option<u32> {
        let link = match tag(n)? {
            "a" => Some(*n),
            "sup" => n.descendants().find(|d| tag(d) == Some("a")),
            _ => None,
        }?;
        let frag = attr(&link, "href")?.strip_prefix('#')?;
        let note = self.note_ids.get(frag)?;
        self.note_keys.get(note).copied()
    }

    /// The page's link as the model keeps links (see
    /// [`crate::source::markdown::link_url`]), resolved against the page's
    /// address when it is relative.
    pub(super) fn absolute_url(&self, href: &str) -> Option<String> {
        crate::source::markdown::link_url(&self.resolve_href(href)?)
    }

    pub(super) fn resolve_href(&self, href: &str) -> Option<String> {
        let h = href.trim();
        let lower = h.to_ascii_lowercase();
        if lower.starts_with("https://")
            || lower.starts_with("http://")
            || lower.starts_with("mailto:")
        {
            return (!h.contains(char::is_whitespace) && !h.contains(['<', '>']))
                .then(|| h.to_string());
        }
        if h.starts_with('#')
            || lower.starts_with("javascript:")
            || lower.starts_with("data:")
            || h.is_empty()
        {
            return None;
        }
        let base = self.base_url.as_ref()?;
        let origin_end = base
            .find("://")
            .map(|i| i + 3)
            .and_then(|s| base[s..].find('/').map(|j| s + j))
            .unwrap_or(base.len());
        let url = if let Some(rest) = h.strip_prefix("//") {
            format!("{}//{rest}", &base[..base.find("//")?])
        } else if h.starts_with('/') {
            format!("{}{h}", &base[..origin_end])
        } else {
            let dir_end = base
                .rfind('/')
                .filter(|&i| i >= origin_end)
                .map_or(base.len(), |i| i + 1);
            let prefix = if dir_end == base.len() && !base.ends_with('/') {
                format!("{base}/")
            } else {
                base[..dir_end].to_string()
            };
            format!("{prefix}{h}")
        };
        (!url.contains(char::is_whitespace) && !url.contains(['<', '>'])).then_some(url)
    }
}

pub(super) fn push_all(out: &mut Vec<Inline>, v: Vec<Inline>) {
    for x in v {
        match x {
            Inline::Text(t) => crate::source::markdown::push_text(out, &t),
            x => out.push(x),
        }
    }
}

pub(super) fn push_para(inl: &mut Vec<Inline>, blocks: &mut Vec<Block>, span: Span) {
    let mut v = std::mem::take(inl);
    normalize(&mut v);
    if !v.is_empty() {
        blocks.push(Block::Paragraph { content: v, span });
    }
}

/// Collapses white space across inline boundaries and trims the ends.
pub fn normalize(v: &mut Vec<Inline>) {
    fn walk(v: &mut Vec<Inline>, space: &mut bool) {
        for x in v.iter_mut() {
            match x {
                Inline::Text(t) => {
                    let mut s = String::with_capacity(t.len());
                    for c in t.chars() {
                        if c == ' ' {
                            if !*space {
                                s.push(' ');
                            }
                            *space = true;
                        } else {
                            s.push(c);
                            *space = false;
                        }
                    }
                    *t = s;
                }
                Inline::LineBreak => *space = true,
                Inline::Code(_) => *space = false,
                Inline::NoteRef(_) => {}
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::Link { content: c, .. }
                | Inline::Foreign { content: c, .. } => walk(c, space),
            }
        }
        v.retain(|x| match x {
            Inline::Text(t) => !t.is_empty(),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Foreign { content: c, .. } => !c.is_empty(),
            _ => true,
        });
    }
    let mut space = true;
    walk(v, &mut space);
    // Trim leading/trailing white space, also inside leading/trailing wrappers.
    trim_edges(v);
    while matches!(v.first(), Some(Inline::LineBreak)) {
        v.remove(0);
    }
    while matches!(v.last(), Some(Inline::LineBreak)) {
        v.pop();
    }
    trim_edges(v);
}

pub(super) fn trim_edges(v: &mut Vec<Inline>) {
    loop {
        match v.first_mut() {
            Some(Inline::Text(t)) => {
                let s = t.trim_start_matches(' ');
                if s.is_empty() {
                    v.remove(0);
                    continue;
                }
                *t = s.to_string();
            }
            Some(
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::Foreign { content: c, .. },
            ) => {
                if let Some(Inline::Text(t)) = c.first_mut() {
                    *t = t.trim_start_matches(' ').to_string();
                    if t.is_empty() {
                        c.remove(0);
                    }
                }
                if c.is_empty() {
                    v.remove(0);
                    continue;
                }
            }
            _ => {}
        }
        break;
    }
    loop {
        match v.last_mut() {
            Some(Inline::Text(t)) => {
                let s = t.trim_end_matches(' ');
                if s.is_empty() {
                    v.pop();
                    continue;
                }
                *t = s.to_string();
            }
            Some(
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::Foreign { content: c, .. },
            ) => {
                if let Some(Inline::Text(t)) = c.last_mut() {
                    *t = t.trim_end_matches(' ').to_string();
                    if t.is_empty() {
                        c.pop();
                    }
                }
                if c.is_empty() {
                    v.pop();
                    continue;
                }
            }
            _ => {}
        }
        break;
    }
}

/// Paragraphs inside one run, split at a blank line made of two `<br>`s.
pub(super) fn split_paragraphs(v: Vec<Inline>) -> Vec<Vec<Inline>> {
    let mut out = Vec::new();
    let mut cur: Vec<Inline> = Vec::new();
    let mut iter = v.into_iter().peekable();
    while let Some(x) = iter.next() {
        if matches!(x, Inline::LineBreak) {
            // Skip spaces between the breaks.
            let mut breaks = 1;
            while let Some(next) = iter.peek() {
                match next {
                    Inline::LineBreak => {
                        breaks += 1;
                        iter.next();
                    }
                    Inline::Text(t) if t.trim().is_empty() => {
                        iter.next();
                    }
                    _ => break,
                }
            }
            if breaks >= 2 {
                normalize(&mut cur);
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                continue;
            }
        }
        cur.push(x);
    }
    normalize(&mut cur);
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// One line for a table cell or caption: breaks become spaces.
pub(super) fn one_line(mut v: Vec<Inline>) -> Vec<Inline> {
    crate::model::visit_inline_vec(&mut v, &mut |x: &mut Vec<Inline>| {
        for i in x.iter_mut() {
            if matches!(i, Inline::LineBreak) {
                *i = Inline::Text(" ".into());
            }
        }
    });
    normalize(&mut v);
    v
}

/// Bold or italic when all the paragraph's text is.
pub(crate) fn whole_style(v: &[Inline]) -> Style {
    let mut bold = true;
    let mut italic = true;
    let mut any = false;
    for x in v {
        match x {
            Inline::Strong(_) => {
                italic = false;
                any = true;
            }
            Inline::Emphasis(c) => {
                bold &= c.iter().all(|i| {
                    matches!(i, Inline::Strong(_))
                        || matches!(i, Inline::Text(t) if t.trim().is_empty())
                });
                any = true;
            }
            Inline::Text(t) if t.trim().is_empty() => {}
            Inline::NoteRef(_) | Inline::LineBreak => {}
            _ => {
                bold = false;
                italic = false;
            }
        }
    }
    if !any {
        return Style::Plain;
    }
    let has_strong = v.iter().any(|x| matches!(x, Inline::Strong(_)));
    if bold && has_strong {
        Style::Bold
    } else if italic && v.iter().any(|x| matches!(x, Inline::Emphasis(_))) {
        Style::Italic
    } else {
        Style::Plain
    }
}

/// "**What changed?** Everything …": a bold question, then its answer, in
/// one paragraph.
pub(crate) fn split_bold_lead(v: &[Inline]) -> Option<(Vec<Inline>, Vec<Inline>)> {
    let Some(Inline::Strong(c)) = v.first() else {
        return None;
    };
    let q = crate::model::plain_text(c);
    let q = q.trim();
    if !q.ends_with('?')
        || q.split_whitespace().count() < 3
        || crate::import::passes::speakers::qa_label(q).is_some()
    {
        return None;
    }
    let mut rest: Vec<Inline> = v[1..].to_vec();
    normalize(&mut rest);
    if crate::model::plain_text(&rest).split_whitespace().count() < 3 {
        return None;
    }
    Some((vec![Inline::Strong(c.clone())], rest))
}

/// An `alt` that only names the picture's file ("12-IMG_3886.jpg"), which
/// says nothing to a reader.
fn is_file_name(alt: &str) -> bool {
    let lower = alt.to_ascii_lowercase();
    !alt.contains(' ')
        && [
            ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp", ".tif", ".tiff",
        ]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::is_file_name;

    #[test]
    fn file_names_are_no_alt_text() {
        assert!(is_file_name("12-IMG_3886.jpg"));
        assert!(is_file_name("P1610088.JPG"));
        assert!(!is_file_name("A page of a caravan ledger"));
        assert!(!is_file_name("logo.png of the fair"));
    }
}
