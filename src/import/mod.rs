//! `qalam import`: a scraped interview (plain text, or a saved web page)
//! → a book project in the source format, and a report of every decision.
//!
//! Another reader of the pipeline: [`text`] and [`html`] turn the input into
//! units, [`assemble`] decides what each unit is (with the same rules for
//! both formats), the result is a [`Chapter`] of the document model, and
//! [`markdown_writer`] writes it as `book.toml` + `<slug>.md`, escaped so
//! that `qalam::source::load` reads back the same model.
//!
//! The importer is conservative: what it drops is page furniture it
//! recognises, and it says so; when it is unsure it keeps the text and says
//! that too ([`Report`]).

pub mod assemble;
pub mod html;
pub mod junk;
pub mod markdown_writer;
pub mod notes;
pub mod report;
pub mod text;
pub mod textutil;
pub mod unit;

pub use report::Report;

use crate::diag::{Diagnostic, SourceMap};
use crate::model::{
    Bio, Block, Book, Chapter, Inline, Lang, Metadata, Note, Settings, Span, plain_text,
};
use std::path::{Path, PathBuf};

/// Inputs larger than this are refused (a saved page with inline scripts
/// and styles is a few megabytes at most).
pub const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
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
pub fn import_file(path: &Path, opts: &Options) -> Result<Imported, Box<Diagnostic>> {
    let bytes = read_input(path)?;
    import_read(&bytes, path, opts)
}

/// Imports `bytes`, the content of the file at `path` (a saved page's
/// pictures are looked for beside it).
fn import_read(bytes: &[u8], path: &Path, opts: &Options) -> Result<Imported, Box<Diagnostic>> {
    let base = path.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    import_bytes(bytes, path, base, opts)
}

