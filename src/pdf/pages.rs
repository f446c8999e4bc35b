//! Page breaking by cost: the vertical list of a chapter (or of the
//! contents) is cut into pages by dynamic programming over its break
//! points, the way Knuth–Plass breaks paragraphs into lines.
//!
//! A page's cost is the penalty of its break (widows, orphans and keeps are
//! [`INF`]), how far it falls short of a full page (flush bottoms by
//! stretching the space between blocks; a page may run one line short at a
//! moderate cost, more is expensive), and, for a right-hand page, how far
//! its last line lies from the facing left-hand page's (facing pages level);
//! a right-hand page may not end in mid-word any more than on an orphan.
//! The last page of a flow (and a page ending at a forced break) costs
//! nothing for being short.

use super::design::Design;
use super::store::{FORCE, INF, V};

/// One page of a flow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cut {
    /// Index of the first box on the page.
    pub first: usize,
    /// Index of the item the page breaks at (exclusive end of the page).
    pub end: usize,
    /// Glue adjustment: > 0 a fraction of the stretch, < 0 of the shrink.
    pub ratio: f32,
}

/// Cost of a page one line short; more lines cost [`SHORT_MORE`] each.
const SHORT_ONE: f32 = 1000.0;
const SHORT_MORE: f32 = 20000.0;
/// Cost per line of difference between facing pages.
const UNLEVEL: f32 = 800.0;
/// Cost of ending a page on a hyphenated line (TeX's `\brokenpenalty`):
/// copied text keeps the running head between the halves. A little less
/// than a page one line short, so the page breaker prefers a slightly
/// uneven page over it. On a right-hand page the reader would turn the
/// leaf in mid-word: that costs as much as an orphan ([`INF`]).
pub(crate) const BROKEN_PENALTY: f32 = 900.0;

#[derive(Clone, Copy)]
struct State {
    cost: f32,
    /// Back pointer: (break index, parity) of the previous state.
    prev: Option<(usize, usize)>,
    cut: Cut,
    /// Last baseline of the page that led here, and whether that page
    /// was the last of a section (it is then free to be short).
    bottom: f32,
    free: bool,
}

