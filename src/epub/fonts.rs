//! Embedding the bundled fonts, subset to the characters the book uses.
//!
//! The renderers record every character they write and which face (role,
//! weight, style) the stylesheet sets it in ([`Usage`]). Each face that is
//! used is subset to the union of the characters (plus printable ASCII and
//! the punctuation reading systems generate: hyphens, list bullets …).
//!
//! Subsetting uses the `subsetter` crate, which makes fonts for PDF: its
//! output has glyph outlines and metrics but no `cmap`, `OS/2`, `GSUB` or
//! `GPOS`. A browser engine needs the first two, so they are added here: a
//! new `cmap` for the remapped glyphs and the original `OS/2`. `GSUB` and
//! `GPOS` cannot be carried over (their glyph ids would have to be remapped
//! inside every lookup, which subsetter does not do), so:
//! - kerning is kept by turning the font's `GPOS` pair kerning for the
//!   glyphs in the subset into a legacy `kern` table, which HarfBuzz
//!   (Chromium, Firefox, Thorium, calibre, Kobo) and Core Text (Apple Books)
//!   still apply;
//! - ligatures and other substitutions (the `fi`/`fl` ligatures, old-style
//!   figures) are lost: text shows the separate letters, which is correct,
//!   only plainer;
//! - Arabic, which needs `GSUB` to join its letters, is therefore not
//!   embedded: the stylesheet names Noto Naskh Arabic and reading systems
//!   set Arabic in their own font (every one of them ships one).

use crate::diag::{Diagnostic, Diagnostics};
use crate::fonts::{BundledFace, Role, bundled_face};
use std::collections::{BTreeMap, BTreeSet};

/// How a run of text is set: the role of its family and its weight/style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub role: Role,
    pub bold: bool,
    pub italic: bool,
}

impl Style {
    pub const BODY: Style = Style {
        role: Role::Text,
        bold: false,
        italic: false,
    };
    pub const DISPLAY: Style = Style {
        role: Role::Display,
        bold: false,
        italic: false,
    };
    pub const DISPLAY_BOLD: Style = Style {
        role: Role::Display,
        bold: true,
        italic: false,
    };

    pub fn bold(self) -> Style {
        Style { bold: true, ..self }
    }
    pub fn italic(self, italic: bool) -> Style {
        Style { italic, ..self }
    }
    pub fn mono(self) -> Style {
        Style {
            role: Role::Mono,
            ..self
        }
    }

    fn bit(self) -> u16 {
        let role = match self.role {
            Role::Text => 0,
            Role::Display => 1,
            Role::Mono => 2,
            Role::Arabic => 3,
        };
        1 << (role * 4 + usize::from(self.bold) * 2 + usize::from(self.italic))
    }

    fn all() -> impl Iterator<Item = Style> {
        [Role::Text, Role::Display, Role::Mono, Role::Arabic]
            .into_iter()
            .flat_map(|role| {
                [(false, false), (false, true), (true, false), (true, true)]
                    .into_iter()
                    .map(move |(bold, italic)| Style { role, bold, italic })
            })
    }
}

/// The characters a set of documents uses, and in which styles.
#[derive(Clone)]
pub struct Usage {
    bmp: Box<[u64; 1024]>,
    astral: BTreeSet<char>,
    styles: u16,
}

impl Default for Usage {
    fn default() -> Self {
        Usage {
            bmp: Box::new([0; 1024]),
            astral: BTreeSet::new(),
            styles: 0,
        }
    }
}

impl Usage {
    pub fn add(&mut self, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        self.styles |= style.bit();
        for c in text.chars() {
            let u = c as u32;
            if u < 0x10000 {
                self.bmp[(u >> 6) as usize] |= 1 << (u & 63);
            } else {
                self.astral.insert(c);
            }
        }
    }

