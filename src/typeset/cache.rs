//! The paragraphs of a book as set, kept between its builds for a program
//! that builds the same book again and again (`qalam serve`): a rebuild
//! after an edit sets only the paragraphs that changed, so a one-chapter
//! change sets one chapter again, and everything after setting (the
//! vertical lists, the pages, which still move) is done as before.
//!
//! An entry is found by a hash of its [`ParagraphSpec`] and taken only
//! when the whole spec is equal to the one it was set from: a set
//! paragraph depends on its spec and its fonts alone, and the cache is
//! only used with the engine's bundled fonts (see
//! [`super::Engine::set_cache`]), so a paragraph taken from it is what
//! setting it again would give, and the outputs are the same bytes.
//!
//! Memory stays bounded: what a build of a book did not use is dropped
//! when that build finishes (the cache holds one build's paragraphs per
//! book), and only the books built last are kept.

use super::{Align, ParagraphSpec, SetParagraph, StyledText};
use crate::model::Lang;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Books whose paragraphs are kept; the least recently built go first.
const MAX_BOOKS: usize = 4;

/// How much setting the builds through a cache did and saved, counted
/// since the engine was made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SetStats {
    /// Chapters with at least one paragraph set (not found in the cache).
    pub chapters_set: usize,
    /// Chapters whose every paragraph was found.
    pub chapters_reused: usize,
    pub paragraphs_set: usize,
    pub paragraphs_reused: usize,
}

/// Set paragraphs by book, with what using them saved.
#[derive(Default)]
pub struct SetCache {
    books: Mutex<Books>,
    stats: Mutex<SetStats>,
}

impl std::fmt::Debug for SetCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetCache")
            .field("books", &self.books())
            .field("stats", &self.stats())
            .finish()
    }
}

#[derive(Default)]
struct Books {
    /// Counts finished builds, to know which book was built least recently.
    builds: u64,
    by_root: FxHashMap<PathBuf, (u64, Paragraphs)>,
}

/// Entries by the hash of their spec (specs that hash alike share a slot).
type Paragraphs = FxHashMap<u64, Vec<Kept>>;

struct Kept {
    spec: OwnedSpec,
    set: SetParagraph,
}

/// A [`ParagraphSpec`] that owns its text.
struct OwnedSpec {
    text: StyledText,
    measure: f32,
    indent: f32,
    align: Align,
    lang: Lang,
    hyphenate: bool,
    microtype: bool,
    expansion: super::microtype::Expansion,
    looseness: i32,
}

impl OwnedSpec {
    fn of(spec: &ParagraphSpec<'_>) -> OwnedSpec {
        OwnedSpec {
            text: spec.text.clone(),
            measure: spec.measure,
            indent: spec.indent,
            align: spec.align,
            lang: spec.lang.clone(),
            hyphenate: spec.hyphenate,
            microtype: spec.microtype,
            expansion: spec.expansion,
            looseness: spec.looseness,
        }
    }

    /// Equal in everything the typesetter reads (lengths bit for bit).
    fn is(&self, spec: &ParagraphSpec<'_>) -> bool {
        self.measure.to_bits() == spec.measure.to_bits()
            && self.indent.to_bits() == spec.indent.to_bits()
            && self.align == spec.align
            && self.hyphenate == spec.hyphenate
            && self.microtype == spec.microtype
            && self.expansion.stretch.to_bits() == spec.expansion.stretch.to_bits()
            && self.expansion.shrink.to_bits() == spec.expansion.shrink.to_bits()
            && self.looseness == spec.looseness
            && self.lang == *spec.lang
            && self.text == *spec.text
    }
}

/// Where to look for a spec: its text and lengths (equality decides).
fn hash(spec: &ParagraphSpec<'_>) -> u64 {
    let mut h = FxHasher::default();
    spec.text.text.hash(&mut h);
    spec.text.spans.len().hash(&mut h);
    for (range, style) in &spec.text.spans {
        range.hash(&mut h);
        style.size.to_bits().hash(&mut h);
    }
    spec.measure.to_bits().hash(&mut h);
    spec.indent.to_bits().hash(&mut h);
    spec.lang.hash(&mut h);
    h.finish()
}

impl SetCache {
    /// Starts a build of the book in `root`: its paragraphs kept from the
    /// last build are taken out, to be found by [`SetSession::find`].
    pub fn begin(&self, root: &Path) -> SetSession<'_> {
        let old = self
            .books
            .lock()
            .ok()
            .and_then(|mut b| b.by_root.remove(root))
            .map(|(_, p)| p)
            .unwrap_or_default();
        SetSession {
            cache: self,
            root: root.to_path_buf(),
            old,
            new: Paragraphs::default(),
            stats: SetStats::default(),
        }
    }

    /// What the builds through this cache set and reused.
    pub fn stats(&self) -> SetStats {
        self.stats.lock().map(|s| *s).unwrap_or_default()
    }

    /// Books whose paragraphs are kept.
    pub fn books(&self) -> usize {
        self.books.lock().map(|b| b.by_root.len()).unwrap_or(0)
    }
}

/// One build of a book through the cache: what it finds and what it sets
/// are kept for the next build of the book by [`SetSession::finish`],
/// and nothing else of the last one.
pub struct SetSession<'c> {
    cache: &'c SetCache,
    root: PathBuf,
    /// The last build's paragraphs not yet found in this one.
    old: Paragraphs,
    /// This build's paragraphs.
    new: Paragraphs,
    stats: SetStats,
}