/// The content of the input file at `path`, at most [`MAX_INPUT_BYTES`].
fn read_input(path: &Path) -> Result<Vec<u8>, Box<Diagnostic>> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Box::new(
            Diagnostic::error(
                "import-unreadable",
                format!("cannot read {}: {}", path.display(), io_reason(&e)),
            )
            .in_file(path)
            .help("name an existing .txt or .html file"),
        )
    })?;
    if meta.is_dir() {
        return Err(Box::new(
            Diagnostic::error(
                "import-unreadable",
                format!("{} is a folder", path.display()),
            )
            .in_file(path)
            .help("name the saved page or text file itself, e.g. interview.html"),
        ));
    }
    let too_large = |len: u64| {
        Box::new(
            Diagnostic::error(
                "import-too-large",
                format!(
                    "{} is {:.1} MB, more than the {} MB an interview page can be",
                    path.display(),
                    len as f64 / 1e6,
                    MAX_INPUT_BYTES / (1024 * 1024)
                ),
            )
            .in_file(path)
            .help("save only the article (\"Save page as … HTML only\", or copy its text into a .txt file)"),
        )
    };
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_large(meta.len()));
    }
    // Read at most one byte past the limit: a device or a pipe has no
    // length to check beforehand (`/dev/zero` never ends).
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_INPUT_BYTES + 1), &mut bytes)
        })
        .map_err(|e| {
            Box::new(
                Diagnostic::error(
                    "import-unreadable",
                    format!("cannot read {}: {}", path.display(), io_reason(&e)),
                )
                .in_file(path)
                .help("check that the file exists and can be read"),
            )
        })?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Imports `bytes`, read from `name` (for messages; its extension is a
/// hint, the content decides). `base_dir` is where a saved page's pictures
/// may be; `None` uses none.
pub fn import_bytes(
    bytes: &[u8],
    name: &Path,
    base_dir: Option<&Path>,
    opts: &Options,
) -> Result<Imported, Box<Diagnostic>> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Box::new(
            Diagnostic::error(
                "import-too-large",
                "the input is too large to be an interview",
            )
            .in_file(name),
        ));
    }
    let (text, decoded_as) = decode(bytes).map_err(|msg| {
        Box::new(
            Diagnostic::error(
                "import-not-text",
                format!("{} is not a text or HTML file: {msg}", name.display()),
            )
            .in_file(name)
            .help("import the interview as plain text (.txt) or as a saved web page (.html)"),
        )
    })?;
    let format = detect(&text);
    let mut report = Report {
        input: name.display().to_string(),
        format: match format {
            Format::Text => "text".into(),
            Format::Html => "html".into(),
        },
        ..Report::default()
    };
    if let Some(enc) = decoded_as {
        report.unsure(
            1,
            String::new(),
            format!("the file is not UTF-8; read as {enc}"),
        );
    }
    let ext = name
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match (format, ext.as_str()) {
        (Format::Html, "txt" | "text" | "md") => report.unsure(
            1,
            String::new(),
            "the file is named as text but holds HTML; read as a web page",
        ),
        (Format::Text, "html" | "htm" | "xhtml") => report.unsure(
            1,
            String::new(),
            "the file is named as HTML but holds plain text; read as text",
        ),
        _ => {}
    }

    if format == Format::Html {
        let depth = html::nesting_depth(&text);
        if depth > html::MAX_HTML_NESTING {
            return Err(Box::new(
                Diagnostic::error(
                    "import-too-deep",
                    format!(
                        "{}: the page's elements are nested {depth} deep, more than the {} a page can have",
                        name.display(),
                        html::MAX_HTML_NESTING
                    ),
                )
                .in_file(name)
                .help("save the article alone (e.g. the browser's reader view, or copy its text into a .txt file) and import that"),
            ));
        }
    }

    let mut sources = SourceMap::new();
    let file = sources.add(name, text);
    let src = sources.file(file).text.as_str();
    let (units, page_meta, images) = match format {
        Format::Text => (
            text::read(src, file, &mut report),
            unit::PageMeta::default(),
            Vec::new(),
        ),
        Format::Html => {
            let page = html::read(src, file, base_dir, &mut report);
            (page.units, page.meta, page.images)
        }
    };

    let lang = match (&opts.lang, page_meta.lang.as_deref().and_then(Lang::parse)) {
        (Some(l), _) => l.clone(),
        (None, Some(l)) => l,
        (None, None) => {
            report.language_guessed = true;
            guess_language(&units)
        }
    };
    report.language = lang.as_str().to_string();

    let nothing = |msg: String| {
        Box::new(
            Diagnostic::error("import-nothing", format!("cannot import {}: {msg}", name.display()))
                .in_file(name)
                .help("the importer needs a title line and the interview's text; check that the file holds the article"),
        )
    };
    let parts =
        assemble::assemble(units, &page_meta, opts.keep_all, &mut report).map_err(nothing)?;

    let title_text = plain_text(&parts.title);
    let slug = crate::slug::slugify(&title_text);
    let mut chapter = Chapter {
        file: PathBuf::from(format!("{slug}.md")),
        id: slug.clone(),
        title: parts.title,
        standfirst: parts.standfirst,
        interviewees: parts.interviewees.clone(),
        interviewer: parts.interviewer.clone(),
        date: parts.date.clone(),
        lang: lang.clone(),
        intro: parts.intro,
        exchanges: parts.exchanges,
        notes: parts.notes,
        bio: parts.bio.map(|content| Bio {
            name: parts.interviewees.join(", "),
            content,
            portrait: None,
            portrait_span: None,
        }),
        span: Span::new(file, 0..src.len()),
    };
    let mut orphan_notes = parts.orphan_notes;
    canonical_chapter(&mut chapter);
    // Checked after the clean-up, which can empty what the assembler still
    // counted as text (list items of no-break spaces only): a chapter
    // without text would not read back.
    if chapter.intro.is_empty() && chapter.exchanges.is_empty() {
        return Err(nothing(format!(
            "found a title (\"{}\") but no text after it",
            report::short(&title_text, 60)
        )));
    }
    for n in &mut orphan_notes {
        canonical_blocks(&mut n.content);
    }
    curl_quotes(&mut chapter);
    crate::source::pullquote::classify(&mut chapter);

    report.interviewees = chapter.interviewees.clone();
    report.interviewer = chapter.interviewer.clone();
    report.date = chapter.date.clone();
    report.sort();

    let description = chapter
        .standfirst
        .as_ref()
        .map(|s| plain_text(s))
        .filter(|s| !s.trim().is_empty());
    let meta = Metadata {
        identifier: crate::source::default_identifier(&title_text, &chapter.interviewees),
        title: title_text,
        subtitle: None,
        authors: chapter.interviewees.clone(),
        language: lang,
        publisher: None,
        date: chapter.date.clone(),
        rights: None,
        description,
        keywords: Vec::new(),
        subject: None,
        slug,
    };
    Ok(Imported {
        meta,
        chapter,
        orphan_notes,
        images,
        report,
        format,
        sources,
        input_name: name.display().to_string(),
    })
}

