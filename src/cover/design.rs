//! Typographic cover designs, drawn as filled outlines (type included):
//! one [`Layout`] that [`super::raster`] turns into pixels, the PDF writer
//! into vectors and [`Layout::svg`] into an SVG file.
//!
//! Every measure is a fraction of the page width, so one design serves the
//! EPUB's 1600 x 2560 px raster and the PDF's page in points alike. The
//! page may carry bleed: backgrounds and bands run into it, type keeps to
//! margins measured from the trim.

use super::colour::{Palette, Rgb};
use super::text::{self, BBox, Fit, FontChoice, Paragraph, TextStyle};
use crate::fonts::Role;
use crate::model::Book;
use crate::typeset::{Align, TextFonts};
use crate::typography::join_names;
use std::fmt::Write as _;
use tiny_skia::{Path, PathBuilder, Rect};

/// The page a cover is drawn on (any unit: px for rasters, pt for PDF).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Canvas {
    /// Trim width and height.
    pub width: f32,
    pub height: f32,
    /// Extra margin drawn on every side (print bleed); 0 for screens.
    pub bleed: f32,
}

impl Canvas {
    /// The EPUB cover: 1600 x 2560 px, the 1:1.6 the big stores ask for.
    pub const EPUB: Canvas = Canvas {
        width: 1600.0,
        height: 2560.0,
        bleed: 0.0,
    };

    /// The book's PDF page (trim size in points), with or without bleed.
    pub fn pdf(book: &Book, with_bleed: bool) -> Canvas {
        let pdf = &book.settings.pdf;
        Canvas {
            width: pdf.trim.width.pt(),
            height: pdf.trim.height.pt(),
            bleed: if with_bleed { pdf.bleed.pt() } else { 0.0 },
        }
    }

    /// Full width and height including bleed.
    pub fn outer(&self) -> (f32, f32) {
        (
            self.width + 2.0 * self.bleed,
            self.height + 2.0 * self.bleed,
        )
    }
}

/// A cover design: the styles are a setting (`[cover] style`), named in
/// the model.
pub use crate::model::CoverStyle as Style;

/// What a cover says.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub title: String,
    pub subtitle: Option<String>,
    /// Interviewees (or, failing them, authors) as set on the cover.
    pub names: Option<String>,
    pub publisher: Option<String>,
    /// Primary language subtag (for the quotation mark and "and").
    pub lang: String,
}

/// More names than this are cut with an ellipsis: a cover is no index.
const MAX_NAMES: usize = 8;

impl Content {
    pub fn of_book(book: &Book) -> Content {
        let lang = book.meta.language.primary();
        let mut people: Vec<String> = Vec::new();
        for n in book.chapters.iter().flat_map(|c| &c.interviewees) {
            if !people.contains(n) {
                people.push(n.clone());
            }
        }
        if people.is_empty() {
            people = book.meta.authors.clone();
        }
        let names = match people.len() {
            0 => None,
            1..=3 => Some(join_names(&people, &lang)),
            // Many names: no-break spaces inside each so lines break only
            // between people.
            n => {
                let mut shown: Vec<String> = people
                    .iter()
                    .take(MAX_NAMES.min(n))
                    .map(|p| p.replace(' ', "\u{a0}"))
                    .collect();
                if n > MAX_NAMES {
                    shown.truncate(MAX_NAMES - 1);
                    shown.push("…".into());
                }
                Some(shown.join("\u{a0}· "))
            }
        };
        let clean = |s: &Option<String>| {
            s.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        Content {
            title: book.meta.title.trim().to_string(),
            subtitle: clean(&book.meta.subtitle),
            names,
            publisher: clean(&book.meta.publisher),
            lang,
        }
    }

    /// What the cover shows, as alternative text.
    pub fn alt(&self) -> String {
        let mut s = format!("Cover: {}", self.title);
        if let Some(sub) = &self.subtitle {
            let _ = write!(s, ". {sub}");
        }
        if let Some(n) = &self.names {
            let _ = write!(s, ". {}", n.replace('\u{a0}', " "));
        }
        if let Some(p) = &self.publisher {
            let _ = write!(s, ". {p}");
        }
        s
    }

    fn opening_quote(&self) -> &'static str {
        crate::model::Lang::parse(&self.lang).map_or("“", |l| l.opening_quote())
    }
}

