//! Writing output files atomically, shared by every writer (EPUB, PDF).
//!
//! An output is first written to a temporary file in the folder it goes to,
//! and renamed over the final name only when complete. A reader of the
//! folder therefore sees either the earlier output or the new one, never
//! half a book; an error (or a panic, or a full disk) leaves the earlier
//! output untouched and removes the temporary file.
//!
//! The file is not forced to disk (`fsync`) before the rename, as cargo,
//! Typst and pandoc do not force theirs: the outputs are made again from
//! the sources at any time, so waiting for the disk on every build would
//! protect nothing the next build cannot remake. What a power cut right
//! after a build may lose is that build's output, which the next build
//! makes again; ext4, XFS and btrfs write a
//! file's data before a rename that replaces an earlier file takes effect.
//!
//! The temporary file lives in the same folder as the target so that the
//! rename never crosses file systems (a rename within one file system is
//! atomic on POSIX and replaces the target on Windows too).
//!
//! A build killed outright (SIGKILL, a power cut) cannot remove its
//! temporary file; the next write of the same target does (see
//! [`remove_stale_temps`]), so none stays behind for long.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Writes `bytes` to `path` atomically (see the module documentation).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    stage(path, bytes)?.commit()
}

/// An output written in full to its temporary file, not yet renamed into
/// place: [`Staged::commit`] does that, and dropping it removes the
/// temporary file. A build stages each format as soon as it is made (the
/// writing then overlaps the other formats' work) and commits them all only
/// when every one succeeded.
pub struct Staged {
    target: PathBuf,
    /// Open and locked until renamed, so that another build's clean-up
    /// never takes it for the leftover of a killed one.
    _file: File,
    guard: TempGuard,
}

impl Staged {
    /// Renames the temporary file over the target.
    pub fn commit(mut self) -> io::Result<()> {
        let tmp = self.guard.path.take().expect("a staged file has its path");
        match fs::rename(&tmp, &self.target) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.guard.path = Some(tmp);
                Err(e)
            }
        }
    }

    pub fn target(&self) -> &Path {
        &self.target
    }
}

/// Writes `bytes` to a temporary file beside `path` (the first half of
/// [`write_atomic`]).
pub fn stage(path: &Path, bytes: &[u8]) -> io::Result<Staged> {
    stage_with(path, |w| w.write_all(bytes))
}

/// Like [`write_atomic`], for writers that stream their output: `fill`
/// writes the whole content into the (buffered) temporary file. If `fill`
/// fails, the temporary file is removed and the target is left as it was.
pub fn write_atomic_with<F>(path: &Path, fill: F) -> io::Result<()>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    stage_with(path, fill)?.commit()
}

fn stage_with<F>(path: &Path, fill: F) -> io::Result<Staged>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "output path has no file name")
    })?;
    let name = name.to_string_lossy();
    // Temporary files of earlier builds that were killed (SIGKILL, power
    // loss) before they could clean up after themselves.
    remove_stale_temps(&dir, &name);
    let (file, tmp) = create_temp(&dir, &name)?;
    // From here on the guard removes the temporary file unless it was renamed.
    let guard = TempGuard {
        path: Some(tmp.clone()),
    };
    let mut w = BufWriter::new(file);
    fill(&mut w)?;
    let file = w.into_inner().map_err(|e| e.into_error())?;
    Ok(Staged {
        target: path.to_path_buf(),
        _file: file,
        guard,
    })
}

/// Whether `name` is the name of one of our temporary files (for tests and
/// clean-up tools): `.<target>.<pid>-<n>.tmp`.
pub fn is_temp_name(name: &str) -> bool {
    temp_target(name).is_some()
}

/// The target a temporary file's name belongs to: `book.epub` for
/// `.book.epub.1234-0.tmp`; `None` for any other name.
pub fn temp_target(name: &str) -> Option<&str> {
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (target, tag) = inner.rsplit_once('.')?;
    let (pid, n) = tag.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (!target.is_empty() && digits(pid) && digits(n)).then_some(target)
}

/// Removes the temporary files of `target` in `dir` that no running build
/// is writing. A writer holds an exclusive lock on its temporary file until
/// it renames or removes it, and the system releases the lock when the
/// process dies however it dies; so a temporary file that can be locked
/// belongs to no one. Failures are ignored: this is tidying, not writing.
pub fn remove_stale_temps(dir: &Path, target: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if temp_target(name) != Some(target) || !e.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = e.path();
        let Ok(f) = OpenOptions::new().write(true).open(&path) else {
            continue;
        };
        if f.try_lock().is_ok() {
            let _ = fs::remove_file(&path);
        }
    }
}

