//! The total-fit paragraph breaker of Knuth and Plass, "Breaking Paragraphs
//! into Lines", Software—Practice and Experience 11 (1981), 1119–1184
//! (here "K&P"), over an abstract list of boxes, glue and penalties.
//!
//! Written by hand because no maintained crate does total-fit breaking with
//! the refinements a book needs (fitness classes, hyphen runs, looseness,
//! margin kerning): the algorithm is ~300 lines and these refinements live
//! inside its inner loop.
//!
//! Costs, as named in K&P and TeX (The TeXbook, ch. 14):
//! - badness `b = 100·|r|³` of a line with adjustment ratio `r` (K&P eq. 4);
//! - demerits `d = (l + b)² ± p²` (K&P eq. 5; `l` = `line_penalty`, TeX's
//!   \linepenalty), plus `double_hyphen_demerits` (TeX's
//!   \doublehyphendemerits, K&P's α) when two consecutive lines end
//!   hyphenated, `final_hyphen_demerits` (\finalhyphendemerits) when the
//!   next-to-last line does, and `adj_demerits` (\adjdemerits, K&P's γ) when
//!   the fitness classes of adjacent lines are not neighbours (K&P §"Fitness
//!   classes": very loose, loose, decent, tight);
//! - a third consecutive hyphenated line is not allowed at all (TeX only
//!   discourages it), except in the emergency pass;
//! - `looseness` (\looseness): ask for a paragraph that many lines longer
//!   (or shorter) than the optimum, when feasible.
//!
//! Passes (each only when the one before finds no feasible set of breaks):
//! 1. ratios in `[-1, pretolerance]`, without inserted hyphens (TeX's first
//!    pass); 2. in `[-1, tolerance]`, hyphens allowed; 3. lines may
//!    shrink to `emergency_shrink` (< -1: tight but even spacing, rare);
//! 4. spaces up to twice their stretch; 5. three hyphenated lines in a
//!    row allowed, at a high cost; 6. the emergency pass: any stretch. No
//!    pass lets a line overflow: the caller has already added break points
//!    inside any box wider than the measure,
//!    and the emergency pass forces a break where nothing else fits.

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Box,
    Glue,
    Penalty,
}

/// A box, glue or penalty (K&P §"The box/glue/penalty model").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item {
    pub kind: Kind,
    /// Natural width (for a penalty: width added when breaking here, e.g. a hyphen).
    pub width: f32,
    pub stretch: f32,
    pub shrink: f32,
    /// Penalty value; `>= INFINITY_PENALTY` forbids, `<= -INFINITY_PENALTY` forces.
    pub penalty: f32,
    /// A flagged penalty (a hyphen at the line end).
    pub flagged: bool,
    /// Margin kerning: how far the line ending at this break may hang into
    /// the right margin (pt), and the line starting after it into the left.
    pub hang_end: f32,
    pub hang_start: f32,
    /// A box's letter-spacing allowance (pt, either way): taken only once
    /// the spaces have stretched or shrunk by [`Params::track_after`].
    pub track: f32,
}

pub const INFINITY_PENALTY: f32 = 10_000.0;
/// Stretch standing for TeX's `fil`: infinitely more than any finite stretch.
pub const FIL: f32 = 1.0e6;

impl Item {
    pub fn boxed(width: f32, stretch: f32, shrink: f32) -> Item {
        Item {
            kind: Kind::Box,
            width,
            stretch,
            shrink,
            penalty: 0.0,
            flagged: false,
            hang_end: 0.0,
            hang_start: 0.0,
            track: 0.0,
        }
    }
    pub fn glue(width: f32, stretch: f32, shrink: f32) -> Item {
        Item {
            kind: Kind::Glue,
            ..Item::boxed(width, stretch, shrink)
        }
    }
    pub fn penalty(width: f32, penalty: f32, flagged: bool) -> Item {
        Item {
            kind: Kind::Penalty,
            penalty,
            flagged,
            ..Item::boxed(width, 0.0, 0.0)
        }
    }
}