/// Decodes the input: UTF-8 (with or without a byte-order mark), UTF-16
/// with a byte-order mark, or else Windows-1251/1252 (the common legacy
/// encodings of Russian/Kazakh and Western pages). Binary files are refused.
fn decode(bytes: &[u8]) -> Result<(String, Option<&'static str>), String> {
    if bytes.starts_with(b"%PDF") {
        return Err("it is a PDF".into());
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
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
        return Ok((String::from_utf16_lossy(&units), Some("UTF-16")));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err("it holds binary data".into());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), None));
    }
    // Legacy 8-bit: Cyrillic pages declare windows-1251; lots of bytes in
    // the Cyrillic letter range say so too.
    let lower: String = String::from_utf8_lossy(head).to_ascii_lowercase();
    let declared_1251 = lower.contains("windows-1251") || lower.contains("cp1251");
    let high_letters = bytes.iter().filter(|&&b| b >= 0xC0).count();
    let high = bytes.iter().filter(|&&b| b >= 0x80).count();
    if declared_1251
        || (high > 0
            && high_letters * 10 >= high * 8
            && !lower.contains("windows-1252")
            && !lower.contains("iso-8859-1"))
    {
        Ok((
            bytes.iter().map(|&b| cp1251(b)).collect(),
            Some("Windows-1251"),
        ))
    } else {
        Ok((
            bytes.iter().map(|&b| cp1252(b)).collect(),
            Some("Windows-1252"),
        ))
    }
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

fn cp1251(b: u8) -> char {
    const HIGH: [char; 64] = [
        'Ђ', 'Ѓ', '‚', 'ѓ', '„', '…', '†', '‡', '€', '‰', 'Љ', '‹', 'Њ', 'Ќ', 'Ћ', 'Џ', 'ђ', '‘',
        '’', '“', '”', '•', '–', '—', '\u{98}', '™', 'љ', '›', 'њ', 'ќ', 'ћ', 'џ', '\u{a0}', 'Ў',
        'ў', 'Ј', '¤', 'Ґ', '¦', '§', 'Ё', '©', 'Є', '«', '¬', '\u{ad}', '®', 'Ї', '°', '±', 'І',
        'і', 'ґ', 'µ', '¶', '·', 'ё', '№', 'є', '»', 'ј', 'Ѕ', 'ѕ', 'ї',
    ];
    match b {
        0x80..=0xBF => HIGH[(b - 0x80) as usize],
        0xC0..=0xFF => char::from_u32(0x410 + (b - 0xC0) as u32).unwrap_or('?'),
        _ => b as char,
    }
}

/// HTML when the text starts like a page.
pub fn detect(text: &str) -> Format {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if !t.starts_with('<') {
        return Format::Text;
    }
    let head: String = t
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    const STARTS: &[&str] = &[
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
        "<article",
        "<main",
        "<div",
        "<p>",
        "<p ",
        "<section",
        "<header",
        "<h1",
        "<h2",
        "<link",
        "<style",
        "<script",
        "<table",
        "<span",
        "<ul",
        "<ol",
        "<blockquote",
        "<figure",
        "<nav",
    ];
    if STARTS.iter().any(|s| head.starts_with(s)) {
        return Format::Html;
    }
    if (head.starts_with("<?xml") || head.starts_with("<!--"))
        && (head.contains("<html") || head.contains("<body") || head.contains("<p"))
    {
        return Format::Html;
    }
    Format::Text
}

/// en, ru or kk from the letters of the text.
fn guess_language(units: &[unit::Unit]) -> Lang {
    language_of_letters(units.iter().map(|u| u.text()))
}