/// Cuts `list` into pages. The first page is a right-hand page. Never
/// fails: when nothing fits, a page takes one box and overflows.
pub(crate) fn paginate(list: &[V], d: &Design) -> Vec<Cut> {
    let n = list.len();
    // Prefix sums of advances (boxes after the first on a page, glue),
    // stretch and shrink.
    let mut pos = vec![0.0f32; n + 1];
    let mut st = vec![0.0f32; n + 1];
    let mut sh = vec![0.0f32; n + 1];
    for (i, it) in list.iter().enumerate() {
        let (a, s, h) = match it {
            V::Box(b) => (b.advance, 0.0, 0.0),
            V::Glue { w, stretch, shrink } => (*w, *stretch, *shrink),
            V::Penalty(_) => (0.0, 0.0, 0.0),
        };
        pos[i + 1] = pos[i] + a;
        st[i + 1] = st[i] + s;
        sh[i + 1] = sh[i] + h;
    }
    // Break points: the start, every penalty, the end.
    let mut breaks: Vec<usize> = vec![0];
    for (i, it) in list.iter().enumerate() {
        if matches!(it, V::Penalty(_)) {
            breaks.push(i);
        }
    }
    breaks.push(n);
    // The box that starts a page after break `i`, and the last box before
    // each item index.
    let mut next_box = vec![n; n + 1];
    for i in (0..n).rev() {
        next_box[i] = if matches!(list[i], V::Box(_)) {
            i
        } else {
            next_box[i + 1]
        };
    }
    let mut last_box = vec![usize::MAX; n + 1];
    let mut lb = usize::MAX;
    for i in 0..n {
        last_box[i] = lb;
        if matches!(list[i], V::Box(_)) {
            lb = i;
        }
    }
    last_box[n] = lb;

    let cap = d.text_h;
    let goal = d.goal();
    let lead = d.lead;
    let nb = breaks.len();
    let mut best: Vec<[Option<State>; 2]> = vec![[None, None]; nb];
    best[0][0] = Some(State {
        cost: 0.0,
        prev: None,
        cut: Cut {
            first: 0,
            end: 0,
            ratio: 0.0,
        },
        bottom: 0.0,
        free: true,
    });
    for bi in 0..nb {
        for par in 0..2 {
            let Some(state) = best[bi][par] else { continue };
            let start = if bi == 0 { 0 } else { breaks[bi] + 1 };
            let first = next_box[start.min(n)];
            if first >= n {
                continue;
            }
            let top = match &list[first] {
                V::Box(b) => b.top,
                _ => 0.0,
            };
            for (bj, &j) in breaks.iter().enumerate().skip(bi + 1) {
                if j <= first {
                    continue;
                }
                let last = last_box[j];
                if last == usize::MAX || last < first {
                    continue;
                }
                let nat = top + pos[last + 1] - pos[first + 1];
                let stretch = st[last + 1] - st[first + 1];
                let shrink = sh[last + 1] - sh[first + 1];
                let only_one = last == first;
                if nat - shrink > cap + 0.01 && !only_one {
                    break;
                }
                let recto = par == 0;
                let penalty = match list.get(j) {
                    Some(V::Penalty(p)) if recto && *p == BROKEN_PENALTY => INF,
                    Some(V::Penalty(p)) => *p,
                    _ => 0.0,
                };
                let ends_section = j == n || penalty <= FORCE;
                // A right-hand page aims at the last line of the left-hand
                // page it faces (when that one is full or a line short).
                let facing = recto && bi > 0 && !state.free;
                let target = if facing && (state.bottom - goal).abs() <= lead + 0.5 {
                    state.bottom
                } else {
                    goal
                };
                let (ratio, bottom, fill) =
                    fill(nat, stretch, shrink, cap, target, lead, ends_section);
                let mut cost = state.cost + fill + penalty.max(0.0);
                // Facing pages level: what is left of the difference costs.
                if facing && !ends_section {
                    let diff = (bottom - state.bottom).abs();
                    if diff > 1.0 {
                        cost += UNLEVEL * diff / lead;
                    }
                }
                let np = 1 - par;
                let cand = State {
                    cost,
                    prev: Some((bi, par)),
                    cut: Cut {
                        first,
                        end: j,
                        ratio,
                    },
                    bottom,
                    free: ends_section,
                };
                if best[bj][np].is_none_or(|b| cost < b.cost) {
                    best[bj][np] = Some(cand);
                }
                if penalty <= FORCE {
                    break;
                }
            }
        }
    }
    // The cheapest way to the end, walked back.
    let end = nb - 1;
    let pick = match (best[end][0], best[end][1]) {
        (Some(a), Some(b)) => {
            if b.cost < a.cost {
                1
            } else {
                0
            }
        }
        (Some(_), None) => 0,
        (None, Some(_)) => 1,
        (None, None) => return Vec::new(),
    };
    let mut cuts = Vec::new();
    let mut at = Some((end, pick));
    while let Some((bi, par)) = at {
        let Some(s) = best[bi][par] else { break };
        if s.prev.is_none() {
            break;
        }
        cuts.push(s.cut);
        at = s.prev;
    }
    cuts.reverse();
    cuts
}

