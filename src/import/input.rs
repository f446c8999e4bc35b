//! The input file: read within its size limit, decoded, and told apart
//! as text or a saved web page.

use super::report::Report;
use super::{Format, MAX_INPUT_BYTES, html};
use crate::diag::Diagnostic;
use crate::model::Lang;
use std::path::Path;

/// The content of the input file at `path`, at most [`MAX_INPUT_BYTES`].
pub(super) fn read_input(path: &Path) -> Result<Vec<u8>, Box<Diagnostic>> {
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

/// en, ru or kk from the letters of `texts`: Cyrillic over Latin is
/// Russian, or Kazakh with one Cyrillic letter in a hundred of Kazakh's own.
pub(super) fn language_of_letters(texts: impl IntoIterator<Item = impl AsRef<str>>) -> Lang {
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

/// Checks and decodes the input: its size, its encoding, whether it is
/// text or a page (the content decides; a misleading extension is
/// reported), and for a page how deep its elements nest.
pub(super) fn open(bytes: &[u8], name: &Path) -> Result<(String, Format, Report), Box<Diagnostic>> {
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
            Format::Docx => "docx".into(),
            Format::Odt => "odt".into(),
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
        let shape = html::shape(&text);
        if shape.elements > html::MAX_HTML_ELEMENTS {
            return Err(Box::new(
                Diagnostic::error(
                    "import-too-large",
                    format!(
                        "{}: the page has {} elements, more than the {} an interview page can have",
                        name.display(),
                        shape.elements,
                        html::MAX_HTML_ELEMENTS
                    ),
                )
                .in_file(name)
                .help("save the article alone (e.g. the browser's reader view, or copy its text into a .txt file) and import that"),
            ));
        }
        let depth = shape.depth;
        if depth > html::MAX_HTML_NESTING {
            return Err(Box::new(
                Diagnostic::error(
                    "import-too-deep",
                    format!(
                        "{}: the page's elements are nested at least {depth} deep, more than the {} a page can have",
                        name.display(),
                        html::MAX_HTML_NESTING
                    ),
                )
                .in_file(name)
                .help("save the article alone (e.g. the browser's reader view, or copy its text into a .txt file) and import that"),
            ));
        }
    }

    Ok((text, format, report))
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
