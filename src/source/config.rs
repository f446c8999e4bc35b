//! `book.toml`: the book's metadata, chapter order and output settings.
//!
//! Read in two passes. The first walks the parsed document with its spans and
//! checks every key against the known ones, so an unknown key is reported at
//! its own line with a "did you mean" (serde's `deny_unknown_fields` stops at
//! the first key and knows nothing of keys that belong in another table). The
//! second deserializes into typed structs and turns values into settings.

use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{
    Contributor, CoverSettings, CoverStyle, EpubSettings, FileId, FontSettings, Lang, Length,
    NoRoom, Paper, PdfSettings, PdfVariant, Role, Settings, Span, TrimSize,
};
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Known tables and their keys. The single source of truth for the key check;
/// the typed structs below must accept exactly these.
pub const SCHEMA: &[(&str, &[&str])] = &[
    (
        "book",
        &[
            "title",
            "subtitle",
            "authors",
            "authors-sort",
            "editors",
            "translators",
            "photographers",
            "illustrators",
            "language",
            "identifier",
            "publisher",
            "date",
            "rights",
            "description",
            "keywords",
            "subject",
            "cover",
            "chapters",
            "slug",
        ],
    ),
    (
        "pdf",
        &[
            "trim",
            "bleed",
            "font-size",
            "leading",
            "margin-inner",
            "margin-outer",
            "margin-top",
            "margin-bottom",
            "variants",
            "crop-marks",
            "pdf-a",
            "microtype",
            "expansion-stretch",
            "expansion-shrink",
            "hyphenate",
            "warn-ppi",
            "min-ppi",
        ],
    ),
    ("epub", &["toc-depth", "page-list", "embed-fonts"]),
    ("fonts", &["body", "heading", "mono", "dirs"]),
    (
        "cover",
        &[
            "style",
            "background",
            "foreground",
            "accent",
            "print",
            "safe-area",
            "paper",
            "paper-ppi",
        ],
    ),
];

/// What `book.toml` says, with spans kept for the values that name files.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    /// One filing name per author, or empty.
    pub authors_sort: Vec<String>,
    pub contributors: Vec<Contributor>,
    pub language: Lang,
    pub identifier: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub rights: Option<String>,
    pub description: Option<String>,
    pub keywords: Vec<String>,
    pub subject: Option<String>,
    pub slug: Option<String>,
    pub cover: Option<(String, Span)>,
    /// `[cover] print`: art at trim plus bleed, resolved by the reader.
    pub print_cover: Option<(String, Span)>,
    pub chapters: Option<Vec<(String, Span)>>,
    /// Font folders as written, resolved by the reader.
    pub font_dirs: Vec<(String, Span)>,
    pub settings: Settings,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    book: Option<RawBook>,
    #[serde(default)]
    pdf: RawPdf,
    #[serde(default)]
    epub: RawEpub,
    #[serde(default)]
    fonts: RawFonts,
    #[serde(default)]
    cover: RawCover,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBook {
    title: Option<Spanned<String>>,
    subtitle: Option<Spanned<String>>,
    #[serde(default)]
    authors: Vec<Spanned<String>>,
    authors_sort: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    editors: Vec<Spanned<String>>,
    #[serde(default)]
    translators: Vec<Spanned<String>>,
    #[serde(default)]
    photographers: Vec<Spanned<String>>,
    #[serde(default)]
    illustrators: Vec<Spanned<String>>,
    language: Option<Spanned<String>>,
    identifier: Option<Spanned<String>>,
    publisher: Option<Spanned<String>>,
    date: Option<Spanned<DateValue>>,
    rights: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    #[serde(default)]
    keywords: Vec<Spanned<String>>,
    subject: Option<Spanned<String>>,
    cover: Option<Spanned<String>>,
    chapters: Option<Vec<Spanned<String>>>,
    slug: Option<Spanned<String>>,
}