    pub fn merge(&mut self, other: &Usage) {
        for (a, b) in self.bmp.iter_mut().zip(other.bmp.iter()) {
            *a |= b;
        }
        self.astral.extend(other.astral.iter().copied());
        self.styles |= other.styles;
    }

    /// Every character, in code point order.
    pub fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.bmp
            .iter()
            .enumerate()
            .flat_map(|(i, &word)| {
                (0..64)
                    .filter(move |b| word & (1 << b) != 0)
                    .filter_map(move |b| char::from_u32((i as u32) << 6 | b))
            })
            .chain(self.astral.iter().copied())
    }

    fn styles(&self) -> impl Iterator<Item = Style> + '_ {
        Style::all().filter(|s| self.styles & s.bit() != 0)
    }
}

/// A subset font, ready for the package.
#[derive(Debug, Clone)]
pub struct EmbeddedFont {
    pub family: &'static str,
    pub bold: bool,
    pub italic: bool,
    /// File name in the package's `fonts/` folder.
    pub file: String,
    pub data: Vec<u8>,
}

/// Characters every subset keeps: printable ASCII and what reading systems
/// insert on their own (hyphens when hyphenating, list bullets, quotes).
const ALWAYS: &str = "\u{a0}\u{ad}‐‑–—‘’“”•◦▪…";

/// The faces the usage needs, subset, in a fixed order (as in `fonts::bundled()`).
pub fn embed(usage: &Usage) -> Result<Vec<EmbeddedFont>, Diagnostics> {
    let mut faces: BTreeMap<&'static str, &'static BundledFace> = BTreeMap::new();
    for s in usage.styles() {
        if s.role == Role::Arabic {
            continue; // see the module documentation
        }
        let f = bundled_face(s.role, s.bold, s.italic);
        faces.insert(f.file, f);
    }
    let mut chars: Vec<char> = (' '..='~').chain(ALWAYS.chars()).collect();
    chars.extend(usage.chars());
    chars.sort_unstable();
    chars.dedup();

    use rayon::prelude::*;
    let mut out: Vec<(usize, EmbeddedFont)> = faces
        .into_values()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|f| {
            let order = crate::fonts::bundled()
                .iter()
                .position(|b| b.file == f.file)
                .unwrap_or(usize::MAX);
            subset_face(f, &chars).map(|data| {
                (
                    order,
                    EmbeddedFont {
                        family: f.family,
                        bold: f.bold,
                        italic: f.italic,
                        file: f.file.to_string(),
                        data,
                    },
                )
            })
        })
        .collect::<Result<_, _>>()?;
    out.sort_by_key(|(o, _)| *o);
    Ok(out.into_iter().map(|(_, f)| f).collect())
}

/// One face subset to `chars` (those it has glyphs for).
fn subset_face(f: &BundledFace, chars: &[char]) -> Result<Vec<u8>, Diagnostics> {
    let bug = |e: &dyn std::fmt::Debug| -> Diagnostics {
        Diagnostic::bug(format!(
            "the bundled font {} could not be subset: {e:?}",
            f.file
        ))
        .into()
    };
    let face = ttf_parser::Face::parse(f.data, 0).map_err(|e| bug(&e))?;
    let mut mapped: Vec<(char, u16)> = chars
        .iter()
        .filter_map(|&c| face.glyph_index(c).map(|g| (c, g.0)))
        .collect();
    let mut gids: Vec<u16> = mapped.iter().map(|&(_, g)| g).collect();
    gids.sort_unstable();
    gids.dedup();
    let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&gids);
    let sub = subsetter::subset(f.data, 0, &remapper).map_err(|e| bug(&e))?;
    for m in &mut mapped {
        m.1 = remapper.get(m.1).unwrap_or(0);
    }

    let mut tables = read_tables(&sub).ok_or_else(|| bug(&"its table directory is cut short"))?;
    tables.insert(*b"cmap", cmap(&mapped));
    if let Some(os2) = table(f.data, b"OS/2") {
        tables.insert(*b"OS/2", os2.to_vec());
    }
    let kern = kern_pairs(&face, &gids, &remapper);
    if !kern.is_empty() {
        tables.insert(*b"kern", kern_table(&kern));
    }
    Ok(write_sfnt(&tables))
}

