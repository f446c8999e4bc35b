//! A printer's preflight of a built PDF, read back from its bytes: the
//! page boxes, the pages that bleed and whether their ink reaches the
//! BleedBox, the fonts and whether they are embedded, every picture's
//! resolution at its placed size, the colour spaces, hairlines, text
//! nearer the trim than the safe area, the crop marks' colour and the
//! output intent. `qalam check --print` prints it ([`Preflight::rows`]).
//!
//! It reads the PDF (hayro's parser and interpreter, the ones the preview
//! renders with), not the layout: what it reports is what the printer
//! gets.

mod scan;
mod table;

pub use table::{Row, Status, render};

use hayro::hayro_interpret::InterpreterCache;
use hayro::hayro_interpret::hayro_syntax::Pdf;
use hayro::hayro_interpret::hayro_syntax::content::ops::TypedInstruction;
use hayro::hayro_interpret::hayro_syntax::object::{Array, Dict, Name, Object, Stream};
use hayro::hayro_interpret::hayro_syntax::page::Page;
use hayro::kurbo::Rect;
use std::collections::BTreeSet;

/// The distance from the trim that text should keep (0.25 in), in pt.
pub const SAFE_AREA: f64 = 18.0;
/// Lines thinner than this (in pt) may not print.
pub const HAIRLINE: f64 = 0.25;

/// A page box in points: x0, y0, x1, y1.
pub type Boxed = [f64; 4];

/// What the preflight found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Preflight {
    pub pages: Vec<PageFacts>,
    pub fonts: Vec<FontFacts>,
    /// Colour space families used: `DeviceRGB`, `ICCBased`, `Separation /All`, …
    pub colour_spaces: Vec<String>,
    pub output_intent: Option<OutputIntent>,
    /// The PDF/A part and conformance the XMP metadata claims (`2B`).
    pub pdfa: Option<String>,
}