/// The breaker's costs and limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub line_width: f32,
    /// Largest adjustment ratio of a feasible line in the first pass (TeX's
    /// \pretolerance, as a ratio); paragraphs that cannot be set within it
    /// get a second pass with `tolerance`, then the emergency pass.
    pub pretolerance: f32,
    /// Largest adjustment ratio of a feasible line in the second pass.
    pub tolerance: f32,
    pub line_penalty: f32,
    pub double_hyphen_demerits: f32,
    pub final_hyphen_demerits: f32,
    pub adj_demerits: f32,
    pub looseness: i32,
    /// Smallest ratio of the third pass (below -1: spaces shrink past their
    /// shrinkability rather than a line being set loose).
    pub emergency_shrink: f32,
    /// Stretch added to every line (TeX's \rightskip for ragged setting).
    pub line_stretch: f32,
    /// Use the margin-kerning allowances of the items.
    pub hang: bool,
    /// The spaces' ratio (either way) past which the boxes' letter-spacing
    /// allowance is spent before the spaces go further.
    pub track_after: f32,
}

impl Params {
    /// Ragged lines (headings, captions, centred lines): no stretch in the
    /// spaces, every line (the last too) measured against the measure
    /// through a right skip that stretches by the whole measure, so that
    /// the breaker evens the lines out instead of filling the first ones.
    pub fn ragged(line_width: f32) -> Params {
        Params {
            line_width,
            pretolerance: 1.0e3,
            tolerance: 1.0e3,
            line_stretch: line_width,
            ..Params::default()
        }
    }

    /// As [`Params::ragged`], with a line costing more than any unevenness
    /// can: as few lines as the measure allows, then as even as they can
    /// be (a title on a cover: no lone last word, and no line added to
    /// even the others).
    pub fn balanced(line_width: f32) -> Params {
        Params {
            line_penalty: BALANCED_LINE_PENALTY,
            ..Params::ragged(line_width)
        }
    }
}

/// A line's cost in [`Params::balanced`]: `(l + b)²` with `b <= 100` for a
/// feasible ragged line, so one line more (at least `l²` = 10⁸) outweighs
/// the badness of fifty lines (each less than `(l + 100)² - l²`, about
/// 2·10⁶).
const BALANCED_LINE_PENALTY: f32 = 1.0e4;

impl Default for Params {
    fn default() -> Self {
        // TeX's plain defaults, except the tolerance, which is a ratio here.
        Params {
            line_width: 300.0,
            pretolerance: 1.0,
            tolerance: 1.0,
            line_penalty: 10.0,
            double_hyphen_demerits: 10_000.0,
            final_hyphen_demerits: 5_000.0,
            adj_demerits: 10_000.0,
            looseness: 0,
            emergency_shrink: -1.0,
            line_stretch: 0.0,
            hang: true,
            track_after: 0.5,
        }
    }
}

/// A chosen break: the item index it is at, and its line's adjustment ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    pub at: usize,
    pub ratio: f32,
    pub flagged: bool,
}

/// The result: breaks in order (the last is at the final item) and their
/// total demerits.
#[derive(Debug, Clone, PartialEq)]
pub struct Breaks {
    pub breaks: Vec<Break>,
    pub demerits: f64,
    /// Whether the emergency pass was needed.
    pub emergency: bool,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    /// Index of the break item (usize::MAX for the paragraph start).
    at: usize,
    /// First item of the line that follows (after discarded glue/penalties).
    start: usize,
    line: u32,
    fitness: u8,
    hyphens: u8,
    flagged: bool,
    demerits: f64,
    ratio: f32,
    prev: usize,
    hang_start: f32,
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    fitness: u8,
    hyphens: u8,
    line: u32,
    demerits: f64,
    prev: usize,
    ratio: f32,
}

/// Prefix sums of width, glue stretch and shrink, box stretch and shrink,
/// and box letter-spacing: `sums[i]` is over `items[..i]`.
fn prefix_sums(items: &[Item]) -> Vec<[f64; 6]> {
    let mut sums = Vec::with_capacity(items.len() + 1);
    let mut acc = [0.0f64; 6];
    sums.push(acc);
    for it in items {
        match it.kind {
            Kind::Glue => {
                acc[0] += it.width as f64;
                acc[1] += it.stretch as f64;
                acc[2] += it.shrink as f64;
            }
            Kind::Box => {
                acc[0] += it.width as f64;
                acc[3] += it.stretch as f64;
                acc[4] += it.shrink as f64;
                acc[5] += it.track as f64;
            }
            Kind::Penalty => {}
        }
        sums.push(acc);
    }
    sums
}

