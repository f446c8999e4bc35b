//! The text engine: one value, made by the caller and passed down (as
//! Typst passes its `Engine`), that holds what setting text learns and may
//! reuse: the font books, the words shaped in them and warm typesetters.
//!
//! There is no process-wide cache: a program that builds several books
//! (`qalam build --all`) makes one [`Engine`] and lends it to every book,
//! so their shared work (the bundled faces parsed, their coverage tables
//! and krilla fonts, the words a catalogue repeats) is done once; a program
//! that wants books built apart makes an engine per book. Hyphenation needs
//! nothing kept: its patterns are compiled in ([`super::hyphenate`]).
//!
//! Cached shapes are exactly what shaping again would give, so what a book
//! looks like never depends on what the engine set before it.
//!
//! A program that builds the same book again (`qalam serve`) makes its
//! engine with [`Engine::keeping_sets`]: the book's set paragraphs are kept
//! from one build to the next ([`super::cache`]), and a rebuild sets only
//! what changed. One-off builds do without: they would only pay for the
//! copies.

use super::cache::{SetCache, SetStats};
use super::fonts::FontBook;
use super::shape::{Shaper, WordCache};
use super::{Typesetter, set};
use crate::diag::Diagnostics;
use crate::model::FontSettings;
use std::sync::{Arc, Mutex};

/// Fonts, shaped words and warm typesetters, shared by reference between
/// threads and books.
#[derive(Debug)]
pub struct Engine {
    /// The fonts of every book that names no `[fonts]` family.
    bundled: TextFonts,
    /// The paragraphs set in `bundled`, by book ([`Engine::keeping_sets`]).
    sets: Option<SetCache>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// An engine with the bundled font book (nothing is parsed until a face
    /// is used).
    pub fn new() -> Engine {
        Engine {
            bundled: TextFonts::new(FontBook::bundled()),
            sets: None,
        }
    }

    /// An engine that also keeps each book's set paragraphs from one build
    /// to the next, for a program that builds the same books again.
    pub fn keeping_sets() -> Engine {
        Engine {
            sets: Some(SetCache::default()),
            ..Engine::new()
        }
    }

    /// An engine like this one (keeping sets or not) that has learnt
    /// nothing: for a program that must not trust this one any more (a
    /// build with it panicked half-way through).
    pub fn fresh(&self) -> Engine {
        if self.sets.is_some() {
            Engine::keeping_sets()
        } else {
            Engine::new()
        }
    }

    /// Where the paragraphs set in `fonts` are kept between builds: only
    /// with [`Engine::keeping_sets`], and only for the bundled fonts (the
    /// fonts of a book's `[fonts]` are read again by every build, from
    /// files that may have changed).
    pub fn set_cache(&self, fonts: &TextFonts) -> Option<&SetCache> {
        self.sets
            .as_ref()
            .filter(|_| Arc::ptr_eq(fonts.book(), self.bundled.book()))
    }

    /// What the builds with this engine set and reused (zero without
    /// [`Engine::keeping_sets`]).
    pub fn set_stats(&self) -> SetStats {
        self.sets.as_ref().map(SetCache::stats).unwrap_or_default()
    }

    /// The bundled font book, with its words (covers are set in it).
    pub fn bundled(&self) -> &TextFonts {
        &self.bundled
    }

    /// The fonts of a book's `[fonts]`: the engine's bundled fonts when it
    /// names no family, else a font book of its own (its font ids differ,
    /// so it cannot share the bundled book's words).
    pub fn fonts(&self, settings: &FontSettings) -> (TextFonts, Diagnostics) {
        if settings.body.is_none() && settings.heading.is_none() && settings.mono.is_none() {
            return (self.bundled.clone(), Diagnostics::new());
        }
        let (book, diags) = FontBook::from_settings(settings);
        (TextFonts::new(book), diags)
    }

    /// The fonts of a book's `[fonts]` with faces from its `dirs` and the
    /// system's fonts for the characters in `missing` (those no face of
    /// [`Engine::fonts`] has: Chinese, Korean, emoji…), preferring the cuts
    /// made for the language `primary`, or `None` when no
    /// font there has any of them. A font book of its own: its faces differ
    /// from the bundled book's. Diagnostics about `[fonts]` were given by
    /// [`Engine::fonts`] already.
    pub fn fonts_with_fallback(
        &self,
        settings: &FontSettings,
        missing: &[char],
        primary: &str,
    ) -> Option<TextFonts> {
        let (mut book, _) = FontBook::from_settings(settings);
        (book.add_system_fallback(missing, &settings.dirs, primary) > 0)
            .then(|| TextFonts::new(book))
    }
}