/// A date may be written as a TOML date (`date = 2024-05-01`) or a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum DateValue {
    Text(String),
    Toml(toml::value::Datetime),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPdf {
    trim: Option<Spanned<String>>,
    bleed: Option<Spanned<String>>,
    font_size: Option<Spanned<String>>,
    leading: Option<Spanned<String>>,
    margin_inner: Option<Spanned<String>>,
    margin_outer: Option<Spanned<String>>,
    margin_top: Option<Spanned<String>>,
    margin_bottom: Option<Spanned<String>>,
    variants: Option<Vec<Spanned<String>>>,
    crop_marks: Option<bool>,
    pdf_a: Option<bool>,
    microtype: Option<bool>,
    expansion_stretch: Option<Spanned<i64>>,
    expansion_shrink: Option<Spanned<i64>>,
    hyphenate: Option<bool>,
    warn_ppi: Option<Spanned<i64>>,
    min_ppi: Option<Spanned<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEpub {
    toc_depth: Option<Spanned<i64>>,
    page_list: Option<bool>,
    embed_fonts: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFonts {
    body: Option<String>,
    heading: Option<String>,
    mono: Option<String>,
    #[serde(default)]
    dirs: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCover {
    style: Option<Spanned<String>>,
    background: Option<Spanned<String>>,
    foreground: Option<Spanned<String>>,
    accent: Option<Spanned<String>>,
    print: Option<Spanned<String>>,
    safe_area: Option<Spanned<String>>,
    paper: Option<Spanned<String>>,
    paper_ppi: Option<Spanned<f64>>,
}

/// Parses `book.toml` (already registered as `file` in `sources`). Returns
/// `None` when an error makes the configuration unusable; every problem
/// found is pushed to `diags`.
pub fn parse(sources: &SourceMap, file: FileId, diags: &mut Diagnostics) -> Option<Config> {
    let text = &sources.file(file).text;
    let span = |r: std::ops::Range<usize>| Span::new(file, r);

    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let r = e.span().unwrap_or(0..0);
            diags.push(
                Diagnostic::error("toml-syntax", format!("book.toml is not valid TOML: {}", first_line(e.message())))
                    .at(sources, span(r))
                    .help("see the book.toml example in the README; strings need quotes, tables are written [book], [pdf], [epub]"),
            );
            return None;
        }
    };

    let before = diags.error_count();
    check_keys(doc.get_ref(), sources, file, diags);
    if diags.error_count() > before {
        return None;
    }

    let mut raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let r = e.span().unwrap_or(0..0);
            diags.push(
                Diagnostic::error(
                    "config-type",
                    format!("wrong value in book.toml: {}", first_line(e.message())),
                )
                .at(sources, span(r))
                .help(
                    "check the value's type: text in quotes, lists in [ ], switches true or false",
                ),
            );
            return None;
        }
    };

    let Some(book) = raw.book else {
        diags.push(
            Diagnostic::error("missing-title", "book.toml has no [book] table")
                .at(sources, span(0..0))
                .help("start the file with:\n[book]\ntitle = \"Your title\""),
        );
        return None;
    };
    let title = match book.title {
        Some(t) if !is_blank(t.get_ref()) => t.into_inner().trim().to_string(),
        Some(t) => {
            diags.push(
                Diagnostic::error(
                    "missing-title",
                    format!("the book's title {}", blank_reason(t.get_ref())),
                )
                .at(sources, span(t.span()))
                .help("give the book a title: title = \"Your title\""),
            );
            return None;
        }
        None => {
            diags.push(
                Diagnostic::error("missing-title", "book.toml has no `title` in [book]")
                    .at(sources, span(table_span(doc.get_ref(), "book")))
                    .help("add a line under [book]: title = \"Your title\""),
            );
            return None;
        }
    };

    let language = match &book.language {
        None => Lang::english(),
        Some(l) => match Lang::parse(l.get_ref()) {
            Some(lang) => lang,
            None => {
                diags.push(
                    Diagnostic::error(
                        "bad-language",
                        format!("`{}` is not a language tag", l.get_ref()),
                    )
                    .at(sources, span(l.span()))
                    .help("use a BCP 47 tag such as \"en\", \"ru\", \"kk\" or \"en-GB\""),
                );
                Lang::english()
            }
        },
    };

    let date = book.date.and_then(|d| {
        let s = d.span();
        let text = match d.into_inner() {
            DateValue::Text(t) => t,
            DateValue::Toml(dt) => dt.to_string(),
        };
        if is_iso_date(&text) {
            Some(text)
        } else {
            diags.push(
                Diagnostic::error("bad-date", format!("`{text}` is not a date"))
                    .at(sources, span(s))
                    .help("write dates as YYYY-MM-DD, e.g. date = \"2024-05-01\""),
            );
            None
        }
    });

    let slug = book.slug.and_then(|s| {
        let valid = !s.get_ref().is_empty()
            && s.get_ref()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid {
            Some(s.into_inner())
        } else {
            diags.push(
                Diagnostic::error("bad-slug", format!("`{}` is not a usable file name", s.get_ref()))
                    .at(sources, span(s.span()))
                    .help("a slug uses lower-case ASCII letters, digits and hyphens, e.g. slug = \"new-national-story\""),
            );
            None
        }
    });

    let settings = Settings {
        pdf: pdf_settings(raw.pdf, sources, file, diags),
        epub: epub_settings(raw.epub, sources, file, diags),
        fonts: FontSettings {
            body: raw.fonts.body,
            heading: raw.fonts.heading,
            mono: raw.fonts.mono,
            dirs: Vec::new(),
        },
        cover: cover_settings(&mut raw.cover, sources, file, diags),
    };

    // Text values: one that would be empty once written (nothing but
    // spaces and control characters) is an error at its place, never an
    // empty `dc:` element in the EPUB (EPUBCheck RSC-005).
    let mut one = |key: &str, v: Option<Spanned<String>>| {
        let v = v?;
        if is_blank(v.get_ref()) {
            diags.push(
                Diagnostic::error(
                    "empty-value",
                    format!("`{key}` {}", blank_reason(v.get_ref())),
                )
                .at(sources, span(v.span()))
                .help(format!("give `{key}` a value, or remove the line")),
            );
            return None;
        }
        Some(v.into_inner().trim().to_string())
    };
    let subtitle = one("subtitle", book.subtitle);
    let identifier = one("identifier", book.identifier);
    let publisher = one("publisher", book.publisher);
    let rights = one("rights", book.rights);
    let description = one("description", book.description);
    let subject = one("subject", book.subject);
    let mut many = |key: &str, list: Vec<Spanned<String>>| -> Vec<String> {
        list.into_iter()
            .filter_map(|v| {
                if is_blank(v.get_ref()) {
                    diags.push(
                        Diagnostic::error(
                            "empty-value",
                            format!("an entry of `{key}` {}", blank_reason(v.get_ref())),
                        )
                        .at(sources, span(v.span()))
                        .help(format!(
                            "remove the empty entry from `{key}`, or give it a value"
                        )),
                    );
                    return None;
                }
                Some(v.into_inner().trim().to_string())
            })
            .collect()
    };
    let authors = many("authors", book.authors);
    let keywords = many("keywords", book.keywords);
    let mut contributors = Vec::new();
    for (role, list) in Role::ALL.into_iter().zip([
        book.editors,
        book.translators,
        book.photographers,
        book.illustrators,
    ]) {
        contributors.extend(
            many(role.key(), list)
                .into_iter()
                .map(|name| Contributor { name, role }),
        );
    }
    let authors_sort = match book.authors_sort {
        None => Vec::new(),
        Some(list) => {
            let at = list.span();
            let sorts = many("authors-sort", list.into_inner());
            if sorts.len() == authors.len() {
                sorts
            } else {
                diags.push(
                    Diagnostic::error(
                        "bad-authors-sort",
                        format!(
                            "`authors-sort` names {} but `authors` names {}",
                            count(sorts.len(), "filing name"),
                            count(authors.len(), "author")
                        ),
                    )
                    .at(sources, span(at))
                    .help("give one filing name per author, in the same order, e.g. authors = [\"Alikhan Baimenov\"] with authors-sort = [\"Baimenov, Alikhan\"]"),
                );
                Vec::new()
            }
        }
    };

    Some(Config {
        title,
        subtitle,
        authors,
        authors_sort,
        contributors,
        language,
        identifier,
        publisher,
        date,
        rights,
        description,
        keywords,
        subject,
        slug,
        cover: book.cover.map(|c| (c.get_ref().clone(), span(c.span()))),
        print_cover: raw
            .cover
            .print
            .map(|c| (c.get_ref().clone(), span(c.span()))),
        chapters: book.chapters.map(|list| {
            list.into_iter()
                .map(|c| (c.get_ref().clone(), span(c.span())))
                .collect()
        }),
        font_dirs: raw
            .fonts
            .dirs
            .into_iter()
            .map(|d| (d.get_ref().clone(), span(d.span())))
            .collect(),
        settings,
    })
}

