//! Tables, figures and the saved page's own pictures.

use super::ImageCopy;
use super::Reader;
use super::classes::*;
use super::dom::*;
use super::inline::*;
use crate::import::textutil::clean;
use crate::import::unit::{Kind, Style};
use crate::model::{Block, Image, Inline};
use std::path::{Path, PathBuf};

impl Reader<'_> {
    pub(super) fn table(&mut self, n: N<'_>, depth: usize) {
        // A table of text cells becomes a table; a layout table is read as
        // containers.
        let layout = n.descendants().skip(1).any(|d| {
            matches!(
                tag(&d),
                Some("table")
                    | Some("p")
                    | Some("div")
                    | Some("ul")
                    | Some("ol")
                    | Some("blockquote")
                    | Some("h2")
                    | Some("h3")
            )
        });
        if layout {
            self.container(n, depth);
            return;
        }
        let mut head = Vec::new();
        let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
        for tr in n.descendants().filter(|d| tag(d) == Some("tr")) {
            let cells: Vec<N<'_>> = tr
                .children()
                .filter(|c| matches!(tag(c), Some("td") | Some("th")))
                .collect();
            if cells.is_empty() {
                continue;
            }
            let all_th = cells.iter().all(|c| tag(c) == Some("th"));
            let row: Vec<Vec<Inline>> = cells
                .iter()
                .map(|c| one_line(self.inlines_of(*c, depth)))
                .collect();
            if head.is_empty() && rows.is_empty() && all_th {
                head = row;
            } else {
                rows.push(row);
            }
        }
        let width = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
        if width == 0 {
            return;
        }
        if head.is_empty() {
            head = rows.remove(0);
        }
        head.resize(width, Vec::new());
        for r in &mut rows {
            r.resize(width, Vec::new());
        }
        let line = self.line_of(&n);
        let align = vec![crate::model::Align::None; width];
        self.push(
            line,
            Kind::Block(Block::Table {
                align,
                head,
                rows,
                span: self.span(line),
            }),
            Style::Plain,
            None,
        );
    }

    pub(super) fn figure(&mut self, n: N<'_>) {
        let line = self.line_of(&n);
        let img = if tag(&n) == Some("img") {
            Some(n)
        } else {
            n.descendants().find(|d| tag(d) == Some("img"))
        };
        let Some(img) = img else {
            self.container(n, 0);
            return;
        };
        if is_tracking_pixel(&img) {
            return;
        }
        let alt = clean(attr(&img, "alt").unwrap_or(""));
        let caption = n
            .descendants()
            .find(|d| tag(d) == Some("figcaption"))
            .map(|c| one_line(self.inlines_of(c, 0)))
            .unwrap_or_default();
        let caption_text = crate::model::plain_text(&caption);
        let src = attr(&img, "src")
            .or_else(|| attr(&img, "data-src"))
            .unwrap_or("")
            .trim()
            .to_string();
        let what = if alt.is_empty() {
            caption_text.clone()
        } else {
            alt.clone()
        };
        if alt.is_empty() && caption_text.is_empty() {
            self.report.drop(
                line,
                src,
                "picture without alt text or caption (decorative, or a logo)",
            );
            return;
        }
        match self.local_image(&src) {
            Some((from, format, w, h)) => {
                let name = self.image_name(&from);
                let to = format!("images/{name}");
                self.images.push(ImageCopy {
                    from: from.clone(),
                    to: to.clone(),
                    data: None,
                });
                if alt.is_empty() {
                    self.report.unsure(
                        line,
                        caption_text.clone(),
                        "picture has no alt text; its caption is used as alt text",
                    );
                }
                let image = Image {
                    path: from,
                    src: to,
                    alt: if alt.is_empty() { caption_text } else { alt },
                    width: w,
                    height: h,
                    format,
                };
                self.push(
                    line,
                    Kind::Block(Block::Figure {
                        image,
                        caption,
                        span: self.span(line),
                    }),
                    Style::Plain,
                    None,
                );
            }
            None => {
                let why = if src.starts_with("data:") {
                    "picture embedded in the page (data: URL); save it as a file into images/ and add it by hand".to_string()
                } else {
                    format!(
                        "picture not in the saved page's folder ({}); qalam never downloads: save it into images/ and add it by hand",
                        if src.is_empty() { "no src" } else { &src }
                    )
                };
                self.report.drop(line, what, why);
            }
        }
    }

    /// A picture saved next to the page (`Page_files/x.jpg`).
    pub(super) fn local_image(
        &self,
        src: &str,
    ) -> Option<(PathBuf, crate::model::ImageFormat, u32, u32)> {
        let base = self.base_dir.as_ref()?;
        let lower = src.to_ascii_lowercase();
        if src.is_empty()
            || lower.contains("://")
            || lower.starts_with("//")
            || lower.starts_with("data:")
            || lower.starts_with("javascript:")
            || src.starts_with('/')
        {
            return None;
        }
        let rel = percent_encoding::percent_decode_str(src.split(['?', '#']).next().unwrap_or(""))
            .decode_utf8_lossy()
            .into_owned();
        let base = base.canonicalize().ok()?;
        let path = base.join(&rel).canonicalize().ok()?;
        if !path.starts_with(&base) || !path.is_file() {
            return None;
        }
        let (format, w, h) = crate::source::paths::probe_image(&path).ok()?;
        Some((path, format, w, h))
    }

    pub(super) fn image_name(&mut self, from: &Path) -> String {
        let stem = from
            .file_stem()
            .map(|s| crate::slug::slugify(&s.to_string_lossy()))
            .unwrap_or_else(|| "image".into());
        let ext = from
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()) && !e.is_empty())
            .unwrap_or_else(|| "jpg".into());
        let mut name = format!("{stem}.{ext}");
        let mut k = 2;
        while !self.image_names.insert(name.clone()) {
            name = format!("{stem}-{k}.{ext}");
            k += 1;
        }
        name
    }
}