/// en, ru or kk from the letters of `texts`: Cyrillic over Latin is
/// Russian, or Kazakh with one Cyrillic letter in a hundred of Kazakh's own.
fn language_of_letters(texts: impl IntoIterator<Item = impl AsRef<str>>) -> Lang {
    let mut latin = 0usize;
    let mut cyr = 0usize;
    let mut kazakh = 0usize;
    for text in texts {
        for c in text.as_ref().chars() {
            if c.is_ascii_alphabetic() {
                latin += 1;
            } else if ('\u{400}'..='\u{4ff}').contains(&c) {
                cyr += 1;
                if "әғқңөұүһіӘҒҚҢӨҰҮҺІ".contains(c) {
                    kazakh += 1;
                }
            }
        }
    }
    let tag = if cyr > latin {
        if kazakh * 100 >= cyr.max(1) {
            "kk"
        } else {
            "ru"
        }
    } else {
        "en"
    };
    Lang::parse(tag).unwrap_or_default()
}

/// Puts inline content in the form the Markdown reader gives back: text
/// merged, white space at the edges of emphasis and links moved outside,
/// empty wrappers and unusable links removed, no nested links.
fn canonical_chapter(ch: &mut Chapter) {
    canonical_inlines(&mut ch.title);
    if let Some(s) = &mut ch.standfirst {
        canonical_inlines(s);
    }
    canonical_blocks(&mut ch.intro);
    for e in &mut ch.exchanges {
        canonical_inlines(&mut e.question.content);
        canonical_blocks(&mut e.answer);
    }
    for n in &mut ch.notes {
        canonical_blocks(&mut n.content);
    }
    if let Some(b) = &mut ch.bio {
        canonical_blocks(&mut b.content);
    }
    // Lists and quotes nested deeper than any book needs are flattened
    // (the reader refuses more than 64 levels).
    limit_nesting(&mut ch.intro, 0);
    for e in &mut ch.exchanges {
        limit_nesting(&mut e.answer, 0);
    }
    for n in &mut ch.notes {
        limit_nesting(&mut n.content, 0);
    }
    if let Some(b) = &mut ch.bio {
        limit_nesting(&mut b.content, 0);
    }
    // Empty paragraphs left by the clean-up go.
    fn prune(blocks: &mut Vec<Block>) {
        blocks.retain_mut(|b| match b {
            Block::Paragraph { content, .. } => !content.is_empty(),
            Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                prune(content);
                !content.is_empty()
            }
            Block::List { items, .. } => {
                for i in items.iter_mut() {
                    prune(&mut i.blocks);
                }
                items.retain(|i| !i.blocks.is_empty());
                !items.is_empty()
            }
            _ => true,
        });
    }
    prune(&mut ch.intro);
    for e in &mut ch.exchanges {
        prune(&mut e.answer);
    }
    for n in &mut ch.notes {
        prune(&mut n.content);
    }
    drop_empty_notes(ch);
    if let Some(b) = &mut ch.bio {
        prune(&mut b.content);
        if b.content.is_empty() {
            ch.bio = None;
        }
    }
}

/// Notes left without content are removed with their references, and the
/// rest renumbered 1..n.
fn drop_empty_notes(ch: &mut Chapter) {
    if ch.notes.iter().all(|n| !n.content.is_empty()) {
        return;
    }
    ch.notes.retain(|n| !n.content.is_empty());
    let map: std::collections::HashMap<u32, u32> = ch
        .notes
        .iter()
        .enumerate()
        .map(|(k, n)| (n.number, k as u32 + 1))
        .collect();
    for (k, n) in ch.notes.iter_mut().enumerate() {
        n.number = k as u32 + 1;
    }
    let mut f = |v: &mut Vec<Inline>| {
        v.retain_mut(|i| match i {
            Inline::NoteRef(n) => match map.get(n) {
                Some(&m) => {
                    *n = m;
                    true
                }
                None => false,
            },
            _ => true,
        })
    };
    crate::model::visit_inlines_mut(&mut ch.intro, &mut f);
    for e in &mut ch.exchanges {
        crate::model::visit_inlines_mut(&mut e.answer, &mut f);
    }
}

/// Deepest nesting of lists and quotes kept as such.
const MAX_IMPORT_NESTING: usize = 12;

