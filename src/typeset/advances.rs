//! Widths of the pieces of one shaped word, by byte offset.
//!
//! Setting a word asks for the advance before many offsets (every break
//! point, every grapheme when a word longer than the line is cut). A scan of
//! the glyphs per question made a 100,000-letter word cost seconds; prefix
//! sums make each question a binary search.

use super::shape::ShapedGlyph;

/// The glyphs of one word, with the running sum of their advances.
pub(super) struct Advances<'a> {
    glyphs: &'a [ShapedGlyph],
    /// `before[i]`: the advances of `glyphs[..i]` summed in glyph order (the
    /// order a plain scan adds them in, so the sums are the same floats).
    before: Vec<f32>,
    /// Whether clusters never decrease along the glyphs (left-to-right text).
    /// Right-to-left runs come reversed from the shaper; they are answered by
    /// a scan, as they are short (whole words of one script).
    ordered: bool,
}

impl<'a> Advances<'a> {
    pub fn new(glyphs: &'a [ShapedGlyph]) -> Self {
        let ordered = glyphs.is_sorted_by_key(|g| g.cluster);
        let mut before = Vec::with_capacity(if ordered { glyphs.len() + 1 } else { 0 });
        if ordered {
            let mut sum = 0.0f32;
            before.push(sum);
            for g in glyphs {
                sum += g.x_advance as f32;
                before.push(sum);
            }
        }
        Advances {
            glyphs,
            before,
            ordered,
        }
    }

    /// How many glyphs have a cluster before byte `rel`.
    fn count_before(&self, rel: usize) -> usize {
        self.glyphs.partition_point(|g| (g.cluster as usize) < rel)
    }

    /// The advance (font units) of the clusters wholly before byte `rel`.
    pub fn before(&self, rel: usize) -> f32 {
        if self.ordered {
            self.before[self.count_before(rel)]
        } else {
            self.glyphs
                .iter()
                .filter(|g| (g.cluster as usize) < rel)
                .map(|g| g.x_advance as f32)
                .sum()
        }
    }

    /// The advance (font units) of the first glyph at or after byte `rel`.
    pub fn first_from(&self, rel: usize) -> f32 {
        let g = if self.ordered {
            self.glyphs.get(self.count_before(rel))
        } else {
            self.glyphs.iter().find(|g| g.cluster as usize >= rel)
        };
        g.map_or(0.0, |g| g.x_advance as f32)
    }

    /// The advance (font units) of the last glyph before byte `rel`.
    pub fn last_before(&self, rel: usize) -> f32 {
        let g = if self.ordered {
            self.count_before(rel)
                .checked_sub(1)
                .and_then(|i| self.glyphs.get(i))
        } else {
            self.glyphs
                .iter()
                .rev()
                .find(|g| (g.cluster as usize) < rel)
        };
        g.map_or(0.0, |g| g.x_advance as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(cluster: u32, x_advance: i32) -> ShapedGlyph {
        ShapedGlyph {
            id: 1,
            cluster,
            x_advance,
            x_offset: 0,
            y_offset: 0,
        }
    }

    /// The prefix sums answer as the scans they replace, for ordered and
    /// reversed (right-to-left) glyph runs, with ligatures (one glyph for
    /// several bytes) and marks (several glyphs for one cluster).
    #[test]
    fn answers_as_a_scan_would() {
        let ltr = vec![
            glyph(0, 500),
            glyph(1, 480),
            glyph(3, 610),
            glyph(3, 0),
            glyph(4, 333),
            glyph(7, 250),
        ];
        let rtl: Vec<ShapedGlyph> = ltr.iter().rev().cloned().collect();
        for glyphs in [&ltr, &rtl] {
            let a = Advances::new(glyphs);
            for rel in 0..10 {
                let scan: f32 = glyphs
                    .iter()
                    .filter(|g| (g.cluster as usize) < rel)
                    .map(|g| g.x_advance as f32)
                    .sum();
                assert_eq!(a.before(rel), scan, "before {rel}");
                let first = glyphs.iter().find(|g| g.cluster as usize >= rel);
                let last = glyphs.iter().rev().find(|g| (g.cluster as usize) < rel);
                if glyphs == &ltr {
                    assert_eq!(a.first_from(rel), first.map_or(0.0, |g| g.x_advance as f32));
                    assert_eq!(a.last_before(rel), last.map_or(0.0, |g| g.x_advance as f32));
                }
            }
        }
    }
}
