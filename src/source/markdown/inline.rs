//! Inline content of a chapter: text, emphasis, links (checked), note
//! references, images on their way to figures, and the inline HTML that is
//! allowed.

use super::html::{self, HtmlTag};
use super::scripts::{
    ESCAPED_BRACKET, ESCAPED_CARET, ESCAPED_TILDE, merge_texts, restore_escaped_str,
};
use super::urls::link_url;
use super::{Events, MAX_NESTING, PendingImage, Reader, is_block_tag, push_text};
use crate::diag::Diagnostic;
use crate::model::{Inline, Lang, plain_text};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use std::ops::Range;

impl<'s> Reader<'s, '_> {
    /// Reads inline events. With `stop_at_block`, stops (without consuming)
    /// at a block start or an item end, for tight list items; otherwise reads
    /// through the matching end event.
    pub(super) fn inline_run(&mut self, ev: &mut Events<'s>, stop_at_block: bool) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        // Raw HTML tags open in this run: (tag name, index in `out` where its content starts).
        let mut html_stack: Vec<(String, usize, Option<Lang>)> = Vec::new();
        let mut skipping: Option<String> = None;
        loop {
            if stop_at_block {
                match ev.peek() {
                    None => break,
                    Some((Event::Start(tag), _)) if is_block_tag(tag) => break,
                    Some((Event::End(TagEnd::Item), _)) | Some((Event::Rule, _)) => break,
                    _ => {}
                }
            }
            let Some((e, r)) = ev.next() else { break };
            if let Some(name) = &skipping {
                if let Event::InlineHtml(h) | Event::Html(h) = &e
                    && let Some(HtmlTag::Close(n)) = html::parse_tag(h)
                    && &n == name
                {
                    skipping = None;
                }
                if matches!(e, Event::End(_)) && !stop_at_block {
                    break;
                }
                continue;
            }
            match e {
                Event::End(_) => break,
                Event::Text(t) => {
                    // An escaped `\^`, `\~` or `\[` is a literal character: mark
                    // it so that `scripts` does not take it for a delimiter, nor
                    // `undefined_refs_in_text` for a note reference.
                    match t.chars().next() {
                        Some(c @ ('^' | '~' | '[')) if self.escaped_at(r.start) => {
                            push_text(
                                &mut out,
                                match c {
                                    '^' => ESCAPED_CARET,
                                    '~' => ESCAPED_TILDE,
                                    _ => ESCAPED_BRACKET,
                                },
                            );
                            push_text(&mut out, &t[1..]);
                        }
                        _ => push_text(&mut out, &t),
                    }
                }
                Event::Code(c) => out.push(Inline::Code(c.to_string())),
                Event::SoftBreak => push_text(&mut out, " "),
                Event::HardBreak => out.push(Inline::LineBreak),
                Event::FootnoteReference(label) => {
                    let span = self.span(r);
                    let slot = self.notes.slot(&label);
                    if let Some(cur) = self.in_note {
                        let msg = if cur == slot {
                            format!("note `{label}` refers to itself")
                        } else {
                            format!("note reference `[^{label}]` inside another note")
                        };
                        self.push(
                            Diagnostic::error("note-in-note", msg)
                                .at(self.sources, span)
                                .help("endnotes cannot contain note references; write the text into the note instead"),
                        );
                        continue;
                    }
                    self.notes.refs.push((slot, span));
                    // Numbered later, by first reference; the slot for now.
                    out.push(Inline::NoteRef(slot));
                }
                Event::InlineHtml(h) | Event::Html(h) => {
                    self.inline_html(&h, r, &mut out, &mut html_stack, &mut skipping);
                }
                Event::Start(tag) => {
                    if self.nesting() >= MAX_NESTING {
                        self.too_deep(r, ev);
                        continue;
                    }
                    self.depth += 1;
                    let inlines = self.inline_container(tag, r, ev);
                    self.depth -= 1;
                    for i in inlines {
                        match i {
                            Inline::Text(t) => push_text(&mut out, &t),
                            other => out.push(other),
                        }
                    }
                }
                Event::Rule => {}
                Event::TaskListMarker(done) => push_text(&mut out, if done { "☑ " } else { "☐ " }),
                Event::InlineMath(m) | Event::DisplayMath(m) => push_text(&mut out, &m),
            }
        }
        // Tags never closed keep their content as plain text.
        self.html_open -= html_stack.len();
        merge_texts(out)
    }

    pub(super) fn inline_container(
        &mut self,
        tag: Tag<'s>,
        r: Range<usize>,
        ev: &mut Events<'s>,
    ) -> Vec<Inline> {
        let one = match tag {
            Tag::Emphasis => Inline::Emphasis(self.inline_run(ev, false)),
            Tag::Strong => Inline::Strong(self.inline_run(ev, false)),
            Tag::Superscript => Inline::Superscript(self.inline_run(ev, false)),
            Tag::Subscript => Inline::Subscript(self.inline_run(ev, false)),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let content = self.inline_run(ev, false);
                match self.check_url(&dest_url, link_type, r) {
                    Some(url) => Inline::Link { url, content },
                    // An unsafe or unusable link keeps its text.
                    None => return content,
                }
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                let alt_inlines = self.inline_run(ev, false);
                let alt = restore_escaped_str(&plain_text(&alt_inlines));
                // Set aside for the enclosing paragraph, which makes it a figure.
                let span = self.span(r);
                self.pending_images.push(PendingImage {
                    src: dest_url.to_string(),
                    title: title.to_string(),
                    alt,
                    span,
                });
                return Vec::new();
            }
            // Strikethrough is not enabled, and block tags do not occur inside
            // inline content; keep whatever text they hold.
            _ => return self.inline_run(ev, false),
        };
        vec![one]
    }

    pub(super) fn check_url(
        &mut self,
        url: &CowStr<'_>,
        link_type: LinkType,
        r: Range<usize>,
    ) -> Option<String> {
        let url = url.trim();
        let lower = url.to_ascii_lowercase();
        let target = if link_type == LinkType::Email {
            link_url(&format!("mailto:{url}"))
        } else {
            link_url(url)
        };
        if target.is_some() {
            return target;
        }
        let span = self.span(r);
        let what = if lower.starts_with("javascript:")
            || lower.starts_with("data:")
            || lower.starts_with("vbscript:")
        {
            "an unsafe link"
        } else {
            "a link that cannot work in a book"
        };
        self.push(
            Diagnostic::warning(
                "link-dropped",
                format!("{what} (`{url}`) is kept as plain text"),
            )
            .at(self.sources, span)
            .help("links must be absolute web addresses (https://…) or mailto: addresses"),
        );
        None
    }

    pub(super) fn inline_html(
        &mut self,
        h: &str,
        r: Range<usize>,
        out: &mut Vec<Inline>,
        stack: &mut Vec<(String, usize, Option<Lang>)>,
        skipping: &mut Option<String>,
    ) {
        let span = self.span(r);
        match html::parse_tag(h) {
            Some(HtmlTag::Comment) => {}
            Some(HtmlTag::Open {
                name,
                lang,
                self_closing,
            }) => {
                if name == "br" {
                    out.push(Inline::LineBreak);
                    return;
                }
                if html::is_kept_inline(&name) {
                    if !self_closing {
                        if self.nesting() >= MAX_NESTING {
                            // The tag is ignored (its close then matches
                            // nothing), and the chapter is refused.
                            self.report_too_deep(span);
                            return;
                        }
                        self.html_open += 1;
                        stack.push((name, out.len(), lang));
                        // An empty text starts the tag's content, so text that
                        // follows is not merged into text before the tag.
                        out.push(Inline::Text(String::new()));
                    }
                    return;
                }
                if html::is_dangerous_container(&name) && !self_closing {
                    *skipping = Some(name.clone());
                }
                self.push(
                    Diagnostic::warning("html-dropped", format!("raw HTML tag <{name}> dropped"))
                        .at(self.sources, span)
                        .help("only <em>, <strong>, <sup>, <sub>, <br> and <span lang=…> are kept; write the rest in Markdown"),
                );
            }
            Some(HtmlTag::Close(name)) => {
                let Some(pos) = stack.iter().rposition(|(n, _, _)| *n == name) else {
                    return;
                };
                self.html_open -= stack.len() - pos;
                let (name, start, lang) = stack.remove(pos);
                stack.truncate(pos);
                let content: Vec<Inline> = out
                    .drain(start..)
                    .filter(|i| !matches!(i, Inline::Text(t) if t.is_empty()))
                    .collect();
                let wrapped = match name.as_str() {
                    "em" | "i" | "cite" | "dfn" | "var" => Inline::Emphasis(content),
                    "strong" | "b" => Inline::Strong(content),
                    "sup" => Inline::Superscript(content),
                    "sub" => Inline::Subscript(content),
                    "code" | "kbd" | "samp" => Inline::Code(plain_text(&content)),
                    _ => match lang {
                        Some(lang) => Inline::Foreign { lang, content },
                        None => {
                            out.extend(content);
                            return;
                        }
                    },
                };
                out.push(wrapped);
            }
            None => {
                self.push(
                    Diagnostic::warning("html-dropped", "raw HTML dropped")
                        .at(self.sources, span)
                        .help("write the content in Markdown"),
                );
            }
        }
    }
}
