//! From a [`ParagraphSpec`] to a [`SetParagraph`]: itemize (style, font
//! fallback, bidi level), shape, find break opportunities (UAX #14,
//! hyphenation, URLs, soft hyphens), build Knuth–Plass items, break, and
//! assemble the lines into positioned glyph runs.

use super::advances::Advances;
use super::fonts::{FontBook, FontId};
use super::hyphenate::Hyphenator;
use super::linebreak::{self, FIL, INFINITY_PENALTY, Item, Kind, Params};
use super::microtype::{Expansion, TRACK_MAX_EM, protrusion};
use super::paragraph::{Figures, TextStyle};
use super::shape::{Features, ShapeKey, ShapedGlyph};
use super::{
    Align, GlyphRun, Line, MissingGlyph, ParagraphSpec, PositionedGlyph, SetParagraph, Typesetter,
};
use rustc_hash::FxHashMap;
use std::ops::Range;
use unicode_script::{Script, UnicodeScript};

/// Space glue, as a fraction of the font's space: it may stretch to 1.5 and
/// shrink to 0.72 of itself at ratios ±1 (the tight-line threshold of the
/// quality targets is 0.7, so no justified line can be tight).
const SPACE_STRETCH: f32 = 0.5;
const SPACE_SHRINK: f32 = 0.28;
/// Narrowest word space at ratio -1, as a fraction of the type size (the
/// third pass, at [`EMERGENCY_SHRINK`], may go 30 % of the shrink further).
/// Text extractors find words by the gaps between glyphs (poppler's
/// `pdftotext -raw` among them), so a much narrower space glues words
/// together in copied text. 0.14 em is 0.7 of Vollkorn's
/// narrow space (0.2 em), the tight-line threshold of the quality targets:
/// fonts with a narrow space shrink less because of it, and without it a
/// 0.2 em space could shrink only a fifth, which left such fonts more loose
/// lines and more hyphens than fonts with a wider space.
const MIN_SPACE_EM: f32 = 0.14;
/// First-pass tolerance: spaces at most 1 + 0.7 * SPACE_STRETCH = 1.35 of
/// normal; paragraphs that cannot keep to it get a pass at ratio 1 (1.5).
const PRETOLERANCE: f32 = 0.7;
/// Third-pass shrink limit: spaces down to about 0.6 of normal, for the
/// rare paragraph that has no other way to avoid a loose line.
const EMERGENCY_SHRINK: f32 = -1.3;
/// Penalties (TeX's \hyphenpenalty, \exhyphenpenalty), and ours for breaks
/// in URLs and after dashes, and for emergency breaks inside overlong words.
/// A hyphen costs three times TeX's default (its demerits, 2.25·10⁴, more
/// than those of a line with spaces at 1.5), and the first pass does without
/// hyphens: with glyph expansion to even the lines, a compositor hyphenates
/// only where spacing would suffer.
const HYPHEN_PENALTY: f32 = 150.0;
const EX_HYPHEN_PENALTY: f32 = 50.0;
const URL_PENALTY: f32 = 60.0;
const DASH_PENALTY: f32 = 20.0;
const EMERGENCY_PENALTY: f32 = 900.0;
/// Demerits for two hyphenated lines in a row (TeX's
/// \doublehyphendemerits, doubled) and for a hyphen on a paragraph's last
/// full line (\finalhyphendemerits, doubled).
const DOUBLE_HYPHEN_DEMERITS: f32 = 20_000.0;
const FINAL_HYPHEN_DEMERITS: f32 = 10_000.0;

/// The spaces' ratio past which a justified line is letter-spaced (at most
/// [`TRACK_MAX_EM`]) before its spaces stretch or shrink further.
const TRACK_AFTER: f32 = 0.6;

/// Buffers reused between paragraphs.
#[derive(Default)]
pub(super) struct Scratch {
    glyphs: Vec<ShapedGlyph>,
    points: Vec<usize>,
    breaks: Vec<(usize, BreakKind)>,
    /// Hyphenation points per hyphenator and word: books repeat words.
    hyphens: FxHashMap<Hyphenator, FxHashMap<Box<str>, Box<[u16]>>>,
}

/// A run of text with one style, font and bidi level.
#[derive(Debug, Clone)]
struct TItem {
    range: Range<usize>,
    span: usize,
    font: FontId,
    level: u8,
    /// Shaped as a whole run (right-to-left or a script needing context).
    complex: bool,
}

/// What a K&P item stands for, to rebuild lines after breaking.
#[derive(Debug, Clone)]
enum Src {
    Indent,
    Seg {
        titem: u32,
        range: Range<u32>,
        features: Features,
    },
    Space {
        titem: u32,
        range: Range<u32>,
    },
    Break {
        titem: u32,
        pos: u32,
        hyphen: bool,
    },
    Fill {
        pos: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BreakKind {
    /// Hyphenation point or soft hyphen: a hyphen is inserted.
    Hyphen,
    /// After an explicit hyphen in the text.
    ExHyphen,
    /// After a dash, slash or other UAX #14 opportunity.
    Plain,
    Url,
    /// Inside a word too long for any line.
    Emergency {
        hyphen: bool,
    },
}

fn is_rtl_char(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x1FC00..=0x1FFFD | 0x2B00..=0x2BFF)
}

/// Characters that never need a glyph of their own (joiners, selectors,
/// soft hyphens, controls).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\n' | '\r' | '\t')
        || ('\u{E0100}'..='\u{E01EF}').contains(&c)
}

fn is_simple_script(s: Script) -> bool {
    matches!(
        s,
        Script::Latin | Script::Cyrillic | Script::Greek | Script::Common | Script::Inherited
    )
}

