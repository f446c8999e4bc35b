//! Files the cover commands write where the user names them (not through
//! a build's staged outputs): refused when a link or already there, written
//! atomically, into the project's `covers/` folder by default.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Refuses a target that is a link (the project's covers/ folder or the
/// file itself being one would put the picture elsewhere, under a name
/// the book chooses) or that exists, unless `force`.
pub fn writable(out: &Path, force: bool) -> Result<(), ExitCode> {
    if let Err(e) = qalam::output::check_target(out) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return Err(super::input_error());
    }
    if out.exists() && !force {
        eprintln!(
            "error: {} already exists; add --force to replace it",
            out.display()
        );
        return Err(super::input_error());
    }
    Ok(())
}

/// Writes `bytes` to `out`, making its folder.
pub fn write(out: &Path, bytes: &[u8]) -> Result<(), ExitCode> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return Err(super::input_error());
    }
    if let Err(e) = qalam::output::write_atomic(out, bytes) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return Err(super::input_error());
    }
    Ok(())
}

/// The project's `covers/` folder: the book folder's sibling, where the
/// reader accepts cover files from.
pub fn covers_dir(book_dir: &Path, root: &Path) -> PathBuf {
    let parent = if book_dir.file_name().is_some() {
        book_dir.parent().map(Path::to_path_buf)
    } else {
        // "." or "..": name the folder by its real parent.
        root.parent().map(Path::to_path_buf)
    };
    parent.unwrap_or_default().join("covers")
}
