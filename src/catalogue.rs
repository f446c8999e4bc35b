//! A catalogue: the book projects below a folder, split into shards that
//! machines build with no coordinator, and the one-line-per-book report a
//! pipeline collects.

use serde::Serialize;
use std::path::{Path, PathBuf};

/// Folders below `root` (itself included) that hold a `book.toml`, sorted so
/// that the order of messages and of the summary is the same on every run.
/// A book project's own subfolders (chapters, images, `out`) are not
/// searched: books do not nest. Hidden folders and symbolic links are
/// skipped (a link could lead back up the tree).
pub fn find_books(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if dir.join("book.toml").is_file() {
            found.push(dir);
            continue;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            // The root must be readable; an unreadable folder further down
            // is left out, as it cannot hold a book we could build.
            Err(e) if dir == root => return Err(e),
            Err(_) => continue,
        };
        for entry in entries.flatten() {
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if !hidden && entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(entry.path());
            }
        }
    }
    found.sort();
    Ok(found)
}

/// `--shard K/N`: the K-th (from 1) of N parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || {
            format!(
                "`{s}` is not a shard: write K/N, the K-th of N parts, with 1 ≤ K ≤ N (e.g. 1/4)"
            )
        };
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: usize = k.trim().parse().map_err(|_| bad())?;
        let n: usize = n.trim().parse().map_err(|_| bad())?;
        if n == 0 || k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// The bytes a book's folder holds (its `out` folder and hidden files
/// aside): the measure shards are balanced by.
pub fn book_size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let name = e.file_name();
            if name.to_string_lossy().starts_with('.') || (d == dir && name == "out") {
                continue;
            }
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(t) if t.is_file() => total += e.metadata().map_or(0, |m| m.len()),
                _ => {}
            }
        }
    }
    total
}

/// Which of `books` (paths relative to the catalogue, with their sizes)
/// fall in `shard`: the largest first, each to the lightest shard so far
/// (the lowest-numbered on a tie), ties of size taken in path order. The
/// same list gives the same parts on every machine; every book is in
/// exactly one part. Returns indices into `books`, in their order.
pub fn shard_of(books: &[(PathBuf, u64)], shard: Shard) -> Vec<usize> {
    let mut order: Vec<usize> = (0..books.len()).collect();
    order.sort_by(|&a, &b| {
        books[b]
            .1
            .cmp(&books[a].1)
            .then_with(|| books[a].0.cmp(&books[b].0))
    });
    let mut load = vec![0u64; shard.n];
    let mut mine = Vec::new();
    for i in order {
        let lightest = (0..shard.n).min_by_key(|&s| (load[s], s)).unwrap_or(0);
        // Each book weighs at least one byte so that empty books spread too.
        load[lightest] += books[i].1.max(1);
        if lightest + 1 == shard.k {
            mine.push(i);
        }
    }
    mine.sort_unstable();
    mine
}

/// `dir` as named below the catalogue `root` (`.` for the root itself).
pub fn relative(root: &Path, dir: &Path) -> PathBuf {
    match dir.strip_prefix(root) {
        Ok(p) if p.as_os_str().is_empty() => PathBuf::from("."),
        Ok(p) => p.to_path_buf(),
        Err(_) => dir.to_path_buf(),
    }
}

/// The books of `books` (found below `root`) in `shard`, in their order.
pub fn in_shard(root: &Path, books: &[PathBuf], shard: Shard) -> Vec<PathBuf> {
    let sized: Vec<(PathBuf, u64)> = books
        .iter()
        .map(|b| (relative(root, b), book_size(b)))
        .collect();
    shard_of(&sized, shard)
        .into_iter()
        .map(|i| books[i].clone())
        .collect()
}

/// `--report json` (one line per book on stdout) or `--report json=FILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTo {
    /// `None`: standard output.
    pub file: Option<PathBuf>,
}

impl std::str::FromStr for ReportTo {
    type Err = String;

    fn from_str(s: &str) -> Result<ReportTo, String> {
        match s.split_once('=') {
            None if s == "json" => Ok(ReportTo { file: None }),
            Some(("json", f)) if !f.is_empty() => Ok(ReportTo {
                file: Some(PathBuf::from(f)),
            }),
            _ => Err(format!(
                "`{s}` is not a report: write `json` (lines on standard output) or `json=FILE`"
            )),
        }
    }
}

impl ReportTo {
    /// Writes `lines`, one JSON line each: to `stdout`, or to the file
    /// (atomically).
    pub fn write(
        &self,
        lines: &[&ReportLine],
        stdout: &mut dyn std::io::Write,
    ) -> Result<(), String> {
        let mut text = String::new();
        for l in lines {
            text.push_str(&l.to_json());
            text.push('\n');
        }
        match &self.file {
            None => stdout
                .write_all(text.as_bytes())
                .map_err(|e| format!("cannot write the report: {e}")),
            Some(f) => crate::output::write_atomic(f, text.as_bytes())
                .map_err(|e| format!("cannot write the report {}: {e}", f.display())),
        }
    }
}

/// `work` done on every book, as many books at a time as there are
/// threads, each on a worker of its own whose stages use the rayon pool;
/// the results in the order of `books`, whatever order they ended in.
/// Books handed to rayon directly would pile up: a thread waiting for its
/// book's parallel part steals and starts another book, and that one
/// another, so that a catalogue held many covers and layouts in memory at
/// once.
pub fn each_book<T: Send>(books: &[PathBuf], work: impl Fn(&PathBuf) -> T + Sync) -> Vec<T> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = rayon::current_num_threads().min(books.len().max(1));
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(books.len()));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(dir) = books.get(i) else { break };
                    let out = work(dir);
                    if let Ok(mut d) = done.lock() {
                        d.push((i, out));
                    }
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_default();
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

/// What happened to one book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Built,
    UpToDate,
    Failed,
}

/// One line of `--report json`.
#[derive(Debug, Clone, Serialize)]
pub struct ReportLine {
    /// The book folder, relative to the catalogue (`.` for the catalogue
    /// itself).
    pub path: PathBuf,
    pub status: Status,
    pub outputs: Vec<PathBuf>,
    /// The digest of what the outputs depend on; `None` when not built.
    pub digest: Option<String>,
    /// The book's messages (errors and warnings), as printed.
    pub diagnostics: Vec<String>,
    pub millis: u128,
}

impl ReportLine {
    /// The line, JSON without newlines.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_and_balance() {
        let books: Vec<(PathBuf, u64)> = (0..23)
            .map(|i| {
                (
                    PathBuf::from(format!("b{i:02}")),
                    (i * 37 % 11) as u64 * 100,
                )
            })
            .collect();
        for n in 1..6 {
            let mut seen = vec![0; books.len()];
            for k in 1..=n {
                for i in shard_of(&books, Shard { k, n }) {
                    seen[i] += 1;
                }
            }
            assert!(seen.iter().all(|&c| c == 1), "n={n}: {seen:?}");
        }
        let sizes: Vec<u64> = (1..=4)
            .map(|k| {
                shard_of(&books, Shard { k, n: 4 })
                    .iter()
                    .map(|&i| books[i].1)
                    .sum()
            })
            .collect();
        let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
        assert!(hi - lo <= 1000, "{sizes:?}");
    }

    #[test]
    fn shard_syntax() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { k: 2, n: 4 }));
        for bad in ["0/4", "5/4", "1/0", "x/2", "3", "", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