pub(super) fn set_paragraph(ts: &mut Typesetter, spec: &ParagraphSpec<'_>) -> SetParagraph {
    // Timed by hand rather than with a timer per step: the clock is read
    // three times a paragraph, and only under `--timings`.
    let started = crate::timings::enabled().then(std::time::Instant::now);
    let text = spec.text.text.as_str();
    let fonts: &FontBook = ts.fonts.book();
    let words = ts.fonts.words();
    let mut missing = Vec::new();

    // 1. Bidi levels (only computed when there is right-to-left text).
    let base_rtl = spec.lang.is_rtl();
    let levels: Option<Vec<u8>> = if base_rtl || text.chars().any(is_rtl_char) {
        let base = if base_rtl {
            unicode_bidi::Level::rtl()
        } else {
            unicode_bidi::Level::ltr()
        };
        let info = unicode_bidi::BidiInfo::new(text, Some(base));
        Some(info.levels.iter().map(|l| l.number()).collect())
    } else {
        None
    };

    // 2. Items: split at style spans, font changes (fallback) and levels.
    let mut titems: Vec<TItem> = Vec::new();
    for (si, (range, style)) in spec.text.spans.iter().enumerate() {
        let primary = fonts.select(style.family, style.bold, style.italic);
        let mut cur: Option<TItem> = None;
        for (off, c) in text[range.clone()].char_indices() {
            let i = range.start + off;
            let level = levels.as_ref().map_or(0, |l| l[i]);
            // ASCII needs no script lookup: letters are Latin, the rest Common.
            let script = if c.is_ascii() {
                if c.is_ascii_alphabetic() {
                    Script::Latin
                } else {
                    Script::Common
                }
            } else {
                c.script()
            };
            let cur_font = cur.as_ref().map(|t| t.font);
            let font = if is_invisible(c) || c == ' ' {
                cur_font.unwrap_or(primary)
            } else if let Some(cf) = cur_font.filter(|&cf| {
                cf != primary
                    && matches!(script, Script::Common | Script::Inherited)
                    && fonts.face(cf).covers(c)
            }) {
                // Punctuation and digits stay with a fallback run (an Arabic
                // comma with its Arabic words).
                cf
            } else {
                match fonts.cover(primary, c) {
                    Some(f) => f,
                    None => {
                        missing.push(MissingGlyph {
                            ch: c,
                            offset: i,
                            emoji: is_emoji(c),
                        });
                        cur_font.unwrap_or(primary)
                    }
                }
            };
            let complex = level % 2 == 1 || !is_simple_script(script);
            match &mut cur {
                Some(t) if t.font == font && t.level == level => {
                    t.range.end = i + c.len_utf8();
                    t.complex |= complex;
                }
                _ => {
                    if let Some(t) = cur.take() {
                        titems.push(t);
                    }
                    cur = Some(TItem {
                        range: i..i + c.len_utf8(),
                        span: si,
                        font,
                        level,
                        complex,
                    });
                }
            }
        }
        if let Some(t) = cur.take() {
            titems.push(t);
        }
    }

    // 3. UAX #14 break opportunities (byte positions a line may start at).
    let uax14: Vec<usize> = unicode_linebreak::linebreaks(text)
        .map(|(p, _)| p)
        .filter(|&p| p < text.len())
        .collect();

    // 4. Knuth–Plass items.
    let mut b = Builder {
        ts_shaper: &mut ts.shaper,
        fonts,
        words,
        spec,
        text,
        titems: &titems,
        uax14: &uax14,
        items: Vec::with_capacity(text.len() / 3 + 8),
        srcs: Vec::with_capacity(text.len() / 3 + 8),
        scratch: &mut ts.scratch,
        justify: spec.align == Align::Justify,
        expand: expansion_of(spec),
        track: spec.align == Align::Justify && spec.microtype,
        min_measure: (spec.measure - spec.indent.max(0.0)).max(1.0),
        pending_hang_end: 0.0,
        hyphenators: spec
            .text
            .spans
            .iter()
            .map(|(_, st)| Hyphenator::for_lang(st.lang.as_ref().unwrap_or(spec.lang)))
            .collect(),
        broken: Vec::new(),
    };
    b.build();
    let Builder {
        items,
        srcs,
        broken,
        ..
    } = b;

    let lines = if spec.align == Align::Justify {
        Params {
            line_width: spec.measure,
            pretolerance: PRETOLERANCE,
            tolerance: 1.0,
            ..Params::default()
        }
    } else {
        Params::ragged(spec.measure)
    };
    let params = Params {
        double_hyphen_demerits: DOUBLE_HYPHEN_DEMERITS,
        final_hyphen_demerits: FINAL_HYPHEN_DEMERITS,
        emergency_shrink: EMERGENCY_SHRINK,
        hang: spec.microtype,
        looseness: spec.looseness,
        track_after: TRACK_AFTER,
        ..lines
    };
    let kp_started = started.map(|_| std::time::Instant::now());
    let breaks = linebreak::total_fit(&items, &params);
    let kp_time = kp_started.map(|t| t.elapsed());
    #[cfg(test)]
    if std::env::var_os("KP_DEBUG").is_some() {
        for (it, src) in items.iter().zip(&srcs) {
            let t = match src {
                Src::Seg { range, .. } | Src::Space { range, .. } => {
                    text[range.start as usize..range.end as usize].to_string()
                }
                _ => String::new(),
            };
            eprintln!(
                "{:?} w={:.2} y={:.2} z={:.2} p={} f={} {t:?}",
                it.kind, it.width, it.stretch, it.shrink, it.penalty, it.flagged
            );
        }
    }

    // 5. Lines.
    let mut out = SetParagraph {
        text: format!("{text}\u{AD}"),
        source_len: text.len(),
        lines: Vec::with_capacity(breaks.breaks.len()),
        links: spec.text.links.clone(),
        notes: spec.text.notes.clone(),
        missing,
        broken_words: broken,
        demerits: breaks.demerits,
        emergency: breaks.emergency,
    };
    let mut asm = Assembler {
        shaper: &mut ts.shaper,
        fonts,
        words,
        spec,
        text,
        titems: &titems,
        levels: levels.as_deref(),
        items: &items,
        srcs: &srcs,
        glyphs: std::mem::take(&mut ts.scratch.glyphs),
        track_after: params.track_after,
    };
    let mut start = 0usize;
    let mut hang_start = if spec.microtype {
        items
            .iter()
            .find(|i| i.kind == Kind::Box)
            .map_or(0.0, |i| i.hang_start)
    } else {
        0.0
    };
    let n = breaks.breaks.len();
    for (k, br) in breaks.breaks.iter().enumerate() {
        let next_start = after_break(&items, br.at);
        let text_start = src_pos(&srcs, start, text.len());
        let text_end = if k + 1 == n {
            text.len()
        } else {
            src_pos(&srcs, next_start, text.len())
        };
        let last = k + 1 == n || forced(&items[br.at]);
        let line = asm.line(start, br.at, hang_start, last, k == 0, text_start..text_end);
        out.lines.push(line);
        hang_start = if spec.microtype {
            items[br.at].hang_start
        } else {
            0.0
        };
        start = next_start;
    }
    ts.scratch.glyphs = asm.glyphs;
    if let (Some(t), Some(kp)) = (started, kp_time) {
        use crate::timings::{Stage, add};
        add(Stage::LineBreaking, kp);
        add(Stage::Shaping, t.elapsed().saturating_sub(kp));
    }
    out
}