/// Creates a new, not yet existing temporary file beside the target, and
/// locks it (see [`remove_stale_temps`]).
fn create_temp(dir: &Path, target: &str) -> io::Result<(File, PathBuf)> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let pid = std::process::id();
    for _ in 0..100 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{target}.{pid}-{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => {
                // Between creating and locking, another build's clean-up
                // may have taken the file for a stale one and removed it:
                // then the name is gone, and a new one is made.
                if f.lock().is_err() || !tmp.is_file() {
                    continue;
                }
                return Ok((f, tmp));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "could not create a temporary file",
    ))
}

/// Removes the temporary file when dropped, unless it was renamed into place.
struct TempGuard {
    path: Option<PathBuf>,
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(p) = self.path.take() {
            let _ = fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new empty folder for one test (`tag` tells the tests apart).
    fn test_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("qalam-output-{}-{tag}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn temp_files(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| is_temp_name(n))
            .collect()
    }

    #[test]
    fn replaces_the_target_and_leaves_no_temp_file() {
        let dir = test_dir("a");
        let target = dir.join("book.epub");
        write_atomic(&target, b"first").unwrap();
        write_atomic(&target, b"second").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"second");
        assert!(temp_files(&dir).is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_error_keeps_the_earlier_output() {
        let dir = test_dir("b");
        let target = dir.join("book.epub");
        write_atomic(&target, b"good").unwrap();
        let r = write_atomic_with(&target, |w| {
            w.write_all(b"half a bo")?;
            Err(io::Error::other("disk full"))
        });
        assert!(r.is_err());
        assert_eq!(fs::read(&target).unwrap(), b"good");
        assert!(temp_files(&dir).is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_staged_file_replaces_the_target_only_when_committed() {
        let dir = test_dir("s");
        let target = dir.join("book.pdf");
        write_atomic(&target, b"earlier").unwrap();
        // Staged and dropped: the target is as it was, no temporary file stays.
        let staged = stage(&target, b"abandoned").unwrap();
        assert_eq!(staged.target(), target.as_path());
        assert_eq!(temp_files(&dir).len(), 1);
        assert_eq!(fs::read(&target).unwrap(), b"earlier");
        drop(staged);
        assert!(temp_files(&dir).is_empty());
        assert_eq!(fs::read(&target).unwrap(), b"earlier");
        // A live staged file is not taken for a stale one by another writer.
        let staged = stage(&target, b"new").unwrap();
        remove_stale_temps(&dir, "book.pdf");
        assert_eq!(temp_files(&dir).len(), 1);
        staged.commit().unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert!(temp_files(&dir).is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temporary_names() {
        assert_eq!(temp_target(".book.epub.1234-0.tmp"), Some("book.epub"));
        assert_eq!(temp_target(".a.b.pdf.1-22.tmp"), Some("a.b.pdf"));
        for other in [
            ".book.epub",
            "book.epub.1-0.tmp",
            ".x.tmp",
            ".book.epub.12-.tmp",
            "..1-0.tmp",
            ".notes.tmp",
        ] {
            assert_eq!(temp_target(other), None, "{other}");
        }
    }

    #[test]
    fn stale_temporary_files_are_removed_and_live_ones_kept() {
        let dir = test_dir("c");
        let target = dir.join("book.epub");
        // Left by a build that was killed: nobody holds its lock.
        let stale = dir.join(".book.epub.999999-3.tmp");
        fs::write(&stale, b"half a bo").unwrap();
        // Being written right now by another build (this one's lock).
        let (live, live_path) = create_temp(&dir, "book.epub").unwrap();
        // Another target's temporary file and an unrelated dot-file.
        let other = dir.join(".book.pdf.999999-3.tmp");
        fs::write(&other, b"x").unwrap();
        let notes = dir.join(".notes.tmp");
        fs::write(&notes, b"mine").unwrap();
        write_atomic(&target, b"whole").unwrap();
        assert!(!stale.exists(), "the stale file is removed");
        assert!(live_path.exists(), "a file being written is kept");
        assert!(other.exists() && notes.exists(), "other files are kept");
        drop(live);
        remove_stale_temps(&dir, "book.epub");
        assert!(!live_path.exists(), "its writer is gone: now it is stale");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let target = std::env::temp_dir()
            .join(format!("qalam-output-{}-none", std::process::id()))
            .join("x.epub");
        assert!(write_atomic(&target, b"x").is_err());
    }
}
