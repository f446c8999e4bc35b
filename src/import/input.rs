//! The input file: read within its size limit, decoded, and told apart
//! as text or a saved web page.

use super::report::Report;
use super::{Format, MAX_INPUT_BYTES, html};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Lang;
use std::path::Path;

/// The content of the input file at `path`, at most [`MAX_INPUT_BYTES`].
pub(super) fn read_input(path: &Path) -> Result<Vec<u8>, Diagnostics> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(
                "import-unreadable",
                format!("cannot read {}: {}", path.display(), io_reason(&e)),
            )
            .in_file(path)
            .help("name an existing .txt or .html file"),
        )
    })?;
    if meta.is_dir() {
        return Err(Diagnostics::from(
            Diagnostic::error(
                "import-unreadable",
                format!("{} is a folder", path.display()),
            )
            .in_file(path)
            .help("name the saved page or text file itself, e.g. interview.html"),
        ));
    }
    let too_large = |len: u64| {
        Diagnostics::from(
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
            Diagnostics::from(
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
/// with a byte-order mark, the legacy encoding the page declares, or else
/// the one its bytes look like (most often Windows-1251 for Russian and
/// Kazakh pages, Windows-1252 for Western ones). Binary files are refused.
/// The second value names the encoding when it was not UTF-8.
fn decode(bytes: &[u8]) -> Result<(String, Option<String>), NotText> {
    if bytes.starts_with(b"%PDF") {
        return Err(NotText::Pdf);
    }
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes)
        && enc != encoding_rs::UTF_8
    {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return Ok((text.into_owned(), Some("UTF-16".into())));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(NotText::Binary);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), None));
    }
    // A page that says UTF-8 (or UTF-16, which a byte-oriented page cannot
    // be) but is not has lied about its encoding: guess instead.
    let enc = declared_encoding(head)
        .filter(|e| e.output_encoding() != encoding_rs::UTF_8)
        .unwrap_or_else(|| {
            // Not ISO-2022-JP: it is 7-bit, and bytes that failed as UTF-8
            // have an 8-bit one.
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            detector.guess(None, chardetng::Utf8Detection::Deny)
        });
    let (text, _) = enc.decode_without_bom_handling(bytes);
    Ok((text.into_owned(), Some(shown_name(enc))))
}

/// Why the input is not text: the end of its `import-not-text` message.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
enum NotText {
    #[error("it is a PDF")]
    Pdf,
    #[error("it holds binary data")]
    Binary,
}

/// The encoding named by a `<meta charset>`, `<meta http-equiv … charset=>`
/// or an XML declaration near the start of the page, when it is one
/// encoding_rs knows.
fn declared_encoding(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower = head.to_ascii_lowercase();
    ["charset=", "encoding="].iter().find_map(|key| {
        let at = memchr::memmem::find(&lower, key.as_bytes())? + key.len();
        let rest = &lower[at..];
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b':')))
            .unwrap_or(rest.len());
        encoding_rs::Encoding::for_label(&rest[..end])
    })
}

/// The name the report shows: as the encoding is usually written
/// ("Windows-1251"), not in the lower case of the standard's labels.
fn shown_name(enc: &'static encoding_rs::Encoding) -> String {
    match enc.name().strip_prefix("windows-") {
        Some(page) => format!("Windows-{page}"),
        None => enc.name().to_string(),
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
pub(super) fn open(bytes: &[u8], name: &Path) -> Result<(String, Format, Report), Diagnostics> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Diagnostics::from(
            Diagnostic::error(
                "import-too-large",
                "the input is too large to be an interview",
            )
            .in_file(name),
        ));
    }
    let (text, decoded_as) = decode(bytes).map_err(|msg| {
        Diagnostics::from(
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
            return Err(Diagnostics::from(
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
            return Err(Diagnostics::from(
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

    const RUSSIAN: &str = "Государственная служба должна быть открытой и честной. \
        Мы говорили с картографом о старых картах, кочевых маршрутах и о том, \
        почему навигатор ошибается в степи.";
    const CURLY: &str = "“It’s the map,” she said — “not the road.” \
        The caravan’s ledger listed every well… and every debt.";

    fn legacy(enc: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = enc.encode(text);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err());
        bytes.into_owned()
    }

    fn page(charset: &str, body: &[u8]) -> Vec<u8> {
        let mut b = format!(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\"></head><body><p>"
        )
        .into_bytes();
        b.extend_from_slice(body);
        b.extend_from_slice(b"</p></body></html>");
        b
    }

    #[test]
    fn windows_1251_russian_with_and_without_a_declaration() {
        let bytes = legacy(encoding_rs::WINDOWS_1251, RUSSIAN);
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(text, RUSSIAN);
        assert_eq!(enc.as_deref(), Some("Windows-1251"));
        let (text, enc) = decode(&page("windows-1251", &bytes)).unwrap();
        assert!(text.contains(RUSSIAN), "{text}");
        assert_eq!(enc.as_deref(), Some("Windows-1251"));
        let (_, enc) = decode(&page("\"CP1251\"", &bytes)).unwrap();
        assert_eq!(enc.as_deref(), Some("Windows-1251"));
    }

    #[test]
    fn windows_1252_curly_quotes_with_and_without_a_declaration() {
        let bytes = legacy(encoding_rs::WINDOWS_1252, CURLY);
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(text, CURLY);
        assert_eq!(enc.as_deref(), Some("Windows-1252"));
        // ISO-8859-1 is read as its superset, as browsers do.
        let (text, enc) = decode(&page("iso-8859-1", &bytes)).unwrap();
        assert!(text.contains(CURLY), "{text}");
        assert_eq!(enc.as_deref(), Some("Windows-1252"));
    }

    #[test]
    fn a_declaration_wins_over_the_guess_and_utf8_over_the_declaration() {
        // Cyrillic bytes declared as KOI8-R are read as KOI8-R, not guessed.
        let koi = legacy(encoding_rs::KOI8_R, RUSSIAN);
        let (text, enc) = decode(&page("koi8-r", &koi)).unwrap();
        assert!(text.contains(RUSSIAN), "{text}");
        assert_eq!(enc.as_deref(), Some("KOI8-R"));
        // Valid UTF-8 stays UTF-8 whatever the page says.
        let (text, enc) = decode(&page("windows-1251", RUSSIAN.as_bytes())).unwrap();
        assert!(text.contains(RUSSIAN), "{text}");
        assert_eq!(enc, None);
        // A page that claims UTF-8 but is not is guessed.
        let bytes = legacy(encoding_rs::WINDOWS_1251, RUSSIAN);
        let (text, enc) = decode(&page("utf-8", &bytes)).unwrap();
        assert!(text.contains(RUSSIAN), "{text}");
        assert_eq!(enc.as_deref(), Some("Windows-1251"));
    }

    #[test]
    fn utf16_with_a_byte_order_mark_and_binary_input() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(CURLY.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            decode(&le).unwrap(),
            (CURLY.to_string(), Some("UTF-16".into()))
        );
        let mut be = vec![0xFE, 0xFF];
        be.extend(RUSSIAN.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap().0, RUSSIAN);
        assert_eq!(decode(b"%PDF-1.7\n"), Err(NotText::Pdf));
        assert_eq!(decode(b"abc\0def"), Err(NotText::Binary));
    }
}