fn forced(it: &Item) -> bool {
    it.kind == Kind::Penalty && it.penalty <= -INFINITY_PENALTY
}

/// First item after a break that is not discarded (glue and penalties).
fn after_break(items: &[Item], i: usize) -> usize {
    let mut j = i + 1;
    while j < items.len() && items[j].kind != Kind::Box {
        if forced(&items[j]) {
            break;
        }
        j += 1;
    }
    j
}

/// Source position of the first item at or after `i`.
fn src_pos(srcs: &[Src], i: usize, end: usize) -> usize {
    for s in srcs.iter().skip(i) {
        match s {
            Src::Indent => continue,
            Src::Seg { range, .. } | Src::Space { range, .. } => return range.start as usize,
            Src::Break { pos, .. } | Src::Fill { pos } => return *pos as usize,
        }
    }
    end
}

struct Builder<'a, 'b> {
    ts_shaper: &'a mut super::shape::Shaper,
    fonts: &'a FontBook,
    words: &'a super::shape::WordCache,
    spec: &'a ParagraphSpec<'b>,
    text: &'a str,
    titems: &'a [TItem],
    uax14: &'a [usize],
    items: Vec<Item>,
    srcs: Vec<Src>,
    scratch: &'a mut Scratch,
    justify: bool,
    /// Glyph expansion the breaker may count on (none for ragged text).
    expand: Expansion,
    /// Letter-spacing (as a last resort) the breaker may count on.
    track: bool,
    min_measure: f32,
    /// Protrusion of the last glyph of the latest word, for the break after it.
    pending_hang_end: f32,
    /// The hyphenator of each style span (by its language).
    hyphenators: Vec<Hyphenator>,
    /// Words too long for a line that may be broken anywhere.
    broken: Vec<Range<usize>>,
}

/// The glyph expansion a paragraph's justified lines may use.
fn expansion_of(spec: &ParagraphSpec<'_>) -> Expansion {
    if spec.align == Align::Justify && spec.microtype {
        spec.expansion
    } else {
        Expansion::NONE
    }
}

fn style_features(style: &TextStyle) -> Features {
    Features(match style.figures {
        Figures::OldStyle => Features::ONUM | Features::PNUM,
        Figures::Lining => Features::LNUM | Features::PNUM,
        Figures::Tabular => Features::LNUM | Features::TNUM,
    })
}

/// A word of two or more capitals (before any apostrophe): ACSH, UNDP’s.
fn is_acronym(word: &str) -> bool {
    let head = word.split(['’', '\'']).next().unwrap_or("");
    let letters = head.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && !head.chars().any(|c| c.is_lowercase())
}

fn looks_like_url(word: &str) -> bool {
    // Punctuation that ends a sentence is not part of the token: a long
    // word before a full stop is still a word.
    let word = word.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '»', '”', '’', '"']);
    word.contains("://")
        || word.starts_with("www.")
        || (word.chars().count() >= 20 && word.contains(['/', '.', '_', '?', '&']))
}

impl Builder<'_, '_> {
    fn style(&self, t: &TItem) -> &TextStyle {
        &self.spec.text.spans[t.span].1
    }

    fn key(&mut self, t: &TItem, features: Features) -> ShapeKey {
        let style = &self.spec.text.spans[t.span].1;
        let lang = style.lang.as_ref().unwrap_or(self.spec.lang);
        ShapeKey {
            font: t.font,
            features,
            rtl: t.level % 2 == 1,
            lang: self.ts_shaper.lang_id(self.words, lang.as_str()),
        }
    }

    fn push(&mut self, item: Item, src: Src) {
        // A box starting a line gives the break before it its left hang.
        if item.kind == Kind::Box
            && let Some(prev) = self.items.last_mut()
            && prev.kind != Kind::Box
        {
            prev.hang_start = item.hang_start;
        }
        self.items.push(item);
        self.srcs.push(src);
    }

    fn build(&mut self) {
        if self.spec.indent > 0.0 && !self.text.is_empty() {
            self.push(Item::boxed(self.spec.indent, 0.0, 0.0), Src::Indent);
        }
        for (ti, t) in self.titems.iter().enumerate() {
            if t.complex {
                self.complex_item(ti as u32, t);
            } else {
                self.simple_item(ti as u32, t);
            }
        }
        let end = self.text.len() as u32;
        if self.justify {
            self.push(Item::glue(0.0, FIL, 0.0), Src::Fill { pos: end });
        }
        self.push(
            Item::penalty(0.0, -INFINITY_PENALTY, false),
            Src::Fill { pos: end },
        );
    }

    fn space_item(&mut self, ti: u32, t: &TItem, range: Range<usize>, nobreak: bool) {
        let size = self.style(t).glyph_size();
        let w = self.fonts.face(t.font).metrics().space * size;
        let (y, z) = if self.justify {
            (w * SPACE_STRETCH, space_shrink(w, size))
        } else {
            (0.0, 0.0)
        };
        if nobreak {
            self.push(
                Item::penalty(0.0, INFINITY_PENALTY, false),
                Src::Break {
                    titem: ti,
                    pos: range.start as u32,
                    hyphen: false,
                },
            );
        }
        // Collapse consecutive spaces into one glue.
        if let (Some(last), Some(Src::Space { range: r, .. })) =
            (self.items.last(), self.srcs.last_mut())
            && last.kind == Kind::Glue
            && r.end as usize == range.start
        {
            r.end = range.end as u32;
            return;
        }
        let mut g = Item::glue(w, y, z);
        // The glyph before a space may hang into the right margin.
        g.hang_end = self.pending_hang_end;
        self.push(
            g,
            Src::Space {
                titem: ti,
                range: range.start as u32..range.end as u32,
            },
        );
    }

