//! Diagnostics: errors and warnings that point at a file, line and column,
//! show the source line, and say how to fix the problem.
//!
//! Errors are values collected in [`Diagnostics`]; only the command layer
//! decides exit codes. Rendering uses codespan-reporting so that every
//! message looks the same whichever stage produced it.

use crate::model::{FileId, Span};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{self, Files};
use codespan_reporting::term;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The code of [`Diagnostic::bug`].
pub const BUG: &str = "bug";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable identifier (`note-undefined`, `unknown-key`, …), for
    /// tests and for people searching the README.
    pub code: &'static str,
    pub message: String,
    /// The file the problem is in, as shown to the user.
    pub file: Option<PathBuf>,
    /// 1-based line and column (in characters); 0 when unknown.
    pub line: u32,
    pub column: u32,
    pub help: Option<String>,
    /// Where in the source map the span lies, for the snippet.
    source: Option<(FileId, Range<usize>)>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// A fault of qalam's own, not of the input (a bundled font that cannot
    /// be subset, a package that cannot be written into memory): code `bug`,
    /// with a help line that asks for a report.
    pub fn bug(message: impl Into<String>) -> Self {
        Self::error(BUG, message)
            .help("this is a bug in qalam; please report it with the book or file that causes it")
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: clip_quoted(&message.into()),
            file: None,
            line: 0,
            column: 0,
            help: None,
            source: None,
        }
    }

    /// Points at a file without a position (e.g. a file that cannot be read).
    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(path.into());
        self
    }

    /// Points at a span of a file registered in `sources`.
    pub fn at(mut self, sources: &SourceMap, span: Span) -> Self {
        let file = sources.file(span.file);
        let (line, column) = file.line_col(span.start as usize);
        self.file = Some(file.path.clone());
        self.line = line;
        self.column = column;
        self.source = Some((span.file, span.range()));
        self
    }

    /// Points at a 1-based line and column of a file that is not in a source map.
    pub fn at_line(mut self, path: impl Into<PathBuf>, line: u32, column: u32) -> Self {
        self.file = Some(path.into());
        self.line = line;
        self.column = column;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(clip_quoted(&help.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or as much of it as is known.
    pub fn location(&self) -> String {
        match (&self.file, self.line) {
            (Some(f), 0) => f.display().to_string(),
            (Some(f), l) => format!("{}:{}:{}", f.display(), l, self.column),
            (None, _) => String::new(),
        }
    }

    /// Renders the diagnostic with its source snippet (when the file is in
    /// `sources`), as plain text or with terminal colours.
    pub fn render(&self, sources: &SourceMap, color: bool) -> String {
        let severity = match self.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let mut d = cs::Diagnostic::new(severity)
            .with_code(self.code)
            .with_message(&self.message);
        let snippet = self.source.as_ref().and_then(|(file, range)| {
            snippet_range(sources.file(*file), range).map(|r| (*file, r))
        });
        if let Some((file, range)) = snippet {
            d = d.with_labels(vec![cs::Label::primary(file, range)]);
        } else if let Some(f) = &self.file {
            let loc = if self.line > 0 {
                format!("{}:{}:{}", f.display(), self.line, self.column)
            } else {
                f.display().to_string()
            };
            d = d.with_notes(vec![format!("in {loc}")]);
        }
        if let Some(help) = &self.help {
            d.notes.push(format!("help: {help}"));
        }
        let config = term::Config::default();
        if color {
            let mut buf = term::termcolor::Buffer::ansi();
            if term::emit_to_write_style(&mut buf, &config, sources, &d).is_ok() {
                return String::from_utf8_lossy(buf.as_slice()).into_owned();
            }
        }
        term::emit_into_string(&config, sources, &d).unwrap_or_else(|_| self.to_string())
    }
}

/// Source lines longer than this are not shown under a diagnostic (a
/// minified or generated file would print megabytes); the position is.
const MAX_SNIPPET_LINE: usize = 300;
/// A span over more lines than this is shown by its first line only.
const MAX_SNIPPET_LINES: usize = 6;

/// The part of `range` to underline in a snippet: clamped to the text and to
/// a few lines; `None` when the line is too long to show.
fn snippet_range(file: &SourceFile, range: &Range<usize>) -> Option<Range<usize>> {
    let len = file.text.len();
    let start = range.start.min(len);
    let end = range.end.max(start + 1).min(len).max(start);
    let line = match file.line_starts.binary_search(&start) {
        Ok(i) => i,
        Err(i) => i - 1,
    };
    let line_start = file.line_starts[line];
    let line_end = file.line_starts.get(line + 1).copied().unwrap_or(len);
    if line_end - line_start > MAX_SNIPPET_LINE {
        return None;
    }
    let end_line = file.line_starts.partition_point(|&s| s < end);
    if end_line.saturating_sub(line) > MAX_SNIPPET_LINES {
        return Some(start..line_end.saturating_sub(1).max(start));
    }
    Some(start..end)
}

/// The longest piece of the user's input a message quotes, in characters.
pub const MAX_QUOTED_CHARS: usize = 200;

/// `text` with every quoted piece (between backticks or double quotes) and
/// every run without white space longer than [`MAX_QUOTED_CHARS`] shortened
/// to its start and end around "…": a 7 MB key name must not come back
/// whole in a terminal or a CI log.
pub fn clip_quoted(text: &str) -> String {
    if text.chars().count() <= MAX_QUOTED_CHARS {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len().min(4 * MAX_QUOTED_CHARS));
    let mut rest = text;
    while !rest.is_empty() {
        // The next piece: a quoted run (with its quotes), a run of white
        // space, or a run of anything else up to the next quote or space.
        let first = rest.chars().next().unwrap_or(' ');
        let len = if first == '`' || first == '"' {
            rest[1..].find(first).map_or(rest.len(), |i| i + 2)
        } else if first.is_whitespace() {
            rest.find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len())
        } else {
            rest.find(|c: char| c.is_whitespace() || c == '`' || c == '"')
                .unwrap_or(rest.len())
        };
        let (piece, tail) = rest.split_at(len.max(first.len_utf8()));
        out.push_str(&clip(piece));
        rest = tail;
    }
    out
}

/// `piece` itself, or its first and last characters around "…".
fn clip(piece: &str) -> std::borrow::Cow<'_, str> {
    let n = piece.chars().count();
    if n <= MAX_QUOTED_CHARS {
        return piece.into();
    }
    let head: String = piece.chars().take(MAX_QUOTED_CHARS * 2 / 3).collect();
    let tail: String = piece.chars().skip(n - MAX_QUOTED_CHARS / 4).collect();
    format!("{head}…{tail}").into()
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let loc = self.location();
        if loc.is_empty() {
            write!(f, "{kind}[{}]: {}", self.code, self.message)?;
        } else {
            write!(f, "{loc}: {kind}[{}]: {}", self.code, self.message)?;
        }
        if let Some(h) = &self.help {
            write!(f, " (help: {h})")?;
        }
        Ok(())
    }
}

