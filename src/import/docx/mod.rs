//! A Word document (`.docx`, Office Open XML) → the units the interview
//! passes read, as the HTML reader gives them: paragraphs with the role of
//! their style (title, subtitle, headings, quotations, lists), runs with
//! bold, italic, superscript, subscript and language, links, tables,
//! pictures with their alt text, Word's footnotes and endnotes as the
//! chapter's endnotes, and the core properties.
//!
//! Comments are left out and listed in the report; tracked changes are
//! read as accepted, with a warning that says how many. Nothing is ever
//! fetched: a picture or template the document only links to is reported.
//! Password-protected and macro-enabled documents are refused.

mod body;
pub use body::is_web_address;
mod notes;
pub mod out;
pub mod package;
pub mod parts;
pub mod styles;
pub mod xml;

use crate::diag::Diagnostic;
use crate::import::html::Page;
use crate::import::report::Report;
use crate::model::{FileId, Inline, Lang};
use out::Out;
use package::Package;
use parts::{Core, Rels};
use std::collections::HashMap;
use std::path::Path;
use styles::{Numbering, Styles};
use xml::El;

/// What a zipped or compound input file is, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// A zip: a Word or OpenDocument package (or something else zipped).
    Zip,
    /// An OLE compound file: a password-protected Office document, or a
    /// Word 97–2003 `.doc`.
    Ole,
}

/// The container of `bytes`, when it is one.
pub fn sniff(bytes: &[u8]) -> Option<Container> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Some(Container::Zip)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(Container::Ole)
    } else {
        None
    }
}

/// The error for an OLE compound file: Office keeps an encrypted document
/// in one (its stream `EncryptedPackage`), and Word 97–2003 its documents.
pub fn ole_error(bytes: &[u8], name: &Path) -> Box<Diagnostic> {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let encrypted = memchr::memmem::find(bytes, &needle).is_some();
    let (code, msg, help) = if encrypted {
        (
            "import-encrypted",
            "the document is protected with a password",
            "open it in Word, remove the password (File → Info → Protect Document → Encrypt with Password, empty) and import the saved copy",
        )
    } else {
        (
            "import-not-text",
            "the file is an old binary Office document (Word 97–2003 .doc) or another OLE file",
            "open it in a word processor and save it as .docx or .odt, then import that",
        )
    };
    Box::new(
        Diagnostic::error(code, format!("{}: {msg}", name.display()))
            .in_file(name)
            .help(help),
    )
}

fn error(name: &Path, code: &'static str, msg: String, help: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(code, format!("{}: {msg}", name.display()))
            .in_file(name)
            .help(help.to_string()),
    )
}

/// Parses a part, or says where it is broken.
pub fn parse_part(text: &str, part: &str, name: &Path) -> Result<El, Box<Diagnostic>> {
    xml::parse(text).map_err(|why| {
        error(
            name,
            "import-corrupt",
            format!("its part {part} is not well-formed: {why}"),
            "open the document in a word processor (which may repair it) and save it again",
        )
    })
}

/// Reads and parses a part when the package has it.
pub fn read_part(
    pkg: &mut Package<'_>,
    part: &str,
    name: &Path,
) -> Result<Option<El>, Box<Diagnostic>> {
    match pkg.read_text(part)? {
        Some(t) => parse_part(&t, part, name).map(Some),
        None => Ok(None),
    }
}

/// The reader's state while it walks the document.
struct Doc<'p, 'r> {
    pkg: Package<'p>,
    name: &'p Path,
    out: Out<'r>,
    rels: Rels,
    styles: Styles,
    numbering: Numbering,
    /// The document's language, against which a run's is foreign.
    lang: Option<Lang>,
    /// Note references in order of first appearance: (endnote?, id) …
    note_keys: Vec<(bool, String)>,
    /// … and each one's key.
    note_key_of: HashMap<(bool, String), u32>,
    /// Comments referenced, by id: the paragraph (line) of the first.
    comment_lines: HashMap<String, u32>,
    inserted: usize,
    deleted: usize,
    /// Relationship ids of external resources already reported.
    external_seen: Vec<String>,
}