    fn forced_break(&mut self, pos: usize) {
        self.push(Item::glue(0.0, FIL, 0.0), Src::Fill { pos: pos as u32 });
        self.push(
            Item::penalty(0.0, -INFINITY_PENALTY, false),
            Src::Fill {
                pos: pos as u32 + 1,
            },
        );
    }

    fn simple_item(&mut self, ti: u32, t: &TItem) {
        let mut pos = t.range.start;
        let end = t.range.end;
        while pos < end {
            let c = self.text[pos..].chars().next().unwrap_or(' ');
            match c {
                ' ' => {
                    let e = pos
                        + self.text[pos..end]
                            .bytes()
                            .take_while(|&b| b == b' ')
                            .count();
                    self.space_item(ti, t, pos..e, false);
                    pos = e;
                }
                '\u{A0}' => {
                    self.space_item(ti, t, pos..pos + 2, true);
                    pos += 2;
                }
                '\n' => {
                    self.forced_break(pos);
                    pos += 1;
                }
                _ => {
                    let e = self.text[pos..end]
                        .find([' ', '\u{A0}', '\n'])
                        .map_or(end, |o| pos + o);
                    self.word(ti, t, pos..e);
                    pos = e;
                }
            }
        }
    }

    /// A word (no spaces) of a simple item: shaped through the word cache,
    /// cut into boxes at its break opportunities.
    fn word(&mut self, ti: u32, t: &TItem, range: Range<usize>) {
        let text = self.text;
        let word = &text[range.clone()];
        let spec = self.spec;
        let style = &spec.text.spans[t.span].1;
        let size = style.glyph_size();
        let face = self.fonts.face(t.font);
        let metrics = *face.metrics();
        let scale = size / metrics.units_per_em;
        let mut features = style_features(style);
        if metrics.features.c2sc
            && (style.small_caps || style.acronym_small_caps && is_acronym(word))
        {
            features.0 |= Features::C2SC;
        }
        let key = self.key(t, features);
        let mut glyphs = std::mem::take(&mut self.scratch.glyphs);
        glyphs.clear();
        glyphs.extend_from_slice(&self.ts_shaper.word(self.fonts, self.words, key, word));

        // Break opportunities inside the word, relative to its start.
        let mut breaks = std::mem::take(&mut self.scratch.breaks);
        breaks.clear();
        let lo = self.uax14.partition_point(|&p| p <= range.start);
        for &p in &self.uax14[lo..] {
            if p >= range.end {
                break;
            }
            let rel = p - range.start;
            let before = word[..rel].chars().next_back().unwrap_or(' ');
            let kind = match before {
                '-' | '\u{2010}' => BreakKind::ExHyphen,
                '\u{AD}' => BreakKind::Hyphen,
                _ => BreakKind::Plain,
            };
            breaks.push((rel, kind));
        }
        let has_soft = word.contains('\u{AD}');
        let url = style.breakable_token || looks_like_url(word);
        if url {
            let bytes = word.as_bytes();
            for (i, &ch) in bytes.iter().enumerate() {
                let next = bytes.get(i + 1).copied();
                if matches!(ch, b'/' | b'.' | b'-' | b'_' | b'?' | b'&')
                    && i > 0
                    && i + 1 < bytes.len()
                    && next != Some(b'/')
                    && !(ch == b'/'
                        && i > 0
                        && bytes[i - 1] == b'/'
                        && i >= 2
                        && bytes[i - 2] == b':')
                {
                    breaks.push((i + 1, BreakKind::Url));
                }
            }
        } else if self.spec.hyphenate && !has_soft {
            let hy = self.hyphenators[t.span];
            if hy != Hyphenator::None {
                // Hyphenate each run of letters of five or more.
                let mut run_start: Option<usize> = None;
                let mut points = std::mem::take(&mut self.scratch.points);
                for (i, c) in word
                    .char_indices()
                    .chain(std::iter::once((word.len(), ' ')))
                {
                    if c.is_alphabetic() {
                        run_start.get_or_insert(i);
                        continue;
                    }
                    if let Some(s) = run_start.take() {
                        let part = &word[s..i];
                        if part.chars().nth(4).is_some() && part.chars().any(|c| c.is_lowercase()) {
                            let cache = self.scratch.hyphens.entry(hy).or_default();
                            let pts = match cache.get(part) {
                                Some(p) => p,
                                None => {
                                    hy.points(part, &mut points);
                                    let v: Box<[u16]> = points
                                        .iter()
                                        .map(|&p| p.min(u16::MAX as usize) as u16)
                                        .collect();
                                    cache.entry(part.into()).or_insert(v)
                                }
                            };
                            breaks.extend(pts.iter().map(|&p| (s + p as usize, BreakKind::Hyphen)));
                        }
                    }
                }
                self.scratch.points = points;
            }
        }
        breaks.sort_by_key(|b| b.0);
        breaks.dedup_by_key(|b| b.0);

        // Advance before byte `rel` of the word (clusters wholly before it;
        // a ligature straddling a break is reshaped exactly when the line is
        // assembled).
        let advances = Advances::new(&glyphs);
        let adv_before = |rel: usize| -> f32 { advances.before(rel) * scale };
        let total = adv_before(word.len() + 1);
        // Emergency breaks: a piece wider than any line may break at any
        // grapheme at least two from its ends (with a hyphen inside a word
        // of letters), at a high penalty; the breaker picks the point that
        // fills the line best.
        let mut cuts: Vec<usize> = Vec::new();
        if total > self.min_measure * 0.98 {
            let mut prev = 0usize;
            let mut prev_w = 0.0;
            let bounds: Vec<usize> = breaks.iter().map(|b| b.0).chain([word.len()]).collect();
            for bnd in bounds {
                let w = adv_before(bnd);
                if w - prev_w > self.min_measure * 0.98 {
                    let at: Vec<usize> =
                        unicode_segmentation::UnicodeSegmentation::grapheme_indices(
                            &word[prev..bnd],
                            true,
                        )
                        .map(|(gi, _)| prev + gi)
                        .collect();
                    if at.len() > 4 {
                        cuts.extend_from_slice(&at[2..at.len() - 1]);
                    }
                }
                prev = bnd;
                prev_w = w;
            }
        }
        if !cuts.is_empty() {
            let letters =
                word.chars().filter(|c| c.is_alphabetic()).count() * 2 > word.chars().count();
            if letters && !url {
                self.broken.push(range.clone());
            }
            for c in cuts {
                breaks.push((
                    c,
                    BreakKind::Emergency {
                        hyphen: letters && !url,
                    },
                ));
            }
            breaks.sort_by_key(|b| b.0);
            breaks.dedup_by_key(|b| b.0);
        }

        // Boxes between breaks.
        let expand = self.expand;
        // Right-to-left glyphs come reversed: no letter-spacing is counted.
        let track = self.track && glyphs.is_sorted_by_key(|g| g.cluster);
        let hyphen = metrics.hyphen;
        let first_adv = |rel: usize| -> f32 { advances.first_from(rel) * scale };
        let last_adv = |rel: usize| -> f32 { advances.last_before(rel) * scale };
        let mut seg_start = 0usize;
        let nb = breaks.len();
        #[allow(clippy::needless_range_loop)] // k == nb is the word's last segment
        for k in 0..=nb {
            let seg_end = if k < nb { breaks[k].0 } else { word.len() };
            if seg_end <= seg_start && k < nb {
                continue;
            }
            let w = if k < nb {
                adv_before(seg_end) - adv_before(seg_start)
            } else {
                total - adv_before(seg_start)
            };
            let mut bx = Item::boxed(w, w * expand.stretch, w * expand.shrink);
            if track {
                // Gaps after each glyph of the segment but its last: fewer
                // than the line setter finds in the whole word, so the
                // breaker never counts on more than there is.
                let at = |rel: usize| glyphs.partition_point(|g| (g.cluster as usize) < rel);
                let n = at(seg_end.max(seg_start + 1)) - at(seg_start);
                bx.track = n.saturating_sub(1) as f32 * TRACK_MAX_EM * size;
            }
            let first_c = word[seg_start..].chars().next().unwrap_or(' ');
            bx.hang_start = protrusion(first_c).0 * first_adv(seg_start);
            self.push(
                bx,
                Src::Seg {
                    titem: ti,
                    range: (range.start + seg_start) as u32..(range.start + seg_end) as u32,
                    features,
                },
            );
            if k < nb {
                let (at, kind) = breaks[k];
                let last_c = word[..at].chars().next_back().unwrap_or(' ');
                let (width, pen, flagged, ins, hang) = match kind {
                    BreakKind::Hyphen | BreakKind::Emergency { hyphen: true } => {
                        let hw = hyphen.map_or(0.0, |h| h.1 * size);
                        let p = if kind == BreakKind::Hyphen {
                            HYPHEN_PENALTY
                        } else {
                            EMERGENCY_PENALTY
                        };
                        (hw, p, true, true, protrusion('-').1 * hw)
                    }
                    BreakKind::ExHyphen => (
                        0.0,
                        EX_HYPHEN_PENALTY,
                        true,
                        false,
                        protrusion(last_c).1 * last_adv(at),
                    ),
                    BreakKind::Plain => (
                        0.0,
                        DASH_PENALTY,
                        false,
                        false,
                        protrusion(last_c).1 * last_adv(at),
                    ),
                    BreakKind::Url => (
                        0.0,
                        URL_PENALTY,
                        false,
                        false,
                        protrusion(last_c).1 * last_adv(at),
                    ),
                    BreakKind::Emergency { hyphen: false } => {
                        (0.0, EMERGENCY_PENALTY, false, false, 0.0)
                    }
                };
                let mut p = Item::penalty(width, pen, flagged);
                p.hang_end = hang;
                self.push(
                    p,
                    Src::Break {
                        titem: ti,
                        pos: (range.start + at) as u32,
                        hyphen: ins,
                    },
                );
                seg_start = at;
            }
        }
        // The last glyph may hang at a break that follows the word.
        let last_c = word.chars().next_back().unwrap_or(' ');
        self.pending_hang_end = protrusion(last_c).1 * last_adv(word.len() + 1);
        self.scratch.glyphs = glyphs;
        self.scratch.breaks = breaks;
    }

