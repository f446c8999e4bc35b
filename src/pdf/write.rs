//! The [`Layout`] -> PDF bytes, with krilla.
//!
//! Why krilla and not printpdf: printpdf 0.12 was tried against this
//! book's bar (issue 5) and fell short on every point that matters here.
//! Its ToUnicode map keeps one text per glyph for the whole file, so a
//! line-end hyphen mapped to a soft hyphen turned every real hyphen into a
//! soft hyphen on copy; its PDF/A setting writes no XMP; it has no tagging
//! and no `/Lang`, only flat bookmarks; it re-encodes PNGs lossily by
//! default; and it built about three times slower. krilla 0.8 takes shaped
//! glyph runs directly (`draw_glyphs`: glyph id, advance, offsets and the
//! text range each glyph stands for, so ligatures and inserted hyphens
//! extract as the source text), writes real PDF/A-2b with XMP, a tagged
//! structure with alt text, nested bookmarks and lossless images, and
//! validates PDF/UA-1 and PDF/A at export, which is where the diagnostics
//! below come from.
//!
//! The output is deterministic: no clock (the creation date comes from
//! SOURCE_DATE_EPOCH or the book), a document id from the book's
//! identifier, and pages, fonts and objects written in a fixed order.

use super::cover::krilla_image;
use super::store::{AnchorKey, Art, Child, Draw, Kind, Para, Store, Target};
use super::{Layout, OutlineEntry};
use crate::cover::PdfCover;
use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::PdfVariant;
use crate::typeset::{GlyphRun, Line};
use krilla::Document;
use krilla::SerializeSettings;
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target as KTarget};
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder, ValidationError};
use krilla::destination::{Destination, NamedDestination, XyzDestination};
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel, PageSettings};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, SpanTag, TableHeaderScope, Tag,
    TagGroup, TagKind, TagTree,
};
use std::borrow::Cow;
use std::num::{NonZeroU16, NonZeroU32, NonZeroU64};

/// Space for crop marks outside the bleed.
const MARK_SPACE: f32 = 18.0;

/// Writes the layout as a PDF: the screen variant (trim size) or the print
/// variant (bleed, TrimBox and BleedBox, crop marks in registration colour
/// when asked for). Always validated as PDF/UA-1, and as PDF/A-2b with
/// `[pdf] pdf-a = true` and for the print variant of a dated book;
/// validation failures come back as diagnostics.
pub fn write(
    layout: &Layout,
    variant: PdfVariant,
    sources: &SourceMap,
) -> Result<Vec<u8>, Diagnostics> {
    let lines = layout
        .store
        .paras
        .iter()
        .map(|p| Cow::Borrowed(p.set.lines.as_slice()))
        .collect();
    write_lines(layout, lines, false, variant, sources)
}

/// [`write()`] for the last PDF made from a layout: each paragraph's set
/// lines (their glyphs are most of a long book's memory) are dropped as
/// soon as the last page that draws them is written, instead of waiting
/// for the whole file, whose end is the build's peak.
pub fn write_last(
    mut layout: Layout,
    variant: PdfVariant,
    sources: &SourceMap,
) -> Result<Vec<u8>, Diagnostics> {
    let lines = layout
        .store
        .paras
        .iter_mut()
        .map(|p| Cow::Owned(std::mem::take(&mut p.set.lines)))
        .collect();
    write_lines(&layout, lines, true, variant, sources)
}

