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
//! Outputs are never written through symbolic links: an output folder or
//! an output file that is a link is refused ([`check_target`]), so a link
//! planted in a book's `out/` cannot make a build replace a file elsewhere
//! (the book chooses the file names, by its slug). The rename itself
//! replaces a name, never follows it.
//!
//! Several outputs (a build's EPUB and PDFs) are put in place together by
//! [`commit_all`]: all of them or none. Every target is checked before the
//! first rename; each earlier file is kept (a hard link, or a copy) until
//! all are renamed, and if a rename fails half-way those already renamed
//! are put back, so the folder holds the earlier outputs as they were.
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
        check_target(&self.target)?;
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

/// Puts every staged file in place, or none (see the module
/// documentation). On error, returns the target that failed and why; every
/// target then holds what it held before (or is absent, as it was).
pub fn commit_all(staged: Vec<Staged>) -> Result<(), (PathBuf, io::Error)> {
    // Everything that can be checked is checked before the first rename.
    for s in &staged {
        check_target(&s.target).map_err(|e| (s.target.clone(), e))?;
    }
    let mut backups = Vec::with_capacity(staged.len());
    for s in &staged {
        backups.push(Backup::of(&s.target).map_err(|e| (s.target.clone(), e))?);
    }
    commit_with(staged, backups, |s| s.commit())
}

/// The renames of [`commit_all`], with the rename given (tests make it fail).
fn commit_with(
    staged: Vec<Staged>,
    backups: Vec<Option<Backup>>,
    mut rename: impl FnMut(Staged) -> io::Result<()>,
) -> Result<(), (PathBuf, io::Error)> {
    let mut done: Vec<(PathBuf, Option<Backup>)> = Vec::with_capacity(staged.len());
    for (s, backup) in staged.into_iter().zip(backups) {
        let target = s.target.clone();
        match rename(s) {
            Ok(()) => done.push((target, backup)),
            Err(e) => {
                // Back to the earlier outputs, the last renamed first.
                for (t, b) in done.into_iter().rev() {
                    match b {
                        Some(b) => b.restore(&t),
                        None => {
                            let _ = fs::remove_file(&t);
                        }
                    }
                }
                return Err((target, e));
            }
        }
    }
    // All in place: the backups are removed as they drop.
    Ok(())
}

/// Refuses an output whose folder or file is a symbolic link, or whose
/// name is taken by a folder: nothing is written through a link, so no
/// file outside the output folder is ever replaced.
pub fn check_target(path: &Path) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "the folder {} is a symbolic link; outputs are never written through links (remove the link, or name a real folder with -o)",
                dir.display()
            ),
        ));
    }
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a symbolic link; outputs are never written through links (remove the link)",
        )),
        Ok(m) if m.is_dir() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a folder has that name (move or rename the folder)",
        )),
        _ => Ok(()),
    }
}

/// The earlier file at a target, kept under a temporary name until the
/// new outputs are all in place: a hard link (no copying), or a copy where
/// the file system has no hard links. Removed when dropped, unless it was
/// put back.
struct Backup {
    _file: File,
    guard: TempGuard,
}

