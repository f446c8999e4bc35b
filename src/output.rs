//! Writing output files atomically, shared by every writer (EPUB, PDF).
//!
//! An output is first written to a temporary file in the folder it goes to,
//! flushed to disk, and renamed over the final name only when complete. A
//! reader of the folder therefore sees either the earlier output or the new
//! one, never half a book; an error (or a panic, or a full disk) leaves the
//! earlier output untouched and removes the temporary file.
//!
//! The temporary file lives in the same folder as the target so that the
//! rename never crosses file systems (a rename within one file system is
//! atomic on POSIX and replaces the target on Windows too).

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Writes `bytes` to `path` atomically (see the module documentation).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Like [`write_atomic`], for writers that stream their output: `fill`
/// writes the whole content into the (buffered) temporary file. If `fill`
/// fails, the temporary file is removed and the target is left as it was.
pub fn write_atomic_with<F>(path: &Path, fill: F) -> io::Result<()>
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
    let (file, tmp) = create_temp(&dir, &name.to_string_lossy())?;
    // From here on the guard removes the temporary file unless it was renamed.
    let mut guard = TempGuard {
        path: Some(tmp.clone()),
    };
    let mut w = BufWriter::new(file);
    fill(&mut w)?;
    let file = w.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    drop(file);
    fs::rename(&tmp, path)?;
    guard.path = None;
    Ok(())
}

/// Whether `name` is the name of one of our temporary files (for tests and
/// clean-up tools): `.<target>.<pid>-<n>.tmp`.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".tmp")
}

/// Creates a new, not yet existing temporary file beside the target.
fn create_temp(dir: &Path, target: &str) -> io::Result<(File, PathBuf)> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let pid = std::process::id();
    for _ in 0..100 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{target}.{pid}-{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((f, tmp)),
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
        let dir = std::env::temp_dir().join(format!("qalam-output-{}-a", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let target = dir.join("book.epub");
        write_atomic(&target, b"first").unwrap();
        write_atomic(&target, b"second").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"second");
        assert!(temp_files(&dir).is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_error_keeps_the_earlier_output() {
        let dir = std::env::temp_dir().join(format!("qalam-output-{}-b", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
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
    fn a_missing_folder_is_an_error() {
        let target = std::env::temp_dir()
            .join(format!("qalam-output-{}-none", std::process::id()))
            .join("x.epub");
        assert!(write_atomic(&target, b"x").is_err());
    }
}