    /// A right-to-left or complex-script item: shaped whole; breaks only at
    /// its spaces; no letter-spacing (it would break joining scripts).
    fn complex_item(&mut self, ti: u32, t: &TItem) {
        let style = self.style(t).clone();
        let size = style.glyph_size();
        let metrics = *self.fonts.face(t.font).metrics();
        let scale = size / metrics.units_per_em;
        let key = self.key(t, style_features(&style));
        let mut glyphs = std::mem::take(&mut self.scratch.glyphs);
        glyphs.clear();
        let text = &self.text[t.range.clone()];
        self.ts_shaper.shape(self.fonts, key, text, &mut glyphs);
        let mut pos = 0;
        while pos < text.len() {
            let c = text[pos..].chars().next().unwrap_or(' ');
            if c == ' ' || c == '\u{A0}' {
                let l = c.len_utf8();
                self.space_item(
                    ti,
                    t,
                    t.range.start + pos..t.range.start + pos + l,
                    c != ' ',
                );
                pos += l;
                continue;
            }
            if c == '\n' {
                self.forced_break(t.range.start + pos);
                pos += 1;
                continue;
            }
            let e = text[pos..]
                .find([' ', '\u{A0}', '\n'])
                .map_or(text.len(), |o| pos + o);
            let w: f32 = glyphs
                .iter()
                .filter(|g| (g.cluster as usize) >= pos && (g.cluster as usize) < e)
                .map(|g| g.x_advance as f32)
                .sum::<f32>()
                * scale;
            self.push(
                Item::boxed(w, 0.0, 0.0),
                Src::Seg {
                    titem: ti,
                    range: (t.range.start + pos) as u32..(t.range.start + e) as u32,
                    features: key.features,
                },
            );
            self.pending_hang_end = 0.0;
            pos = e;
        }
        self.scratch.glyphs = glyphs;
    }
}