/// The tables of an sfnt file by tag.
fn read_tables(data: &[u8]) -> Option<BTreeMap<[u8; 4], Vec<u8>>> {
    let n = u16::from_be_bytes(data.get(4..6)?.try_into().ok()?) as usize;
    let mut out = BTreeMap::new();
    for i in 0..n {
        let rec = data.get(12 + 16 * i..28 + 16 * i)?;
        let tag: [u8; 4] = rec[0..4].try_into().ok()?;
        let off = u32::from_be_bytes(rec[8..12].try_into().ok()?) as usize;
        let len = u32::from_be_bytes(rec[12..16].try_into().ok()?) as usize;
        out.insert(tag, data.get(off..off.checked_add(len)?)?.to_vec());
    }
    Some(out)
}

fn table<'a>(data: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
    let n = u16::from_be_bytes(data.get(4..6)?.try_into().ok()?) as usize;
    (0..n).find_map(|i| {
        let rec = data.get(12 + 16 * i..28 + 16 * i)?;
        if &rec[0..4] != tag {
            return None;
        }
        let off = u32::from_be_bytes(rec[8..12].try_into().ok()?) as usize;
        let len = u32::from_be_bytes(rec[12..16].try_into().ok()?) as usize;
        data.get(off..off.checked_add(len)?)
    })
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut b = [0u8; 4];
        b[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(b))
    })
}