/// Reads a Word document. Its text (one paragraph per line) is for the
/// source map, under `file`.
pub fn read(
    bytes: &[u8],
    name: &Path,
    file: FileId,
    report: &mut Report,
) -> Result<(String, Page), Box<Diagnostic>> {
    let mut pkg = Package::open(bytes, name, "Word document")?;
    let types = pkg.read_text("[Content_Types].xml")?.unwrap_or_default();
    if types.to_ascii_lowercase().contains("macroenabled")
        || pkg
            .names()
            .iter()
            .any(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin"))
    {
        return Err(error(
            name,
            "import-macros",
            "the document holds macros (a macro-enabled .docm); qalam does not read documents with code in them".into(),
            "open it in Word and save it as a plain Word Document (.docx), which drops the macros, then import that",
        ));
    }
    // The main part: named by the package's relationships.
    let root_rels = Rels::parse(read_part(&mut pkg, "_rels/.rels", name)?.as_ref(), "");
    let main = root_rels
        .part("officeDocument")
        .unwrap_or_else(|| "word/document.xml".into());
    let Some(document) = read_part(&mut pkg, &main, name)? else {
        return Err(error(
            name,
            "import-not-text",
            "the file is a zip archive but not a Word document (it has no word/document.xml)"
                .into(),
            "import a .docx, .odt, .html or .txt file",
        ));
    };
    if document.name != "document" {
        return Err(error(
            name,
            "import-not-text",
            format!(
                "the file is an Office package but not a Word document (its main part is <{}>, a spreadsheet or presentation)",
                document.name
            ),
            "import a .docx, .odt, .html or .txt file",
        ));
    }
    let (dir, file_name) = main.rsplit_once('/').unwrap_or(("", main.as_str()));
    let rels_part = format!("{dir}/_rels/{file_name}.rels");
    let rels = Rels::parse(read_part(&mut pkg, &rels_part, name)?.as_ref(), dir);
    let styles_part = rels.part("styles");
    let numbering_part = rels.part("numbering");
    let settings_part = rels.part("settings");
    let styles = match styles_part {
        Some(p) => Styles::parse(read_part(&mut pkg, &p, name)?.as_ref()),
        None => Styles::default(),
    };
    let numbering = match numbering_part {
        Some(p) => Numbering::parse(read_part(&mut pkg, &p, name)?.as_ref()),
        None => Numbering::default(),
    };
    let core_part = root_rels
        .part("core-properties")
        .unwrap_or_else(|| "docProps/core.xml".into());
    let core = Core::parse(read_part(&mut pkg, &core_part, name)?.as_ref());

    report.layout = "paragraphs by their styles".into();
    let mut out = Out::new(file, report);
    let lang_tag = styles.lang.clone().or(core.language.clone());
    out.meta.lang = lang_tag.clone();
    out.meta.title = core.title.clone();
    out.meta.date = core.date.clone();
    out.meta.authors = core.creator.iter().cloned().collect();
    let mut doc = Doc {
        pkg,
        name,
        out,
        rels,
        styles,
        numbering,
        lang: lang_tag.as_deref().and_then(Lang::parse),
        note_keys: Vec::new(),
        note_key_of: HashMap::new(),
        comment_lines: HashMap::new(),
        inserted: 0,
        deleted: 0,
        external_seen: Vec::new(),
    };
    // Templates and other resources the document links to, never fetched.
    let linked: Vec<String> = doc
        .rels
        .in_order()
        .filter(|(_, r)| r.external && !matches!(r.kind.as_str(), "hyperlink" | "image"))
        .map(|(id, _)| id.to_string())
        .collect();
    if let Some(p) = settings_part {
        let (sdir, sfile) = p.rsplit_once('/').unwrap_or(("", p.as_str()));
        let srels = Rels::parse(
            read_part(&mut doc.pkg, &format!("{sdir}/_rels/{sfile}.rels"), name)?.as_ref(),
            sdir,
        );
        for (_, r) in srels.in_order().filter(|(_, r)| r.external) {
            doc.out.report.unsure(
                1,
                r.target.clone(),
                format!(
                    "the document links to an outside {} (never fetched)",
                    what_kind(&r.kind)
                ),
            );
        }
    }
    for id in linked {
        doc.external(&id, 1);
    }

    let Some(body) = document.child(xml::Ns::W, "body") else {
        return Err(error(
            name,
            "import-corrupt",
            format!("its part {main} has no body"),
            "open the document in a word processor and save it again",
        ));
    };
    doc.blocks(body, 0);
    doc.notes()?;
    doc.comments()?;
    doc.out.tracked_changes(doc.inserted, doc.deleted);
    Ok(doc.out.finish())
}

/// A relationship type in words.
fn what_kind(kind: &str) -> &str {
    match kind {
        "attachedTemplate" => "template",
        "image" => "picture",
        "oleObject" => "embedded object",
        "subDocument" => "sub-document",
        "frame" => "frame",
        other => other,
    }
}

impl Doc<'_, '_> {
    /// The key (0-based, by first reference) of a footnote or endnote.
    fn note_key(&mut self, endnote: bool, id: &str) -> u32 {
        let k = (endnote, id.to_string());
        if let Some(&key) = self.note_key_of.get(&k) {
            return key;
        }
        let key = self.note_keys.len() as u32;
        self.note_keys.push(k.clone());
        self.note_key_of.insert(k, key);
        key
    }

    fn comment_at(&mut self, id: &str, line: u32) {
        self.comment_lines.entry(id.to_string()).or_insert(line);
    }

    /// Reports a resource the document only links to.
    fn external(&mut self, id: &str, line: u32) {
        if self.external_seen.iter().any(|s| s == id) {
            return;
        }
        self.external_seen.push(id.to_string());
        let Some(r) = self.rels.by_id.get(id) else {
            return;
        };
        let msg = format!(
            "the document links to an outside {} (never fetched){}",
            what_kind(&r.kind),
            if r.kind == "image" {
                "; save the picture into images/ and add it by hand"
            } else {
                ""
            }
        );
        self.out.report.unsure(line, r.target.clone(), msg);
    }

    /// A picture embedded in the package.
    fn picture(&mut self, id: &str, alt: &str) {
        let Some(rel) = self.rels.by_id.get(id).cloned() else {
            return;
        };
        if rel.external {
            self.external(id, self.out.line());
            return;
        }
        match self.pkg.read(&rel.target) {
            Ok(Some(data)) => self.out.picture(data, &rel.target, alt, Vec::new()),
            Ok(None) => {
                let line = self.out.line();
                self.out.report.drop(
                    line,
                    alt.to_string(),
                    format!("picture {} missing from the document", rel.target),
                );
            }
            Err(d) => {
                let line = self.out.line();
                self.out
                    .report
                    .drop(line, alt.to_string(), d.message.clone());
            }
        }
    }
}

/// Joins neighbours of the same kind (Word splits text into runs for its
/// own bookkeeping: "Why did " + "you go?" in two bold runs is one bold
/// question).
pub fn merge(v: &mut Vec<Inline>) {
    let mut out: Vec<Inline> = Vec::with_capacity(v.len());
    for x in v.drain(..) {
        let joined = match (out.last_mut(), x) {
            (Some(Inline::Text(a)), Inline::Text(b)) => {
                a.push_str(&b);
                None
            }
            (Some(Inline::Strong(a)), Inline::Strong(b))
            | (Some(Inline::Emphasis(a)), Inline::Emphasis(b))
            | (Some(Inline::Superscript(a)), Inline::Superscript(b))
            | (Some(Inline::Subscript(a)), Inline::Subscript(b)) => {
                a.extend(b);
                None
            }
            (Some(Inline::Link { url: u, content: a }), Inline::Link { url: w, content: b })
                if *u == w =>
            {
                a.extend(b);
                None
            }
            (
                Some(Inline::Foreign {
                    lang: l,
                    content: a,
                }),
                Inline::Foreign {
                    lang: m,
                    content: b,
                },
            ) if *l == m => {
                a.extend(b);
                None
            }
            (_, x) => Some(x),
        };
        if let Some(x) = joined {
            out.push(x);
        }
    }
    for x in &mut out {
        match x {
            Inline::Strong(c)
            | Inline::Emphasis(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Link { content: c, .. }
            | Inline::Foreign { content: c, .. } => merge(c),
            _ => {}
        }
    }
    *v = out;
}
