//! Shaping with rustybuzz: text of one font, direction, script, language and
//! feature set -> glyphs with advances and clusters.
//!
//! Words of scripts that need no context across a space (Latin, Cyrillic,
//! Greek, …) are shaped one at a time and cached, as browsers do (Blink's
//! `ShapeCache`, Gecko's word cache): a book repeats its words, so most are
//! shaped once. Kerning across the space itself is lost, which the space's
//! own stretching dwarfs. Other scripts (Arabic) are shaped a run at a time.
//!
//! Each [`Shaper`] keeps the words it used without locking; a word it has
//! not seen is looked up in the [`WordCache`] of its font book (held by the
//! [`super::Engine`]'s [`super::TextFonts`]), which all the typesetters
//! setting paragraphs in parallel share, so a word common to their
//! paragraphs is shaped once, not once per thread.

use super::fonts::{FontBook, FontId};
use rustc_hash::FxHashMap;
use rustybuzz::{Direction, Feature, Language, ShapePlan, UnicodeBuffer};
use std::str::FromStr;
use std::sync::{Arc, Mutex, RwLock};

/// Feature choices that change glyphs, as a small bit set (part of cache keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Features(pub u16);

impl Features {
    pub const ONUM: u16 = 1;
    pub const LNUM: u16 = 2;
    pub const TNUM: u16 = 4;
    pub const PNUM: u16 = 8;
    pub const C2SC: u16 = 16;
    pub const NO_LIGA: u16 = 32;

    pub fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }

    fn to_rb(self) -> Vec<Feature> {
        let mut v = Vec::new();
        let mut on = |tag: &[u8; 4], val: u32| {
            v.push(Feature::new(
                rustybuzz::ttf_parser::Tag::from_bytes(tag),
                val,
                ..,
            ))
        };
        if self.has(Self::ONUM) {
            on(b"onum", 1);
        }
        if self.has(Self::LNUM) {
            on(b"lnum", 1);
        }
        if self.has(Self::TNUM) {
            on(b"tnum", 1);
        }
        if self.has(Self::PNUM) {
            on(b"pnum", 1);
        }
        if self.has(Self::C2SC) {
            on(b"c2sc", 1);
        }
        if self.has(Self::NO_LIGA) {
            on(b"liga", 0);
            on(b"clig", 0);
        }
        v
    }
}

/// One shaped glyph, in font units; `cluster` is a byte offset into the
/// shaped string.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapedGlyph {
    pub id: u16,
    pub cluster: u32,
    pub x_advance: i32,
    pub x_offset: i32,
    pub y_offset: i32,
}

/// What to shape with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShapeKey {
    pub font: FontId,
    pub features: Features,
    pub rtl: bool,
    /// Interned language (see [`Shaper::lang_id`]), the same number in
    /// every shaper sharing one [`WordCache`].
    pub lang: u16,
}

type Words = FxHashMap<ShapeKey, FxHashMap<Box<str>, Arc<[ShapedGlyph]>>>;

fn count(words: &Words) -> usize {
    words.values().map(|m| m.len()).sum()
}

/// Shaped words shared between threads (one per font book, whose font ids
/// the keys hold), with the language tags whose ids the keys hold.
#[derive(Default)]
pub struct WordCache {
    words: RwLock<Words>,
    langs: Mutex<Vec<String>>,
}

/// Words a shared cache holds before it starts afresh (a few megabytes; a
/// long book has some tens of thousands, a long batch may go on growing).
const MAX_SHARED_WORDS: usize = 400_000;

impl std::fmt::Debug for WordCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.words.read().map_or(0, |w| count(&w));
        write!(f, "WordCache({n} words)")
    }
}

impl WordCache {
    /// Number of words held, in all keys.
    pub fn len(&self) -> usize {
        self.words.read().map_or(0, |w| count(&w))
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, key: ShapeKey, text: &str) -> Option<Arc<[ShapedGlyph]>> {
        let words = self.words.read().ok()?;
        words.get(&key)?.get(text).cloned()
    }

    fn insert(&self, key: ShapeKey, text: &str, glyphs: Arc<[ShapedGlyph]>) {
        let Ok(mut words) = self.words.write() else {
            return;
        };
        if count(&words) >= MAX_SHARED_WORDS {
            words.clear();
        }
        words.entry(key).or_default().insert(text.into(), glyphs);
    }
}

/// Shapes text and keeps what it can reuse: shaping plans per key, the word
/// cache, and the rustybuzz buffer. One per thread (it is `&mut`).
pub struct Shaper {
    plans: FxHashMap<(ShapeKey, u32), ShapePlan>,
    words: Words,
    /// Tag, id, rustybuzz language: the languages this shaper has met.
    langs: Vec<(String, u16, Option<Language>)>,
    buffer: Option<UnicodeBuffer>,
}