/// A glyph of a line being assembled, in pt.
#[derive(Debug, Clone)]
struct LGlyph {
    id: u16,
    adv: f32,
    xo: f32,
    yo: f32,
    text: Range<u32>,
}

#[derive(Debug, Clone)]
struct Piece {
    titem: u32,
    level: u8,
    glyphs: Range<usize>,
    /// An inter-word space: stretches and shrinks.
    space: bool,
    /// Glyph expansion (and, as a last resort, letter-spacing) applies.
    expand: bool,
}

struct Assembler<'a, 'b> {
    shaper: &'a mut super::shape::Shaper,
    fonts: &'a FontBook,
    words: &'a super::shape::WordCache,
    spec: &'a ParagraphSpec<'b>,
    text: &'a str,
    titems: &'a [TItem],
    levels: Option<&'a [u8]>,
    items: &'a [Item],
    srcs: &'a [Src],
    glyphs: Vec<ShapedGlyph>,
    /// The breaker's [`Params::track_after`].
    track_after: f32,
}

impl Assembler<'_, '_> {
    fn style(&self, ti: u32) -> &TextStyle {
        &self.spec.text.spans[self.titems[ti as usize].span].1
    }

    /// Shapes `range` of item `ti` exactly and appends its glyphs (visual
    /// order) with their cluster text ranges.
    fn shape_piece(
        &mut self,
        ti: u32,
        range: Range<usize>,
        features: Features,
        out: &mut Vec<LGlyph>,
        pieces: &mut Vec<Piece>,
        justify: bool,
    ) {
        let spec = self.spec;
        let t = &self.titems[ti as usize];
        let style = &spec.text.spans[t.span].1;
        let size = style.glyph_size();
        let lang = style.lang.as_ref().unwrap_or(spec.lang);
        let key = ShapeKey {
            font: t.font,
            features,
            rtl: t.level % 2 == 1,
            lang: self.shaper.lang_id(self.words, lang.as_str()),
        };
        let scale = size / self.fonts.face(t.font).metrics().units_per_em;
        let word = &self.text[range.clone()];
        let mut glyphs = std::mem::take(&mut self.glyphs);
        glyphs.clear();
        if t.complex {
            self.shaper.shape(self.fonts, key, word, &mut glyphs);
        } else {
            glyphs.extend_from_slice(&self.shaper.word(self.fonts, self.words, key, word));
        }
        // Cluster ends: the next larger cluster start, or the piece end.
        let mut starts: Vec<u32> = glyphs.iter().map(|g| g.cluster).collect();
        starts.sort_unstable();
        starts.dedup();
        let base = range.start as u32;
        let first = out.len();
        for g in &glyphs {
            let i = starts.partition_point(|&s| s <= g.cluster);
            let end = starts.get(i).copied().unwrap_or(word.len() as u32);
            out.push(LGlyph {
                id: g.id,
                adv: g.x_advance as f32 * scale,
                xo: g.x_offset as f32 * scale,
                yo: g.y_offset as f32 * scale,
                text: base + g.cluster..base + end,
            });
        }
        self.glyphs = glyphs;
        pieces.push(Piece {
            titem: ti,
            level: t.level,
            glyphs: first..out.len(),
            space: false,
            expand: justify && self.spec.microtype && !t.complex,
        });
    }