/// Writes the PDF with each paragraph's lines taken from `lines` (by
/// paragraph id), dropping them after their last page when `release`.
fn write_lines<'a>(
    layout: &'a Layout,
    lines: Vec<Cow<'a, [Line]>>,
    release: bool,
    variant: PdfVariant,
    sources: &SourceMap,
) -> Result<Vec<u8>, Diagnostics> {
    let d = &layout.design;
    let print = variant == PdfVariant::Print;
    let bleed = if print { d.bleed } else { 0.0 };
    let marks = if print && d.crop_marks {
        MARK_SPACE
    } else {
        0.0
    };
    let off = bleed + marks;
    let (pw, ph) = (d.w + 2.0 * off, d.h + 2.0 * off);

    let mut cfg = ConfigurationBuilder::new().with_accessibility_validator(Accessibility::UA1);
    if archival(layout, variant) {
        cfg = cfg.with_archival_validator(Archival::A2_B);
    }
    let configuration = cfg.finish().map_err(|e| {
        one(Diagnostic::error(
            "pdf-config",
            format!("cannot configure the PDF: {e:?}"),
        ))
    })?;
    let settings = SerializeSettings {
        compress_content_streams: true,
        enable_tagging: true,
        xmp_metadata: true,
        configuration,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    let store = &layout.store;
    // The page after which no page draws a paragraph (by paragraph id).
    let mut last_page: Vec<usize> = vec![0; if release { lines.len() } else { 0 }];
    if release {
        for (pi, body) in layout.bodies.iter().enumerate() {
            for dr in &body.draws {
                if let Draw::Line { para, .. } = dr
                    && let Some(l) = last_page.get_mut(*para as usize)
                {
                    *l = pi;
                }
            }
        }
    }
    let mut w = Writer {
        store,
        lines,
        slots: vec![Vec::new(); store.slots as usize],
        annots: vec![None; store.annots as usize],
        images: vec![None; store.images.len()],
        layout,
        off,
        problems: Diagnostics::new(),
    };
    let cover_label = crate::typography::labels(&layout.meta.lang_primary()).cover;
    let mut cover_id = None;
    // Made before any page: krilla decodes and compresses it on another
    // thread while the pages are written (for a large PNG that is most of
    // the time spent writing).
    let mut cover_image = match layout.cover.as_ref().map(|c| &c.pdf) {
        Some(PdfCover::Supplied { bytes, format, .. }) => {
            Some(krilla_image(bytes.clone(), *format))
        }
        _ => None,
    };
    for (pi, body) in layout.bodies.iter().enumerate() {
        let info = &layout.pages[pi];
        let mut ps = PageSettings::from_wh(pw, ph)
            .ok_or_else(|| one(Diagnostic::error("pdf-no-room", "the page has no size")))?;
        if print {
            ps = ps
                .with_trim_box(Rect::from_xywh(off, off, d.w, d.h))
                .with_bleed_box(Rect::from_xywh(
                    off - bleed,
                    off - bleed,
                    d.w + 2.0 * bleed,
                    d.h + 2.0 * bleed,
                ));
        }
        ps = ps.with_page_label(match info.number.and_then(NonZeroU32::new) {
            Some(n) => PageLabel::new(Some(NumberingStyle::Arabic), None, Some(n)),
            None => PageLabel::new(None, Some(cover_label.to_string()), None),
        });
        let mut page = doc.start_page_with(ps);
        let mut links: Vec<(u32, Annotation)> = Vec::new();
        {
            let mut s = page.surface();
            s.set_fill(Some(Fill::default()));
            s.push_transform(&Transform::from_translate(off, off));
            if body.cover
                && let Some(art) = &layout.cover
            {
                let id = s.start_tagged(ContentTag::Other);
                let made = cover_image.take();
                let p = &mut w.problems;
                super::cover::draw(&mut s, &art.pdf, made, d.w, d.h, bleed, print, p);
                s.end_tagged();
                cover_id = Some((id, art.alt.clone()));
            }
            for dr in &body.draws {
                w.draw(&mut s, dr, &mut links);
            }
            s.pop();
            if marks > 0.0 {
                crop_marks(&mut s, off, bleed, d.w, d.h);
            }
            s.finish();
        }
        for (slot, a) in links {
            w.annots[slot as usize] = Some(page.add_tagged_annotation(a));
        }
        page.finish();
        if release {
            for dr in &body.draws {
                if let Draw::Line { para, .. } = dr
                    && last_page.get(*para as usize) == Some(&pi)
                {
                    w.lines[*para as usize] = Cow::Borrowed(&[]);
                }
            }
        }
    }
    if !w.problems.is_empty() {
        return Err(w.problems);
    }

    // Structure tree: the cover, then everything in reading order.
    let mut tree = TagTree::new().with_lang(Some(layout.meta.lang.clone()));
    if let Some((id, alt)) = cover_id {
        let mut g = TagGroup::new(Tag::Figure(Some(alt)));
        g.push(id);
        tree.push(g);
    }
    for &root in &store.tree.roots {
        if let Some(g) = w.group(root) {
            tree.push(g);
        }
    }
    doc.set_tag_tree(tree);

    let mut outline = Outline::new();
    for e in &layout.outline {
        if let Some(n) = w.outline_node(e) {
            outline.push_child(n);
        }
    }
    doc.set_outline(outline);
    doc.set_metadata(metadata(layout));

    doc.finish().map_err(|e| export_errors(e, layout, sources))
}

/// Whether the variant is written as PDF/A-2b. The print variant is, when
/// the book has the date PDF/A requires: PDF/A is how krilla states an
/// output intent (sRGB, the colours' intended condition, with its ICC
/// profile), which a printer's preflight looks for; an undated book's
/// print PDF goes without one rather than failing.
fn archival(layout: &Layout, variant: PdfVariant) -> bool {
    layout.design.pdf_a || (variant == PdfVariant::Print && layout.meta.date.is_some())
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut ds = Diagnostics::new();
    ds.push(d);
    ds
}

impl super::DocMeta {
    fn lang_primary(&self) -> String {
        self.lang
            .split('-')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    }
}

struct Writer<'a> {
    store: &'a Store,
    /// Each paragraph's set lines (the store's, or taken from it).
    lines: Vec<Cow<'a, [Line]>>,
    /// Marked-content identifiers of each content slot.
    slots: Vec<Vec<Identifier>>,
    annots: Vec<Option<Identifier>>,
    images: Vec<Option<krilla::image::Image>>,
    layout: &'a Layout,
    off: f32,
    problems: Diagnostics,
}

