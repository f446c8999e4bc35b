//! Where a build's time goes, for `qalam build --timings`.
//!
//! Stages add their elapsed time to process-wide counters. Counting is off
//! unless [`enable`] was called, so an ordinary build pays one relaxed
//! atomic load per measured call and never reads the clock. Stages that run
//! on several threads at once (shaping and line breaking run per paragraph
//! on every rayon thread) add each thread's time, so their sum can exceed
//! the wall-clock time of the build; [`Stage::parallel`] says which.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A measured stage of a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the sources: book.toml, chapters, images checked.
    Read,
    /// Quotes, dashes, spaces and labels ([`crate::typography::apply`]).
    Typography,
    /// The cover: checked, converted or designed.
    Cover,
    /// Itemising and shaping paragraphs and assembling their lines.
    Shaping,
    /// Knuth–Plass line breaking.
    LineBreaking,
    /// Vertical lists, page breaking and page assembly of the PDF.
    Pages,
    /// The whole EPUB (documents, fonts, zip).
    Epub,
    /// krilla: fonts subset, content streams, the file.
    PdfWrite,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Read,
        Stage::Typography,
        Stage::Cover,
        Stage::Shaping,
        Stage::LineBreaking,
        Stage::Pages,
        Stage::Epub,
        Stage::PdfWrite,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Typography => "typography",
            Stage::Cover => "cover",
            Stage::Shaping => "shaping",
            Stage::LineBreaking => "line breaking",
            Stage::Pages => "pages",
            Stage::Epub => "EPUB",
            Stage::PdfWrite => "PDF write",
        }
    }

    /// Whether the stage's time is summed over parallel threads.
    pub fn parallel(self) -> bool {
        matches!(self, Stage::Shaping | Stage::LineBreaking)
    }
}

static ENABLED: AtomicBool = AtomicBool::new(false);
static NANOS: [AtomicU64; 8] = [const { AtomicU64::new(0) }; 8];

/// Starts counting (for the rest of the process).
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// A running measurement; adds its time to the stage when dropped.
pub struct Timer(Option<(Stage, Instant)>);

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some((stage, t)) = self.0 {
            add(stage, t.elapsed());
        }
    }
}

/// Measures from now until the returned timer is dropped.
pub fn start(stage: Stage) -> Timer {
    Timer(enabled().then(|| (stage, Instant::now())))
}

/// Adds `d` to `stage` (when counting is on).
pub fn add(stage: Stage, d: Duration) {
    if enabled() {
        let i = Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0);
        NANOS[i].fetch_add(d.as_nanos() as u64, Ordering::Relaxed);
    }
}

/// Every stage with its time so far.
pub fn totals() -> Vec<(Stage, Duration)> {
    Stage::ALL
        .iter()
        .zip(&NANOS)
        .map(|(s, n)| (*s, Duration::from_nanos(n.load(Ordering::Relaxed))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_when_enabled_and_adds_up() {
        // Off: nothing is added.
        let before = totals()[0].1;
        if !enabled() {
            add(Stage::Read, Duration::from_millis(5));
            assert_eq!(totals()[0].1, before);
        }
        enable();
        let before = totals()[7].1;
        add(Stage::PdfWrite, Duration::from_millis(3));
        {
            let _t = start(Stage::PdfWrite);
        }
        assert!(totals()[7].1 >= before + Duration::from_millis(3));
    }
}
