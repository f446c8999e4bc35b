//! The units both document readers hand the interview passes, built from
//! paragraphs with a role (the document's style) and their inline content.
//! The input's "lines", for the report and diagnostics, are the document's
//! paragraphs: the source text kept for the import is the document's text,
//! one paragraph per line.

use crate::import::html::{ImageCopy, Page, normalize, split_bold_lead, whole_style};
use crate::import::report::Report;
use crate::import::unit::{Hint, Kind, PageMeta, Style, Unit};
use crate::model::{Align, Block, FileId, Image, ImageFormat, Inline, ListItem, Span, plain_text};
use std::collections::HashSet;

/// Character formatting both document formats put on a run of text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Marks {
    pub bold: bool,
    pub italic: bool,
    pub sup: bool,
    pub sub: bool,
}

impl Marks {
    /// Gathered text wrapped in these marks: a script inside emphasis
    /// inside strong, as the source format writes them back.
    pub fn wrap(self, mut v: Vec<Inline>) -> Vec<Inline> {
        if self.sup {
            v = vec![Inline::Superscript(v)];
        } else if self.sub {
            v = vec![Inline::Subscript(v)];
        }
        if self.italic {
            v = vec![Inline::Emphasis(v)];
        }
        if self.bold {
            v = vec![Inline::Strong(v)];
        }
        v
    }
}

/// A paragraph's role, from its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Body,
    Title,
    Subtitle,
    /// A heading of the document's outline, 1 the highest.
    Heading(u8),
    Quote,
    ListItem {
        ordered: bool,
    },
    /// A picture's caption: the caption of the figure just before, else
    /// a plain paragraph (never a question, though the style is bold).
    Caption,
}

/// What the reader has built so far.
pub struct Out<'r> {
    file: FileId,
    /// One line per paragraph.
    text: String,
    line: u32,
    units: Vec<Unit>,
    images: Vec<ImageCopy>,
    image_names: HashSet<String>,
    /// A list or quotation being gathered from consecutive paragraphs.
    open: Option<Open>,
    pub meta: PageMeta,
    pub report: &'r mut Report,
}

enum Open {
    List {
        ordered: bool,
        items: Vec<ListItem>,
        line: u32,
        span: Span,
    },
    Quote {
        blocks: Vec<Block>,
        line: u32,
        span: Span,
    },
}

impl<'r> Out<'r> {
    pub fn new(file: FileId, report: &'r mut Report) -> Self {
        Out {
            file,
            text: String::new(),
            line: 0,
            units: Vec::new(),
            images: Vec::new(),
            image_names: HashSet::new(),
            open: None,
            meta: PageMeta::default(),
            report,
        }
    }

    /// Records a paragraph's text as the next line; its number and span.
    pub fn next_line(&mut self, text: &str) -> (u32, Span) {
        let start = self.text.len();
        self.text
            .extend(text.chars().map(|c| if c == '\n' { ' ' } else { c }));
        let span = Span::new(self.file, start..self.text.len());
        self.text.push('\n');
        self.line += 1;
        (self.line, span)
    }

    /// The line the next paragraph will have.
    pub fn line(&self) -> u32 {
        self.line + 1
    }

    fn push(&mut self, line: u32, span: Span, kind: Kind, style: Style, hint: Option<Hint>) {
        let mut u = Unit::new(line, span, kind);
        u.style = style;
        u.hint = hint;
        self.units.push(u);
    }

    /// Ends a list or quotation being gathered.
    pub fn close(&mut self) {
        match self.open.take() {
            Some(Open::List {
                ordered,
                items,
                line,
                span,
            }) => self.push(
                line,
                span,
                Kind::Block(Block::List {
                    start: ordered.then_some(1),
                    items,
                    span,
                }),
                Style::Plain,
                None,
            ),
            Some(Open::Quote { blocks, line, span }) => self.push(
                line,
                span,
                Kind::Quote {
                    blocks,
                    pull: false,
                },
                Style::Plain,
                None,
            ),
            None => {}
        }
    }