impl Writer<'_> {
    fn draw(&mut self, s: &mut Surface<'_>, dr: &Draw, links: &mut Vec<(u32, Annotation)>) {
        match dr {
            Draw::Line { para, line, x, y } => {
                let p = &self.store.paras[*para as usize];
                if let Some(loc) = NonZeroU64::new(p.loc as u64) {
                    s.set_location(loc);
                }
                // Taken out for the call (self is borrowed mutably), then
                // put back: moving a Cow copies no line.
                let lines = std::mem::take(&mut self.lines[*para as usize]);
                if let Some(l) = lines.get(*line as usize) {
                    self.line(s, p, l, *line as usize, *x, *y, links);
                }
                self.lines[*para as usize] = lines;
                s.reset_location();
            }
            Draw::Image {
                img,
                x,
                y,
                w,
                h,
                slot,
            } => {
                let Some(image) = self.image(*img) else {
                    return;
                };
                let Some(size) = Size::from_wh(*w, *h) else {
                    return;
                };
                match slot {
                    Some(slot) => {
                        let id = s.start_tagged(ContentTag::Other);
                        s.push_transform(&Transform::from_translate(*x, *y));
                        s.draw_image(image, size);
                        s.pop();
                        s.end_tagged();
                        self.slots[*slot as usize].push(id);
                    }
                    None => {
                        s.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                            ArtifactType::Layout,
                        )));
                        s.push_transform(&Transform::from_translate(*x, *y));
                        s.draw_image(image, size);
                        s.pop();
                        s.end_tagged();
                    }
                }
            }
            Draw::Rule { x, y, w, t } => {
                s.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                    ArtifactType::Layout,
                )));
                let mut pb = PathBuilder::new();
                if let Some(r) = Rect::from_xywh(*x, *y - t / 2.0, *w, *t) {
                    pb.push_rect(r);
                }
                if let Some(path) = pb.finish() {
                    s.draw_path(&path);
                }
                s.end_tagged();
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn line(
        &mut self,
        s: &mut Surface<'_>,
        p: &Para,
        line: &Line,
        li: usize,
        x: f32,
        y: f32,
        links: &mut Vec<(u32, Annotation)>,
    ) {
        let text = p.set.text();
        let segs = p.segs.get(li).filter(|s| !s.is_empty());
        let (Some(segs), None) = (segs, p.artifact) else {
            let kind = match p.artifact {
                Some(Art::Header) => ArtifactType::Header,
                Some(Art::PageNumber) => ArtifactType::PageNumber,
                _ => ArtifactType::Layout,
            };
            s.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
            for run in &line.runs {
                self.run(s, run, x, y, text);
            }
            s.end_tagged();
            return;
        };
        for seg in segs {
            let runs = line
                .runs
                .get(seg.runs.start as usize..seg.runs.end as usize)
                .unwrap_or(&[]);
            let id = s.start_tagged(ContentTag::Span(
                SpanTag::empty().with_lang(seg.lang.as_deref()),
            ));
            for run in runs {
                self.run(s, run, x, y, text);
            }
            s.end_tagged();
            self.slots[seg.slot as usize].push(id);
            if let Some(link) = &seg.link
                && let (Some(first), Some(last)) = (runs.first(), runs.last())
            {
                let size = runs.iter().map(|r| r.size).fold(0.0, f32::max);
                let shift = runs.iter().map(|r| r.baseline_shift).fold(0.0, f32::max);
                let x0 = x + first.x + self.off;
                let x1 = x + last.x + last.width + self.off;
                let top = y - shift - size * 0.8 + self.off;
                let bottom = y + size * 0.25 + self.off;
                let Some(rect) = Rect::from_ltrb(x0, top, x1.max(x0 + 1.0), bottom) else {
                    continue;
                };
                let target = match &link.target {
                    Target::Url(u) => KTarget::Action(Action::Link(LinkAction::new(u.clone()))),
                    Target::Anchor(a) => match self.dest(*a) {
                        Some(xyz) => KTarget::Destination(Destination::Named(
                            NamedDestination::new(a.name(), xyz),
                        )),
                        None => continue,
                    },
                };
                links.push((
                    link.annot,
                    Annotation::new_link(LinkAnnotation::new(rect, target), Some(link.alt.clone())),
                ));
            }
        }
    }

    /// Draws a run, under its horizontal scale when a justified line
    /// expanded its glyphs (the glyphs' text and tags are the same either
    /// way).
    fn run(&mut self, s: &mut Surface<'_>, run: &GlyphRun, x: f32, y: f32, text: &str) {
        let Some(font) = self.store.fonts.krilla_font(run.font) else {
            return;
        };
        let base = y - run.baseline_shift;
        if run.hscale == 1.0 {
            Self::glyphs(s, run, font, x + run.x, base, text);
        } else {
            s.push_transform(&Transform::from_row(
                run.hscale,
                0.0,
                0.0,
                1.0,
                x + run.x,
                base,
            ));
            Self::glyphs(s, run, font, 0.0, 0.0, text);
            s.pop();
        }
    }

    /// Draws a run's glyphs from (`x`, `base`); glyphs no font has (drawn
    /// as `.notdef`, which PDF/UA forbids) become a hollow box instead.
    fn glyphs(
        s: &mut Surface<'_>,
        run: &GlyphRun,
        font: krilla::text::Font,
        x: f32,
        base: f32,
        text: &str,
    ) {
        if run.glyphs.iter().all(|g| g.id != 0) {
            s.draw_glyphs(
                Point::from_xy(x, base),
                &run.glyphs,
                font,
                text,
                run.size,
                false,
            );
            return;
        }
        let mut cx = x;
        let mut start = 0;
        let mut start_x = cx;
        for (i, g) in run.glyphs.iter().enumerate() {
            if g.id == 0 {
                if start < i {
                    s.draw_glyphs(
                        Point::from_xy(start_x, base),
                        &run.glyphs[start..i],
                        font.clone(),
                        text,
                        run.size,
                        false,
                    );
                }
                let w = (g.x_advance * run.size).max(run.size * 0.5);
                let mut pb = PathBuilder::new();
                if let Some(r) =
                    Rect::from_xywh(cx + 0.1 * w, base - 0.7 * run.size, 0.8 * w, 0.7 * run.size)
                {
                    pb.push_rect(r);
                }
                if let Some(path) = pb.finish() {
                    let fill = s.get_fill().cloned();
                    s.set_fill(None);
                    s.set_stroke(Some(Stroke {
                        width: 0.5,
                        ..Stroke::default()
                    }));
                    s.draw_path(&path);
                    s.set_stroke(None);
                    s.set_fill(fill);
                }
                start = i + 1;
                cx += g.x_advance * run.size;
                start_x = cx;
            } else {
                cx += g.x_advance * run.size;
            }
        }
        if start < run.glyphs.len() {
            s.draw_glyphs(
                Point::from_xy(start_x, base),
                &run.glyphs[start..],
                font,
                text,
                run.size,
                false,
            );
        }
    }

    fn image(&mut self, img: u32) -> Option<krilla::image::Image> {
        let i = img as usize;
        if self.images.get(i)?.is_none() {
            let src = self.store.images.get(i)?;
            let made = krilla_image(src.bytes.clone(), src.format);
            match made {
                Ok(image) => self.images[i] = Some(image),
                Err(e) => {
                    self.problems.push(Diagnostic::error(
                        "image-decode",
                        format!("cannot place an image ({}): {e}", src.alt),
                    ));
                    return None;
                }
            }
        }
        self.images[i].clone()
    }

    fn dest(&self, a: AnchorKey) -> Option<XyzDestination> {
        let &(page, x, y) = self.layout.anchors.get(&a)?;
        Some(XyzDestination::new(
            page,
            Point::from_xy(x + self.off, y + self.off),
        ))
    }

    fn outline_node(&self, e: &OutlineEntry) -> Option<OutlineNode> {
        let dest = self.dest(e.anchor)?;
        // Open for a book of a few chapters; long books show chapters only.
        let open = self.layout.outline.len() <= 4;
        let mut n = OutlineNode::new(e.title.clone(), dest).with_open(open);
        for c in &e.children {
            if let Some(cn) = self.outline_node(c) {
                n.push_child(cn);
            }
        }
        Some(n)
    }

    /// The structure element `n` with everything drawn for it; `None` when
    /// nothing was.
    fn group(&mut self, n: u32) -> Option<TagGroup> {
        let node = &self.store.tree.nodes[n as usize];
        let mut kind: TagKind = match &node.kind {
            Kind::Section => Tag::Section.into(),
            Kind::Div => Tag::Div.into(),
            Kind::H(level, title) => Tag::Hn(
                NonZeroU16::new(*level).unwrap_or(NonZeroU16::MIN),
                Some(title.clone()),
            )
            .into(),
            Kind::P => Tag::P.into(),
            Kind::BlockQuote => Tag::BlockQuote.into(),
            Kind::L(ordered) => Tag::L(if *ordered {
                ListNumbering::Decimal
            } else {
                ListNumbering::Disc
            })
            .into(),
            Kind::LI => Tag::LI.into(),
            Kind::Lbl => Tag::Lbl.into(),
            Kind::LBody => Tag::LBody.into(),
            Kind::Figure(alt) => Tag::Figure(Some(alt.clone())).into(),
            Kind::Caption => Tag::Caption.into(),
            Kind::Table => Tag::Table.into(),
            Kind::TR => Tag::TR.into(),
            Kind::TH => Tag::TH(TableHeaderScope::Column).into(),
            Kind::TD => Tag::TD.into(),
            Kind::Code => Tag::Code.into(),
            Kind::Note => Tag::Note.into(),
            Kind::Reference => Tag::Reference.into(),
            Kind::Link => Tag::Link.into(),
            Kind::Toc => Tag::TOC.into(),
            Kind::TocI => Tag::TOCI.into(),
        };
        if let Some(l) = &node.lang {
            kind.set_lang(Some(l.clone()));
        }
        let children = node.children.clone();
        let mut g = TagGroup::new(kind);
        for c in children {
            match c {
                Child::Node(k) => {
                    if let Some(sub) = self.group(k) {
                        g.push(sub);
                    }
                }
                Child::Content(slot) => {
                    for id in std::mem::take(&mut self.slots[slot as usize]) {
                        g.push(id);
                    }
                }
                Child::Annot(a) => {
                    if let Some(id) = self.annots[a as usize].take() {
                        g.push(id);
                    }
                }
            }
        }
        (!g.children.is_empty()).then_some(g)
    }
}