/// A line's natural width, its glue's stretch and shrink, its boxes'
/// (glyph expansion) and their letter-spacing allowance, from prefix sums.
#[derive(Debug, Clone, Copy)]
struct Span {
    w: f64,
    y: f64,
    z: f64,
    yb: f64,
    zb: f64,
    t: f64,
}

impl Span {
    fn between(s0: &[f64; 6], s1: &[f64; 6]) -> Span {
        Span {
            w: s1[0] - s0[0],
            y: s1[1] - s0[1],
            z: s1[2] - s0[2],
            yb: s1[3] - s0[3],
            zb: s1[4] - s0[4],
            t: s1[5] - s0[5],
        }
    }

    /// The adjustment ratio of the line set to `target`, as the spaces see
    /// it: boxes take up their stretch (or shrink) first, whole; then the
    /// spaces up to `track_after`; then letter-spacing, whole; then the
    /// spaces again. A line that expansion alone justifies has ratio 0.
    /// The line setter spends them in that order.
    fn ratio(&self, target: f64, track_after: f32) -> f32 {
        let d = target - self.w;
        if d >= 0.0 {
            staged(d, self.yb, self.y, self.t, track_after as f64)
        } else {
            -staged(-d, self.zb, self.z, self.t, track_after as f64)
        }
    }
}

/// The spaces' ratio for an adjustment `d` (>= 0) taken from `b` (boxes)
/// first, then spaces `y` up to ratio `r0`, then letter-spacing `t`, then
/// the spaces again.
pub fn staged(d: f64, b: f64, y: f64, t: f64, r0: f64) -> f32 {
    if d <= b + 1e-6 {
        return 0.0;
    }
    let d = d - b;
    if y <= 0.0 {
        return if d <= t + 1e-6 { 0.0 } else { f32::INFINITY };
    }
    if d <= r0 * y {
        return (d / y) as f32;
    }
    let d = d - r0 * y;
    if d <= t {
        return r0 as f32;
    }
    (r0 + (d - t) / y) as f32
}

/// Whether a break may happen at item `i` (K&P: glue after a box, or a
/// penalty below infinity).
fn legal(items: &[Item], i: usize) -> bool {
    let it = &items[i];
    match it.kind {
        Kind::Glue => i > 0 && items[i - 1].kind == Kind::Box,
        Kind::Penalty => it.penalty < INFINITY_PENALTY,
        Kind::Box => false,
    }
}

/// The first item after a break at `i` that is not discarded.
fn after_break(items: &[Item], i: usize) -> usize {
    let mut j = i + 1;
    while j < items.len() && items[j].kind != Kind::Box {
        if items[j].kind == Kind::Penalty && items[j].penalty <= -INFINITY_PENALTY {
            break;
        }
        j += 1;
    }
    j
}

fn fitness(r: f32) -> u8 {
    if r < -0.5 {
        3 // tight
    } else if r <= 0.5 {
        2 // decent
    } else if r <= 1.0 {
        1 // loose
    } else {
        0 // very loose
    }
}

fn badness(r: f32) -> f64 {
    let r = r.abs() as f64;
    100.0 * r * r * r
}

/// Demerits of one line (K&P eq. 5 plus the extras named in the module doc).
fn line_demerits(
    p: &Params,
    r: f32,
    item: &Item,
    prev_flagged: bool,
    prev_fit: u8,
    last: bool,
) -> f64 {
    let b = badness(r);
    let l = p.line_penalty as f64 + b;
    let pen = item.penalty as f64;
    let mut d = if item.kind == Kind::Penalty && pen >= 0.0 {
        l * l + pen * pen
    } else if item.kind == Kind::Penalty && pen > -(INFINITY_PENALTY as f64) {
        l * l - pen * pen
    } else {
        l * l
    };
    if item.flagged && prev_flagged {
        d += p.double_hyphen_demerits as f64;
    }
    if last && prev_flagged {
        d += p.final_hyphen_demerits as f64;
    }
    if fitness(r).abs_diff(prev_fit) > 1 {
        d += p.adj_demerits as f64;
    }
    d
}