fn limit_nesting(blocks: &mut [Block], depth: usize) {
    for b in blocks.iter_mut() {
        let span = b.span();
        match b {
            Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                if depth >= MAX_IMPORT_NESTING {
                    *b = flat_paragraph(content, span);
                } else {
                    limit_nesting(content, depth + 1);
                }
            }
            Block::List { items, .. } => {
                if depth >= MAX_IMPORT_NESTING {
                    let all: Vec<Block> = items.iter().flat_map(|i| i.blocks.clone()).collect();
                    *b = flat_paragraph(&all, span);
                } else {
                    for i in items.iter_mut() {
                        limit_nesting(&mut i.blocks, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

fn flat_paragraph(blocks: &[Block], span: Span) -> Block {
    let t = textutil::clean(&crate::model::plain_text_blocks(blocks));
    Block::Paragraph {
        content: if t.is_empty() {
            Vec::new()
        } else {
            vec![Inline::Text(t)]
        },
        span,
    }
}

fn canonical_blocks(blocks: &mut [Block]) {
    for b in blocks.iter_mut() {
        match b {
            Block::Paragraph { content, .. } => canonical_inlines(content),
            Block::Heading { content, .. } => {
                // A heading is one line.
                crate::model::visit_inline_vec(content, &mut |x: &mut Vec<Inline>| {
                    for i in x.iter_mut() {
                        if matches!(i, Inline::LineBreak) {
                            *i = Inline::Text(" ".into());
                        }
                    }
                });
                canonical_inlines(content)
            }
            Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                canonical_blocks(content)
            }
            Block::List { items, .. } => {
                for i in items {
                    canonical_blocks(&mut i.blocks);
                }
            }
            Block::Figure { caption, .. } => {
                let t = textutil::clean(&plain_text(caption));
                *caption = if t.is_empty() {
                    Vec::new()
                } else {
                    vec![Inline::Text(t)]
                };
            }
            Block::Table { head, rows, .. } => {
                for c in head.iter_mut().chain(rows.iter_mut().flatten()) {
                    canonical_inlines(c);
                }
            }
            Block::SectionBreak { .. } | Block::CodeBlock { .. } => {}
        }
    }
}

/// See [`canonical_chapter`].
pub fn canonical_inlines(v: &mut Vec<Inline>) {
    canon(v, false);
    html::normalize(v);
    crate::source::markdown::trim_inlines(v);
}

/// Straight quotes become the curly ones the typography pass would make of
/// them, so that the Markdown says what the book will print (and the
/// Markdown reader's own smart quotes never disagree with the pass). Only
/// quote characters change; a text the pass would change in length is
/// left as it is (the writer then escapes its straight quotes).
fn curl_quotes(ch: &mut Chapter) {
    let mut book = Book {
        meta: Metadata {
            language: ch.lang.clone(),
            ..Metadata::default()
        },
        settings: Settings::default(),
        cover: None,
        chapters: vec![ch.clone()],
        root: PathBuf::new(),
    };
    crate::typography::apply(&mut book);
    let typed = book.chapters.remove(0);
    zip_inlines(&mut ch.title, &typed.title);
    if let (Some(a), Some(b)) = (&mut ch.standfirst, &typed.standfirst) {
        zip_inlines(a, b);
    }
    zip_blocks(&mut ch.intro, &typed.intro);
    for (a, b) in ch.exchanges.iter_mut().zip(&typed.exchanges) {
        zip_inlines(&mut a.question.content, &b.question.content);
        zip_blocks(&mut a.answer, &b.answer);
    }
    for (a, b) in ch.notes.iter_mut().zip(&typed.notes) {
        zip_blocks(&mut a.content, &b.content);
    }
    if let (Some(a), Some(b)) = (&mut ch.bio, &typed.bio) {
        zip_blocks(&mut a.content, &b.content);
    }
}

fn zip_blocks(a: &mut [Block], b: &[Block]) {
    for (x, y) in a.iter_mut().zip(b) {
        match (x, y) {
            (Block::Paragraph { content: c, .. }, Block::Paragraph { content: d, .. })
            | (Block::Heading { content: c, .. }, Block::Heading { content: d, .. }) => {
                zip_inlines(c, d)
            }
            (Block::BlockQuote { content: c, .. }, Block::BlockQuote { content: d, .. })
            | (Block::PullQuote { content: c, .. }, Block::PullQuote { content: d, .. }) => {
                zip_blocks(c, d)
            }
            (Block::List { items: c, .. }, Block::List { items: d, .. }) => {
                for (i, j) in c.iter_mut().zip(d) {
                    zip_blocks(&mut i.blocks, &j.blocks);
                }
            }
            (Block::Figure { caption: c, .. }, Block::Figure { caption: d, .. }) => {
                zip_inlines(c, d)
            }
            (
                Block::Table {
                    head: h1, rows: r1, ..
                },
                Block::Table {
                    head: h2, rows: r2, ..
                },
            ) => {
                for (c, d) in h1
                    .iter_mut()
                    .chain(r1.iter_mut().flatten())
                    .zip(h2.iter().chain(r2.iter().flatten()))
                {
                    zip_inlines(c, d);
                }
            }
            _ => {}
        }
    }
}

fn zip_inlines(a: &mut [Inline], b: &[Inline]) {
    for (x, y) in a.iter_mut().zip(b) {
        match (x, y) {
            (Inline::Text(t), Inline::Text(u))
                if t.contains(['"', '\'']) && t.chars().count() == u.chars().count() =>
            {
                *t = t
                    .chars()
                    .zip(u.chars())
                    .map(|(o, n)| if o == '"' || o == '\'' { n } else { o })
                    .collect();
            }
            (Inline::Emphasis(c), Inline::Emphasis(d))
            | (Inline::Strong(c), Inline::Strong(d))
            | (Inline::Superscript(c), Inline::Superscript(d))
            | (Inline::Subscript(c), Inline::Subscript(d))
            | (Inline::Link { content: c, .. }, Inline::Link { content: d, .. })
            | (Inline::Foreign { content: c, .. }, Inline::Foreign { content: d, .. }) => {
                zip_inlines(c, d)
            }
            _ => {}
        }
    }
}

/// `--` and `---` are an en and an em dash, as in the source format.
fn dashes(t: &str) -> std::borrow::Cow<'_, str> {
    // "..." is an ellipsis, as the typography pass would make it.
    if t.contains("...") {
        let e = t.replace("...", "…");
        return std::borrow::Cow::Owned(dashes(&e).into_owned());
    }
    if !t.contains("--") {
        return std::borrow::Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len());
    let mut run = 0usize;
    let flush = |out: &mut String, run: usize| match run {
        0 => {}
        2 => out.push('–'),
        3 => out.push('—'),
        n => out.extend(std::iter::repeat_n('-', n)),
    };
    for c in t.chars() {
        if c == '-' {
            run += 1;
        } else {
            flush(&mut out, run);
            run = 0;
            out.push(c);
        }
    }
    flush(&mut out, run);
    std::borrow::Cow::Owned(out)
}

fn canon(v: &mut Vec<Inline>, in_link: bool) {
    let old = std::mem::take(v);
    for x in old {
        match x {
            Inline::Text(t) => push_text(v, &dashes(&t)),
            Inline::Emphasis(mut c) => {
                canon(&mut c, in_link);
                if !c.is_empty() {
                    wrap_edges(v, c, Inline::Emphasis);
                }
            }
            Inline::Strong(mut c) => {
                canon(&mut c, in_link);
                if !c.is_empty() {
                    wrap_edges(v, c, Inline::Strong);
                }
            }
            Inline::Superscript(mut c) => {
                canon(&mut c, in_link);
                if !c.is_empty() {
                    wrap_edges(v, c, Inline::Superscript);
                }
            }
            Inline::Subscript(mut c) => {
                canon(&mut c, in_link);
                if !c.is_empty() {
                    wrap_edges(v, c, Inline::Subscript);
                }
            }
            Inline::Link { url, mut content } => {
                canon(&mut content, true);
                // The link as the source reader keeps it (a valid URL of a
                // scheme a book can follow), so it reads back the same.
                let url = crate::source::markdown::link_url(&url).filter(|_| !in_link);
                if let Some(url) = url.filter(|_| !content.is_empty()) {
                    wrap_edges(v, content, |c| Inline::Link {
                        url: url.clone(),
                        content: c,
                    });
                } else {
                    for c in content {
                        match c {
                            Inline::Text(t) => push_text(v, &t),
                            c => v.push(c),
                        }
                    }
                }
            }
            Inline::Foreign { lang, mut content } => {
                canon(&mut content, in_link);
                if !content.is_empty() {
                    wrap_edges(v, content, |c| Inline::Foreign {
                        lang: lang.clone(),
                        content: c,
                    });
                }
            }
            Inline::Code(t) => {
                let t = textutil::clean(&t);
                if t.is_empty() {
                    continue;
                }
                // Two code spans in a row read back as one: make them one.
                if let Some(Inline::Code(prev)) = v.last_mut() {
                    prev.push_str(&t);
                } else {
                    v.push(Inline::Code(t));
                }
            }
            Inline::NoteRef(_) if in_link => {}
            other => v.push(other),
        }
    }
}

fn push_text(v: &mut Vec<Inline>, t: &str) {
    crate::source::markdown::push_text(v, t);
}

/// Pushes `wrap(content)` with leading/trailing spaces of `content` moved
/// outside.
fn wrap_edges(v: &mut Vec<Inline>, mut content: Vec<Inline>, wrap: impl Fn(Vec<Inline>) -> Inline) {
    let mut lead = false;
    let mut trail = false;
    if let Some(Inline::Text(t)) = content.first_mut()
        && t.starts_with(|c: char| c.is_whitespace())
    {
        lead = true;
        *t = t.trim_start().to_string();
        if t.is_empty() {
            content.remove(0);
        }
    }
    if let Some(Inline::Text(t)) = content.last_mut()
        && t.ends_with(|c: char| c.is_whitespace())
    {
        trail = true;
        *t = t.trim_end().to_string();
        if t.is_empty() {
            content.pop();
        }
    }
    while matches!(content.last(), Some(Inline::LineBreak)) {
        content.pop();
        trail = true;
    }
    if lead {
        push_text(v, " ");
    }
    if !content.is_empty() {
        v.push(wrap(content));
    }
    if trail {
        push_text(v, " ");
    }
}

/// Writes the project into `dir`: into a temporary folder beside it first,
/// then moved into place, and read back with the source reader (any error
/// there is a bug of the importer, reported as such, and the project is
/// taken away again). An existing non-empty folder is refused unless
/// `force`; with `force` only the project's own files are replaced, and
/// they are read back before they replace anything. Returns the paths
/// written.
pub fn write_project(
    imp: &Imported,
    dir: &Path,
    force: bool,
) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
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
) -> Result<(Vec<PathBuf>, Option<crate::source::Loaded>), Box<Diagnostic>> {
    let err = |code: &'static str, msg: String, help: &str| {
        Box::new(
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
    let result = (|| -> Result<(Vec<PathBuf>, Option<crate::source::Loaded>), Box<Diagnostic>> {
        std::fs::create_dir(&tmp).map_err(|e| {
            err(
                "output-unwritable",
                format!("cannot write beside {}: {e}", dir.display()),
                "check the path and permissions",
            )
        })?;
        let mut rel: Vec<String> = Vec::new();
        for (path, contents) in imp.files() {
            std::fs::write(tmp.join(&path), contents).map_err(|e| {
                err(
                    "output-unwritable",
                    format!("cannot write {path}: {e}"),
                    "check free space and permissions",
                )
            })?;
            rel.push(path);
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
                std::fs::copy(&im.from, tmp.join(&im.to)).map_err(|e| {
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
fn read_back(from: &Path, dir: &Path) -> Result<crate::source::Loaded, Box<Diagnostic>> {
    let loaded = crate::source::load(from);
    if let Some(first) = loaded.diagnostics.iter().find(|d| d.is_error()) {
        return Err(Box::new(
            Diagnostic::error(
                "import-bug",
                format!("the imported project does not read back ({first})"),
            )
            .in_file(dir)
            .help("this is a bug in qalam import; please report it with the input file"),
        ));
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_comes_from_the_letters() {
        let tag = |t: &str| language_of_letters([t]).as_str().to_string();
        assert_eq!(tag("The civil service"), "en");
        assert_eq!(tag("Государственная служба"), "ru");
        assert_eq!(tag("Мемлекеттік қызмет"), "kk");
    }
}