fn crop_marks(s: &mut Surface<'_>, off: f32, bleed: f32, w: f32, h: f32) {
    s.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::Page,
    )));
    let gap = bleed + 3.0;
    let mut pb = PathBuilder::new();
    for &x in &[off, off + w] {
        for &y in &[off, off + h] {
            // Horizontal mark, outside the bleed on the left or right.
            let (hx0, hx1) = if x == off {
                (0.0, off - gap)
            } else {
                (x + gap, x + off)
            };
            pb.move_to(hx0, y);
            pb.line_to(hx1, y);
            let (vy0, vy1) = if y == off {
                (0.0, off - gap)
            } else {
                (y + gap, y + off)
            };
            pb.move_to(x, vy0);
            pb.line_to(x, vy1);
        }
    }
    if let Some(path) = pb.finish() {
        let fill = s.get_fill().cloned();
        s.set_fill(None);
        s.set_stroke(Some(Stroke {
            paint: registration(),
            width: 0.25,
            ..Stroke::default()
        }));
        s.draw_path(&path);
        s.set_stroke(None);
        s.set_fill(fill);
    }
    s.end_tagged();
}

/// Registration colour: the Separation colorant `/All`, which a RIP prints
/// on every plate, so that the marks show on each separation; black where
/// no separations are made.
fn registration() -> krilla::paint::Paint {
    use krilla::color::{Color, SpecialColor, rgb, separation};
    let space = separation::SeparationSpace::new(
        separation::SeparationColorant::AllColorants,
        rgb::Color::black().into(),
    );
    Color::from(SpecialColor::from(separation::Color::new(255, space))).into()
}