    /// A paragraph of the document.
    pub fn para(&mut self, role: Role, mut content: Vec<Inline>) {
        normalize(&mut content);
        let text = plain_text(&content);
        if text.trim().is_empty() && !content.iter().any(|i| matches!(i, Inline::NoteRef(_))) {
            return;
        }
        let keep_open = matches!(
            (&self.open, role),
            (Some(Open::List { ordered: a, .. }), Role::ListItem { ordered: b }) if *a == b
        ) || matches!((&self.open, role), (Some(Open::Quote { .. }), Role::Quote));
        if !keep_open {
            self.close();
        }
        let (line, span) = self.next_line(&text);
        match role {
            Role::Title => self.push(
                line,
                span,
                Kind::Heading(1, content),
                Style::Plain,
                Some(Hint::Title),
            ),
            Role::Subtitle => self.push(
                line,
                span,
                Kind::Para(content),
                Style::Plain,
                Some(Hint::Standfirst),
            ),
            Role::Heading(n) => self.push(
                line,
                span,
                Kind::Heading(n.saturating_add(1).clamp(2, 6), content),
                Style::Heading(n.saturating_add(1).clamp(2, 6)),
                None,
            ),
            Role::Quote => {
                let p = Block::Paragraph { content, span };
                match &mut self.open {
                    Some(Open::Quote { blocks, .. }) => blocks.push(p),
                    _ => {
                        self.open = Some(Open::Quote {
                            blocks: vec![p],
                            line,
                            span,
                        })
                    }
                }
            }
            Role::ListItem { ordered } => {
                let item = ListItem {
                    blocks: vec![Block::Paragraph { content, span }],
                };
                match &mut self.open {
                    Some(Open::List { items, .. }) => items.push(item),
                    _ => {
                        self.open = Some(Open::List {
                            ordered,
                            items: vec![item],
                            line,
                            span,
                        })
                    }
                }
            }
            Role::Caption => {
                if let Some(Unit {
                    kind: Kind::Block(Block::Figure { caption, .. }),
                    ..
                }) = self.units.last_mut()
                    && caption.is_empty()
                {
                    *caption = content;
                } else {
                    self.push(line, span, Kind::Para(content), Style::Plain, None);
                }
            }
            Role::Body => {
                // A bold question leading a paragraph: "**Why?** Because …".
                if let Some((q, rest)) = split_bold_lead(&content) {
                    self.push(line, span, Kind::Para(q), Style::Bold, None);
                    self.push(line, span, Kind::Para(rest), Style::Plain, None);
                } else {
                    let style = whole_style(&content);
                    self.push(line, span, Kind::Para(content), style, None);
                }
            }
        }
    }

