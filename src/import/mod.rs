//! `qalam import`: a scraped interview (plain text, or a saved web page)
//! → a book project in the source format, and a report of every decision.
//!
//! Another reader of the pipeline: `text`, `html`, `docx` and `odt` turn the
//! input into units, the `passes` decide what each unit is (with the same
//! rules for every format), the result is a [`Chapter`] of the document
//! model, and `markdown_writer` writes it as `book.toml` + `<slug>.md`,
//! escaped so that the book reader reads back the same model.
//!
//! The importer is conservative: what it drops is page furniture it
//! recognises, and it says so; when it is unsure it keeps the text and says
//! that too ([`Report`]).

mod canonical;
pub(crate) mod docx;
pub(crate) mod html;
mod input;
pub(crate) mod junk;
pub(crate) mod markdown_writer;
pub(crate) mod notes;
pub(crate) mod odt;
pub(crate) mod passes;
mod project;
pub mod report;
pub(crate) mod text;
pub(crate) mod textutil;
pub(crate) mod unit;
pub(crate) mod words;

pub use crate::source::quote::{toml_value, yaml_value};
pub use canonical::canonical_inlines;
pub use input::detect;
use input::{language_of_letters, read_input};
pub use project::{write_project, write_project_read};
pub use report::Report;

use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{Bio, Book, Chapter, Lang, Metadata, Note, Settings, Span, plain_text};
use std::path::{Path, PathBuf};

/// Inputs larger than this are refused (a saved page with inline scripts
/// and styles is a few megabytes at most).
pub const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    /// A Word document (`.docx`).
    Docx,
    /// An OpenDocument text (`.odt`).
    Odt,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The chapter's language; by default the page's `lang`, else guessed
    /// from the script (Cyrillic with Kazakh letters: kk; Cyrillic: ru;
    /// otherwise en).
    pub lang: Option<Lang>,
    /// Keep what would be dropped (and say so in the report).
    pub keep_all: bool,
}

/// An imported interview: the model, what to copy, and the report.
#[derive(Debug, Clone)]
pub struct Imported {
    pub meta: Metadata,
    pub chapter: Chapter,
    /// Notes of the input that nothing refers to (kept in the Markdown).
    pub orphan_notes: Vec<Note>,
    /// Pictures of a saved page to copy into the project.
    pub images: Vec<html::ImageCopy>,
    pub report: Report,
    pub format: Format,
    /// The input, for diagnostics that point into it.
    pub sources: SourceMap,
    /// The input file's name as given.
    pub input_name: String,
}

impl Imported {
    /// The chapter file's name (`<slug>.md`).
    pub fn chapter_file(&self) -> String {
        format!("{}.md", self.meta.slug)
    }

    /// The files of the project: (path in the folder, contents).
    pub fn files(&self) -> Vec<(String, String)> {
        vec![
            (
                "book.toml".into(),
                markdown_writer::book_toml(&self.meta, &self.chapter_file(), &self.input_name),
            ),
            (
                self.chapter_file(),
                markdown_writer::chapter(&self.chapter, &self.orphan_notes),
            ),
        ]
    }

    /// The model as a one-chapter book (for handing straight to a writer),
    /// with the typography pass applied as the source reader would.
    pub fn book(&self) -> Book {
        let mut book = Book {
            meta: self.meta.clone(),
            settings: Settings::default(),
            cover: None,
            chapters: vec![self.chapter.clone()],
            root: PathBuf::new(),
        };
        book.settings.epub.toc_depth = 2;
        crate::typography::apply(&mut book);
        book
    }
}

/// Imports the file at `path`.
pub fn import_file(path: &Path, opts: &Options) -> Result<Imported, Diagnostics> {
    let bytes = read_input(path)?;
    import_read(&bytes, path, opts)
}