    fn line(
        &mut self,
        start: usize,
        at: usize,
        hang_start: f32,
        last: bool,
        first: bool,
        text_range: Range<usize>,
    ) -> Line {
        let justify = self.spec.align == Align::Justify;
        let mut gl: Vec<LGlyph> = Vec::new();
        let mut pieces: Vec<Piece> = Vec::new();
        let mut indent = 0.0;
        let mut acc: Option<(u32, Range<usize>, Features)> = None;
        let srcs = self.srcs;
        for (i, src) in srcs.iter().enumerate().take(at).skip(start) {
            match src {
                Src::Indent => {
                    if first {
                        indent += self.items[i].width;
                    }
                }
                Src::Seg {
                    titem,
                    range,
                    features,
                } => {
                    let r = range.start as usize..range.end as usize;
                    match &mut acc {
                        Some((ti, ar, f))
                            if *ti == *titem && ar.end == r.start && *f == *features =>
                        {
                            ar.end = r.end;
                        }
                        _ => {
                            if let Some((ti, ar, f)) = acc.take() {
                                self.shape_piece(ti, ar, f, &mut gl, &mut pieces, justify);
                            }
                            acc = Some((*titem, r, *features));
                        }
                    }
                }
                Src::Space { titem, range } => {
                    let r = range.start as usize..range.end as usize;
                    let t = &self.titems[*titem as usize];
                    if t.complex
                        && let Some((ti, ar, _)) = &mut acc
                        && *ti == *titem
                        && ar.end == r.start
                    {
                        ar.end = r.end;
                        continue;
                    }
                    if let Some((ti, ar, f)) = acc.take() {
                        self.shape_piece(ti, ar, f, &mut gl, &mut pieces, justify);
                    }
                    let face = self.fonts.face(t.font);
                    let size = self.style(*titem).glyph_size();
                    let c = self.text[r.clone()].chars().next().unwrap_or(' ');
                    let id = face.glyph(c).or_else(|| face.glyph(' ')).unwrap_or(0);
                    let first_g = gl.len();
                    gl.push(LGlyph {
                        id,
                        adv: face.metrics().space * size,
                        xo: 0.0,
                        yo: 0.0,
                        text: range.start..range.start + c.len_utf8() as u32,
                    });
                    let level = self.levels.map_or(0, |l| l[r.start]);
                    pieces.push(Piece {
                        titem: *titem,
                        level,
                        glyphs: first_g..gl.len(),
                        space: true,
                        expand: false,
                    });
                }
                Src::Break { .. } | Src::Fill { .. } => {}
            }
        }
        if let Some((ti, ar, f)) = acc.take() {
            self.shape_piece(ti, ar, f, &mut gl, &mut pieces, justify);
        }
        let brk = self.items.get(at);
        let mut hyphenated = brk.is_some_and(|b| b.kind == Kind::Penalty && b.flagged);
        if let (
            Some(b),
            Some(Src::Break {
                titem,
                hyphen: true,
                ..
            }),
        ) = (brk, srcs.get(at))
            && b.kind == Kind::Penalty
        {
            let t = &self.titems[*titem as usize];
            let face = self.fonts.face(t.font);
            let size = self.style(*titem).glyph_size();
            if let Some((id, adv)) = face.metrics().hyphen {
                let n = self.text.len() as u32;
                let g0 = gl.len();
                gl.push(LGlyph {
                    id,
                    adv: adv * size,
                    xo: 0.0,
                    yo: 0.0,
                    text: n..n + 2,
                });
                // Part of the word it ends: expanded with it.
                pieces.push(Piece {
                    titem: *titem,
                    level: t.level,
                    glyphs: g0..gl.len(),
                    space: false,
                    expand: justify && self.spec.microtype && !t.complex,
                });
            }
            hyphenated = true;
        }

        // Justification: spaces and glyph expansion in proportion to the
        // adjustment ratio, as the breaker counted them; past their bounds
        // spaces take the rest, and only a line without a space falls back
        // on letter-spacing (at most TRACK_MAX_EM).
        let expansion = expansion_of(self.spec);
        let natural: f32 = indent + gl.iter().map(|g| g.adv).sum::<f32>();
        let mut ys = 0.0;
        let mut zs = 0.0;
        let mut we = 0.0;
        let mut gaps_em = 0.0;
        for p in &pieces {
            if p.space {
                let size = self.style(p.titem).glyph_size();
                for g in &gl[p.glyphs.clone()] {
                    ys += g.adv * SPACE_STRETCH;
                    zs += space_shrink(g.adv, size);
                }
            } else if p.expand {
                let size = self.style(p.titem).glyph_size();
                let gs = &gl[p.glyphs.clone()];
                we += gs.iter().map(|g| g.adv).sum::<f32>();
                gaps_em += tracking_gaps(gs) as f32 * size;
            }
        }
        let (ye, ze) = (we * expansion.stretch, we * expansion.shrink);
        let hang_end = if self.spec.microtype && justify && !last {
            brk.map_or(0.0, |b| b.hang_end)
        } else {
            0.0
        };
        let hang_start = if self.spec.microtype && self.spec.align != Align::Center && indent == 0.0
        {
            hang_start
        } else {
            0.0
        };
        let target = self.spec.measure + hang_start + hang_end;
        let slack = target - natural;
        let fit = if !justify || (last && slack >= 0.0) {
            Fit::default()
        } else if slack >= 0.0 {
            Fit::stretch(slack, ys, ye, gaps_em, self.track_after)
        } else {
            Fit::shrink(slack, zs, ze, gaps_em, self.track_after)
        };
        let hscale = if fit.expansion >= 0.0 {
            1.0 + fit.expansion * expansion.stretch
        } else {
            1.0 + fit.expansion * expansion.shrink
        };
        if fit != Fit::default() {
            for p in &pieces {
                if p.space {
                    let size = self.style(p.titem).glyph_size();
                    for g in &mut gl[p.glyphs.clone()] {
                        g.adv += if fit.spaces >= 0.0 {
                            g.adv * SPACE_STRETCH * fit.spaces
                        } else {
                            space_shrink(g.adv, size) * fit.spaces
                        };
                    }
                } else if p.expand {
                    let size = self.style(p.titem).glyph_size();
                    let per = fit.track_em * size;
                    let gs = &mut gl[p.glyphs.clone()];
                    let lastv = gs.iter().rposition(|g| g.adv > 0.0);
                    for (i, g) in gs.iter_mut().enumerate() {
                        g.adv *= hscale;
                        g.xo *= hscale;
                        if g.adv > 0.0 && Some(i) != lastv {
                            g.adv += per;
                        }
                    }
                }
            }
        }
        let ratio = fit.spaces;
        let set_width: f32 = indent + gl.iter().map(|g| g.adv).sum::<f32>();
        let x0 = match self.spec.align {
            Align::Center => ((self.spec.measure - set_width) / 2.0).max(0.0),
            _ => -hang_start,
        };

        // Bidi: reverse runs of pieces at each level (UAX #9, L2).
        let mut order: Vec<usize> = (0..pieces.len()).collect();
        if let Some(max) = pieces.iter().map(|p| p.level).max()
            && max > 0
        {
            let min_odd = pieces
                .iter()
                .map(|p| p.level)
                .filter(|l| l % 2 == 1)
                .min()
                .unwrap_or(1);
            let mut lvl = max;
            while lvl >= min_odd.max(1) {
                let mut i = 0;
                while i < order.len() {
                    if pieces[order[i]].level >= lvl {
                        let s = i;
                        while i < order.len() && pieces[order[i]].level >= lvl {
                            i += 1;
                        }
                        order[s..i].reverse();
                    } else {
                        i += 1;
                    }
                }
                lvl -= 1;
            }
        }

        // Runs in visual order.
        let mut runs: Vec<GlyphRun> = Vec::new();
        let mut x = x0 + indent;
        // A book's set lines are kept until its PDF is written: each run's
        // glyphs get the room they need, not a doubling vector's slack.
        let mut left: usize = pieces.iter().map(|p| p.glyphs.len()).sum();
        for &pi in &order {
            let p = &pieces[pi];
            if p.glyphs.is_empty() {
                continue;
            }
            let t = &self.titems[p.titem as usize];
            let style = self.style(p.titem);
            let size = style.glyph_size();
            let shift = style.baseline_shift();
            let rtl = p.level % 2 == 1;
            let piece_scale = if p.expand { hscale } else { 1.0 };
            let same = runs.last().is_some_and(|r: &GlyphRun| {
                // A space is drawn under the scale of the run it joins.
                (r.hscale == piece_scale || p.space)
                    && r.font == t.font
                    && r.size == size
                    && r.baseline_shift == shift
                    && r.link == style.link
                    && r.note == style.note
                    && r.rtl == rtl
                    && r.lang == style.lang
            });
            #[allow(clippy::reversed_empty_ranges)]
            if !same {
                runs.push(GlyphRun {
                    font: t.font,
                    size,
                    x,
                    width: 0.0,
                    hscale: piece_scale,
                    baseline_shift: shift,
                    glyphs: Vec::with_capacity(left),
                    // Widened below from the glyphs' ranges.
                    text_range: usize::MAX..usize::MIN,
                    link: style.link,
                    note: style.note,
                    bold: style.bold,
                    italic: style.italic,
                    rtl,
                    lang: style.lang.clone(),
                });
            }
            let run = runs.last_mut().expect("a run was just pushed");
            left -= p.glyphs.len();
            let src_len = self.text.len() as u32;
            let unscale = size * run.hscale;
            for g in &gl[p.glyphs.clone()] {
                run.glyphs.push(PositionedGlyph {
                    id: g.id,
                    x_advance: g.adv / unscale,
                    x_offset: g.xo / unscale,
                    y_offset: g.yo / size,
                    text: g.text.clone(),
                });
                run.width += g.adv;
                x += g.adv;
                if g.text.start < src_len {
                    run.text_range.start = run.text_range.start.min(g.text.start as usize);
                    run.text_range.end = run.text_range.end.max(g.text.end as usize);
                }
            }
        }
        for r in &mut runs {
            if r.text_range.start > r.text_range.end {
                r.text_range = 0..0;
            }
            r.glyphs.shrink_to_fit();
        }
        runs.shrink_to_fit();
        Line {
            runs,
            width: set_width,
            ratio: if ratio.is_finite() { ratio } else { 0.0 },
            hyphenated,
            text_range,
        }
    }
}