pub use super::shape::Shape;

/// A drawn cover: its shapes and where the type landed.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub canvas: Canvas,
    /// The area type must keep to, in trim coordinates.
    pub safe: BBox,
    /// Ink boxes of every line of type, in trim coordinates.
    pub text_boxes: Vec<BBox>,
    /// Fills the whole canvas, bleed included.
    pub background: Rgb,
    /// Bands, rules and ornaments, drawn first.
    pub decor: Vec<Shape>,
    /// The type, one shape per line, drawn over the decor.
    pub text: Vec<Shape>,
}

impl Layout {
    /// Everything drawn over the background, in order; without the decor
    /// when `decor` is false.
    pub fn shapes(&self, decor: bool) -> impl Iterator<Item = &Shape> {
        let decor = if decor { &self.decor[..] } else { &[] };
        decor.iter().chain(&self.text)
    }

    /// The whole cover as an SVG document.
    pub fn svg(&self) -> String {
        let (w, h) = self.canvas.outer();
        let b = self.canvas.bleed;
        let mut s = String::with_capacity(64 * 1024);
        let _ = write!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\
             <rect width=\"{w}\" height=\"{h}\" fill=\"{}\"/><g transform=\"translate({b} {b})\">",
            self.background.hex(),
            w = text::num(w),
            h = text::num(h),
            b = text::num(b),
        );
        for shape in self.shapes(true) {
            let _ = write!(s, "<path fill=\"{}\" d=\"", shape.fill.hex());
            svg_path(&shape.path, &mut s);
            s.push_str("\"/>");
        }
        s.push_str("</g></svg>");
        s
    }
}

/// Writes a path as SVG path data: absolute commands, two decimals.
fn svg_path(path: &Path, out: &mut String) {
    use tiny_skia::PathSegment as Seg;
    let pt = |cmd: Option<char>, p: tiny_skia::Point, out: &mut String| {
        if let Some(c) = cmd {
            out.push(c);
        } else {
            out.push(' ');
        }
        let _ = write!(out, "{} {}", text::num(p.x), text::num(p.y));
    };
    for seg in path.segments() {
        match seg {
            Seg::MoveTo(p) => pt(Some('M'), p, out),
            Seg::LineTo(p) => pt(Some('L'), p, out),
            Seg::QuadTo(p1, p) => {
                pt(Some('Q'), p1, out);
                pt(None, p, out);
            }
            Seg::CubicTo(p1, p2, p) => {
                pt(Some('C'), p1, out);
                pt(None, p2, out);
                pt(None, p, out);
            }
            Seg::Close => out.push('Z'),
        }
    }
}

/// Lays out `content` in `style` on `canvas`, its type set in `fonts`.
pub fn layout(
    fonts: &TextFonts,
    content: &Content,
    palette: &Palette,
    style: Style,
    canvas: Canvas,
) -> Layout {
    let mut page = Page::new(fonts, canvas, palette);
    match style {
        Style::Field => field(content, &mut page),
        Style::Band => band(content, &mut page),
        Style::Frame => frame(content, &mut page),
    }
    page.finish()
}

/// Drawing state: the canvas, the colours and what has been drawn.
struct Page<'a> {
    fonts: &'a TextFonts,
    canvas: Canvas,
    palette: &'a Palette,
    /// One hundredth of the trim width: every measure is in `u`.
    u: f32,
    background: Rgb,
    safe: BBox,
    decor: Vec<Shape>,
    text: Vec<Shape>,
    boxes: Vec<BBox>,
}

impl<'a> Page<'a> {
    fn new(fonts: &'a TextFonts, canvas: Canvas, palette: &'a Palette) -> Self {
        let u = canvas.width / 100.0;
        Page {
            fonts,
            canvas,
            palette,
            u,
            background: palette.background,
            safe: BBox {
                x0: 0.0,
                y0: 0.0,
                x1: canvas.width,
                y1: canvas.height,
            },
            decor: Vec::new(),
            text: Vec::new(),
            boxes: Vec::new(),
        }
    }