pub use crate::model::is_blank;

/// Why a blank value is blank, for its message (the value itself is not
/// quoted: there is nothing readable to quote).
pub fn blank_reason(s: &str) -> &'static str {
    if s.is_empty() {
        "is empty"
    } else if s.chars().all(char::is_whitespace) {
        "holds nothing but spaces"
    } else {
        "holds no text, only characters that are not text (control characters) or spaces"
    }
}

/// "1 author", "2 authors".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim_end_matches('.')
}

fn table_span(doc: &DeTable<'_>, name: &str) -> std::ops::Range<usize> {
    doc.iter()
        .find(|(k, _)| k.get_ref() == name)
        .map_or(0..0, |(k, _)| k.span())
}

/// Reports every key that is not in [`SCHEMA`], with the closest known key
/// (or the table where the key belongs).
fn check_keys(doc: &DeTable<'_>, sources: &SourceMap, file: FileId, diags: &mut Diagnostics) {
    let tables: Vec<&str> = SCHEMA.iter().map(|(t, _)| *t).collect();
    for (key, value) in doc.iter() {
        let name = key.get_ref().as_ref();
        let Some((_, keys)) = SCHEMA.iter().find(|(t, _)| *t == name) else {
            let mut d = Diagnostic::error(
                "unknown-key",
                format!("unknown table or key `{name}` in book.toml"),
            )
            .at(sources, Span::new(file, key.span()));
            d = match (closest(name, &tables), owning_table(name)) {
                (Some(t), _) => d.help(format!("did you mean `[{t}]`?")),
                (None, Some(t)) => d.help(format!("`{name}` belongs in the [{t}] table")),
                (None, None) => d.help(format!("known tables are {}", list(&tables))),
            };
            diags.push(d);
            continue;
        };
        let DeValue::Table(table) = value.get_ref() else {
            diags.push(
                Diagnostic::error("config-type", format!("`{name}` must be a table"))
                    .at(sources, Span::new(file, key.span()))
                    .help(format!("write it as a [{name}] section")),
            );
            continue;
        };
        for (k, _) in table.iter() {
            let kname = k.get_ref().as_ref();
            if keys.contains(&kname) {
                continue;
            }
            let mut d = Diagnostic::error(
                "unknown-key",
                format!("unknown key `{kname}` in [{name}] of book.toml"),
            )
            .at(sources, Span::new(file, k.span()));
            d = match (closest(kname, keys), owning_table(kname)) {
                (_, Some(t)) if t != name => {
                    d.help(format!("`{kname}` belongs in the [{t}] table"))
                }
                (Some(k2), _) => d.help(format!("did you mean `{k2}`?")),
                _ => d.help(format!("keys of [{name}] are {}", list(keys))),
            };
            diags.push(d);
        }
    }
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn owning_table(key: &str) -> Option<&'static str> {
    SCHEMA
        .iter()
        .find(|(_, keys)| keys.contains(&key))
        .map(|(t, _)| *t)
}