    /// A table, its first row the head (as text: cells of one line each).
    pub fn table(&mut self, mut rows: Vec<Vec<Vec<Inline>>>) {
        self.close();
        for row in &mut rows {
            for cell in row.iter_mut() {
                normalize(cell);
            }
        }
        rows.retain(|r| r.iter().any(|c| !plain_text(c).trim().is_empty()));
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        if width == 0 {
            return;
        }
        for r in &mut rows {
            r.resize(width, Vec::new());
        }
        let text = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| plain_text(c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect::<Vec<_>>()
            .join(" / ");
        let (line, span) = self.next_line(&text);
        let head = rows.remove(0);
        self.push(
            line,
            span,
            Kind::Block(Block::Table {
                align: vec![Align::None; width],
                head,
                rows,
                span,
            }),
            Style::Plain,
            None,
        );
    }

    /// A picture of the document: `data` is its file, `part` its name in
    /// the package (for the file name), `alt` the alt text the writer gave.
    pub fn picture(&mut self, data: Vec<u8>, part: &str, alt: &str, caption: Vec<Inline>) {
        self.close();
        let alt = crate::import::textutil::clean(alt);
        let (line, span) = self.next_line(&format!("[picture: {alt}]"));
        let caption_text = plain_text(&caption);
        if alt.is_empty() && caption_text.trim().is_empty() {
            self.report.drop(
                line,
                part.to_string(),
                "picture without alt text or caption (decorative, or a logo)",
            );
            return;
        }
        let (format, width, height) = match probe(&data) {
            Ok(p) => p,
            Err(why) => {
                self.report
                    .drop(line, alt, format!("picture {part}: {why}"));
                return;
            }
        };
        let ext = match format {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Png => "png",
            ImageFormat::WebP => "webp",
        };
        let stem = part
            .rsplit('/')
            .next()
            .and_then(|f| f.rsplit_once('.').map(|(s, _)| s).or(Some(f)))
            .map(crate::slug::slugify)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "image".into());
        let mut name = format!("{stem}.{ext}");
        let mut k = 2;
        while !self.image_names.insert(name.clone()) {
            name = format!("{stem}-{k}.{ext}");
            k += 1;
        }
        let to = format!("images/{name}");
        if alt.is_empty() {
            self.report.unsure(
                line,
                caption_text.clone(),
                "picture has no alt text; its caption is used as alt text",
            );
        }
        self.images.push(ImageCopy {
            from: to.clone().into(),
            to: to.clone(),
            data: Some(data),
        });
        let image = Image {
            path: to.clone().into(),
            src: to,
            alt: if alt.is_empty() { caption_text } else { alt },
            width,
            height,
            format,
        };
        self.push(
            line,
            span,
            Kind::Block(Block::Figure {
                image,
                caption,
                span,
            }),
            Style::Plain,
            None,
        );
    }

    /// An endnote (`key` counts from 0 in order of first reference).
    pub fn note(&mut self, key: u32, paras: Vec<Vec<Inline>>) {
        self.close();
        let mut blocks = Vec::new();
        let mut first = None;
        for mut p in paras {
            normalize(&mut p);
            let text = plain_text(&p);
            if text.trim().is_empty() {
                continue;
            }
            let (line, span) = self.next_line(&text);
            first.get_or_insert((line, span));
            blocks.push(Block::Paragraph { content: p, span });
        }
        let Some((line, span)) = first else {
            return;
        };
        self.meta.note_count = self.meta.note_count.max(key + 1);
        self.push(line, span, Kind::Note { key, blocks }, Style::Plain, None);
    }

    /// The units, with the title from the document's properties first when
    /// no paragraph is styled as the title; and the text they came from.
    /// Says in the report that tracked changes were read as accepted, with
    /// how many of each kind, so the editor checks them against the document.
    pub fn tracked_changes(&mut self, inserted: usize, deleted: usize) {
        let all = inserted + deleted;
        if all == 0 {
            return;
        }
        let s = |n: usize| if n == 1 { "" } else { "s" };
        self.report.unsure(
            1,
            String::new(),
            format!(
                "{all} tracked change{} read as accepted: {inserted} insertion{} kept, {deleted} deletion{} dropped; check the text against the document",
                s(all),
                s(inserted),
                s(deleted),
            ),
        );
    }

    pub fn finish(mut self) -> (String, Page) {
        self.close();
        if !self.units.iter().any(|u| u.hint == Some(Hint::Title)) {
            // A document with no Title paragraph but opening with its one
            // top-level heading, or with one that says the title of its
            // properties, has that heading as its title.
            let top = self
                .units
                .iter()
                .position(|u| matches!(u.kind, Kind::Heading(2, _)));
            let tops = self
                .units
                .iter()
                .filter(|u| matches!(u.kind, Kind::Heading(2, _)))
                .count();
            let named = |u: &Unit| {
                self.meta
                    .title
                    .as_deref()
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case(u.text().trim()))
            };
            if top == Some(0) && (tops == 1 || named(&self.units[0])) {
                let u = &mut self.units[0];
                if let Kind::Heading(_, c) = &u.kind {
                    u.kind = Kind::Heading(1, c.clone());
                }
                u.style = Style::Plain;
                u.hint = Some(Hint::Title);
            } else if let Some(t) = self.meta.title.clone() {
                let (line, span) = self.next_line(&t);
                let mut u = Unit::new(line, span, Kind::Heading(1, vec![Inline::Text(t)]));
                u.hint = Some(Hint::Title);
                self.units.insert(0, u);
            }
        }
        (
            self.text,
            Page {
                units: self.units,
                meta: self.meta,
                images: self.images,
            },
        )
    }
}