/// Everything found so far, in the order found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }
    pub fn error_count(&self) -> usize {
        self.list.iter().filter(|d| d.is_error()).count()
    }
    pub fn warning_count(&self) -> usize {
        self.list.len() - self.error_count()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.list.iter()
    }
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
    pub fn len(&self) -> usize {
        self.list.len()
    }
    /// Each diagnostic changed by `f` (e.g. placed where the caller knows).
    pub fn map(self, f: impl FnMut(Diagnostic) -> Diagnostic) -> Self {
        Diagnostics {
            list: self.list.into_iter().map(f).collect(),
        }
    }
    /// Orders by file, line and column so output is stable whatever order
    /// (or thread) produced the diagnostics.
    pub fn sort(&mut self) {
        self.list.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { list: vec![d] }
    }
}

impl From<Box<Diagnostic>> for Diagnostics {
    fn from(d: Box<Diagnostic>) -> Self {
        Diagnostics { list: vec![*d] }
    }
}

/// One diagnostic a line, without snippets (for logs and panics; the CLI
/// renders with [`Diagnostic::render`]).
impl std::fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, d) in self.list.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

/// Why a file could not be read, in the words of a message.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "it does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// One source file read by a reader, kept for snippets and positions.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to the user.
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let line_starts = std::iter::once(0).chain(memchr_newlines(&text)).collect();
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line as u32 + 1, col as u32 + 1)
    }

    /// Byte offset of a 1-based line and column (in characters).
    pub fn offset(&self, line: u32, column: u32) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1) as usize) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(self.text.len(), |(i, _)| start + i)
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i + 1)
}

/// All files read for one book, addressed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, path: impl Into<PathBuf>, text: String) -> FileId {
        self.files.push(SourceFile::new(path.into(), text));
        FileId(self.files.len() as u32 - 1)
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The book's `book.toml` as read (the first file of that name), for
    /// writers that report a setting: its id and its text.
    pub fn book_toml(&self) -> Option<(FileId, &str)> {
        self.files
            .iter()
            .position(|f| f.path.file_name().is_some_and(|n| n == "book.toml"))
            .map(|i| (FileId(i as u32), self.files[i].text.as_str()))
    }

    /// The paths of the files read, in the order read.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.path.as_path())
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| FileId(i as u32))
    }
}