/// The known name closest to `name`, if it is close enough to be a typo.
pub fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase().replace('_', "-");
    known
        .iter()
        .map(|k| (*k, strsim::damerau_levenshtein(&lower, k)))
        .filter(|(k, d)| *d <= 2.max(k.len() / 3) && *d < k.len())
        .min_by_key(|(_, d)| *d)
        .map(|(k, _)| k)
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => {
            digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10) && {
                let m: u32 = s[5..7].parse().unwrap_or(0);
                let d: u32 = s[8..10].parse().unwrap_or(0);
                (1..=12).contains(&m) && (1..=31).contains(&d)
            }
        }
        _ => false,
    }
}

fn length(
    value: Option<Spanned<String>>,
    default: Length,
    sources: &SourceMap,
    file: FileId,
    diags: &mut Diagnostics,
) -> Length {
    let Some(v) = value else { return default };
    match Length::parse(v.get_ref()) {
        Ok(l) => l,
        Err(msg) => {
            diags.push(
                Diagnostic::error("bad-length", msg.to_string())
                    .at(sources, Span::new(file, v.span()))
                    .help("lengths take a unit: pt, pc, in, mm or cm"),
            );
            default
        }
    }
}

/// Most glyph expansion a book may ask for, in thousandths: past 5 % glyphs
/// look distorted.
const MAX_EXPANSION: i64 = 50;

/// A glyph-expansion bound in thousandths of the glyph width (as microtype
/// writes it), as a fraction.
fn expansion(
    raw: Option<Spanned<i64>>,
    key: &str,
    default: f32,
    sources: &SourceMap,
    file: FileId,
    diags: &mut Diagnostics,
) -> f32 {
    let Some(v) = raw else {
        return default;
    };
    let n = *v.get_ref();
    if (0..=MAX_EXPANSION).contains(&n) {
        n as f32 / 1000.0
    } else {
        diags.push(
            Diagnostic::error(
                "bad-expansion",
                format!("{key} = {n} is outside 0..={MAX_EXPANSION}"),
            )
            .at(sources, Span::new(file, v.span()))
            .help(format!(
                "{key} is in thousandths of a glyph's width, as microtype's: 20 (the default) lets glyphs grow or narrow by 2 %, 0 turns it off"
            )),
        );
        default
    }
}

