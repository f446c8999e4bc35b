//! The imported project written to its folder all or nothing, and read
//! back with the source reader before it is left in place.

use super::Imported;
use crate::diag::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};

/// Writes the project into `dir`: into a temporary folder beside it first,
/// then moved into place, and read back with the source reader (any error
/// there is a bug of the importer, reported as such, and the project is
/// taken away again). An existing non-empty folder is refused unless
/// `force`; with `force` only the project's own files are replaced, and
/// they are read back before they replace anything. Returns the paths
/// written.
pub fn write_project(imp: &Imported, dir: &Path, force: bool) -> Result<Vec<PathBuf>, Diagnostics> {
    write_project_read(imp, dir, force).map(|(paths, _)| paths)
}

/// [`write_project`], also returning the project as the source reader read
/// it back from `dir` (so a build that follows need not read it again);
/// `None` when it was read back from the temporary folder (replacing files
/// of an existing project, which must not be touched by a broken one).
pub fn write_project_read(
    imp: &Imported,
    dir: &Path,
    force: bool,
) -> Result<(Vec<PathBuf>, Option<crate::source::Loaded>), Diagnostics> {
    let err = |code: &'static str, msg: String, help: &str| {
        Diagnostics::from(
            Diagnostic::error(code, msg)
                .in_file(dir)
                .help(help.to_string()),
        )
    };
    // `own`: the folder is new; `fresh`: new or empty. A fresh folder gets
    // the project read back where it lands, and taken away again if it
    // does not read.
    let own = !dir.exists();
    let mut fresh = own;
    if !own {
        if !dir.is_dir() {
            return Err(err(
                "output-not-folder",
                format!("{} exists and is not a folder", dir.display()),
                "choose a folder name with -o DIR",
            ));
        }
        fresh = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !fresh && !force {
            return Err(err(
                "dir-not-empty",
                format!("{} already exists and is not empty", dir.display()),
                "choose a new folder with -o DIR, or pass --force to replace the project's files in it",
            ));
        }
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| {
        err(
            "output-unwritable",
            format!("cannot create {}: {e}", parent.display()),
            "check the path and permissions",
        )
    })?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".into());
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = parent.join(format!(
        ".{name}.qalam-import-{}-{stamp}",
        std::process::id()
    ));
    // The chapter as written, with its markup, must still fit a chapter
    // file (the text alone was checked when the page was read).
    let files = imp.files();
    for (_, contents) in &files {
        super::too_much_text(contents.len(), Path::new(&imp.input_name))?;
    }
    let result = (|| -> Result<(Vec<PathBuf>, Option<crate::source::Loaded>), Diagnostics> {
        std::fs::create_dir(&tmp).map_err(|e| {
            err(
                "output-unwritable",
                format!("cannot write beside {}: {e}", dir.display()),
                "check the path and permissions",
            )
        })?;
        let mut rel: Vec<String> = Vec::new();
        for (path, contents) in &files {
            std::fs::write(tmp.join(path), contents).map_err(|e| {
                err(
                    "output-unwritable",
                    format!("cannot write {path}: {e}"),
                    "check free space and permissions",
                )
            })?;
            rel.push(path.clone());
        }
        if !imp.images.is_empty() {
            std::fs::create_dir_all(tmp.join("images")).map_err(|e| {
                err(
                    "output-unwritable",
                    format!("cannot create images/: {e}"),
                    "check permissions",
                )
            })?;
            for im in &imp.images {
                let copied = match &im.data {
                    Some(data) => std::fs::write(tmp.join(&im.to), data),
                    None => std::fs::copy(&im.from, tmp.join(&im.to)).map(|_| ()),
                };
                copied.map_err(|e| {
                    err(
                        "output-unwritable",
                        format!("cannot copy {}: {e}", im.from.display()),
                        "check the saved page's folder",
                    )
                })?;
                rel.push(im.to.clone());
            }
        }
        // Replacing files of an existing project: read back before.
        if !fresh {
            read_back(&tmp, dir)?;
        }
        if !dir.exists() {
            std::fs::rename(&tmp, dir).map_err(|e| {
                err(
                    "output-unwritable",
                    format!("cannot create {}: {e}", dir.display()),
                    "check the path and permissions",
                )
            })?;
        } else {
            for r in &rel {
                let to = dir.join(r);
                if let Some(p) = to.parent() {
                    std::fs::create_dir_all(p).map_err(|e| {
                        err(
                            "output-unwritable",
                            format!("cannot create {}: {e}", p.display()),
                            "check permissions",
                        )
                    })?;
                }
                std::fs::rename(tmp.join(r), &to).map_err(|e| {
                    err(
                        "output-unwritable",
                        format!("cannot write {}: {e}", to.display()),
                        "check permissions",
                    )
                })?;
            }
            let _ = std::fs::remove_dir_all(&tmp);
        }
        let paths = rel.iter().map(|r| dir.join(r)).collect();
        if !fresh {
            return Ok((paths, None));
        }
        match read_back(dir, dir) {
            Ok(loaded) => Ok((paths, Some(loaded))),
            Err(e) => {
                // Leave the folder as it was: gone, or empty.
                if own {
                    let _ = std::fs::remove_dir_all(dir);
                } else if let Ok(entries) = std::fs::read_dir(dir) {
                    for entry in entries.flatten() {
                        let path = entry.path();
                        let _ = if path.is_dir() {
                            std::fs::remove_dir_all(&path)
                        } else {
                            std::fs::remove_file(&path)
                        };
                    }
                }
                Err(e)
            }
        }
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// Reads the project in `from` back with the source reader; an error is a
/// bug of the importer (reported against `dir`, where the project goes).
fn read_back(from: &Path, dir: &Path) -> Result<crate::source::Loaded, Diagnostics> {
    let loaded = crate::source::load(from);
    if let Some(first) = loaded.diagnostics.iter().find(|d| d.is_error()) {
        return Err(Diagnostics::from(
            Diagnostic::bug(format!("the imported project does not read back ({first})"))
                .in_file(dir),
        ));
    }
    Ok(loaded)
}