impl Default for Shaper {
    fn default() -> Self {
        Self::new()
    }
}

impl Shaper {
    pub fn new() -> Shaper {
        Shaper {
            plans: FxHashMap::default(),
            words: FxHashMap::default(),
            langs: Vec::new(),
            buffer: Some(UnicodeBuffer::new()),
        }
    }

    /// A small id for a BCP 47 tag, so keys stay `Copy`; the same id in
    /// every shaper using `shared`.
    pub fn lang_id(&mut self, shared: &WordCache, tag: &str) -> u16 {
        if let Some((_, id, _)) = self.langs.iter().find(|(t, _, _)| t == tag) {
            return *id;
        }
        let id = {
            let mut tags = shared.langs.lock().unwrap_or_else(|p| p.into_inner());
            match tags.iter().position(|t| t == tag) {
                Some(i) => i,
                None => {
                    tags.push(tag.to_string());
                    tags.len() - 1
                }
            }
        };
        let id = u16::try_from(id).unwrap_or(u16::MAX);
        self.langs
            .push((tag.to_string(), id, Language::from_str(tag).ok()));
        id
    }

    /// Number of distinct cached words (for tests and statistics).
    pub fn cached_words(&self) -> usize {
        count(&self.words)
    }

    /// Shapes a word through the caches (this shaper's, then `shared`).
    /// Returns glyphs in logical order (the key must be left-to-right).
    pub fn word(
        &mut self,
        fonts: &FontBook,
        shared: &WordCache,
        key: ShapeKey,
        text: &str,
    ) -> &[ShapedGlyph] {
        let exists = self.words.get(&key).is_some_and(|m| m.contains_key(text));
        if !exists {
            let glyphs = match shared.get(key, text) {
                Some(g) => g,
                None => {
                    let mut out = Vec::new();
                    self.shape(fonts, key, text, &mut out);
                    let g: Arc<[ShapedGlyph]> = out.into();
                    shared.insert(key, text, g.clone());
                    g
                }
            };
            self.words
                .entry(key)
                .or_default()
                .insert(text.into(), glyphs);
        }
        &self.words[&key][text]
    }

    /// Shapes `text` without caching, appending to `out` (visual order for
    /// right-to-left keys, as rustybuzz returns them).
    pub fn shape(
        &mut self,
        fonts: &FontBook,
        key: ShapeKey,
        text: &str,
        out: &mut Vec<ShapedGlyph>,
    ) {
        let Some(face) = fonts.face(key.font).rb() else {
            return;
        };
        let mut buf = self.buffer.take().unwrap_or_default();
        buf.push_str(text);
        buf.set_direction(if key.rtl {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        });
        buf.guess_segment_properties();
        let lang = self
            .langs
            .iter()
            .find(|l| l.1 == key.lang)
            .and_then(|l| l.2.clone());
        if let Some(l) = lang.clone() {
            buf.set_language(l);
        }
        let script = buf.script();
        let plan = self
            .plans
            .entry((key, u32::from_be_bytes(script.tag().to_bytes())))
            .or_insert_with(|| {
                ShapePlan::new(
                    face,
                    if key.rtl {
                        Direction::RightToLeft
                    } else {
                        Direction::LeftToRight
                    },
                    Some(script),
                    lang.as_ref(),
                    &key.features.to_rb(),
                )
            });
        let glyphs = rustybuzz::shape_with_plan(face, plan, buf);
        out.extend(
            glyphs
                .glyph_infos()
                .iter()
                .zip(glyphs.glyph_positions())
                .map(|(i, p)| ShapedGlyph {
                    id: i.glyph_id as u16,
                    cluster: i.cluster,
                    x_advance: p.x_advance,
                    x_offset: p.x_offset,
                    y_offset: p.y_offset,
                }),
        );
        self.buffer = Some(glyphs.clear());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::fonts::Family;

    #[test]
    fn ligatures_and_cache() {
        let fonts = FontBook::bundled();
        let shared = WordCache::default();
        let mut sh = Shaper::new();
        let lang = sh.lang_id(&shared, "en");
        let key = ShapeKey {
            font: fonts.select(Family::Body, false, false),
            features: Features::default(),
            rtl: false,
            lang,
        };
        let g = sh.word(&fonts, &shared, key, "office").to_vec();
        // "ffi" is one ligature glyph in Vollkorn: fewer glyphs than letters.
        assert!(g.len() < 6, "{g:?}");
        assert_eq!(g[0].cluster, 0);
        sh.word(&fonts, &shared, key, "office");
        assert_eq!(sh.cached_words(), 1);
        let nolig = ShapeKey {
            features: Features(Features::NO_LIGA),
            ..key
        };
        assert_eq!(sh.word(&fonts, &shared, nolig, "office").len(), 6);
    }
}