fn pdf_settings(
    raw: RawPdf,
    sources: &SourceMap,
    file: FileId,
    diags: &mut Diagnostics,
) -> PdfSettings {
    let d = PdfSettings::default();
    // Where a page that leaves no room for text is reported: the first of
    // the keys that shape the text block that the book sets.
    let geometry_span = [
        raw.trim.as_ref().map(|v| v.span()),
        raw.margin_inner.as_ref().map(|v| v.span()),
        raw.margin_outer.as_ref().map(|v| v.span()),
        raw.margin_top.as_ref().map(|v| v.span()),
        raw.margin_bottom.as_ref().map(|v| v.span()),
        raw.font_size.as_ref().map(|v| v.span()),
        raw.leading.as_ref().map(|v| v.span()),
    ]
    .into_iter()
    .flatten()
    .next();
    let trim = match raw.trim {
        None => d.trim,
        Some(t) => TrimSize::parse(t.get_ref()).unwrap_or_else(|msg| {
            diags.push(
                Diagnostic::error("bad-trim", msg.to_string())
                    .at(sources, Span::new(file, t.span()))
                    .help("write trim = \"6in x 9in\", \"148mm x 210mm\", \"a5\", \"a4\", \"b5\" or \"letter\""),
            );
            d.trim
        }),
    };
    let mut variants = Vec::new();
    for v in raw.variants.unwrap_or_default() {
        let variant = match v.get_ref().as_str() {
            "screen" => PdfVariant::Screen,
            "print" => PdfVariant::Print,
            other => {
                diags.push(
                    Diagnostic::error("bad-variant", format!("unknown PDF variant `{other}`"))
                        .at(sources, Span::new(file, v.span()))
                        .help("variants are \"screen\" and \"print\""),
                );
                continue;
            }
        };
        if !variants.contains(&variant) {
            variants.push(variant);
        }
    }
    if variants.is_empty() {
        variants = d.variants.clone();
    }
    let font_size = length(raw.font_size, d.font_size, sources, file, diags);
    // Leading follows the font size when only the size is given (14/10.5).
    let default_leading = Length(font_size.pt() * d.leading.pt() / d.font_size.pt());
    let settings = PdfSettings {
        trim,
        bleed: length(raw.bleed, d.bleed, sources, file, diags),
        font_size,
        leading: length(raw.leading, default_leading, sources, file, diags),
        margin_inner: length(raw.margin_inner, d.margin_inner, sources, file, diags),
        margin_outer: length(raw.margin_outer, d.margin_outer, sources, file, diags),
        margin_top: length(raw.margin_top, d.margin_top, sources, file, diags),
        margin_bottom: length(raw.margin_bottom, d.margin_bottom, sources, file, diags),
        variants,
        crop_marks: raw.crop_marks.unwrap_or(d.crop_marks),
        pdf_a: raw.pdf_a.unwrap_or(d.pdf_a),
        microtype: raw.microtype.unwrap_or(d.microtype),
        expansion_stretch: expansion(
            raw.expansion_stretch,
            "expansion-stretch",
            d.expansion_stretch,
            sources,
            file,
            diags,
        ),
        expansion_shrink: expansion(
            raw.expansion_shrink,
            "expansion-shrink",
            d.expansion_shrink,
            sources,
            file,
            diags,
        ),
        hyphenate: raw.hyphenate.unwrap_or(d.hyphenate),
        warn_ppi: ppi(
            raw.warn_ppi.as_ref(),
            "warn-ppi",
            d.warn_ppi,
            sources,
            file,
            diags,
        ),
        min_ppi: ppi(
            raw.min_ppi.as_ref(),
            "min-ppi",
            d.min_ppi,
            sources,
            file,
            diags,
        ),
    };
    if settings.min_ppi > settings.warn_ppi
        && let Some(v) = raw.min_ppi.as_ref().or(raw.warn_ppi.as_ref())
    {
        diags.push(
            Diagnostic::error(
                "bad-ppi",
                format!(
                    "min-ppi ({}) is above warn-ppi ({})",
                    settings.min_ppi, settings.warn_ppi
                ),
            )
            .at(sources, Span::new(file, v.span()))
            .help("min-ppi is the error threshold and warn-ppi the warning one: e.g. min-ppi = 150, warn-ppi = 300"),
        );
    }
    if let Err(e) = settings.text_block() {
        let e = Diagnostic::error(NoRoom::CODE, e.to_string()).help(NoRoom::HELP);
        diags.push(match geometry_span {
            Some(span) => e.at(sources, Span::new(file, span)),
            None => e.in_file(sources.file(file).path.clone()),
        });
    }
    settings
}

/// A picture-resolution threshold: pixels per inch, 1 to 2400.
fn ppi(
    raw: Option<&Spanned<i64>>,
    key: &str,
    default: u32,
    sources: &SourceMap,
    file: FileId,
    diags: &mut Diagnostics,
) -> u32 {
    match raw {
        None => default,
        Some(v) if (1..=2400).contains(v.get_ref()) => *v.get_ref() as u32,
        Some(v) => {
            diags.push(
                Diagnostic::error("bad-ppi", format!("{key} {} is out of range", v.get_ref()))
                    .at(sources, Span::new(file, v.span()))
                    .help(format!(
                        "{key} is in pixels per inch, from 1 to 2400 (e.g. {default})"
                    )),
            );
            default
        }
    }
}

fn epub_settings(
    raw: RawEpub,
    sources: &SourceMap,
    file: FileId,
    diags: &mut Diagnostics,
) -> EpubSettings {
    let d = EpubSettings::default();
    let toc_depth = match raw.toc_depth {
        None => d.toc_depth,
        Some(v) if (1..=2).contains(v.get_ref()) => *v.get_ref() as u8,
        Some(v) => {
            diags.push(
                Diagnostic::error("bad-toc-depth", format!("toc-depth {} is out of range", v.get_ref()))
                    .at(sources, Span::new(file, v.span()))
                    .help("toc-depth = 1 lists chapters, toc-depth = 2 lists chapters and their questions"),
            );
            d.toc_depth
        }
    };
    EpubSettings {
        toc_depth,
        page_list: raw.page_list.unwrap_or(d.page_list),
        embed_fonts: raw.embed_fonts.unwrap_or(d.embed_fonts),
    }
}