fn metadata(layout: &Layout) -> Metadata {
    let m = &layout.meta;
    let mut md = Metadata::new()
        .title(m.title.clone())
        .authors(m.authors.clone())
        .language(m.lang.clone())
        .keywords(m.keywords.clone())
        .creator(format!("qalam {}", env!("CARGO_PKG_VERSION")))
        .document_id(m.identifier.clone());
    if let Some(s) = &m.subject {
        md = md.description(s.clone());
    }
    if let Some((y, mo, d, h, mi, s)) = m.date {
        md = md.creation_date(
            DateTime::new(y)
                .month(mo)
                .day(d)
                .hour(h)
                .minute(mi)
                .second(s)
                .utc_offset_hour(0)
                .utc_offset_minute(0),
        );
    }
    md
}

/// krilla's export errors as diagnostics, pointing at the paragraph a
/// validation error came from when it carries a location.
fn export_errors(e: KrillaError, layout: &Layout, sources: &SourceMap) -> Diagnostics {
    let mut out = Diagnostics::new();
    let at = |d: Diagnostic, loc: Option<NonZeroU64>| -> Diagnostic {
        match loc.and_then(|l| layout.store.spans.get(l.get() as usize - 1)) {
            Some(span) => d.at(sources, *span),
            None => d,
        }
    };
    match e {
        KrillaError::Validation(errors) => {
            for (err, validators) in errors {
                let standard = validators_name(validators);
                let (msg, loc, help) = describe(&err);
                out.push(at(
                    Diagnostic::error("pdf-validation", format!("{standard}: {msg}")).help(help),
                    loc,
                ));
            }
        }
        KrillaError::Font(_, msg) => out.push(
            Diagnostic::error("font-embed", format!("cannot embed a font: {msg}"))
                .help("use another font file in `[fonts]`; this one cannot be subset"),
        ),
        KrillaError::Image(_, loc, msg) => out.push(at(
            Diagnostic::error("image-decode", format!("cannot embed an image: {msg}"))
                .help("export the image again as PNG or JPEG"),
            loc,
        )),
        other => out.push(Diagnostic::error(
            "pdf-write",
            format!("cannot write the PDF: {other}"),
        )),
    }
    out
}