/// A TrueType file from its tables (sorted by tag, 4-byte aligned, with
/// checksums and the `head` checksum adjustment).
fn write_sfnt(tables: &BTreeMap<[u8; 4], Vec<u8>>) -> Vec<u8> {
    let n = tables.len() as u16;
    let entry_selector = 15 - n.max(1).leading_zeros() as u16;
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n, search_range, entry_selector, n * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in tables {
        let mut sum_data = std::borrow::Cow::Borrowed(data.as_slice());
        if tag == b"head" && data.len() >= 12 {
            let mut d = data.clone();
            d[8..12].fill(0);
            sum_data = std::borrow::Cow::Owned(d);
            head_at = Some(offset + 8);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(&sum_data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (tag, data) in tables {
        let start = out.len();
        out.extend_from_slice(data);
        if tag == b"head" && data.len() >= 12 {
            out[start + 8..start + 12].fill(0);
        }
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(at) = head_at {
        let adj = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at..at + 4].copy_from_slice(&adj.to_be_bytes());
    }
    out
}

/// A `cmap` with a format 4 subtable for the BMP and, when needed, a
/// format 12 subtable for every character.
fn cmap(mapped: &[(char, u16)]) -> Vec<u8> {
    let mut m: Vec<(u32, u16)> = mapped
        .iter()
        .map(|&(c, g)| (c as u32, g))
        .filter(|&(_, g)| g != 0)
        .collect();
    m.sort_unstable();
    m.dedup_by_key(|e| e.0);

    // Format 4: segments of consecutive code points with consecutive glyphs.
    let mut segs: Vec<(u16, u16, i16)> = Vec::new(); // (start, end, delta)
    for &(c, g) in m.iter().filter(|e| e.0 < 0xFFFF) {
        let c16 = c as u16;
        let delta = g.wrapping_sub(c16) as i16;
        match segs.last_mut() {
            Some(s) if s.1.wrapping_add(1) == c16 && s.2 == delta => s.1 = c16,
            _ => segs.push((c16, c16, delta)),
        }
    }
    segs.push((0xFFFF, 0xFFFF, 1));
    let seg_count = segs.len() as u16;
    let entry_selector = 15 - seg_count.leading_zeros() as u16;
    let search_range = 2 * (1u16 << entry_selector);
    let mut f4 = Vec::new();
    let len4 = 16 + 8 * segs.len();
    for v in [
        4u16,
        len4 as u16,
        0,
        seg_count * 2,
        search_range,
        entry_selector,
        seg_count * 2 - search_range,
    ] {
        f4.extend_from_slice(&v.to_be_bytes());
    }
    for s in &segs {
        f4.extend_from_slice(&s.1.to_be_bytes());
    }
    f4.extend_from_slice(&0u16.to_be_bytes());
    for s in &segs {
        f4.extend_from_slice(&s.0.to_be_bytes());
    }
    for s in &segs {
        f4.extend_from_slice(&s.2.to_be_bytes());
    }
    for _ in &segs {
        f4.extend_from_slice(&0u16.to_be_bytes());
    }

    let astral = m.iter().any(|e| e.0 > 0xFFFF);
    let mut f12 = Vec::new();
    if astral {
        let mut groups: Vec<(u32, u32, u32)> = Vec::new();
        for &(c, g) in &m {
            match groups.last_mut() {
                Some(gr) if gr.1 + 1 == c && gr.2 + (c - gr.0) == u32::from(g) => gr.1 = c,
                _ => groups.push((c, c, u32::from(g))),
            }
        }
        f12.extend_from_slice(&12u16.to_be_bytes());
        f12.extend_from_slice(&0u16.to_be_bytes());
        f12.extend_from_slice(&((16 + 12 * groups.len()) as u32).to_be_bytes());
        f12.extend_from_slice(&0u32.to_be_bytes());
        f12.extend_from_slice(&(groups.len() as u32).to_be_bytes());
        for (s, e, g) in groups {
            for v in [s, e, g] {
                f12.extend_from_slice(&v.to_be_bytes());
            }
        }
    }

    let records: u16 = if astral { 2 } else { 1 };
    let header = 4 + 8 * usize::from(records);
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&records.to_be_bytes());
    // (3, 1) Windows Unicode BMP → format 4; (3, 10) Windows full Unicode → format 12.
    out.extend_from_slice(&3u16.to_be_bytes());
    out.extend_from_slice(&1u16.to_be_bytes());
    out.extend_from_slice(&(header as u32).to_be_bytes());
    if astral {
        out.extend_from_slice(&3u16.to_be_bytes());
        out.extend_from_slice(&10u16.to_be_bytes());
        out.extend_from_slice(&((header + f4.len()) as u32).to_be_bytes());
    }
    out.extend_from_slice(&f4);
    out.extend_from_slice(&f12);
    out
}

/// Horizontal kerning between the subset's glyphs, from the `kern` feature
/// of `GPOS` (pair adjustments), as (new left, new right, value) sorted.
///
/// Scripts may have their own kerning lookups; a pair takes its value from
/// the first script (DFLT, latn, cyrl, then the rest) that kerns it, so
/// lookups shared or duplicated between scripts are not counted twice.
fn kern_pairs(
    face: &ttf_parser::Face,
    gids: &[u16],
    remapper: &subsetter::GlyphRemapper,
) -> Vec<(u16, u16, i16)> {
    use ttf_parser::GlyphId;
    use ttf_parser::gpos::{PairAdjustment, PositioningSubtable};
    let Some(gpos) = face.tables().gpos else {
        return Vec::new();
    };
    // The pair tables below are n x n; a book that uses thousands of a
    // face's glyphs (whole alphabets of symbols) goes without kerning rather
    // than spend tens of megabytes on it.
    if gids.len() > MAX_KERNED_GLYPHS {
        return Vec::new();
    }
    // Lookup lists of the kern feature, per script, in priority order.
    let mut script_lookups: Vec<Vec<u16>> = Vec::new();
    let mut scripts: Vec<_> = (0..gpos.scripts.len())
        .filter_map(|i| gpos.scripts.get(i))
        .collect();
    let rank = |t: &[u8; 4]| match t {
        b"DFLT" => 0,
        b"latn" => 1,
        b"cyrl" => 2,
        _ => 3,
    };
    scripts.sort_by_key(|s| rank(&s.tag.to_bytes()));
    for s in scripts {
        let Some(ls) = s.default_language else {
            continue;
        };
        let mut lookups = Vec::new();
        for fi in ls.feature_indices {
            if let Some(f) = gpos.features.get(fi)
                && &f.tag.to_bytes() == b"kern"
            {
                lookups.extend(f.lookup_indices);
            }
        }
        lookups.sort_unstable();
        lookups.dedup();
        if !lookups.is_empty() && !script_lookups.contains(&lookups) {
            script_lookups.push(lookups);
        }
    }

    // Dense n x n tables over the subset's glyphs (a few hundred at most).
    let n = gids.len();
    let mut pairs: Vec<i16> = vec![0; n * n];
    let mut set: Vec<bool> = vec![false; n * n];
    let mut these: Vec<i32> = vec![0; n * n];
    let mut done: Vec<bool> = vec![false; n * n];
    for lookups in &script_lookups {
        these.fill(0);
        for &li in lookups {
            let Some(lookup) = gpos.lookups.get(li) else {
                continue;
            };
            // Within a lookup the first subtable that has the pair applies.
            done.fill(false);
            for si in 0..lookup.subtables.len() {
                let Some(PositioningSubtable::Pair(pa)) =
                    lookup.subtables.get::<PositioningSubtable>(si)
                else {
                    continue;
                };
                let mut class2_list: Vec<u16> = Vec::new();
                let mut class2_index: Vec<usize> = vec![0; n];
                let mut class_rows: BTreeMap<u16, Vec<Option<i32>>> = BTreeMap::new();
                if let PairAdjustment::Format2 { classes, .. } = pa {
                    for (j, &r) in gids.iter().enumerate() {
                        let c = classes.1.get(GlyphId(r));
                        class2_index[j] = match class2_list.iter().position(|&x| x == c) {
                            Some(i) => i,
                            None => {
                                class2_list.push(c);
                                class2_list.len() - 1
                            }
                        };
                    }
                }
                for (i, &l) in gids.iter().enumerate() {
                    let Some(cov) = pa.coverage().get(GlyphId(l)) else {
                        continue;
                    };
                    let row = i * n;
                    match pa {
                        PairAdjustment::Format1 { sets, .. } => {
                            let Some(ps) = sets.get(cov) else { continue };
                            for (j, &r) in gids.iter().enumerate() {
                                if done[row + j] {
                                    continue;
                                }
                                if let Some((v1, v2)) = ps.get(GlyphId(r)) {
                                    done[row + j] = true;
                                    these[row + j] +=
                                        i32::from(v1.x_advance) + i32::from(v2.x_placement);
                                }
                            }
                        }
                        PairAdjustment::Format2 {
                            classes, matrix, ..
                        } => {
                            // Values depend on the two classes only: look
                            // each class pair up once.
                            let c1 = classes.0.get(GlyphId(l));
                            let row_values = class_rows.entry(c1).or_insert_with(|| {
                                class2_list
                                    .iter()
                                    .map(|&c2| {
                                        matrix.get((c1, c2)).map(|(v1, v2)| {
                                            i32::from(v1.x_advance) + i32::from(v2.x_placement)
                                        })
                                    })
                                    .collect()
                            });
                            for j in 0..n {
                                if done[row + j] {
                                    continue;
                                }
                                if let Some(v) = row_values[class2_index[j]] {
                                    done[row + j] = true;
                                    these[row + j] += v;
                                }
                            }
                        }
                    }
                }
            }
        }
        for k in 0..n * n {
            if !set[k] && these[k] != 0 {
                set[k] = true;
                pairs[k] = these[k].clamp(i16::MIN.into(), i16::MAX.into()) as i16;
            }
        }
    }
    let mut out: Vec<(u16, u16, i16)> = (0..n * n)
        .filter(|&k| set[k])
        .filter_map(|k| {
            Some((
                remapper.get(gids[k / n])?,
                remapper.get(gids[k % n])?,
                pairs[k],
            ))
        })
        .collect();
    out.sort_unstable();
    out
}

/// Above this many glyphs in a subset, no `kern` table is made.
const MAX_KERNED_GLYPHS: usize = 1024;

/// A version 0 `kern` table; pairs are split over several format 0
/// subtables when one cannot hold them (its length is 16 bits).
fn kern_table(pairs: &[(u16, u16, i16)]) -> Vec<u8> {
    const MAX: usize = (0xFFFF - 14) / 6;
    let chunks: Vec<&[(u16, u16, i16)]> = pairs.chunks(MAX).collect();
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(chunks.len() as u16).to_be_bytes());
    for chunk in chunks {
        let n = chunk.len() as u16;
        let entry_selector = 15 - n.leading_zeros() as u16;
        let search_range = (1u16 << entry_selector) * 6;
        for v in [
            0u16,
            (14 + 6 * chunk.len()) as u16,
            0x0001, // horizontal, format 0
            n,
            search_range,
            entry_selector,
            n * 6 - search_range,
        ] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        for &(l, r, v) in chunk {
            out.extend_from_slice(&l.to_be_bytes());
            out.extend_from_slice(&r.to_be_bytes());
            out.extend_from_slice(&v.to_be_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_keeps_the_used_characters_and_kerning() {
        let mut u = Usage::default();
        u.add("AVATAR Kazakhstan’s “story” — Алихан", Style::BODY);
        let fonts = embed(&u).unwrap();
        assert_eq!(fonts.len(), 1);
        let f = &fonts[0];
        assert_eq!(f.file, "Vollkorn-Regular.ttf");
        assert!(f.data.len() < 60_000, "{} bytes", f.data.len());
        let face = ttf_parser::Face::parse(&f.data, 0).unwrap();
        for c in "AVKzh’“—Алихан-z~".chars() {
            assert!(face.glyph_index(c).is_some(), "{c} missing");
        }
        assert!(face.glyph_index('Ж').is_none());
        assert!(face.tables().os2.is_some());
        // "AV" kerns in Vollkorn: the pair survives in the kern table.
        let kern = face.tables().kern.expect("kern table");
        let a = face.glyph_index('A').unwrap();
        let v = face.glyph_index('V').unwrap();
        let k: i16 = kern
            .subtables
            .into_iter()
            .filter_map(|s| s.glyphs_kerning(a, v))
            .sum();
        assert!(k < 0, "AV kerning {k}");
        // Outlines are there.
        let mut sink = Sink(0);
        face.outline_glyph(face.glyph_index('A').unwrap(), &mut sink);
        assert!(sink.0 > 0);
    }

    struct Sink(usize);
    impl ttf_parser::OutlineBuilder for Sink {
        fn move_to(&mut self, _: f32, _: f32) {
            self.0 += 1
        }
        fn line_to(&mut self, _: f32, _: f32) {
            self.0 += 1
        }
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {
            self.0 += 1
        }
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {
            self.0 += 1
        }
        fn close(&mut self) {}
    }

    #[test]
    fn styles_pick_faces() {
        let mut u = Usage::default();
        u.add("a", Style::BODY.italic(true));
        u.add("b", Style::DISPLAY_BOLD);
        u.add("c", Style::BODY.mono().italic(true));
        let files: Vec<String> = embed(&u).unwrap().into_iter().map(|f| f.file).collect();
        assert_eq!(
            files,
            [
                "Vollkorn-Italic.ttf",
                "NotoSans-Bold.ttf",
                "NotoSansMono-Regular.ttf"
            ]
        );
    }
}