    fn margins(&mut self, side: f32, top: f32, bottom: f32) {
        self.safe = BBox {
            x0: side,
            y0: top,
            x1: self.canvas.width - side,
            y1: self.canvas.height - bottom,
        };
    }

    fn measure(&self) -> f32 {
        self.safe.x1 - self.safe.x0
    }

    fn set(
        &self,
        text: &str,
        style: &TextStyle,
        max: f32,
        min: f32,
        lines: usize,
        height: f32,
    ) -> Paragraph {
        text::fit(
            self.fonts,
            text,
            style,
            &Fit {
                max_width: self.measure(),
                max_height: height,
                max_size: max * self.u,
                min_size: min * self.u,
                max_lines: lines,
            },
        )
    }

    fn draw(&mut self, p: &Paragraph, top: f32, align: Align, fill: Rgb) {
        let boxes = p.draw(self.safe.x0, self.safe.x1, top, align, fill, &mut self.text);
        self.boxes.extend(boxes);
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Rgb) {
        if let Some(r) = Rect::from_xywh(x, y, w, h) {
            self.decor.push(Shape {
                fill,
                path: PathBuilder::from_rect(r),
            });
        }
    }

    /// A rectangle from bleed edge to bleed edge.
    fn band(&mut self, y: f32, h: f32, fill: Rgb) {
        let b = self.canvas.bleed;
        self.rect(-b, y, self.canvas.width + 2.0 * b, h, fill);
    }

    fn finish(self) -> Layout {
        Layout {
            canvas: self.canvas,
            safe: self.safe,
            text_boxes: self.boxes,
            background: self.background,
            decor: self.decor,
            text: self.text,
        }
    }
}

const NAMES: TextStyle = TextStyle {
    font: FontChoice::new(Role::Display, true, false),
    tracking: 0.14,
    uppercase: true,
    line_height: 1.45,
};

const PUBLISHER: TextStyle = TextStyle {
    font: FontChoice::new(Role::Display, false, false),
    tracking: 0.22,
    uppercase: true,
    line_height: 1.4,
};

const SUBTITLE: TextStyle = TextStyle {
    font: FontChoice::new(Role::Text, false, true),
    tracking: 0.0,
    uppercase: false,
    line_height: 1.28,
};

/// Sets the optional texts every style has: names, subtitle, publisher.
struct Parts {
    names: Option<Paragraph>,
    subtitle: Option<Paragraph>,
    publisher: Option<Paragraph>,
}

fn parts(content: &Content, page: &Page, names_style: &TextStyle) -> Parts {
    let region = page.safe.y1 - page.safe.y0;
    Parts {
        names: content
            .names
            .as_deref()
            .map(|n| page.set(n, names_style, 3.4, 1.6, 3, region * 0.12)),
        subtitle: content
            .subtitle
            .as_deref()
            .map(|s| page.set(s, &SUBTITLE, 5.2, 3.0, 4, region * 0.2)),
        publisher: content
            .publisher
            .as_deref()
            .map(|p| page.set(p, &PUBLISHER, 2.3, 1.5, 2, region * 0.06)),
    }
}

fn height(p: &Option<Paragraph>) -> f32 {
    p.as_ref().map_or(0.0, Paragraph::height)
}