/// Imports `bytes`, the content of the file at `path` (a saved page's
/// pictures are looked for beside it).
fn import_read(bytes: &[u8], path: &Path, opts: &Options) -> Result<Imported, Diagnostics> {
    let base = path.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    import_bytes(bytes, path, base, opts)
}

/// Imports `bytes`, read from `name` (for messages; its extension is a
/// hint, the content decides). `base_dir` is where a saved page's pictures
/// may be; `None` uses none.
pub fn import_bytes(
    bytes: &[u8],
    name: &Path,
    base_dir: Option<&Path>,
    opts: &Options,
) -> Result<Imported, Diagnostics> {
    if let Some(container) = docx::sniff(bytes) {
        let (sources, file, page, format, report) = read_document(bytes, name, container)?;
        return assemble(page, format, report, (sources, file), name, opts);
    }
    let (text, format, mut report) = input::open(bytes, name)?;
    let mut sources = SourceMap::new();
    let file = sources.add(name, text);
    let src = sources.file(file).text.as_str();
    let page = match format {
        Format::Html => html::read(src, file, base_dir, opts.keep_all, &mut report),
        _ => html::Page {
            units: text::read(src, file, &mut report),
            meta: unit::PageMeta::default(),
            images: Vec::new(),
        },
    };
    assemble(page, format, report, (sources, file), name, opts)
}

/// Reads a Word or OpenDocument file into units (and the text of its
/// paragraphs, one a line, as the source the report's lines count in).
fn read_document(
    bytes: &[u8],
    name: &Path,
    container: docx::Container,
) -> Result<(SourceMap, crate::model::FileId, html::Page, Format, Report), Box<Diagnostic>> {
    if container == docx::Container::Ole {
        return Err(docx::ole_error(bytes, name));
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Box::new(
            Diagnostic::error(
                "import-too-large",
                "the input is too large to be an interview",
            )
            .in_file(name),
        ));
    }
    let format = if odt::is_odt(bytes) {
        Format::Odt
    } else {
        Format::Docx
    };
    let mut report = Report {
        input: name.display().to_string(),
        format: if format == Format::Odt { "odt" } else { "docx" }.into(),
        ..Report::default()
    };
    // The map is new, so the document's text is its first file.
    let file = crate::model::FileId(0);
    let (text, page) = match format {
        Format::Odt => odt::read(bytes, name, file, &mut report)?,
        _ => docx::read(bytes, name, file, &mut report)?,
    };
    let mut sources = SourceMap::new();
    let added = sources.add(name, text);
    debug_assert_eq!(added, file);
    Ok((sources, added, page, format, report))
}

/// The units of any reader → the passes → the imported chapter.
fn assemble(
    page: html::Page,
    format: Format,
    mut report: Report,
    (sources, file): (SourceMap, crate::model::FileId),
    name: &Path,
    opts: &Options,
) -> Result<Imported, Diagnostics> {
    let src_len = sources.file(file).text.len();
    too_much_text(page.units.iter().map(|u| u.text().len()).sum(), name)?;
    let lang = language(opts, &page, &mut report);
    let nothing = |why: passes::Nothing| nothing(name, why);
    let parts =
        passes::assemble(page.units, &page.meta, opts.keep_all, &mut report).map_err(nothing)?;
    let (chapter, orphan_notes) =
        chapter_of(parts, Span::new(file, 0..src_len), lang, &mut report).map_err(nothing)?;
    Ok(Imported {
        meta: metadata(&chapter),
        chapter,
        orphan_notes,
        images: page.images,
        report,
        format,
        sources,
        input_name: name.display().to_string(),
    })
}

/// Refuses an article of more text than a chapter file may hold (it
/// would be written, then not read back).
pub(crate) fn too_much_text(bytes: usize, name: &Path) -> Result<(), Diagnostics> {
    let max = crate::source::paths::MAX_CHAPTER_BYTES;
    if bytes as u64 <= max {
        return Ok(());
    }
    Err(Diagnostics::from(
        Diagnostic::error(
            "import-too-large",
            format!(
                "{} holds {:.1} MB of text, more than the {} MB one chapter can hold",
                name.display(),
                bytes as f64 / 1e6,
                max / (1024 * 1024)
            ),
        )
        .in_file(name)
        .help("split the page into several files and import each as a chapter"),
    ))
}