/// Total-fit breaking. `items` must end with a forced break (the caller adds
/// TeX's `\parfillskip` glue and a `-INFINITY_PENALTY` penalty).
pub fn total_fit(items: &[Item], p: &Params) -> Breaks {
    // Passes, each tried only when the one before finds no feasible breaks
    // (the module's doc): a paragraph that can be set without hyphens
    // within `pretolerance` gets none; tight spacing past the shrink is the
    // lesser evil than loose (it stays even and is rare).
    let passes = [
        Pass {
            tolerance: p.pretolerance,
            min_ratio: -1.0,
            hyphenate: false,
            hyphen_runs: false,
            emergency: false,
        },
        Pass {
            tolerance: p.tolerance,
            min_ratio: -1.0,
            hyphenate: true,
            hyphen_runs: false,
            emergency: false,
        },
        Pass {
            tolerance: p.tolerance,
            min_ratio: p.emergency_shrink,
            hyphenate: true,
            hyphen_runs: false,
            emergency: false,
        },
        // A loose line (spaces up to twice their stretch) before a third
        // hyphen in a row: glyph expansion leaves less room than letter-
        // spacing did, and a run of hyphens is the more visible fault.
        Pass {
            tolerance: p.tolerance.max(2.0),
            min_ratio: p.emergency_shrink,
            hyphenate: true,
            hyphen_runs: false,
            emergency: false,
        },
        Pass {
            tolerance: p.tolerance,
            min_ratio: p.emergency_shrink,
            hyphenate: true,
            hyphen_runs: true,
            emergency: false,
        },
    ];
    let mut last: Option<Pass> = None;
    for pass in passes {
        // Skip a pass equal to the one before; with looseness, skip the
        // pretolerance pass (as TeX does), which rarely has room for it.
        if last.is_some_and(|l| l == pass) || (p.looseness != 0 && pass.tolerance < p.tolerance) {
            continue;
        }
        last = Some(pass);
        if let Some(b) = run(items, p, pass) {
            return b;
        }
    }
    let emergency = Pass {
        tolerance: f32::INFINITY,
        min_ratio: p.emergency_shrink,
        hyphenate: true,
        hyphen_runs: true,
        emergency: true,
    };
    run(items, p, emergency).unwrap_or_else(|| Breaks {
        breaks: vec![Break {
            at: items.len().saturating_sub(1),
            ratio: 0.0,
            flagged: false,
        }],
        demerits: f64::INFINITY,
        emergency: true,
    })
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Pass {
    tolerance: f32,
    min_ratio: f32,
    /// Breaks at inserted hyphens (flagged penalties with a width) allowed:
    /// TeX's first pass, within \pretolerance, does without them.
    hyphenate: bool,
    /// Three or more hyphenated lines in a row allowed (at a high cost).
    hyphen_runs: bool,
    /// Any stretch is feasible, and a break is forced where nothing fits.
    emergency: bool,
}

fn run(items: &[Item], p: &Params, pass: Pass) -> Option<Breaks> {
    let Pass {
        tolerance,
        min_ratio,
        hyphenate,
        hyphen_runs,
        emergency,
    } = pass;
    if items.is_empty() {
        return Some(Breaks {
            breaks: Vec::new(),
            demerits: 0.0,
            emergency,
        });
    }
    let sums = prefix_sums(items);
    let mut nodes: Vec<Node> = Vec::with_capacity(items.len() / 4 + 8);
    let first_hang = items
        .iter()
        .find(|i| i.kind == Kind::Box)
        .map_or(0.0, |i| i.hang_start);
    nodes.push(Node {
        at: usize::MAX,
        start: 0,
        line: 0,
        fitness: 2,
        hyphens: 0,
        flagged: false,
        demerits: 0.0,
        ratio: 0.0,
        prev: usize::MAX,
        hang_start: first_hang,
    });
    let mut active: Vec<usize> = vec![0];
    let mut next_active: Vec<usize> = Vec::new();
    let mut cands: Vec<Candidate> = Vec::new();
    let last_item = items.len() - 1;

    for b in 0..items.len() {
        if !legal(items, b) {
            continue;
        }
        let item = &items[b];
        if !hyphenate && item.flagged && item.width > 0.0 {
            continue;
        }
        let forced = item.kind == Kind::Penalty && item.penalty <= -INFINITY_PENALTY;
        let is_last = b == last_item;
        cands.clear();
        next_active.clear();
        let mut least_overfull: Option<(f32, usize)> = None;
        for &ai in &active {
            let a = &nodes[ai];
            if a.start > b {
                next_active.push(ai);
                continue;
            }
            let mut line = Span::between(&sums[a.start], &sums[b]);
            if item.kind == Kind::Penalty {
                line.w += item.width as f64;
            }
            line.y += p.line_stretch as f64;
            let hang = if p.hang {
                (a.hang_start + item.hang_end) as f64
            } else {
                0.0
            };
            let r = line.ratio(p.line_width as f64 + hang, p.track_after);
            if r < min_ratio || forced {
                // K&P: deactivate a node once the line from it is overfull,
                // or once a forced break has passed.
                if r < min_ratio && least_overfull.is_none_or(|(o, _)| r > o) {
                    least_overfull = Some((r, ai));
                }
            } else {
                next_active.push(ai);
            }
            let feasible = r >= min_ratio && r <= tolerance;
            if !feasible {
                continue;
            }
            let hyphens = if item.flagged { a.hyphens + 1 } else { 0 };
            if hyphens >= 3 && !hyphen_runs {
                continue;
            }
            let mut d = a.demerits + line_demerits(p, r, item, a.flagged, a.fitness, is_last);
            if hyphens >= 3 {
                d += 10.0 * p.double_hyphen_demerits as f64;
            }
            let c = Candidate {
                fitness: fitness(r),
                hyphens: hyphens.min(2),
                line: if p.looseness != 0 { a.line + 1 } else { 0 },
                demerits: d,
                prev: ai,
                ratio: r,
            };
            match cands
                .iter_mut()
                .find(|x| x.fitness == c.fitness && x.hyphens == c.hyphens && x.line == c.line)
            {
                Some(x) => {
                    if c.demerits < x.demerits {
                        *x = c;
                    }
                }
                None => cands.push(c),
            }
        }
        std::mem::swap(&mut active, &mut next_active);
        if cands.is_empty() && active.is_empty() {
            // Nothing can reach this break without overflowing and nothing is
            // left to continue from: only in the emergency pass, break here
            // from the least overfull line (a box wider than the measure that
            // the caller could not split, e.g. one huge glyph).
            if !emergency {
                #[cfg(test)]
                if std::env::var_os("KP_DEBUG").is_some() {
                    eprintln!("pass {pass:?}: no active node at item {b}");
                }
                return None;
            }
            if let Some((r, ai)) = least_overfull {
                let a = nodes[ai];
                cands.push(Candidate {
                    fitness: 3,
                    hyphens: 0,
                    line: if p.looseness != 0 { a.line + 1 } else { 0 },
                    demerits: a.demerits + 1.0e12,
                    prev: ai,
                    ratio: r,
                });
            }
        }
        if cands.is_empty() {
            continue;
        }
        // K&P: only fitness classes within adj_demerits of the best are worth
        // keeping. Nodes that differ in their run of hyphens are compared
        // only among themselves: a cheap node two hyphens deep may have no
        // feasible continuation, so it must not push out the others.
        let mut best = [f64::INFINITY; 3];
        for c in &cands {
            let h = c.hyphens as usize;
            best[h] = best[h].min(c.demerits);
        }
        let start = after_break(items, b);
        for c in &cands {
            if c.demerits > best[c.hyphens as usize] + p.adj_demerits as f64 && p.looseness == 0 {
                continue;
            }
            let prev_line = nodes[c.prev].line;
            nodes.push(Node {
                at: b,
                start,
                line: prev_line + 1,
                fitness: c.fitness,
                hyphens: c.hyphens,
                flagged: item.flagged,
                demerits: c.demerits,
                ratio: c.ratio,
                prev: c.prev,
                hang_start: items.get(b).map_or(0.0, |i| i.hang_start),
            });
            active.push(nodes.len() - 1);
        }
    }
    // The final node: the best among those at the last item (with
    // looseness, the one whose line count is nearest the asked-for count).
    let finals: Vec<usize> = active
        .iter()
        .copied()
        .filter(|&i| nodes[i].at == last_item)
        .collect();
    let best = finals
        .iter()
        .copied()
        .min_by(|&x, &y| nodes[x].demerits.total_cmp(&nodes[y].demerits))?;
    let chosen = if p.looseness != 0 {
        let want = nodes[best].line as i64 + p.looseness as i64;
        finals
            .iter()
            .copied()
            .min_by(|&x, &y| {
                let dx = (nodes[x].line as i64 - want).abs();
                let dy = (nodes[y].line as i64 - want).abs();
                dx.cmp(&dy)
                    .then(nodes[x].demerits.total_cmp(&nodes[y].demerits))
            })
            .unwrap_or(best)
    } else {
        best
    };
    let demerits = nodes[chosen].demerits;
    let mut out = Vec::new();
    let mut i = chosen;
    while i != usize::MAX && nodes[i].at != usize::MAX {
        let n = &nodes[i];
        out.push(Break {
            at: n.at,
            ratio: n.ratio,
            flagged: n.flagged,
        });
        i = n.prev;
    }
    out.reverse();
    Some(Breaks {
        breaks: out,
        demerits,
        emergency,
    })
}

#[cfg(test)]
/// First-fit breaking (each line as full as it can be, as a word processor
/// does), for comparison with the optimum.
pub fn first_fit(items: &[Item], p: &Params) -> Vec<usize> {
    let sums = prefix_sums(items);
    let mut out = Vec::new();
    let mut start = 0;
    let mut last_ok: Option<usize> = None;
    let mut b = 0;
    while b < items.len() {
        if legal(items, b) {
            let mut w = sums[b][0] - sums[start][0];
            if items[b].kind == Kind::Penalty {
                w += items[b].width as f64;
            }
            let z = sums[b][2] - sums[start][2] + sums[b][4] - sums[start][4];
            let fits = w - z <= p.line_width as f64;
            let forced = items[b].kind == Kind::Penalty && items[b].penalty <= -INFINITY_PENALTY;
            if !fits && let Some(l) = last_ok.take() {
                out.push(l);
                start = after_break(items, l);
                b = start;
                continue;
            }
            if forced {
                out.push(b);
                start = after_break(items, b);
                last_ok = None;
            } else if fits {
                last_ok = Some(b);
            }
        }
        b += 1;
    }
    out
}

#[cfg(test)]
/// Total demerits of a given set of breaks (the same costs as [`total_fit`]).
pub fn demerits_of(items: &[Item], p: &Params, breaks: &[usize]) -> f64 {
    let sums = prefix_sums(items);
    let mut start = 0;
    let mut prev_flagged = false;
    let mut prev_fit = 2;
    let mut total = 0.0;
    let mut hang_start = items
        .iter()
        .find(|i| i.kind == Kind::Box)
        .map_or(0.0, |i| i.hang_start);
    for (k, &b) in breaks.iter().enumerate() {
        let item = &items[b];
        let mut line = Span::between(&sums[start], &sums[b]);
        if item.kind == Kind::Penalty {
            line.w += item.width as f64;
        }
        line.y += p.line_stretch as f64;
        let hang = if p.hang {
            (hang_start + item.hang_end) as f64
        } else {
            0.0
        };
        let r = line.ratio(p.line_width as f64 + hang, p.track_after);
        let r = if r.is_finite() { r } else { 1.0e3 };
        total += line_demerits(p, r, item, prev_flagged, prev_fit, k + 1 == breaks.len());
        prev_flagged = item.flagged;
        prev_fit = fitness(r);
        start = after_break(items, b);
        hang_start = item.hang_start;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words of the given widths separated by spaces (w 3, stretch 1.5,
    /// shrink 1), ending with \parfillskip and a forced break.
    fn words(ws: &[f32]) -> Vec<Item> {
        let mut v = Vec::new();
        for (i, &w) in ws.iter().enumerate() {
            if i > 0 {
                v.push(Item::glue(4.0, 3.0, 1.5));
            }
            v.push(Item::boxed(w, 0.0, 0.0));
        }
        v.push(Item::glue(0.0, FIL, 0.0));
        v.push(Item::penalty(0.0, -INFINITY_PENALTY, false));
        v
    }

    fn widths_of(items: &[Item], breaks: &[usize]) -> Vec<f64> {
        let sums = prefix_sums(items);
        let mut start = 0;
        breaks
            .iter()
            .map(|&b| {
                let w = sums[b][0] - sums[start][0];
                start = after_break(items, b);
                w
            })
            .collect()
    }

    #[test]
    fn optimum_beats_first_fit() {
        // A classic trap for first-fit: a full first line leaves a very
        // loose second one; total-fit evens them out.
        let ws = [
            20.0, 18.0, 25.0, 30.0, 12.0, 40.0, 22.0, 16.0, 28.0, 35.0, 10.0, 24.0, 30.0, 14.0,
            26.0, 33.0, 19.0, 21.0, 27.0, 15.0, 38.0, 12.0, 29.0, 17.0,
        ];
        let items = words(&ws.map(|w| w * 0.6));
        let p = Params {
            line_width: 150.0,
            tolerance: 2.0,
            hang: false,
            ..Params::default()
        };
        let opt = total_fit(&items, &p);
        assert!(!opt.emergency);
        let ff = first_fit(&items, &p);
        let opt_at: Vec<usize> = opt.breaks.iter().map(|b| b.at).collect();
        let d_ff = demerits_of(&items, &p, &ff);
        let d_opt = demerits_of(&items, &p, &opt_at);
        assert!(
            (d_opt - opt.demerits).abs() < 1e-6 * d_opt.max(1.0),
            "{d_opt} vs {}",
            opt.demerits
        );
        assert!(d_opt < d_ff, "optimum {d_opt} should beat first-fit {d_ff}");
        assert_ne!(opt_at, ff);
        // No line overflows.
        for w in widths_of(&items, &opt_at) {
            assert!(w - 10.0 <= 150.0 + 1e-3);
        }
    }

    #[test]
    fn looseness_adds_a_line() {
        let ws = [30.0; 30];
        let items = words(&ws);
        let p = Params {
            line_width: 200.0,
            tolerance: 10.0,
            hang: false,
            ..Params::default()
        };
        let base = total_fit(&items, &p).breaks.len();
        let loose = total_fit(&items, &Params { looseness: 1, ..p })
            .breaks
            .len();
        assert_eq!(loose, base + 1);
    }

    #[test]
    fn no_three_hyphens_in_a_row() {
        // Every word may be hyphenated; words are sized so that hyphenating
        // at every line end would be best without the rule.
        let mut v = Vec::new();
        for i in 0..40 {
            if i > 0 {
                v.push(Item::glue(3.0, 1.5, 1.0));
            }
            v.push(Item::boxed(17.0, 0.0, 0.0));
            v.push(Item::penalty(4.0, 50.0, true));
            v.push(Item::boxed(17.0, 0.0, 0.0));
        }
        v.push(Item::glue(0.0, FIL, 0.0));
        v.push(Item::penalty(0.0, -INFINITY_PENALTY, false));
        let p = Params {
            line_width: 97.0,
            tolerance: 2.0,
            hang: false,
            ..Params::default()
        };
        let b = total_fit(&v, &p);
        let mut run = 0;
        for br in &b.breaks {
            run = if br.flagged { run + 1 } else { 0 };
            assert!(run < 3);
        }
    }

    #[test]
    fn emergency_pass_never_overflows() {
        // Words too long to justify within tolerance: the emergency pass
        // still sets them, loose rather than overfull.
        let items = words(&[90.0, 90.0, 90.0, 90.0]);
        let p = Params {
            line_width: 150.0,
            tolerance: 1.0,
            hang: false,
            ..Params::default()
        };
        let b = total_fit(&items, &p);
        assert!(b.emergency);
        let at: Vec<usize> = b.breaks.iter().map(|b| b.at).collect();
        for w in widths_of(&items, &at) {
            assert!(w <= 150.0);
        }
    }
}
