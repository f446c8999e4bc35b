//! The state carried while one chapter's body is written: note references
//! seen so far and the print page markers still to place.

use crate::epub::Plan;
use crate::epub::pages::Mark;
use crate::epub::pending::Pending;
use crate::model::Seq;
use crate::typography::Labels;

/// Rendering state of one chapter's body.
pub(super) struct Cx<'a> {
    pub(super) plan: &'a Plan,
    pub(super) labels: &'static Labels,
    pub(super) notes: u32,
    /// References written so far, per note number.
    pub(super) refs_seen: Vec<u32>,
    /// Print page markers in the text not written yet.
    pub(super) marks: Pending,
    /// The block sequence being written, and the path to the current block
    /// in it (as [`crate::model::Place::Block`] names blocks).
    pub(super) seq: Seq,
    pub(super) path: Vec<usize>,
    /// Markers of the inline sequence being written: (plain-text offset,
    /// page), sorted; `next` is the first not written, `pos` the plain-text
    /// offset reached.
    pub(super) inline: Vec<(usize, u32)>,
    pub(super) next: usize,
    pub(super) pos: usize,
}

impl<'a> Cx<'a> {
    pub(super) fn new(
        plan: &'a Plan,
        labels: &'static Labels,
        notes: usize,
        marks: Vec<Mark>,
    ) -> Self {
        Cx {
            plan,
            labels,
            notes: notes as u32,
            refs_seen: vec![0; notes + 1],
            marks: Pending::new(marks),
            seq: Seq::Intro,
            path: Vec::new(),
            inline: Vec::new(),
            next: 0,
            pos: 0,
        }
    }

    /// The markers in the current block (`place` is the current block).
    pub(super) fn take_block(&mut self) -> Vec<Mark> {
        self.marks.take_block(self.seq, &self.path)
    }

    /// The markers anywhere inside the current block.
    pub(super) fn take_within(&mut self) -> Vec<Mark> {
        self.marks.take_within(self.seq, &self.path)
    }

    /// The markers at the very start of the block after the current one.
    pub(super) fn take_start_of_next(&mut self) -> Vec<Mark> {
        let mut next = self.path.clone();
        if let Some(last) = next.last_mut() {
            *last += 1;
        }
        self.marks.take_start(self.seq, &next)
    }
}

pub(super) fn numbers(ms: &[Mark]) -> Vec<u32> {
    ms.iter().map(|m| m.number).collect()
}

/// Inline rendering mode: pull quotes repeat text, so they carry no links,
/// note references or ids.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Normal,
    Presentational,
}