/// Format and size of a picture from its bytes; the same checks as for a
/// picture of a project ([`crate::source::paths::probe_image`]).
fn probe(data: &[u8]) -> Result<(ImageFormat, u32, u32), String> {
    use crate::picture::{MAX_IMAGE_BYTES, MAX_IMAGE_SIDE};
    if data.len() as u64 > MAX_IMAGE_BYTES {
        return Err(format!(
            "more than the {} MB a picture may be",
            MAX_IMAGE_BYTES / 1_000_000
        ));
    }
    let reader = image::ImageReader::new(std::io::Cursor::new(data))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = match reader.format() {
        Some(image::ImageFormat::Jpeg) => ImageFormat::Jpeg,
        Some(image::ImageFormat::Png) => ImageFormat::Png,
        Some(image::ImageFormat::WebP) => ImageFormat::WebP,
        Some(other) => {
            return Err(format!(
                "{other:?} pictures are not supported; save it as JPEG or PNG and add it by hand"
            ));
        }
        None => {
            return Err(
                "not a JPEG, PNG or WebP picture (a drawing or a chart); export it as PNG and add it by hand"
                    .into(),
            );
        }
    };
    let decoder = reader
        .into_decoder()
        .map_err(|e| format!("corrupt ({e})"))?;
    let (w, h) = image::ImageDecoder::dimensions(&decoder);
    if w == 0 || h == 0 || w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE {
        return Err(format!("it claims to be {w} x {h} pixels"));
    }
    Ok((format, w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Vec<Inline> {
        vec![Inline::Text(t.into())]
    }

    /// Without a Title paragraph, a first Heading 1 is the title when it
    /// is the only one, or says the title of the document's properties.
    #[test]
    fn a_first_heading_can_be_the_title() {
        for (title, second, is_title) in [
            (None, false, true),
            (Some("Night Shift"), true, true),
            (Some("Another Name"), true, false),
        ] {
            let mut r = Report::default();
            let mut out = Out::new(FileId(0), &mut r);
            out.meta.title = title.map(str::to_string);
            out.para(Role::Heading(1), text("Night Shift"));
            out.para(Role::Body, text("Some words of the text."));
            if second {
                out.para(Role::Heading(1), text("About the interviewee"));
            }
            let (_, page) = out.finish();
            let titled =
                page.units[0].hint == Some(Hint::Title) && page.units[0].text() == "Night Shift";
            assert_eq!(titled, is_title, "{title:?} {second}");
            if !is_title {
                // The properties' title goes first instead.
                assert_eq!(page.units[0].text(), "Another Name");
                assert_eq!(page.units[0].hint, Some(Hint::Title));
            }
        }
    }

    /// A caption right after a picture is its caption; elsewhere it is a
    /// plain paragraph (Word's Caption style is bold, never a question).
    #[test]
    fn a_caption_without_a_picture_is_no_question() {
        let mut r = Report::default();
        let mut out = Out::new(FileId(0), &mut r);
        out.para(
            Role::Caption,
            vec![Inline::Strong(text("Table 1. Levels by year"))],
        );
        let (src, page) = out.finish();
        assert_eq!(page.units[0].style, Style::Plain);
        assert_eq!(src, "Table 1. Levels by year\n");
    }
}