/// A font book and the work done in it: the words shaped (with the language
/// ids their keys use) and the state of typesetters that finished, kept
/// warm for the next paragraphs. Cloning shares it.
#[derive(Clone)]
pub struct TextFonts(Arc<Inner>);

struct Inner {
    book: Arc<FontBook>,
    words: WordCache,
    idle: Mutex<Vec<Warm>>,
}

/// What a typesetter learnt: its shaping plans and words, its buffers.
pub(super) struct Warm {
    pub(super) shaper: Shaper,
    pub(super) scratch: set::Scratch,
}

/// Words a typesetter may have cached and still be kept warm (a few
/// megabytes: a long book has some tens of thousands).
const MAX_WARM_WORDS: usize = 200_000;

impl std::fmt::Debug for TextFonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextFonts")
            .field("words", &self.0.words)
            .finish_non_exhaustive()
    }
}

impl TextFonts {
    pub fn new(book: FontBook) -> TextFonts {
        TextFonts::of_book(Arc::new(book))
    }

    /// A font book already shared (`Arc`), with words and typesetters of
    /// its own.
    pub fn of_book(book: Arc<FontBook>) -> TextFonts {
        TextFonts(Arc::new(Inner {
            book,
            words: WordCache::default(),
            idle: Mutex::new(Vec::new()),
        }))
    }

    pub fn book(&self) -> &Arc<FontBook> {
        &self.0.book
    }

    /// The words shaped in these fonts, shared by their typesetters.
    pub fn words(&self) -> &WordCache {
        &self.0.words
    }

    /// A typesetter for these fonts: a warm one when one was given back
    /// ([`TextFonts::give_back`]), else a new one.
    pub fn typesetter(&self) -> Typesetter {
        let warm = self.0.idle.lock().ok().and_then(|mut w| w.pop());
        Typesetter::with_state(self.clone(), warm)
    }

    /// Keeps a typesetter's caches for the next [`TextFonts::typesetter`],
    /// unless they have grown past any one book's vocabulary (a long run of
    /// varied books), when they are dropped.
    pub fn give_back(&self, ts: Typesetter) {
        if ts.cached_words() > MAX_WARM_WORDS {
            return;
        }
        if let Ok(mut idle) = self.0.idle.lock() {
            idle.push(ts.into_warm());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn books_without_fonts_share_the_bundled_fonts() {
        let engine = Engine::new();
        let (a, da) = engine.fonts(&FontSettings::default());
        let (b, _) = engine.fonts(&FontSettings::default());
        assert!(da.is_empty());
        assert!(Arc::ptr_eq(a.book(), b.book()));
        assert!(Arc::ptr_eq(a.book(), engine.bundled().book()));
        // Another engine shares nothing with this one.
        assert!(!Arc::ptr_eq(a.book(), Engine::new().bundled().book()));
    }

    #[test]
    fn typesetters_given_back_come_back_warm() {
        use crate::model::{Inline, Lang};
        use crate::typeset::{ParagraphSpec, StyledText, TextStyle};
        let engine = Engine::new();
        let fonts = engine.bundled();
        let mut ts = fonts.typesetter();
        let text = StyledText::from_inlines(
            &[Inline::Text("A few words, set once.".into())],
            &TextStyle::body(10.0),
        );
        let lang = Lang::english();
        let first = ts.set_paragraph(&ParagraphSpec::justified(&text, 300.0, 0.0, &lang));
        let words = ts.cached_words();
        assert!(words > 0);
        fonts.give_back(ts);
        let mut ts = fonts.typesetter();
        assert_eq!(ts.cached_words(), words);
        let again = ts.set_paragraph(&ParagraphSpec::justified(&text, 300.0, 0.0, &lang));
        assert_eq!(first, again);
        // A fresh engine sets the same lines.
        let mut cold = Engine::new().bundled().typesetter();
        assert_eq!(
            cold.set_paragraph(&ParagraphSpec::justified(&text, 300.0, 0.0, &lang)),
            first
        );
    }
}
