//! Incremental builds: a book whose outputs already match everything they
//! depend on is not built again.
//!
//! A successful build leaves `<out>/.qalam-build.json` beside its outputs:
//! the SHA-1 of every file the book read (as the reader reports them:
//! `book.toml`, the chapters, the cover, portraits and figures, and the
//! files of the font folders `[fonts] dirs` names), of every output (with
//! the size and modification time it was left with), and a key for the
//! rest: qalam's version, a digest of the bundled fonts (see
//! [`Toolchain`]), the formats and the clock; the book's settings are in
//! its `book.toml`, among the inputs. A later build with the same key whose inputs all hash the
//! same and whose outputs have the size and time they were left with is
//! up to date. The check reads the inputs but parses nothing and reads no
//! output, so an unchanged catalogue costs little more than reading its
//! sources.
//!
//! What is not seen: a font the book names that is found among the
//! system's fonts rather than in its `[fonts] dirs` (`--force` rebuilds).

use crate::build::{BuildOptions, Format, Project, Written};
use crate::model::{Block, Book};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The record's name in the output folder.
pub const RECORD: &str = ".qalam-build.json";

/// Bumped when the record's meaning changes: older records are then stale.
const RECORD_VERSION: u32 = 1;

/// What the outputs depend on besides the book: computed once per command
/// and shared by the books it builds.
#[derive(Debug, Clone)]
pub struct Toolchain {
    id: String,
}

impl Default for Toolchain {
    fn default() -> Toolchain {
        Toolchain::new()
    }
}

impl Toolchain {
    /// qalam's version and the bundled fonts' bytes. Not where or when the
    /// executable was installed: the same qalam on another machine, in
    /// another folder or restored from a cache (a catalogue split across
    /// machines with `--shard`) finds the same records up to date. A qalam
    /// built from changed code under the same version number does not see
    /// its change: build with `--force` then.
    pub fn new() -> Toolchain {
        let mut h = sha1_smol::Sha1::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        for face in crate::fonts::bundled() {
            h.update(b"\0");
            h.update(face.file.as_bytes());
            h.update(face.data);
        }
        Toolchain {
            id: h.digest().to_string(),
        }
    }
}

/// One file and its SHA-1.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct FileHash {
    path: PathBuf,
    sha1: String,
}

/// An output as put in place: its SHA-1 (for reports), and the size and
/// modification time it was left with, which the check compares (an output
/// replaced or changed since has another; hashing every output would cost
/// most of the check).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct Output {
    path: PathBuf,
    sha1: String,
    size: u64,
    modified_ns: u128,
}

/// The size and modification time of `path`, in nanoseconds since 1970.
fn stamp(path: &Path) -> Option<(u64, u128)> {
    let m = std::fs::metadata(path).ok()?;
    let t = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((m.len(), t.as_nanos()))
}

#[derive(Debug, Serialize, Deserialize)]
struct Record {
    version: u32,
    key: String,
    digest: String,
    inputs: Vec<FileHash>,
    outputs: Vec<Output>,
}

/// A book found up to date: its digest and its outputs.
#[derive(Debug, Clone)]
pub struct UpToDate {
    pub digest: String,
    pub outputs: Vec<PathBuf>,
}

/// The key of a build: the toolchain and the options that change bytes.
fn key(toolchain: &Toolchain, opts: &BuildOptions) -> String {
    let mut formats: Vec<Format> = if opts.formats.is_empty() {
        Format::ALL.to_vec()
    } else {
        opts.formats.clone()
    };
    formats.dedup();
    let names: Vec<&str> = formats.iter().map(|f| f.name()).collect();
    let text = format!(
        "{RECORD_VERSION}\0{}\0{}\0{:?}",
        toolchain.id,
        names.join(","),
        opts.source_date_epoch
    );
    sha1_smol::Sha1::from(text).digest().to_string()
}

fn hash_file(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|b| sha1_smol::Sha1::from(b).digest().to_string())
}

/// The names of the `.md` files at the book's root: a book without a
/// chapter list takes its one chapter from there, so a new file there
/// changes what the book is.
fn root_listing(dir: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names.join("\n")
}

fn digest_of(key: &str, listing: &str, inputs: &[FileHash]) -> String {
    let mut h = sha1_smol::Sha1::new();
    h.update(key.as_bytes());
    h.update(b"\0");
    h.update(listing.as_bytes());
    for f in inputs {
        h.update(b"\0");
        h.update(f.path.to_string_lossy().as_bytes());
        h.update(b"\0");
        h.update(f.sha1.as_bytes());
    }
    h.digest().to_string()
}

/// A path as recorded: relative to the book folder when inside it (the
/// record then survives moving the catalogue or building from elsewhere).
fn relative(dir: &Path, root: Option<&Path>, path: &Path) -> PathBuf {
    path.strip_prefix(dir)
        .ok()
        .or_else(|| root.and_then(|r| path.strip_prefix(r).ok()))
        .map_or_else(|| path.to_path_buf(), Path::to_path_buf)
}

