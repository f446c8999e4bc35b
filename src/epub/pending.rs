//! The print page markers of a chapter not written yet, found by place.
//!
//! The XHTML writer asks, block by block, for the markers that fall in the
//! block it is writing. A list scanned on every question made that quadratic
//! in the chapter's length (a chapter of 10⁶ one-line paragraphs has tens of
//! thousands of pages). Block markers are kept in a map ordered by block
//! path instead: the blocks inside a block have paths that start with its
//! path and sort right after it, so each question is a range walk.

use std::collections::{BTreeMap, HashMap};

use super::pages::Mark;
use crate::model::{Place, Seq};

/// A block sequence as an ordered key (the order is only used for ranges).
type SeqKey = (u8, usize);

fn seq_key(seq: Seq) -> SeqKey {
    match seq {
        Seq::Intro => (0, 0),
        Seq::Answer(i) => (1, i),
        Seq::Note(i) => (2, i),
        Seq::Bio => (3, 0),
    }
}

/// A block: its sequence and its path in it.
type BlockKey = (SeqKey, Vec<usize>);

/// Markers with their index in page order.
type Queue = Vec<(usize, Mark)>;

/// Markers by place; each remembers its position in page order, so that
/// what is taken together comes out in page order.
#[derive(Default)]
pub(crate) struct Pending {
    blocks: BTreeMap<BlockKey, Queue>,
    other: HashMap<Place, Queue>,
}

impl Pending {
    /// `marks` in page order.
    pub fn new(marks: Vec<Mark>) -> Self {
        let mut p = Pending::default();
        for (i, m) in marks.into_iter().enumerate() {
            match &m.place {
                Place::Block { seq, path } => p
                    .blocks
                    .entry((seq_key(*seq), path.clone()))
                    .or_default()
                    .push((i, m)),
                other => p.other.entry(other.clone()).or_default().push((i, m)),
            }
        }
        p
    }

    /// The markers at a place that is not a block (a title, a question).
    pub fn take_place(&mut self, place: &Place) -> Vec<Mark> {
        in_order(self.other.remove(place).unwrap_or_default())
    }

    /// The markers in the block at `path` of `seq`, not those inside it.
    pub fn take_block(&mut self, seq: Seq, path: &[usize]) -> Vec<Mark> {
        in_order(
            self.blocks
                .remove(&(seq_key(seq), path.to_vec()))
                .unwrap_or_default(),
        )
    }

    /// The markers in the block at `path` of `seq` and anywhere inside it.
    pub fn take_within(&mut self, seq: Seq, path: &[usize]) -> Vec<Mark> {
        let keys = self.keys_under(seq, path);
        let mut taken = Vec::new();
        for k in keys {
            taken.extend(self.blocks.remove(&k).unwrap_or_default());
        }
        in_order(taken)
    }

    /// The markers at the very start of the block at `path` of `seq`: offset
    /// 0 in it or in its first block, its first block's first block, ….
    pub fn take_start(&mut self, seq: Seq, path: &[usize]) -> Vec<Mark> {
        let keys = self.keys_under(seq, path);
        let mut taken = Vec::new();
        for k in keys {
            if !k.1[path.len()..].iter().all(|&i| i == 0) {
                continue;
            }
            if let Some(v) = self.blocks.get_mut(&k) {
                let (start, rest): (Vec<_>, Vec<_>) = std::mem::take(v)
                    .into_iter()
                    .partition(|(_, m)| m.offset == 0);
                taken.extend(start);
                if rest.is_empty() {
                    self.blocks.remove(&k);
                } else {
                    *v = rest;
                }
            }
        }
        in_order(taken)
    }

    /// Everything not taken, in page order (markers whose place was not
    /// written: none when the layout comes from this book).
    pub fn take_rest(&mut self) -> Vec<Mark> {
        let mut all: Queue = std::mem::take(&mut self.blocks)
            .into_values()
            .flatten()
            .collect();
        all.extend(std::mem::take(&mut self.other).into_values().flatten());
        in_order(all)
    }

    /// The keys of the block at `path` and of the blocks inside it: a
    /// contiguous run of the map from `path` on.
    fn keys_under(&self, seq: Seq, path: &[usize]) -> Vec<BlockKey> {
        let key = seq_key(seq);
        self.blocks
            .range((key, path.to_vec())..)
            .take_while(|((s, p), _)| *s == key && p.starts_with(path))
            .map(|(k, _)| k.clone())
            .collect()
    }
}

fn in_order(mut v: Queue) -> Vec<Mark> {
    v.sort_by_key(|(i, _)| *i);
    v.into_iter().map(|(_, m)| m).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(ms: Vec<Mark>) -> Vec<u32> {
        ms.into_iter().map(|m| m.number).collect()
    }

    /// Each query takes what a scan of the whole list with the same test
    /// would, in page order, and nothing is lost or taken twice.
    #[test]
    fn queries_take_what_a_scan_would() {
        let marks = vec![
            Mark::in_block(Seq::Intro, &[0], 5, 1),
            Mark::in_block(Seq::Intro, &[1], 0, 2),
            Mark::in_block(Seq::Intro, &[1, 0], 0, 3),
            Mark::in_block(Seq::Intro, &[1, 0, 0], 0, 4),
            Mark::in_block(Seq::Intro, &[1, 1], 0, 5),
            Mark::in_block(Seq::Intro, &[1, 0], 7, 6),
            Mark::in_block(Seq::Intro, &[2], 0, 7),
            Mark::in_block(Seq::Answer(0), &[1], 0, 8),
            Mark {
                place: Place::Question(0),
                offset: 3,
                number: 9,
            },
            Mark::in_block(Seq::Intro, &[10], 0, 10),
        ];
        let mut p = Pending::new(marks);
        assert_eq!(numbers(p.take_block(Seq::Intro, &[0])), [1]);
        assert_eq!(numbers(p.take_start(Seq::Intro, &[1])), [2, 3, 4]);
        assert_eq!(numbers(p.take_within(Seq::Intro, &[1])), [5, 6]);
        // [10] sorts after [1, …] and [2] but is not under [1].
        assert_eq!(numbers(p.take_within(Seq::Intro, &[1])), Vec::<u32>::new());
        assert_eq!(numbers(p.take_place(&Place::Question(0))), [9]);
        assert_eq!(
            numbers(p.take_block(Seq::Answer(1), &[1])),
            Vec::<u32>::new()
        );
        assert_eq!(numbers(p.take_rest()), [7, 8, 10]);
        assert!(p.take_rest().is_empty());
    }
}