/// Solid field; names and a short rule at the head; a large quotation mark;
/// the title set large and low, the subtitle under it; the publisher at
/// the foot.
fn field(content: &Content, page: &mut Page) {
    let u = page.u;
    let pal = *page.palette;
    page.margins(9.0 * u, 9.0 * u, 8.0 * u);
    let title_style = TextStyle {
        font: FontChoice::new(Role::Text, true, false),
        tracking: -0.005,
        uppercase: false,
        line_height: 1.04,
    };
    let p = parts(content, page, &NAMES);
    let (top, bottom) = (page.safe.y0, page.safe.y1);

    let mut y = top;
    if let Some(n) = &p.names {
        page.draw(n, y, Align::RaggedRight, pal.accent);
        y += n.height();
    }
    // The rule under the names, at the measure's start.
    let rule_y = y + 3.0 * u;
    let x0 = page.safe.x0;
    page.rect(x0, rule_y, 12.0 * u, 0.7 * u, pal.accent);
    let region_top = rule_y + 0.7 * u + 8.0 * u;

    let foot = height(&p.publisher);
    let region_bottom = bottom - if foot > 0.0 { foot + 7.0 * u } else { 0.0 };
    let sub_h = height(&p.subtitle);
    let gap = if sub_h > 0.0 { 4.5 * u } else { 0.0 };
    let title_room = (region_bottom - region_top - sub_h - gap).max(u);
    let title = page.set(&content.title, &title_style, 15.0, 6.0, 9, title_room);

    // Type sits low: the group ends at the region's foot, leaving the
    // space above to the quotation mark.
    let group = title.height() + gap + sub_h;
    let group_top = region_bottom - group;
    quote_mark(content, page, group_top, pal.tint);
    page.draw(&title, group_top, Align::RaggedRight, pal.foreground);
    if let Some(s) = &p.subtitle {
        page.draw(
            s,
            group_top + title.height() + gap,
            Align::RaggedRight,
            pal.foreground.mix(pal.background, 0.12),
        );
    }
    if let Some(pb) = &p.publisher {
        // A hairline across the measure above the publisher.
        let line_y = bottom - pb.height() - 3.2 * u;
        page.rect(
            x0,
            line_y,
            page.measure(),
            0.18 * u,
            pal.foreground.mix(pal.background, 0.6),
        );
        page.draw(
            pb,
            bottom - pb.height(),
            Align::RaggedRight,
            pal.foreground.mix(pal.background, 0.25),
        );
    }
}

/// A very large opening quotation mark, faint, in the upper right of the
/// field: the sign of an interview, as texture behind the type. Drawn only
/// where it stays clear of the title (`below` is the title's top).
fn quote_mark(content: &Content, page: &mut Page, below: f32, colour: Rgb) {
    let u = page.u;
    let style = TextStyle {
        font: FontChoice::new(Role::Text, true, false),
        tracking: 0.0,
        uppercase: false,
        line_height: 1.0,
    };
    let fonts = page.fonts;
    let set = |size: f32| {
        text::fit(
            fonts,
            content.opening_quote(),
            &style,
            &Fit {
                max_width: f32::MAX,
                max_height: f32::MAX,
                max_size: size,
                min_size: size,
                max_lines: 1,
            },
        )
    };
    let top = page.safe.y0 + 7.0 * u;
    let room = below - 4.0 * u - top;
    let mut mark = set(150.0 * u);
    let Some(mut ink) = mark.ink(Align::RaggedRight, page.canvas.width) else {
        return;
    };
    // Ink scales with the size: shrink to the room, or give up when the
    // mark would be too small to read as texture.
    let scale = room / (ink.y1 - ink.y0);
    if scale < 0.45 {
        return;
    }
    if scale < 1.0 {
        mark = set(150.0 * u * scale);
        match mark.ink(Align::RaggedRight, page.canvas.width) {
            Some(i) => ink = i,
            None => return,
        }
    }
    // Right ink edge just inside the trim.
    let left = page.canvas.width - 4.0 * u - ink.x1;
    mark.draw(
        left,
        left + page.canvas.width,
        top - ink.y0,
        Align::RaggedRight,
        colour,
        &mut page.decor,
    );
}