fn cover_settings(
    raw: &mut RawCover,
    sources: &SourceMap,
    file: FileId,
    diags: &mut Diagnostics,
) -> CoverSettings {
    let mut colour = |v: Option<Spanned<String>>| {
        let v = v?;
        let s = v.get_ref();
        let ok =
            s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if ok {
            Some(s.to_ascii_lowercase())
        } else {
            diags.push(
                Diagnostic::error("bad-colour", format!("`{s}` is not a colour"))
                    .at(sources, Span::new(file, v.span()))
                    .help("write colours as #rrggbb, e.g. background = \"#1d3557\""),
            );
            None
        }
    };
    let background = colour(raw.background.take());
    let foreground = colour(raw.foreground.take());
    let accent = colour(raw.accent.take());
    let style = raw.style.take().and_then(|v| {
        if let Some(style) = CoverStyle::from_name(v.get_ref()) {
            return Some(style);
        }
        diags.push(
            Diagnostic::error(
                "bad-cover-style",
                format!("unknown cover style `{}`", v.get_ref()),
            )
            .at(sources, Span::new(file, v.span()))
            .help(format!("the styles are {}", CoverStyle::names())),
        );
        None
    });
    let d = CoverSettings::default();
    let safe_area = length(raw.safe_area.take(), d.safe_area, sources, file, diags);
    CoverSettings {
        background,
        foreground,
        accent,
        style,
        print: None,
        safe_area,
        paper: paper(raw.paper.take(), raw.paper_ppi.take(), sources, file, diags),
    }
}