impl<'a> Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, files::Error> {
        self.files
            .get(id.0 as usize)
            .map(|f| f.path.display().to_string())
            .ok_or(files::Error::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, files::Error> {
        self.files
            .get(id.0 as usize)
            .map(|f| f.text.as_str())
            .ok_or(files::Error::FileMissing)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, files::Error> {
        let f = self
            .files
            .get(id.0 as usize)
            .ok_or(files::Error::FileMissing)?;
        Ok(match f.line_starts.binary_search(&byte_index) {
            Ok(i) => i,
            Err(i) => i - 1,
        })
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, files::Error> {
        let f = self
            .files
            .get(id.0 as usize)
            .ok_or(files::Error::FileMissing)?;
        let start = *f
            .line_starts
            .get(line_index)
            .ok_or(files::Error::LineTooLarge {
                given: line_index,
                max: f.line_starts.len() - 1,
            })?;
        let end = f
            .line_starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(f.text.len());
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("x.md".into(), "ab\nкв x\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // "кв " is 5 bytes; 'x' is the 4th character of line 2.
        assert_eq!(f.line_col(8), (2, 4));
        assert_eq!(f.offset(2, 4), 8);
    }

    #[test]
    fn a_bug_asks_for_a_report_and_diagnostics_keep_their_order() {
        let bug = Diagnostic::bug("the package could not be written");
        assert!(bug.is_error());
        assert_eq!(bug.code, BUG);
        assert!(bug.help.as_deref().is_some_and(|h| h.contains("report")));
        let mut all = Diagnostics::from(bug);
        all.push(Diagnostic::warning("w", "second"));
        let placed = all.map(|d| d.at_line("ch.md", 3, 1));
        let lines: Vec<String> = placed.to_string().lines().map(String::from).collect();
        assert_eq!(lines.len(), 2, "{placed}");
        assert!(
            lines[0].starts_with("ch.md:3:1: error[bug]: the package"),
            "{placed}"
        );
        assert!(
            lines[1].starts_with("ch.md:3:1: warning[w]: second"),
            "{placed}"
        );
        assert_eq!((placed.error_count(), placed.warning_count()), (1, 1));
    }

    #[test]
    fn renders_snippet_and_help() {
        let mut sources = SourceMap::new();
        let id = sources.add("book/ch.md", "line one\nbad [^x] here\n".to_string());
        let d = Diagnostic::error("note-undefined", "note `x` is never defined")
            .at(&sources, Span::new(id, 13..17))
            .help("add `[^x]: …` below the paragraph");
        assert_eq!(d.location(), "book/ch.md:2:5");
        let text = d.render(&sources, false);
        assert!(text.contains("book/ch.md:2:5"), "{text}");
        assert!(text.contains("bad [^x] here"), "{text}");
        assert!(text.contains("help: add"), "{text}");
    }

    /// A long key, value or word from the input comes back shortened, in
    /// messages and help alike; short messages are left as they are.
    #[test]
    fn long_quotes_are_clipped() {
        let key = "k".repeat(7_000_000);
        let d = Diagnostic::error("unknown-key", format!("unknown key `{key}` in [book]")).help(
            format!(
                "did you mean \"{}\"? or {}",
                "v ".repeat(300),
                "w".repeat(500)
            ),
        );
        assert!(
            d.message.len() < 2 * MAX_QUOTED_CHARS,
            "{}",
            d.message.len()
        );
        assert!(d.message.starts_with("unknown key `kkk") && d.message.ends_with("kk` in [book]"));
        assert!(d.message.contains('…'));
        let help = d.help.as_deref().unwrap();
        assert!(help.len() < 3 * MAX_QUOTED_CHARS + 20, "{}", help.len());
        assert!(help.starts_with("did you mean \"v v") && help.contains("? or www"));
        let short = Diagnostic::error("x", "a `short` message with \"quotes\"");
        assert_eq!(short.message, "a `short` message with \"quotes\"");
        // An unmatched quote and multi-byte text do not break it.
        let odd = clip_quoted(&format!("`{}", "é".repeat(1000)));
        assert!(
            odd.chars().count() <= MAX_QUOTED_CHARS + 1,
            "{}",
            odd.chars().count()
        );
    }
}