/// One page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PageFacts {
    pub media: Boxed,
    pub trim: Option<Boxed>,
    pub bleed: Option<Boxed>,
    /// How far the ink goes beyond the trim on each side (left, bottom,
    /// right, top), in pt; 0 where it stays inside.
    pub overhang: [f64; 4],
    pub images: Vec<ImageFacts>,
    /// The width (pt) of every line drawn thinner than [`HAIRLINE`].
    pub hairlines: Vec<f64>,
    /// The distance from the nearest glyph to the trim, in pt.
    pub text_to_trim: Option<f64>,
    /// Strokes drawn wholly outside the BleedBox (crop marks).
    pub marks: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ImageFacts {
    pub pixels: (u32, u32),
    /// Placed width and height, in pt.
    pub size: (f64, f64),
    pub ppi: f64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FontFacts {
    pub name: String,
    pub subtype: String,
    pub embedded: bool,
    pub subset: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OutputIntent {
    /// `GTS_PDFA1`, `GTS_PDFX`, …
    pub subtype: String,
    pub condition: String,
    pub info: String,
    /// Whether the destination ICC profile is embedded.
    pub profile: bool,
}

/// Reads `pdf` and gathers the figures; `Err` when it does not parse.
pub fn inspect(pdf: &[u8]) -> Result<Preflight, String> {
    let doc = Pdf::new(pdf.to_vec()).map_err(|e| format!("the PDF does not open ({e:?})"))?;
    let cache = InterpreterCache::new();
    let mut spaces = BTreeSet::new();
    let pages = doc
        .pages()
        .iter()
        .map(|page| {
            colour_ops(page, &mut spaces);
            page_facts(page, &cache)
        })
        .collect();
    let mut fonts = Vec::new();
    for obj in doc.objects() {
        match obj {
            // A CID font is counted with the Type 0 font it descends from.
            Object::Dict(d)
                if name(&d, b"Type").as_deref() == Some("Font")
                    && !name(&d, b"Subtype").is_some_and(|s| s.starts_with("CIDFont")) =>
            {
                fonts.extend(font(&d));
            }
            Object::Array(a) => spaces.extend(space_name(&Object::Array(a))),
            Object::Stream(s) if name(s.dict(), b"Subtype").as_deref() == Some("Image") => {
                spaces.extend(
                    s.dict()
                        .get::<Object<'_>>(b"ColorSpace")
                        .and_then(|cs| space_name(&cs)),
                );
            }
            _ => {}
        }
    }
    fonts.sort_by(|a, b| a.name.cmp(&b.name));
    let catalog: Option<Dict<'_>> = doc.xref().get(doc.xref().root_id());
    Ok(Preflight {
        pages,
        fonts,
        colour_spaces: spaces.into_iter().collect(),
        output_intent: catalog.as_ref().and_then(output_intent),
        pdfa: catalog.as_ref().and_then(pdfa),
    })
}

fn name(d: &Dict<'_>, key: &[u8]) -> Option<String> {
    d.get::<Name<'_>>(key).map(|n| n.as_str().to_string())
}

fn text(d: &Dict<'_>, key: &[u8]) -> String {
    d.get::<hayro::hayro_interpret::hayro_syntax::object::String<'_>>(key)
        .map(|s| String::from_utf8_lossy(s.as_bytes()).into_owned())
        .unwrap_or_default()
}

fn boxed(d: &Dict<'_>, key: &[u8]) -> Option<Boxed> {
    d.get::<hayro::hayro_interpret::hayro_syntax::object::Rect>(key)
        .map(|r| [r.x0, r.y0, r.x1, r.y1])
}

fn page_facts<'a>(page: &Page<'a>, cache: &InterpreterCache<'a>) -> PageFacts {
    let m = page.media_box();
    let media = [m.x0, m.y0, m.x1, m.y1];
    let trim = boxed(page.raw(), b"TrimBox");
    let bleed = boxed(page.raw(), b"BleedBox");
    let t = trim.unwrap_or(media);
    let trim_rect = Rect::new(t[0], t[1], t[2], t[3]);
    let b = bleed.unwrap_or(t);
    let bleed_rect = Rect::new(b[0], b[1], b[2], b[3]);
    let marks = scan::page_marks(page, cache);

    let mut ink: Option<Rect> = None;
    let mut add = |r: Rect| ink = Some(ink.map_or(r, |i| i.union(r)));
    let mut crop = 0;
    let mut hairlines = Vec::new();
    for &(r, width) in &marks.paths {
        if width.is_some() && !overlaps(r, bleed_rect) {
            crop += 1;
            continue;
        }
        let thin = match width {
            Some(w) => w,
            None => r.width().min(r.height()),
        };
        if thin > 0.0 && thin < HAIRLINE {
            hairlines.push(thin);
        }
        add(r);
    }
    for g in &marks.glyphs {
        add(*g);
    }
    let images = marks
        .images
        .iter()
        .map(|p| {
            add(p.bbox);
            let ppi = |px: u32, pt: f64| px as f64 / (pt.max(f64::MIN_POSITIVE) / 72.0);
            ImageFacts {
                pixels: p.pixels,
                size: p.size,
                ppi: ppi(p.pixels.0, p.size.0).min(ppi(p.pixels.1, p.size.1)),
            }
        })
        .collect();
    let overhang = ink.map_or([0.0; 4], |i| {
        [
            (trim_rect.x0 - i.x0).max(0.0),
            (trim_rect.y0 - i.y0).max(0.0),
            (i.x1 - trim_rect.x1).max(0.0),
            (i.y1 - trim_rect.y1).max(0.0),
        ]
    });
    let text_to_trim = marks
        .glyphs
        .iter()
        .map(|g| {
            (g.x0 - trim_rect.x0)
                .min(g.y0 - trim_rect.y0)
                .min(trim_rect.x1 - g.x1)
                .min(trim_rect.y1 - g.y1)
        })
        .reduce(f64::min);
    PageFacts {
        media,
        trim,
        bleed,
        overhang,
        images,
        hairlines,
        text_to_trim,
        marks: crop,
    }
}

/// Whether two boxes share more than an edge.
fn overlaps(a: Rect, b: Rect) -> bool {
    a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

/// The colour spaces the page's content sets by operator.
fn colour_ops(page: &Page<'_>, spaces: &mut BTreeSet<String>) {
    let device = |s: &str| s.to_string();
    let mut ops = page.typed_operations();
    while let Some(op) = ops.next() {
        let found = match op {
            TypedInstruction::StrokeColorDeviceRgb(_)
            | TypedInstruction::NonStrokeColorDeviceRgb(_) => Some(device("DeviceRGB")),
            TypedInstruction::StrokeColorDeviceGray(_)
            | TypedInstruction::NonStrokeColorDeviceGray(_) => Some(device("DeviceGray")),
            TypedInstruction::StrokeColorCmyk(_) | TypedInstruction::NonStrokeColorCmyk(_) => {
                Some(device("DeviceCMYK"))
            }
            TypedInstruction::ColorSpaceStroke(n) => resolve_space(page, n.0),
            TypedInstruction::ColorSpaceNonStroke(n) => resolve_space(page, n.0),
            _ => None,
        };
        if let Some(s) = found {
            spaces.insert(s);
        }
    }
}

fn resolve_space(page: &Page<'_>, n: &Name<'_>) -> Option<String> {
    match n.as_str() {
        s @ ("DeviceRGB" | "DeviceGray" | "DeviceCMYK" | "Pattern") => Some(s.to_string()),
        _ => page
            .resources()
            .get_color_space(n)
            .and_then(|o| space_name(&o)),
    }
}

/// A colour space object's family (with the colorant for Separation), or
/// `None` when the object is not one.
fn space_name(o: &Object<'_>) -> Option<String> {
    match o {
        Object::Name(n) => match n.as_str() {
            s @ ("DeviceRGB" | "DeviceGray" | "DeviceCMYK") => Some(s.to_string()),
            _ => None,
        },
        Object::Array(a) => {
            let mut it = a.flex_iter();
            let family = it.next::<Name<'_>>()?;
            match family.as_str() {
                "Separation" => {
                    let colorant = it.next::<Name<'_>>()?;
                    Some(format!("Separation /{}", colorant.as_str()))
                }
                "ICCBased" => {
                    // The profile's component count says what it describes.
                    let n = it
                        .next::<Stream<'_>>()
                        .and_then(|s| s.dict().get::<u8>(b"N"));
                    Some(
                        match n {
                            Some(1) => "ICCBased (gray)",
                            Some(3) => "ICCBased (RGB)",
                            Some(4) => "ICCBased (CMYK)",
                            _ => "ICCBased",
                        }
                        .to_string(),
                    )
                }
                f @ ("Indexed" | "DeviceN" | "Lab" | "CalRGB" | "CalGray") => Some(f.to_string()),
                _ => None,
            }
        }
        _ => None,
    }
}

fn font(d: &Dict<'_>) -> Option<FontFacts> {
    let subtype = name(d, b"Subtype")?;
    let base = name(d, b"BaseFont").unwrap_or_default();
    let descriptor = if subtype == "Type0" {
        d.get::<Array<'_>>(b"DescendantFonts")
            .and_then(|a| a.iter::<Dict<'_>>().next())
            .and_then(|f| f.get::<Dict<'_>>(b"FontDescriptor"))
    } else {
        d.get::<Dict<'_>>(b"FontDescriptor")
    };
    // Type 3 glyphs are drawn by the PDF itself: embedded by nature.
    let embedded = subtype == "Type3"
        || descriptor.is_some_and(|fd| {
            [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"]
                .iter()
                .any(|k| fd.get::<Stream<'_>>(k).is_some())
        });
    let subset = base.len() > 7 && base.as_bytes()[6] == b'+';
    Some(FontFacts {
        name: if base.is_empty() {
            name(d, b"Name").unwrap_or_else(|| "(unnamed)".into())
        } else {
            base
        },
        subtype,
        embedded,
        subset,
    })
}

fn output_intent(catalog: &Dict<'_>) -> Option<OutputIntent> {
    let intents = catalog.get::<Array<'_>>(b"OutputIntents")?;
    let oi = intents.iter::<Dict<'_>>().next()?;
    Some(OutputIntent {
        subtype: name(&oi, b"S").unwrap_or_default(),
        condition: text(&oi, b"OutputCondition"),
        info: text(&oi, b"Info"),
        profile: oi.get::<Stream<'_>>(b"DestOutputProfile").is_some(),
    })
}

/// The `pdfaid` part and conformance of the XMP metadata.
fn pdfa(catalog: &Dict<'_>) -> Option<String> {
    let xmp = catalog.get::<Stream<'_>>(b"Metadata")?.decoded().ok()?;
    let xmp = String::from_utf8_lossy(&xmp);
    let field = |key: &str| {
        let at = xmp.find(key)? + key.len();
        let rest = xmp[at..].trim_start_matches(['=', '"', '>', ' ']);
        let end = rest.find(['"', '<'])?;
        Some(rest[..end].to_string())
    };
    Some(format!(
        "{}{}",
        field("pdfaid:part")?,
        field("pdfaid:conformance").unwrap_or_default()
    ))
}

#[cfg(test)]
mod tests;