/// The book `dir` is up to date in `opts.out_dir` when its record there
/// has this build's key and every input and output hashes as recorded.
pub fn up_to_date(dir: &Path, opts: &BuildOptions, toolchain: &Toolchain) -> Option<UpToDate> {
    let text = std::fs::read(opts.out_dir.join(RECORD)).ok()?;
    let record: Record = serde_json::from_slice(&text).ok()?;
    let key = key(toolchain, opts);
    if record.version != RECORD_VERSION || record.key != key {
        return None;
    }
    let same = |f: &FileHash, base: &Path| hash_file(&base.join(&f.path)).as_ref() == Some(&f.sha1);
    if !record.inputs.iter().all(|f| same(f, dir)) {
        return None;
    }
    if digest_of(&key, &root_listing(dir), &record.inputs) != record.digest {
        return None;
    }
    let unchanged =
        |f: &Output| stamp(&opts.out_dir.join(&f.path)) == Some((f.size, f.modified_ns));
    if !record.outputs.iter().all(unchanged) {
        return None;
    }
    // Temporary files a killed build left are cleared as a build would
    // (only those no process holds).
    let names = record.outputs.iter().filter_map(|f| f.path.file_name());
    for name in names.chain([std::ffi::OsStr::new(RECORD)]) {
        crate::output::remove_stale_temps(&opts.out_dir, &name.to_string_lossy());
    }
    Some(UpToDate {
        digest: record.digest,
        outputs: record
            .outputs
            .iter()
            .map(|f| opts.out_dir.join(&f.path))
            .collect(),
    })
}

/// Every image file the book draws.
fn images(book: &Book) -> Vec<&Path> {
    fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a Path>) {
        for b in blocks {
            match b {
                Block::Figure { image, .. } => out.push(&image.path),
                Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                    walk(content, out)
                }
                Block::List { items, .. } => items.iter().for_each(|i| walk(&i.blocks, out)),
                _ => {}
            }
        }
    }
    let mut out: Vec<&Path> = book.cover.iter().map(|c| c.path.as_path()).collect();
    for ch in &book.chapters {
        walk(&ch.intro, &mut out);
        for e in &ch.exchanges {
            walk(&e.answer, &mut out);
        }
        for n in &ch.notes {
            walk(&n.content, &mut out);
        }
        if let Some(bio) = &ch.bio {
            walk(&bio.content, &mut out);
            out.extend(bio.portrait.iter().map(|p| p.path.as_path()));
        }
    }
    out
}

/// The font files of the folders `[fonts] dirs` names (the fonts a book
/// names are looked up there first).
fn font_files(book: &Book) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = book.settings.fonts.dirs.clone();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Records what `project`'s successful build into `opts.out_dir` depended
/// on, atomically; returns the digest. Called only after the outputs were
/// put in place.
pub fn record(
    project: &Project,
    opts: &BuildOptions,
    toolchain: &Toolchain,
    written: &[Written],
) -> std::io::Result<String> {
    let dir = &project.dir;
    let root = dir.canonicalize().ok();
    let mut paths: Vec<PathBuf> = project.sources().paths().map(Path::to_path_buf).collect();
    if let Some(book) = project.book() {
        paths.extend(images(book).into_iter().map(Path::to_path_buf));
        paths.extend(font_files(book));
    }
    let mut inputs: Vec<FileHash> = Vec::new();
    for p in paths {
        let Some(sha1) = hash_file(&p) else {
            continue;
        };
        let path = relative(dir, root.as_deref(), &p);
        if !inputs.iter().any(|f| f.path == path) {
            inputs.push(FileHash { path, sha1 });
        }
    }
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    let key = key(toolchain, opts);
    let digest = digest_of(&key, &root_listing(dir), &inputs);
    let mut outputs = Vec::new();
    for w in written {
        let missing =
            || std::io::Error::new(std::io::ErrorKind::NotFound, w.path.display().to_string());
        let sha1 = hash_file(&w.path).ok_or_else(missing)?;
        let (size, modified_ns) = stamp(&w.path).ok_or_else(missing)?;
        let path = w
            .path
            .strip_prefix(&opts.out_dir)
            .map_or_else(|_| w.path.clone(), Path::to_path_buf);
        outputs.push(Output {
            path,
            sha1,
            size,
            modified_ns,
        });
    }
    let record = Record {
        version: RECORD_VERSION,
        key,
        digest: digest.clone(),
        inputs,
        outputs,
    };
    let json = serde_json::to_vec_pretty(&record).map_err(std::io::Error::other)?;
    crate::output::write_atomic(&opts.out_dir.join(RECORD), &json)?;
    Ok(digest)
}