impl SetSession<'_> {
    /// The paragraph as set for an equal spec, in this build or the last.
    pub fn find(&mut self, spec: &ParagraphSpec<'_>) -> Option<SetParagraph> {
        let h = hash(spec);
        if let Some(k) = self
            .new
            .get(&h)
            .and_then(|v| v.iter().find(|k| k.spec.is(spec)))
        {
            return Some(k.set.clone());
        }
        let slot = self.old.get_mut(&h)?;
        let at = slot.iter().position(|k| k.spec.is(spec))?;
        let kept = slot.swap_remove(at);
        let set = kept.set.clone();
        self.new.entry(h).or_default().push(kept);
        Some(set)
    }

    /// Keeps a paragraph this build set, for the next build.
    pub fn keep(&mut self, spec: &ParagraphSpec<'_>, set: &SetParagraph) {
        let slot = self.new.entry(hash(spec)).or_default();
        if !slot.iter().any(|k| k.spec.is(spec)) {
            slot.push(Kept {
                spec: OwnedSpec::of(spec),
                set: set.clone(),
            });
        }
    }

    /// Counts a chapter: `set` of its `paragraphs` were set, the others
    /// found.
    pub fn count_chapter(&mut self, paragraphs: usize, set: usize) {
        if set > 0 {
            self.stats.chapters_set += 1;
        } else {
            self.stats.chapters_reused += 1;
        }
        self.stats.paragraphs_set += set;
        self.stats.paragraphs_reused += paragraphs - set.min(paragraphs);
    }

    /// Keeps this build's paragraphs for the book (dropping what the last
    /// build had and this one did not use) and adds up its counts.
    pub fn finish(self) {
        if let Ok(mut s) = self.cache.stats.lock() {
            s.chapters_set += self.stats.chapters_set;
            s.chapters_reused += self.stats.chapters_reused;
            s.paragraphs_set += self.stats.paragraphs_set;
            s.paragraphs_reused += self.stats.paragraphs_reused;
        }
        let Ok(mut books) = self.cache.books.lock() else {
            return;
        };
        books.builds += 1;
        let now = books.builds;
        books.by_root.insert(self.root, (now, self.new));
        while books.by_root.len() > MAX_BOOKS {
            let oldest = books
                .by_root
                .iter()
                .min_by_key(|(_, (built, _))| *built)
                .map(|(root, _)| root.clone());
            match oldest {
                Some(root) => books.by_root.remove(&root),
                None => break,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inline;
    use crate::typeset::{Engine, TextStyle};

    fn text(s: &str) -> StyledText {
        StyledText::from_inlines(&[Inline::Text(s.into())], &TextStyle::body(10.0))
    }

    #[test]
    fn found_only_for_an_equal_spec_and_kept_only_while_used() {
        let engine = Engine::new();
        let mut ts = engine.bundled().typesetter();
        let cache = SetCache::default();
        let lang = Lang::english();
        let (a, b) = (text("The first paragraph."), text("The second one."));
        let spec_a = ParagraphSpec::justified(&a, 300.0, 10.0, &lang);
        let set_a = ts.set_paragraph(&spec_a);

        let mut s = cache.begin(Path::new("book"));
        assert!(s.find(&spec_a).is_none());
        s.keep(&spec_a, &set_a);
        s.count_chapter(1, 1);
        s.finish();

        let mut s = cache.begin(Path::new("book"));
        assert_eq!(s.find(&spec_a), Some(set_a.clone()));
        // Found twice in one build (a repeated label).
        assert_eq!(s.find(&spec_a), Some(set_a.clone()));
        // Another measure, indent or text is another paragraph.
        assert!(
            s.find(&ParagraphSpec::justified(&a, 301.0, 10.0, &lang))
                .is_none()
        );
        assert!(
            s.find(&ParagraphSpec::justified(&a, 300.0, 0.0, &lang))
                .is_none()
        );
        assert!(s.find(&ParagraphSpec::ragged(&a, 300.0, &lang)).is_none());
        let ru = Lang::parse("ru").unwrap();
        assert!(
            s.find(&ParagraphSpec::justified(&a, 300.0, 10.0, &ru))
                .is_none()
        );
        let spec_b = ParagraphSpec::justified(&b, 300.0, 10.0, &lang);
        assert!(s.find(&spec_b).is_none());
        s.keep(&spec_b, &ts.set_paragraph(&spec_b));
        s.count_chapter(2, 1);
        s.finish();

        // A build that uses only `b` drops `a`.
        let mut s = cache.begin(Path::new("book"));
        assert!(s.find(&spec_b).is_some());
        s.finish();
        let mut s = cache.begin(Path::new("book"));
        assert!(s.find(&spec_a).is_none());
        s.finish();
        assert_eq!(
            cache.stats(),
            SetStats {
                chapters_set: 2,
                chapters_reused: 0,
                paragraphs_set: 2,
                paragraphs_reused: 1,
            }
        );
    }

    #[test]
    fn only_the_books_built_last_are_kept() {
        let cache = SetCache::default();
        for i in 0..MAX_BOOKS + 3 {
            cache.begin(&PathBuf::from(format!("book-{i}"))).finish();
        }
        assert_eq!(cache.books(), MAX_BOOKS);
        // The newest are the ones kept.
        let b = cache.books.lock().unwrap();
        assert!(
            b.by_root
                .contains_key(Path::new(&format!("book-{}", MAX_BOOKS + 2)))
        );
        assert!(!b.by_root.contains_key(Path::new("book-0")));
    }
}