/// `[cover] paper` (a known paper's name) or `paper-ppi` (its pages per
/// inch); not both.
fn paper(
    name: Option<Spanned<String>>,
    ppi: Option<Spanned<f64>>,
    sources: &SourceMap,
    file: FileId,
    diags: &mut Diagnostics,
) -> Paper {
    let at = |s: std::ops::Range<usize>| Span::new(file, s);
    match (name, ppi) {
        (None, None) => Paper::default(),
        (Some(n), Some(p)) => {
            diags.push(
                Diagnostic::error(
                    "bad-paper",
                    "`paper` and `paper-ppi` both give the paper's thickness",
                )
                .at(sources, at(p.span()))
                .help(format!(
                    "keep one: paper = \"{}\" or paper-ppi = {}",
                    n.get_ref(),
                    p.get_ref()
                )),
            );
            Paper::named(n.get_ref()).unwrap_or_default()
        }
        (Some(n), None) => Paper::named(n.get_ref()).unwrap_or_else(|| {
            diags.push(
                Diagnostic::error("bad-paper", format!("unknown paper `{}`", n.get_ref()))
                    .at(sources, at(n.span()))
                    .help(format!(
                        "the papers are {}; for another, give its pages per inch from the printer, e.g. paper-ppi = 444",
                        Paper::names()
                    )),
            );
            Paper::default()
        }),
        (None, Some(p)) => {
            let v = *p.get_ref();
            // Real papers bulk between some 200 (thick, uncoated) and
            // 1000 (bible paper) pages per inch.
            if v.is_finite() && (100.0..=2000.0).contains(&v) {
                Paper {
                    name: format!("paper-ppi = {v}"),
                    ppi: v,
                }
            } else {
                diags.push(
                    Diagnostic::error("bad-paper", format!("paper-ppi = {v} is not a paper's bulk"))
                        .at(sources, at(p.span()))
                        .help("give the pages per inch your printer states for the paper, between 100 and 2000, e.g. paper-ppi = 444"),
                );
                Paper::default()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> (Option<Config>, Diagnostics) {
        let mut sources = SourceMap::new();
        let id = sources.add("book.toml", text.to_string());
        let mut diags = Diagnostics::new();
        let c = parse(&sources, id, &mut diags);
        (c, diags)
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let (c, d) = parse_str("[book]\ntitle = \"T\"\n");
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        assert_eq!(c.title, "T");
        assert_eq!(c.language.as_str(), "en");
        assert_eq!(c.settings.pdf.trim.width.pt(), 432.0);
        assert_eq!(c.settings.epub.toc_depth, 1);
    }

    #[test]
    fn expansion_bounds_are_thousandths_and_checked() {
        let (c, d) = parse_str(
            "[book]\ntitle = \"T\"\n[pdf]\nexpansion-stretch = 15\nexpansion-shrink = 0\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let pdf = c.unwrap().settings.pdf;
        assert_eq!((pdf.expansion_stretch, pdf.expansion_shrink), (0.015, 0.0));
        let (_, d) = parse_str("[book]\ntitle = \"T\"\n[pdf]\nexpansion-shrink = 80\n");
        let e = d.iter().next().unwrap();
        assert_eq!(e.code, "bad-expansion");
        assert_eq!((e.line, e.column), (4, 20));
        assert!(e.message.contains("expansion-shrink = 80"), "{}", e.message);
        assert!(e.help.as_deref().unwrap().contains("thousandths"));
        let (_, d) = parse_str("[book]\ntitle = \"T\"\n[pdf]\nexpansion-stretch = -1\n");
        assert_eq!(d.iter().next().unwrap().code, "bad-expansion");
    }

    #[test]
    fn ppi_thresholds_are_read_and_checked() {
        let (c, d) = parse_str("[book]\ntitle = \"T\"\n[pdf]\nwarn-ppi = 250\nmin-ppi = 120\n");
        assert!(d.is_empty(), "{d:?}");
        let pdf = c.unwrap().settings.pdf;
        assert_eq!((pdf.warn_ppi, pdf.min_ppi), (250, 120));
        let (_, d) = parse_str("[book]\ntitle = \"T\"\n[pdf]\nmin-ppi = 400\n");
        let e = d
            .iter()
            .find(|e| e.code == "bad-ppi")
            .expect("min above warn");
        assert!(
            e.message.contains("min-ppi (400) is above warn-ppi (300)"),
            "{e:?}"
        );
        let (_, d) = parse_str("[book]\ntitle = \"T\"\n[pdf]\nwarn-ppi = 0\n");
        assert!(
            d.iter()
                .any(|e| e.code == "bad-ppi" && e.message.contains("out of range"))
        );
    }

    #[test]
    fn unknown_key_suggests_the_close_one() {
        let (c, d) = parse_str("[book]\ntitle = \"T\"\nsubtitel = \"S\"\n");
        assert!(c.is_none());
        let e = d.iter().next().unwrap();
        assert_eq!(e.code, "unknown-key");
        assert_eq!((e.line, e.column), (3, 1));
        assert_eq!(e.help.as_deref(), Some("did you mean `subtitle`?"));
    }

    #[test]
    fn key_in_the_wrong_table_names_its_table() {
        let (_, d) = parse_str("[book]\ntitle = \"T\"\ntoc-depth = 2\n");
        let e = d.iter().next().unwrap();
        assert_eq!(
            e.help.as_deref(),
            Some("`toc-depth` belongs in the [epub] table")
        );
    }

    #[test]
    fn unknown_table_suggests_one() {
        let (_, d) = parse_str("[book]\ntitle = \"T\"\n[epubs]\n");
        let e = d.iter().next().unwrap();
        assert_eq!(e.help.as_deref(), Some("did you mean `[epub]`?"));
        assert_eq!((e.line, e.column), (3, 2));
    }

    #[test]
    fn syntax_error_has_position() {
        let (c, d) = parse_str("[book]\ntitle = \"T\n");
        assert!(c.is_none());
        let e = d.iter().next().unwrap();
        assert_eq!(e.code, "toml-syntax");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn missing_title_is_an_error() {
        let (c, d) = parse_str("[book]\nsubtitle = \"S\"\n");
        assert!(c.is_none());
        assert_eq!(d.iter().next().unwrap().code, "missing-title");
    }

    #[test]
    fn values_are_checked() {
        let (_, d) = parse_str(
            "[book]\ntitle = \"T\"\ndate = \"May 2024\"\nlanguage = \"english!\"\n[pdf]\ntrim = \"huge\"\nbleed = \"3\"\n[epub]\ntoc-depth = 5\n[cover]\nbackground = \"red\"\n",
        );
        let codes: Vec<_> = d.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            [
                "bad-language",
                "bad-date",
                "bad-trim",
                "bad-length",
                "bad-toc-depth",
                "bad-colour"
            ]
        );
        assert!(d.iter().all(|e| e.line > 0));
    }

    #[test]
    fn print_cover_keys() {
        let (c, d) = parse_str(
            "[book]\ntitle = \"T\"\n[cover]\nprint = \"bleed.jpg\"\nsafe-area = \"6mm\"\npaper-ppi = 512\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        assert_eq!(
            c.print_cover.as_ref().map(|p| p.0.as_str()),
            Some("bleed.jpg")
        );
        let cover = &c.settings.cover;
        assert!((cover.safe_area.pt() - 17.007).abs() < 0.01);
        assert_eq!(cover.paper.ppi, 512.0);
        // Defaults: 0.25 in, white paper.
        let (c, _) = parse_str("[book]\ntitle = \"T\"\n");
        let cover = c.unwrap().settings.cover;
        assert_eq!(
            (cover.safe_area.pt(), cover.paper.name.as_str()),
            (18.0, "white")
        );
        // Both ways of giving the paper, an unknown paper, an absurd bulk.
        for (text, col) in [
            ("paper = \"cream\"\npaper-ppi = 400", (5, 13)),
            ("paper = \"matte\"", (4, 9)),
            ("paper-ppi = 3", (4, 13)),
        ] {
            let (_, d) = parse_str(&format!("[book]\ntitle = \"T\"\n[cover]\n{text}\n"));
            let e = d.iter().next().unwrap();
            assert_eq!(
                (e.code, e.line, e.column),
                ("bad-paper", col.0, col.1),
                "{text}"
            );
        }
    }

    #[test]
    fn toml_dates_and_wrong_types() {
        let (c, d) = parse_str("[book]\ntitle = \"T\"\ndate = 2024-05-01\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.unwrap().date.as_deref(), Some("2024-05-01"));
        let (c, d) = parse_str("[book]\ntitle = \"T\"\nauthors = \"Jane\"\n");
        assert!(c.is_none());
        let e = d.iter().next().unwrap();
        assert_eq!((e.code, e.line), ("config-type", 3));
    }

    #[test]
    fn blank_text_values_are_errors_at_their_place() {
        let (c, d) = parse_str(
            "[book]\ntitle = \"T\"\npublisher = \"\\u0001\"\nauthors = [\"A\", \"\"]\nsubtitle = \" \"\nkeywords = [\"\\uFFFE\"]\n",
        );
        let c = c.unwrap();
        assert_eq!(c.authors, ["A"]);
        assert!(c.publisher.is_none() && c.subtitle.is_none() && c.keywords.is_empty());
        let mut got: Vec<_> = d.iter().map(|e| (e.code, e.line, e.column)).collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("empty-value", 3, 13),
                ("empty-value", 4, 17),
                ("empty-value", 5, 12),
                ("empty-value", 6, 13)
            ]
        );
        assert!(d.iter().all(|e| e.help.is_some()));
        let (_, d) = parse_str("[book]\ntitle = \"\\u0002\"\n");
        assert_eq!(d.iter().next().unwrap().code, "missing-title");
        assert!(is_blank("\u{85} \u{3000}\u{fdd0}"));
        assert!(!is_blank("a\u{1}"));
    }

    #[test]
    fn people_and_how_authors_are_filed() {
        let (c, d) = parse_str(
            "[book]\ntitle = \"T\"\nauthors = [\"Jane Roe\", \"Li Wei\"]\nauthors-sort = [\"Roe, Jane\", \"Li Wei\"]\neditors = [\"Ed One\"]\ntranslators = [\"Tr Two\"]\nphotographers = [\"Ph Three\"]\nillustrators = [\"Il Four\"]\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        assert_eq!(c.authors_sort, ["Roe, Jane", "Li Wei"]);
        let people: Vec<(&str, &str)> = c
            .contributors
            .iter()
            .map(|p| (p.name.as_str(), p.role.marc()))
            .collect();
        assert_eq!(
            people,
            [
                ("Ed One", "edt"),
                ("Tr Two", "trl"),
                ("Ph Three", "pht"),
                ("Il Four", "ill")
            ]
        );
    }

    #[test]
    fn bad_people_values_are_errors_at_their_place() {
        // One filing name for two authors.
        let (c, d) = parse_str(
            "[book]\ntitle = \"T\"\nauthors = [\"A B\", \"C D\"]\nauthors-sort = [\"B, A\"]\n",
        );
        let e = d.iter().next().unwrap();
        assert_eq!((e.code, e.line, e.column), ("bad-authors-sort", 4, 16));
        assert!(e.message.contains("1 filing name") && e.message.contains("2 authors"));
        assert!(
            e.help
                .as_deref()
                .unwrap()
                .contains("one filing name per author")
        );
        assert!(c.unwrap().authors_sort.is_empty());
        // Text instead of a list, and a blank entry.
        let (c, d) = parse_str("[book]\ntitle = \"T\"\neditors = \"Ed\"\n");
        assert!(c.is_none());
        let e = d.iter().next().unwrap();
        assert_eq!((e.code, e.line), ("config-type", 3));
        let (c, d) = parse_str("[book]\ntitle = \"T\"\ntranslators = [\" \"]\n");
        assert!(c.unwrap().contributors.is_empty());
        let e = d.iter().next().unwrap();
        assert_eq!((e.code, e.line, e.column), ("empty-value", 3, 16));
        // A misspelt key is caught like any other.
        let (_, d) = parse_str("[book]\ntitle = \"T\"\neditor = [\"Ed\"]\n");
        assert_eq!(
            d.iter().next().unwrap().help.as_deref(),
            Some("did you mean `editors`?")
        );
    }
}