/// Paper ground; a band of the field colour across the page carrying the
/// title; names above, subtitle below, publisher at the foot.
fn band(content: &Content, page: &mut Page) {
    let u = page.u;
    let pal = *page.palette;
    page.background = pal.paper;
    page.margins(9.0 * u, 9.0 * u, 8.0 * u);
    let title_style = TextStyle {
        font: FontChoice::new(Role::Display, true, false),
        tracking: -0.01,
        uppercase: false,
        line_height: 1.06,
    };
    let ink = pal.background;
    let p = parts(content, page, &NAMES);
    let (top, bottom) = (page.safe.y0, page.safe.y1);
    if let Some(n) = &p.names {
        page.draw(n, top, Align::RaggedRight, ink);
    }
    let head = top + height(&p.names) + 7.0 * u;
    let foot = bottom - height(&p.publisher) - 6.0 * u;
    let sub_h = height(&p.subtitle);
    let sub_gap = if sub_h > 0.0 { 5.0 * u } else { 0.0 };
    let pad = 7.0 * u;
    let title_room = (foot - head - sub_gap - sub_h - 2.0 * pad).max(u);
    let title = page.set(&content.title, &title_style, 13.0, 5.5, 9, title_room);
    // The band is at least a third of the page and centred a little below
    // the middle, moved up when the subtitle needs the room.
    let band_h = (title.height() + 2.0 * pad).max(page.canvas.height * 0.3);
    let mut band_top = page.canvas.height * 0.55 - band_h / 2.0;
    band_top = band_top.min(foot - sub_gap - sub_h - band_h).max(head);
    quote_mark(content, page, band_top, pal.paper.mix(pal.background, 0.08));
    page.band(band_top, band_h, pal.background);
    page.band(band_top + band_h, 1.2 * u, pal.accent);
    let title_top = band_top + (band_h - title.height()) / 2.0;
    page.draw(&title, title_top, Align::RaggedRight, pal.foreground);
    if let Some(s) = &p.subtitle {
        page.draw(s, band_top + band_h + sub_gap, Align::RaggedRight, ink);
    }
    if let Some(pb) = &p.publisher {
        page.draw(
            pb,
            bottom - pb.height(),
            Align::RaggedRight,
            ink.mix(pal.paper, 0.2),
        );
    }
}