/// How much a space of width `w` in type of `size` may shrink at ratio -1:
/// [`SPACE_SHRINK`] of it, but never below [`MIN_SPACE_EM`]. The breaker and
/// the line setter both use it, so a line is set with the spacing it was
/// chosen for.
fn space_shrink(w: f32, size: f32) -> f32 {
    let most = (w - MIN_SPACE_EM * size).max(0.0);
    (w * SPACE_SHRINK).min(most)
}

/// How a justified line reaches its measure: multiples of the spaces'
/// stretch (positive) or shrink (negative), of the glyph expansion's bound,
/// and letter-spacing in em per gap.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Fit {
    spaces: f32,
    expansion: f32,
    track_em: f32,
    /// The line's adjustment ratio over spaces and expansion together.
    ratio: f32,
}

impl Fit {
    /// Loosen by `slack` (>= 0) with spaces' stretch `ys`, expansion's `ye`
    /// and `gaps_em` (gaps between letters times their type size). The
    /// glyphs widen first, up to their bound, then the spaces to
    /// `track_after`, then the letters space out (at most
    /// [`TRACK_MAX_EM`]), and the spaces take the rest: a space's width is
    /// what the eye measures a line's colour by, while 2 % of a glyph's
    /// width it does not see. The breaker counts them in the same order,
    /// so the line's total is the one it chose.
    fn stretch(slack: f32, ys: f32, ye: f32, gaps_em: f32, track_after: f32) -> Fit {
        let ratio = if ys + ye > 0.0 {
            slack / (ys + ye)
        } else {
            f32::INFINITY
        };
        let (expansion, spaces, track_em) = spend(slack, ye, ys, gaps_em, track_after);
        Fit {
            spaces,
            expansion,
            track_em,
            ratio,
        }
    }

    /// Tighten by `-slack` (slack < 0), as [`Fit::stretch`] with shrinks;
    /// spaces stop at three times their shrink (the breaker's third pass
    /// allows much less; past it only when nothing else keeps the line
    /// from overflowing).
    fn shrink(slack: f32, zs: f32, ze: f32, gaps_em: f32, track_after: f32) -> Fit {
        let ratio = if zs + ze > 0.0 {
            slack / (zs + ze)
        } else {
            f32::NEG_INFINITY
        };
        let (expansion, spaces, track_em) = spend(-slack, ze, zs, gaps_em, track_after);
        Fit {
            spaces: (-spaces).max(-3.0),
            expansion: -expansion,
            track_em: -track_em,
            ratio,
        }
    }
}

/// Spends `amount` (>= 0): first the expansion `e` (as a fraction of it),
/// then the spaces `s` up to ratio `r0`, then letter-spacing over `gaps_em`
/// (em per gap, at most [`TRACK_MAX_EM`]), then the spaces again. Returns
/// (expansion fraction, spaces' ratio, letter-spacing in em).
pub(super) fn spend(amount: f32, e: f32, s: f32, gaps_em: f32, r0: f32) -> (f32, f32, f32) {
    if amount <= e {
        return (if e > 0.0 { amount / e } else { 0.0 }, 0.0, 0.0);
    }
    let expansion = if e > 0.0 { 1.0 } else { 0.0 };
    let rest = amount - e;
    let track_cap = gaps_em * TRACK_MAX_EM;
    let track = |t: f32| if gaps_em > 0.0 { t / gaps_em } else { 0.0 };
    if s <= 0.0 {
        return (expansion, 0.0, track(rest.min(track_cap)));
    }
    if rest <= r0 * s {
        return (expansion, rest / s, 0.0);
    }
    let rest = rest - r0 * s;
    if rest <= track_cap {
        return (expansion, r0, track(rest));
    }
    (expansion, r0 + (rest - track_cap) / s, TRACK_MAX_EM)
}

/// Gaps between glyphs with advance in a word piece (letter-spacing goes
/// after every advancing glyph but the last).
fn tracking_gaps(gs: &[LGlyph]) -> usize {
    gs.iter().filter(|g| g.adv > 0.0).count().saturating_sub(1)
}