/// Glue ratio, last baseline and cost of a page whose natural last
/// baseline is `nat` below the text block top.
fn fill(
    nat: f32,
    stretch: f32,
    shrink: f32,
    cap: f32,
    goal: f32,
    lead: f32,
    ends_section: bool,
) -> (f32, f32, f32) {
    if nat > cap {
        if shrink <= 0.0 {
            return (0.0, nat, 1.0e8);
        }
        let r = ((nat - cap) / shrink).min(1.0);
        return (-r, nat - r * shrink, 100.0 * r * r * r);
    }
    if ends_section || (nat - goal).abs() <= 0.5 {
        return (0.0, nat, 0.0);
    }
    if nat > goal {
        // Past the last line of the body grid (taller display lines): back
        // to it if the spaces can shrink that far, so pages end level.
        if shrink <= 0.0 {
            return (0.0, nat, 0.0);
        }
        let r = ((nat - goal) / shrink).min(1.0);
        return (-r, nat - r * shrink, 10.0 * r * r * r);
    }
    let short = goal - nat;
    if short <= stretch + 0.01 {
        let r = short / stretch;
        return (r, goal, 100.0 * r * r * r);
    }
    // Short of a full page even with every space stretched: keep the last
    // line on a line of the full page's grid and count the lines missing.
    let lines = (short - stretch) / lead;
    let k = (lines - 0.01).ceil().max(0.0);
    let target = goal - k * lead;
    let need = target - nat;
    let r = if need > 0.0 && stretch > 0.0 {
        (need / stretch).min(1.0)
    } else {
        0.0
    };
    let cost = if lines <= 1.0 {
        SHORT_ONE * lines.max(0.25)
    } else {
        SHORT_ONE + SHORT_MORE * (lines - 1.0)
    };
    (r, nat + r * stretch, cost)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PdfSettings;
    use crate::pdf::store::{INF, VBox};

    fn line(d: &Design) -> V {
        V::Box(VBox {
            advance: d.lead,
            top: d.topskip(),
            ..Default::default()
        })
    }

    /// Paragraphs of `sizes` lines with widow/orphan penalties.
    fn paras(d: &Design, sizes: &[usize]) -> Vec<V> {
        let mut v = Vec::new();
        for (pi, &n) in sizes.iter().enumerate() {
            for k in 0..n {
                if pi > 0 || k > 0 {
                    let within = k > 0;
                    let p = if within && (k < 2 || n - k < 2) {
                        INF
                    } else {
                        0.0
                    };
                    v.push(V::Penalty(p));
                }
                v.push(line(d));
            }
        }
        v
    }

    fn lines_on(v: &[V], c: &Cut) -> usize {
        v[c.first..c.end]
            .iter()
            .filter(|i| matches!(i, V::Box(_)))
            .count()
    }

    #[test]
    fn full_pages_and_no_widows() {
        let d = Design::new(&PdfSettings::default()).unwrap();
        // 37 lines, then a 3-line paragraph: a full page would leave a widow.
        let v = paras(&d, &[20, 17, 3, 30]);
        let cuts = paginate(&v, &d);
        assert!(cuts.len() >= 2);
        let first = lines_on(&v, &cuts[0]);
        assert!(first == 37 || first == 38 || first == 36, "{first}");
        // No page ends inside the 3-line paragraph.
        assert!(first == 37 || first <= 37);
        let total: usize = cuts.iter().map(|c| lines_on(&v, c)).sum();
        assert_eq!(total, 70);
    }

    #[test]
    fn a_right_hand_page_does_not_end_in_mid_word() {
        let d = Design::new(&PdfSettings::default()).unwrap();
        let v = paras(&d, &[200]);
        let full = lines_on(&v, &paginate(&v, &d)[0]);
        // Make every break after a full page's worth of lines a hyphen.
        let hyphen_after = |v: &mut Vec<V>, lines: usize| {
            let mut seen = 0;
            for it in v.iter_mut() {
                match it {
                    V::Box(_) => seen += 1,
                    V::Penalty(p) if seen == lines => *p = BROKEN_PENALTY,
                    _ => {}
                }
            }
        };
        let mut first = v.clone();
        hyphen_after(&mut first, full);
        let cuts = paginate(&first, &d);
        assert_ne!(
            lines_on(&first, &cuts[0]),
            full,
            "the right-hand page moves its break"
        );
        // On the left-hand page (the second), a hyphen is only a cost.
        let mut second = v.clone();
        hyphen_after(&mut second, 2 * full);
        let cuts = paginate(&second, &d);
        assert_eq!(
            lines_on(&second, &cuts[0]) + lines_on(&second, &cuts[1]),
            2 * full
        );
    }

    #[test]
    fn forced_break_starts_a_page() {
        let d = Design::new(&PdfSettings::default()).unwrap();
        let mut v = paras(&d, &[5]);
        v.push(V::Penalty(FORCE));
        v.push(line(&d));
        let cuts = paginate(&v, &d);
        assert_eq!(cuts.len(), 2);
        assert_eq!(lines_on(&v, &cuts[0]), 5);
    }
}
