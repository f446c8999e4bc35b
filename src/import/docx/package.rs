//! A zipped document (an OOXML or OpenDocument package) opened within
//! limits: its parts are read only by name, and a zip bomb is refused from
//! its central directory before anything is inflated, and again while
//! inflating (declared sizes can lie).

use crate::diag::Diagnostic;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use zip::ZipArchive;

/// A document of this many parts is no interview (Word writes about 15).
pub const MAX_ENTRIES: usize = 2_000;
/// No one part may inflate to more than this (the largest is a picture).
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Nor all parts together, as declared or as read.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// A part inflating to more than this many times its stored size is a
/// bomb (XML text compresses about 10:1, pictures hardly at all) …
pub const MAX_RATIO: u64 = 200;
/// … when it inflates to more than this; tiny parts may compress very well.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// The zip container of a document.
pub struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    name: PathBuf,
    /// Bytes inflated so far.
    read: u64,
}

fn error(name: &Path, code: &'static str, msg: String, help: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(code, format!("{}: {msg}", name.display()))
            .in_file(name)
            .help(help.to_string()),
    )
}

/// The zip bomb error.
fn bomb(name: &Path, msg: String) -> Box<Diagnostic> {
    error(
        name,
        "import-too-large",
        msg,
        "open the document in a word processor and save it again; a real interview is far smaller",
    )
}

impl<'a> Package<'a> {
    /// Opens `bytes` as a zip, checking the declared sizes of every part.
    /// `what` names the document kind for messages ("Word document").
    pub fn open(bytes: &'a [u8], name: &Path, what: &str) -> Result<Self, Box<Diagnostic>> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            error(
                name,
                "import-corrupt",
                format!("the {what} is damaged: its zip container cannot be read ({e})"),
                "open it in a word processor (which may repair it) and save it again",
            )
        })?;
        if zip.len() > MAX_ENTRIES {
            return Err(bomb(
                name,
                format!(
                    "the {what} holds {} parts, more than the {MAX_ENTRIES} a document can have",
                    zip.len()
                ),
            ));
        }
        let mut total = 0u64;
        for i in 0..zip.len() {
            let Ok(entry) = zip.by_index_data(i) else {
                continue;
            };
            if entry.encrypted() {
                return Err(error(
                    name,
                    "import-encrypted",
                    format!("the {what} is protected with a password"),
                    "open it in the word processor, remove the password (save without encryption) and import the copy",
                ));
            }
            let (size, packed) = (entry.size(), entry.compressed_size());
            let part = entry.name().map(|n| n.into_owned()).unwrap_or_default();
            check_size(name, &part, size, packed)?;
            total = total.saturating_add(size);
        }
        if total > MAX_TOTAL_BYTES {
            return Err(bomb(
                name,
                format!(
                    "the {what}'s parts would inflate to {} MB, more than the {} MB allowed",
                    total / (1024 * 1024),
                    MAX_TOTAL_BYTES / (1024 * 1024)
                ),
            ));
        }
        Ok(Package {
            zip,
            name: name.to_path_buf(),
            read: 0,
        })
    }

    /// Whether the package has a part of this name.
    #[cfg(test)]
    pub fn has(&self, part: &str) -> bool {
        self.zip.index_for_name(part).is_some()
    }

    /// The names of all parts.
    pub fn names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect()
    }

    /// The bytes of a part; `None` when there is no such part. Inflating
    /// stops at the limits whatever the directory declared.
    pub fn read(&mut self, part: &str) -> Result<Option<Vec<u8>>, Box<Diagnostic>> {
        let Some(i) = self.zip.index_for_name(part) else {
            return Ok(None);
        };
        let name = self.name.clone();
        let corrupt = |e: &dyn std::fmt::Display| {
            error(
                &name,
                "import-corrupt",
                format!("its part {part} cannot be read ({e})"),
                "open the document in a word processor (which may repair it) and save it again",
            )
        };
        let file = self.zip.by_index(i).map_err(|e| corrupt(&e))?;
        let packed = file.compressed_size();
        let limit = MAX_PART_BYTES.min(MAX_TOTAL_BYTES - self.read.min(MAX_TOTAL_BYTES));
        let mut out = Vec::new();
        file.take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| corrupt(&e))?;
        let size = out.len() as u64;
        if size > limit {
            return Err(bomb(
                &name,
                format!(
                    "its part {part} inflates to more than the {} MB allowed",
                    limit / (1024 * 1024)
                ),
            ));
        }
        check_size(&name, part, size, packed)?;
        self.read += size;
        Ok(Some(out))
    }

    /// A part as text (XML parts are UTF-8 or UTF-16 with a byte-order mark).
    pub fn read_text(&mut self, part: &str) -> Result<Option<String>, Box<Diagnostic>> {
        let Some(bytes) = self.read(part)? else {
            return Ok(None);
        };
        Ok(Some(xml_text(&bytes)))
    }
}