/// Field colour inside a double rule; everything centred.
fn frame(content: &Content, page: &mut Page) {
    let u = page.u;
    let pal = *page.palette;
    let (w, h) = (page.canvas.width, page.canvas.height);
    // Double rule: a heavier outer line, a hairline inside it.
    for (inset, weight) in [(5.0 * u, 0.55 * u), (6.6 * u, 0.18 * u)] {
        page.rect(inset, inset, w - 2.0 * inset, weight, pal.accent);
        page.rect(
            inset,
            h - inset - weight,
            w - 2.0 * inset,
            weight,
            pal.accent,
        );
        page.rect(inset, inset, weight, h - 2.0 * inset, pal.accent);
        page.rect(
            w - inset - weight,
            inset,
            weight,
            h - 2.0 * inset,
            pal.accent,
        );
    }
    page.margins(13.0 * u, 14.0 * u, 13.0 * u);
    let title_style = TextStyle {
        font: FontChoice::new(Role::Text, false, false),
        tracking: 0.0,
        uppercase: false,
        line_height: 1.12,
    };
    let p = parts(content, page, &NAMES);
    let (top, bottom) = (page.safe.y0, page.safe.y1);
    if let Some(n) = &p.names {
        page.draw(n, top, Align::Center, pal.accent);
    }
    let head = top + height(&p.names) + 8.0 * u;
    let foot = bottom - height(&p.publisher) - 8.0 * u;
    let sub_h = height(&p.subtitle);
    let orn = 7.0 * u;
    let sub_block = if sub_h > 0.0 { orn * 2.0 + sub_h } else { 0.0 };
    let title_room = (foot - head - sub_block).max(u);
    let title = page.set(&content.title, &title_style, 12.5, 5.5, 9, title_room);
    let group = title.height() + sub_block;
    // Optical centre: a little above the middle of the free space.
    let group_top = head + (foot - head - group) * 0.42;
    page.draw(&title, group_top, Align::Center, pal.foreground);
    if let Some(s) = &p.subtitle {
        let y = group_top + title.height() + orn;
        // A small lozenge between title and subtitle.
        let c = w / 2.0;
        let r = 1.1 * u;
        let mut pb = PathBuilder::new();
        pb.move_to(c, y - r);
        pb.line_to(c + r, y);
        pb.line_to(c, y + r);
        pb.line_to(c - r, y);
        pb.close();
        if let Some(path) = pb.finish() {
            page.decor.push(Shape {
                fill: pal.accent,
                path,
            });
        }
        page.draw(
            s,
            y + orn,
            Align::Center,
            pal.foreground.mix(pal.background, 0.12),
        );
    }
    if let Some(pb) = &p.publisher {
        page.draw(pb, bottom - pb.height(), Align::Center, pal.accent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::Engine;

    /// Titles that stress the fitting: one letter, a usual title, many
    /// words, one word longer than any line, Cyrillic with accented
    /// capitals, Arabic (right to left), and a title of 200 characters.
    fn titles() -> Vec<String> {
        vec![
            "A".into(),
            "Kazakhstan’s New National Story".into(),
            "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".into(),
            "Ж".repeat(60),
            "ЙӘҒҚ Қазақстанның жаңа ұлттық тарихы".into(),
            "القصة الوطنية الجديدة".into(),
            "Interviews ".repeat(18).trim().to_string(),
        ]
    }

    fn content(title: &str, full: bool) -> Content {
        let many = (1..=9)
            .map(|i| format!("Person\u{a0}Number\u{a0}{i}"))
            .collect::<Vec<_>>()
            .join("\u{a0}· ");
        Content {
            title: title.to_string(),
            subtitle: full.then(|| "Conversations about the work of a generation".into()),
            names: full.then_some(many),
            publisher: full.then(|| "Steppe Press".into()),
            lang: "en".into(),
        }
    }

    const CANVASES: [Canvas; 3] = [
        Canvas::EPUB,
        Canvas {
            width: 432.0,
            height: 648.0,
            bleed: 0.0,
        },
        Canvas {
            width: 432.0,
            height: 648.0,
            bleed: 9.0,
        },
    ];

    /// Every case: title, with or without the optional texts, style, canvas.
    fn each(mut check: impl FnMut(&str, &Content, Style, Canvas, &Layout)) {
        let engine = Engine::new();
        for title in titles() {
            for full in [false, true] {
                let c = content(&title, full);
                let palette = Palette::for_title(&c.title);
                for style in Style::ALL {
                    for canvas in CANVASES {
                        let l = layout(engine.bundled(), &c, &palette, style, canvas);
                        check(&title, &c, style, canvas, &l);
                    }
                }
            }
        }
    }

    #[test]
    fn every_line_of_type_keeps_inside_the_safe_area() {
        each(|title, _, style, canvas, l| {
            let trim = BBox {
                x0: 0.0,
                y0: 0.0,
                x1: canvas.width,
                y1: canvas.height,
            };
            assert!(l.safe.within(&trim), "{style:?} {canvas:?}: {:?}", l.safe);
            assert!(!l.text_boxes.is_empty(), "{title}: nothing set");
            for b in &l.text_boxes {
                assert!(
                    b.within(&l.safe),
                    "{style:?} {canvas:?} {title:?}: line {b:?} outside {:?}",
                    l.safe
                );
                assert!(b.x1 > b.x0 && b.y1 > b.y0, "{title}: empty ink {b:?}");
            }
        });
    }

    #[test]
    fn lines_are_drawn_one_shape_each_from_top_to_bottom() {
        each(|title, _, style, _, l| {
            // One shape of type per line that has ink, in reading order.
            assert_eq!(l.text.len(), l.text_boxes.len(), "{style:?} {title}");
            for w in l.text_boxes.windows(2) {
                assert!(
                    w[1].y0 > w[0].y0,
                    "{style:?} {title}: a line starts above the one before it: {w:?}"
                );
            }
        });
    }

    #[test]
    fn the_same_content_gives_the_same_cover() {
        let other = Engine::new();
        each(|_, c, style, canvas, l| {
            let again = layout(
                other.bundled(),
                c,
                &Palette::for_title(&c.title),
                style,
                canvas,
            );
            assert_eq!(l, &again);
            assert_eq!(l.svg(), again.svg());
        });
    }

    #[test]
    fn every_style_name_names_its_style() {
        for style in Style::ALL {
            assert_eq!(Style::from_name(style.name()), Some(style));
            assert_eq!(
                Style::from_name(&format!(" {} ", style.name().to_uppercase())),
                Some(style)
            );
            assert!(Style::names().split(", ").any(|n| n == style.name()));
        }
        assert_eq!(Style::names().split(", ").count(), Style::ALL.len());
        assert_eq!(Style::from_name("fields"), None);
        assert_eq!(Style::from_name(""), None);
    }
}