fn validators_name(v: krilla::configure::Validators) -> String {
    let mut names = Vec::new();
    if let Some(a) = v.archival() {
        names.push(a.as_str());
    }
    if let Some(u) = v.accessibility() {
        names.push(u.as_str());
    }
    names.join(" and ")
}

fn describe(e: &ValidationError) -> (String, Option<NonZeroU64>, &'static str) {
    match e {
        ValidationError::ContainsNotDefGlyph(_, loc, text) => (
            format!("a character has no glyph in its font (`{text}`)"),
            *loc,
            "use a font that covers it, or remove the character",
        ),
        ValidationError::NoCodepointMapping(_, _, loc)
        | ValidationError::InvalidCodepointMapping(_, _, _, loc)
        | ValidationError::UnicodePrivateArea(_, _, _, loc) => (
            "a glyph does not map to a valid Unicode character".into(),
            *loc,
            "avoid private-use and control characters in the text",
        ),
        ValidationError::RestrictedLicense(_) => (
            "a font's licence forbids embedding it".into(),
            None,
            "choose another `[fonts]` family",
        ),
        ValidationError::NoDocumentTitle => (
            "the document has no title".into(),
            None,
            "set `title` in [book]",
        ),
        ValidationError::NoDocumentLanguage => (
            "the document has no language".into(),
            None,
            "set `language` in [book]",
        ),
        ValidationError::MissingAltText(loc) => (
            "an image has no alternative text".into(),
            *loc,
            "write the alt text: ![what the picture shows](images/x.jpg)",
        ),
        ValidationError::TooLongString => (
            "a text is longer than the 32767 bytes the standard allows".into(),
            None,
            "shorten the book's description, title or keywords",
        ),
        ValidationError::MissingDocumentDate => (
            "the document has no date".into(),
            None,
            "set `date` in [book] or SOURCE_DATE_EPOCH",
        ),
        other => (
            format!("{other:?}"),
            None,
            "this is a bug in qalam's PDF writer; please report it",
        ),
    }
}