/// The importer found nothing it could make a chapter of.
fn nothing(name: &Path, why: passes::Nothing) -> Diagnostics {
    Diagnostics::from(
        Diagnostic::error("import-nothing", format!("cannot import {}: {why}", name.display()))
            .in_file(name)
            .help("the importer needs a title line and the interview's text; check that the file holds the article"),
    )
}

/// The chapter's language: `--lang`, else the page's, else guessed from
/// its letters (and the report says it was guessed).
fn language(opts: &Options, page: &html::Page, report: &mut Report) -> Lang {
    let lang = match (&opts.lang, page.meta.lang.as_deref().and_then(Lang::parse)) {
        (Some(l), _) => l.clone(),
        (None, Some(l)) => l,
        (None, None) => {
            report.language_guessed = true;
            language_of_letters(page.units.iter().map(|u| u.text()))
        }
    };
    report.language = lang.as_str().to_string();
    lang
}

/// The passes' parts → the chapter of the document model, in the form the
/// Markdown reader gives back, with the typography of the source reader.
fn chapter_of(
    parts: passes::Parts,
    span: Span,
    lang: Lang,
    report: &mut Report,
) -> Result<(Chapter, Vec<Note>), passes::Nothing> {
    let title_text = plain_text(&parts.title);
    let slug = crate::slug::slugify(&title_text);
    let mut chapter = Chapter {
        file: PathBuf::from(format!("{slug}.md")),
        id: slug,
        title: parts.title,
        standfirst: parts.standfirst,
        running_head: None,
        interviewees: parts.interviewees.clone(),
        interviewer: parts.interviewer.clone(),
        date: parts.date.clone(),
        lang,
        intro: parts.intro,
        exchanges: parts.exchanges,
        notes: parts.notes,
        bio: parts.bio.map(|content| Bio {
            name: parts.interviewees.join(", "),
            content,
            portrait: None,
            portrait_span: None,
        }),
        span,
    };
    let mut orphan_notes = parts.orphan_notes;
    canonical::canonical_chapter(&mut chapter);
    // Checked after the clean-up, which can empty what the passes still
    // counted as text (list items of no-break spaces only): a chapter
    // without text would not read back.
    if chapter.intro.is_empty() && chapter.exchanges.is_empty() {
        return Err(passes::Nothing::NoText(report::short(&title_text, 60)));
    }
    for n in &mut orphan_notes {
        canonical::canonical_blocks(&mut n.content);
    }
    canonical::curl_quotes(&mut chapter);
    crate::source::pullquote::classify(&mut chapter);

    report.interviewees = chapter.interviewees.clone();
    report.interviewer = chapter.interviewer.clone();
    report.date = chapter.date.clone();
    report.sort();
    Ok((chapter, orphan_notes))
}

/// The book's metadata for a one-chapter book of `chapter`.
fn metadata(chapter: &Chapter) -> Metadata {
    let title = plain_text(&chapter.title);
    let description = chapter
        .standfirst
        .as_ref()
        .map(|s| plain_text(s))
        .filter(|s| !s.trim().is_empty());
    Metadata {
        identifier: crate::source::default_identifier(&title, &chapter.interviewees),
        slug: chapter.id.clone(),
        title,
        subtitle: None,
        authors: chapter.interviewees.clone(),
        authors_sort: Vec::new(),
        contributors: Vec::new(),
        language: chapter.lang.clone(),
        publisher: None,
        date: chapter.date.clone(),
        rights: None,
        description,
        keywords: Vec::new(),
        subject: None,
    }
}
