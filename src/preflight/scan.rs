//! One page's marks as a printer's preflight sees them: every path, glyph
//! and picture in page space (points, y up, the MediaBox's origin), from
//! hayro's interpreter (the renderer `qalam serve` uses), with no pixels
//! drawn.

use hayro::hayro_interpret::font::{Glyph, GlyphRun};
use hayro::hayro_interpret::hayro_syntax::page::Page;
use hayro::hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps,
    InterpreterCache, InterpreterSettings, SoftMask, interpret_page,
};
use hayro::kurbo::{Affine, BezPath, PathEl, Point, Rect, Shape};

/// What a page draws.
#[derive(Debug, Default)]
pub(super) struct Marks {
    /// Filled and stroked paths: their box (after clipping) and, for
    /// strokes, the line width in points.
    pub paths: Vec<(Rect, Option<f64>)>,
    /// Each glyph's outline box.
    pub glyphs: Vec<Rect>,
    /// Raster pictures: pixels and the placed parallelogram's box and
    /// side lengths in points.
    pub images: Vec<Placed>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Placed {
    pub pixels: (u32, u32),
    pub bbox: Rect,
    pub size: (f64, f64),
}

/// Reads page `page`'s content into [`Marks`].
pub(super) fn page_marks<'a>(page: &Page<'a>, cache: &InterpreterCache<'a>) -> Marks {
    let media = page.media_box();
    let bbox = Rect::new(media.x0, media.y0, media.x1, media.y1);
    let mut ctx = Context::new(
        Affine::IDENTITY,
        bbox,
        cache,
        page.xref(),
        InterpreterSettings::default(),
    );
    let mut scan = Scan {
        marks: Marks::default(),
        clips: vec![bbox],
    };
    interpret_page(page, &mut ctx, &mut scan);
    scan.marks
}

struct Scan {
    marks: Marks,
    /// The clip stack as boxes: ink outside the innermost is not seen.
    clips: Vec<Rect>,
}

impl Scan {
    fn clip(&self, r: Rect) -> Option<Rect> {
        let c = self.clips.last().copied().unwrap_or(r);
        let i = r.intersect(c);
        (i.width() >= 0.0 && i.height() >= 0.0 && (i.area() > 0.0 || r.area() == 0.0)).then_some(i)
    }
}

/// The box of each subpath.
fn subpaths(path: &BezPath) -> Vec<Rect> {
    let mut out = Vec::new();
    let mut current = BezPath::new();
    for el in path.elements() {
        if matches!(el, PathEl::MoveTo(_)) && !current.elements().is_empty() {
            out.push(current.bounding_box());
            current = BezPath::new();
        }
        current.push(*el);
    }
    if !current.elements().is_empty() {
        out.push(current.bounding_box());
    }
    out
}

/// How much a transform scales lengths (the geometric mean of its axes),
/// for line widths.
fn scale(t: Affine) -> f64 {
    t.determinant().abs().sqrt()
}

impl<'a> Device<'a> for Scan {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, mode: &DrawMode) {
        let path = props.transform * path.clone();
        let width = match mode {
            DrawMode::Stroke(s) | DrawMode::FillAndStroke(_, s) => {
                Some(s.line_width as f64 * scale(props.transform))
            }
            DrawMode::Fill(_) => None,
            DrawMode::Invisible => return,
        };
        // A stroke's lines one by one: crop marks come as one path of
        // eight lines around the page, each of which must be judged alone.
        let parts = match width {
            Some(_) => subpaths(&path),
            None => vec![path.bounding_box()],
        };
        for r in parts {
            let grown = width.map_or(r, |w| r.inflate(w / 2.0, w / 2.0));
            if let Some(r) = self.clip(grown) {
                self.marks.paths.push((r, width));
            }
        }
    }

    fn push_clip_path(&mut self, clip: &ClipPath) {
        let r = clip.path.bounding_box();
        let inner = self.clips.last().map_or(r, |c| r.intersect(*c));
        self.clips.push(inner);
    }

    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, mode: &DrawMode) {
        if matches!(mode, DrawMode::Invisible) {
            return;
        }
        for g in run.glyphs() {
            let t = props.transform * g.transform();
            let r = match &**g {
                Glyph::Outline(o) => (t * o.outline()).bounding_box(),
                // A Type 3 glyph's own drawing comes through `draw_path`.
                Glyph::Type3(_) => continue,
            };
            if r.area() > 0.0
                && let Some(r) = self.clip(r)
            {
                self.marks.glyphs.push(r);
            }
        }
    }

    fn draw_image(&mut self, image: Image<'a, '_>, props: ImageDrawProps<'a>) {
        let Image::Raster(raster) = image else {
            return;
        };
        let dict = raster.stream().dict();
        let (Some(w), Some(h)) = (dict.get::<u32>(b"Width"), dict.get::<u32>(b"Height")) else {
            return;
        };
        // Images are drawn into the unit square; hayro hands over the
        // transform from the pixel grid, so measure the sides from it.
        let t = props.transform;
        let corners = [
            (0.0, 0.0),
            (w as f64, 0.0),
            (0.0, h as f64),
            (w as f64, h as f64),
        ]
        .map(|(x, y)| t * Point::new(x, y));
        let bbox = corners
            .iter()
            .skip(1)
            .fold(Rect::from_points(corners[0], corners[0]), |r, p| {
                r.union_pt(*p)
            });
        let size = (
            (corners[1] - corners[0]).hypot(),
            (corners[2] - corners[0]).hypot(),
        );
        if let Some(bbox) = self.clip(bbox) {
            self.marks.images.push(Placed {
                pixels: (w, h),
                bbox,
                size,
            });
        }
    }

    fn pop_clip(&mut self) {
        if self.clips.len() > 1 {
            self.clips.pop();
        }
    }

    fn pop_transparency_group(&mut self) {}
}
