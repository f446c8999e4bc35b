//! Watching the book folder: every change to a file in it (but for the
//! outputs and editors' hidden scratch files) is reported, and a burst of
//! changes (an editor's save is often a truncate, a write and a rename)
//! becomes one.

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// How long the folder must stay quiet before a burst of changes counts
/// as one save.
const QUIET: Duration = Duration::from_millis(25);

/// A folder that never stays quiet (an editor saving every few
/// milliseconds) is rebuilt this often all the same.
const LONGEST_BURST: Duration = Duration::from_millis(500);

/// A watch on a book folder; dropping it ends the watch.
pub struct BookWatch {
    _watcher: RecommendedWatcher,
    changes: Receiver<Vec<PathBuf>>,
}

impl BookWatch {
    /// Watches `dir` and everything below it but `ignore` (the build's
    /// default output folder).
    pub fn new(dir: &Path, ignore: PathBuf) -> notify::Result<BookWatch> {
        let (tx, changes) = channel();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                // Reading the book (each rebuild does) gives access events;
                // only changes count.
                if !matches!(
                    event.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                ) {
                    return;
                }
                let paths: Vec<PathBuf> = event
                    .paths
                    .into_iter()
                    .filter(|p| !p.starts_with(&ignore) && !scratch_file(p))
                    .collect();
                if !paths.is_empty() {
                    let _ = tx.send(paths);
                }
            })?;
        watcher.watch(dir, RecursiveMode::Recursive)?;
        Ok(BookWatch {
            _watcher: watcher,
            changes,
        })
    }

    /// Waits for the next save and returns the files it changed; `None`
    /// once the watch has ended.
    pub fn next_save(&self) -> Option<Vec<PathBuf>> {
        let mut paths = self.changes.recv().ok()?;
        let started = std::time::Instant::now();
        while started.elapsed() < LONGEST_BURST {
            match self.changes.recv_timeout(QUIET) {
                Ok(more) => paths.extend(more),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        paths.sort();
        paths.dedup();
        Some(paths)
    }
}

/// Editors' hidden and backup files (`.x.swp`, `x~`, `#x#`), which are not
/// the book's.
fn scratch_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}