/// Decodes an XML part.
fn xml_text(bytes: &[u8]) -> String {
    let utf16 = |le: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if bytes.starts_with(&[0xFF, 0xFE]) {
        utf16(true)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        utf16(false)
    } else {
        String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).into_owned()
    }
}

/// One part's size against the limits.
fn check_size(name: &Path, part: &str, size: u64, packed: u64) -> Result<(), Box<Diagnostic>> {
    if size > MAX_PART_BYTES {
        return Err(bomb(
            name,
            format!(
                "its part {part} would inflate to {} MB, more than the {} MB allowed",
                size / (1024 * 1024),
                MAX_PART_BYTES / (1024 * 1024)
            ),
        ));
    }
    if size > RATIO_FLOOR && size / packed.max(1) > MAX_RATIO {
        return Err(bomb(
            name,
            format!(
                "its part {part} would inflate {}-fold ({} bytes to {} MB), more than the {MAX_RATIO}-fold a document compresses",
                size / packed.max(1),
                packed,
                size / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in parts {
            w.start_file(
                *name,
                SimpleFileOptions::default().large_file(data.len() > u32::MAX as usize),
            )
            .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn code(r: Result<impl Sized, Box<Diagnostic>>) -> &'static str {
        match r {
            Ok(_) => "ok",
            Err(d) => d.code,
        }
    }

    #[test]
    fn parts_read_by_name() {
        let z = zip_of(&[("word/document.xml", b"<w:document/>")]);
        let mut p = Package::open(&z, Path::new("t.docx"), "Word document").unwrap();
        assert!(p.has("word/document.xml"));
        assert_eq!(
            p.read_text("word/document.xml").unwrap().as_deref(),
            Some("<w:document/>")
        );
        assert_eq!(p.read("nothing.xml").unwrap(), None);
    }

    #[test]
    fn too_many_parts_are_refused() {
        let names: Vec<String> = (0..=MAX_ENTRIES).map(|k| format!("p{k}")).collect();
        let parts: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let z = zip_of(&parts);
        assert_eq!(
            code(Package::open(&z, Path::new("t.docx"), "Word document")),
            "import-too-large"
        );
    }

    /// A part that declares more than a part may hold is refused before
    /// anything is inflated.
    #[test]
    fn a_declared_bomb_is_refused_from_the_directory() {
        let big = vec![b' '; (MAX_PART_BYTES + 1) as usize];
        let z = zip_of(&[("word/document.xml", &big)]);
        assert!(z.len() < 200_000, "{}", z.len());
        let err = Package::open(&z, Path::new("t.docx"), "Word document")
            .err()
            .unwrap();
        assert_eq!(err.code, "import-too-large");
        assert!(err.message.contains("word/document.xml"), "{}", err.message);
    }

    /// A part inflating far more than its size says is stopped while it
    /// is inflated: the directory is made to lie here.
    #[test]
    fn a_part_that_lies_about_its_size_is_stopped() {
        let big = vec![b' '; 8 * 1024 * 1024];
        let mut z = zip_of(&[("word/document.xml", &big)]);
        // Uncompressed size: offset 22 of the local header, 24 of the
        // central directory's entry.
        let lie = 1000u32.to_le_bytes();
        let local = memchr::memmem::find(&z, b"PK\x03\x04").unwrap();
        z[local + 22..local + 26].copy_from_slice(&lie);
        let central = memchr::memmem::find(&z, b"PK\x01\x02").unwrap();
        z[central + 24..central + 28].copy_from_slice(&lie);
        let mut p = Package::open(&z, Path::new("t.docx"), "Word document").unwrap();
        let c = code(p.read("word/document.xml"));
        assert!(matches!(c, "import-too-large" | "import-corrupt"), "{c}");
    }

    #[test]
    fn a_ratio_past_the_limit_is_refused() {
        let big = vec![b' '; 2 * 1024 * 1024];
        let z = zip_of(&[("word/document.xml", &big)]);
        assert_eq!(
            code(Package::open(&z, Path::new("t.docx"), "Word document")),
            "import-too-large"
        );
    }

    #[test]
    fn not_a_zip_is_corrupt() {
        assert_eq!(
            code(Package::open(
                b"PK\x03\x04broken",
                Path::new("t.docx"),
                "Word document"
            )),
            "import-corrupt"
        );
    }
}