impl Backup {
    /// `None` when there is no earlier file.
    fn of(target: &Path) -> io::Result<Option<Backup>> {
        match fs::symlink_metadata(target) {
            Ok(m) if m.is_file() => {}
            _ => return Ok(None),
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let pid = std::process::id();
        for _ in 0..100 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            // A name of the temporary kind (see `temp_target`), distinct
            // from `create_temp`'s by its counter's start, so that a build
            // killed before removing it leaves nothing behind for long.
            let path = dir.join(format!(".{name}.{pid}-{}.tmp", 1_000_000 + n));
            match fs::hard_link(target, &path) {
                Ok(()) => {
                    let guard = TempGuard {
                        path: Some(path.clone()),
                    };
                    let file = OpenOptions::new().read(true).open(&path)?;
                    // As in `create_temp`: another build's clean-up may
                    // have removed it between the link and the lock.
                    if file.lock().is_err() || !path.is_file() {
                        continue;
                    }
                    return Ok(Some(Backup { _file: file, guard }));
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(_) => {
                    // No hard links here: a copy.
                    let (mut file, path) = create_temp(&dir, &name)?;
                    let guard = TempGuard { path: Some(path) };
                    io::copy(&mut File::open(target)?, &mut file)?;
                    return Ok(Some(Backup { _file: file, guard }));
                }
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "could not keep the earlier output",
        ))
    }

    /// Puts the earlier file back at `target` (one rename, so a reader
    /// sees the new file or the earlier one, never none).
    fn restore(mut self, target: &Path) {
        if let Some(p) = self.guard.path.take()
            && fs::rename(&p, target).is_err()
        {
            self.guard.path = Some(p);
        }
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
    // Refused before anything is written: a folder or file that is a link.
    check_target(path)?;
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
    fn a_rename_failing_half_way_puts_back_what_was_renamed() {
        let dir = test_dir("r");
        let epub = dir.join("book.epub");
        let pdf = dir.join("book.pdf");
        let print = dir.join("book-print.pdf");
        write_atomic(&epub, b"earlier epub").unwrap();
        write_atomic(&pdf, b"earlier pdf").unwrap();
        // `print` had no earlier file: after the failure it has none.
        let staged = vec![
            stage(&epub, b"new epub").unwrap(),
            stage(&print, b"new print").unwrap(),
            stage(&pdf, b"new pdf").unwrap(),
        ];
        let backups = staged
            .iter()
            .map(|s| Backup::of(&s.target).unwrap())
            .collect();
        let mut n = 0;
        let r = commit_with(staged, backups, |s| {
            n += 1;
            if n == 3 {
                Err(io::Error::other("disk gone"))
            } else {
                s.commit()
            }
        });
        let (failed, _) = r.unwrap_err();
        assert_eq!(failed, pdf);
        assert_eq!(fs::read(&epub).unwrap(), b"earlier epub");
        assert_eq!(fs::read(&pdf).unwrap(), b"earlier pdf");
        assert!(!print.exists());
        assert!(temp_files(&dir).is_empty(), "{:?}", temp_files(&dir));
        // And when every rename succeeds, all are new and no backup stays.
        let staged = vec![
            stage(&epub, b"new epub").unwrap(),
            stage(&pdf, b"new pdf").unwrap(),
        ];
        commit_all(staged).unwrap();
        assert_eq!(fs::read(&epub).unwrap(), b"new epub");
        assert_eq!(fs::read(&pdf).unwrap(), b"new pdf");
        assert!(temp_files(&dir).is_empty(), "{:?}", temp_files(&dir));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_target_taken_by_a_folder_stops_the_commit_before_any_rename() {
        let dir = test_dir("f");
        let epub = dir.join("book.epub");
        let pdf = dir.join("book.pdf");
        write_atomic(&epub, b"earlier epub").unwrap();
        let staged = vec![
            stage(&epub, b"new epub").unwrap(),
            stage(&pdf, b"new pdf").unwrap(),
        ];
        fs::create_dir(&pdf).unwrap();
        let (failed, _) = commit_all(staged).unwrap_err();
        assert_eq!(failed, pdf);
        assert_eq!(fs::read(&epub).unwrap(), b"earlier epub");
        assert!(temp_files(&dir).is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_link() {
        let dir = test_dir("l");
        let elsewhere = dir.join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("book.epub"), b"precious").unwrap();
        // The output folder is a link.
        let out = dir.join("out");
        std::os::unix::fs::symlink(&elsewhere, &out).unwrap();
        assert!(write_atomic(&out.join("book.epub"), b"x").is_err());
        // The output file is a link.
        let real = dir.join("real");
        fs::create_dir_all(&real).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("book.epub"), real.join("book.epub")).unwrap();
        assert!(write_atomic(&real.join("book.epub"), b"x").is_err());
        assert_eq!(fs::read(elsewhere.join("book.epub")).unwrap(), b"precious");
        assert!(temp_files(&elsewhere).is_empty() && temp_files(&real).is_empty());
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
