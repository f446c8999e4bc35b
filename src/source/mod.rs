//! The reader of the source format: `book.toml` + Markdown chapters → [`Book`].
//!
//! Every rule runs and every problem is collected, so `qalam check` reports
//! all of them at once; the book is returned only when there is no error.

pub mod chapter;
pub mod config;
pub mod frontmatter;
mod html;
pub mod markdown;
pub mod paths;
pub mod pullquote;
pub mod quote;

use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{Book, Chapter, Metadata, Span};
use crate::slug::slugify;
use paths::{ImageChecker, MAX_CHAPTER_BYTES, MAX_CONFIG_BYTES, Roots};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What reading a book gave: the book (when there were no errors), every
/// diagnostic, and the sources they point into.
pub struct Loaded {
    pub book: Option<Book>,
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
}

/// Reads the book project in `dir`.
pub fn load(dir: &Path) -> Loaded {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let book = load_into(dir, &mut sources, &mut diags);
    diags.sort();
    Loaded {
        book: if diags.has_errors() { None } else { book },
        diagnostics: diags,
        sources,
    }
}

fn load_into(dir: &Path, sources: &mut SourceMap, diags: &mut Diagnostics) -> Option<Book> {
    let reading = crate::timings::start(crate::timings::Stage::Read);
    let root = match dir.canonicalize() {
        Ok(r) if r.is_dir() => r,
        _ => {
            diags.push(
                Diagnostic::error(
                    "no-book",
                    if dir.exists() {
                        format!("{} is not a folder", dir.display())
                    } else {
                        format!("{} does not exist", dir.display())
                    },
                )
                .in_file(dir)
                .help(
                    "name a book folder (one with a book.toml), or create one with `qalam new DIR`",
                ),
            );
            return None;
        }
    };
    let roots = Roots::new(root.clone(), dir.to_path_buf());
    let toml_path = root.join("book.toml");
    let toml_display = dir.join("book.toml");
    if !toml_path.is_file() {
        diags.push(
            Diagnostic::error("no-book-toml", format!("{} has no book.toml", dir.display()))
                .in_file(&toml_display)
                .help("every book folder needs a book.toml with at least [book] and title = \"…\"; `qalam new DIR` makes one"),
        );
        return None;
    }
    // Through the book's one gate: a book.toml that is a link leading
    // outside is refused unread (its content never reaches a message).
    let text = match roots.read_text(&toml_path, &toml_display, MAX_CONFIG_BYTES, "bad-path") {
        Ok((_, t)) => t,
        Err(d) => {
            diags.extend(d);
            return None;
        }
    };
    let toml_id = sources.add(&toml_display, text);
    let config = config::parse(sources, toml_id, diags)?;

    // Chapter files, in order.
    let chapter_files = chapter_list(&config, &roots, sources, toml_id, diags);

    // Read every chapter's text first (sequential I/O), then parse them in
    // parallel: each parse only reads the shared source map.
    let mut inputs = Vec::new();
    let mut ids = crate::slug::UniqueIds::new();
    for (canonical, rel) in chapter_files {
        let display = dir.join(&rel);
        match roots.read_text(&canonical, &display, MAX_CHAPTER_BYTES, "bad-chapter") {
            Ok((_, text)) => {
                let (text, controls) = paths::replace_controls(text);
                let file = sources.add(&display, text);
                if let Some((at, ch, count)) = controls {
                    diags.push(
                        Diagnostic::warning(
                            "control-char",
                            format!(
                                "the {} U+{:04X} is not text; it is read as a space{}",
                                if ch.is_control() { "control character" } else { "noncharacter" },
                                ch as u32,
                                if count > 1 {
                                    format!(" (and {} more in this file)", count - 1)
                                } else {
                                    String::new()
                                }
                            ),
                        )
                        .at(sources, Span::new(file, at..at + ch.len_utf8()))
                        .help("remove it from the file (such characters come from copying out of PDFs, terminals or word processors)"),
                    );
                }
                let stem = rel
                    .file_stem()
                    .map_or("chapter".into(), |s| s.to_string_lossy().into_owned());
                let id = ids.claim(&slugify(&stem));
                inputs.push((
                    file,
                    rel,
                    id,
                    canonical
                        .parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone()),
                ));
            }
            Err(d) => diags.extend(d),
        }
    }

    let shared: &SourceMap = sources;
    let results: Vec<(Option<Chapter>, Diagnostics)> = inputs
        .par_iter()
        .map(|(file, rel, id, base)| {
            let mut d = Diagnostics::new();
            let checker = ImageChecker {
                roots: &roots,
                sources: shared,
                base: base.clone(),
            };
            let input = chapter::ChapterInput {
                sources: shared,
                file: *file,
                rel_path: rel.clone(),
                id: id.clone(),
                book_lang: &config.language,
                images: &checker,
            };
            let ch = chapter::read(&input, &mut d);
            (ch, d)
        })
        .collect();
    let mut chapters = Vec::with_capacity(results.len());
    for (ch, d) in results {
        diags.extend(d);
        if let Some(ch) = ch {
            chapters.push(ch);
        }
    }

    // The cover and the print cover: the same check, the same alt text.
    let checker = ImageChecker {
        roots: &roots,
        sources,
        base: root.clone(),
    };
    let alt = format!("Cover of {}", config.title);
    let cover = config.cover.as_ref().and_then(|(src, span)| {
        let image = checker.check(src, &alt, *span, diags)?;
        // Checks the picture (a JPEG from its markers, others decoded) and
        // its size and shape for the stores.
        crate::picture::check_cover(&image, *span, sources, diags)?;
        Some(image)
    });

    let mut settings = config.settings.clone();
    settings.cover.print = config.print_cover.as_ref().and_then(|(src, span)| {
        let image = checker.check(src, &alt, *span, diags)?;
        if config.cover.is_none() {
            diags.push(
                Diagnostic::warning("unused-print-cover", "`print` in [cover] is not used: the book has no `cover` in [book], and the generated cover is drawn with its own bleed")
                    .at(sources, *span)
                    .help("name the screen cover as `cover` in [book], or remove `print`"),
            );
            return None;
        }
        crate::picture::check_art(&image, *span, &settings.pdf, sources, diags)
            .then_some(image)
    });
    for (d, span) in &config.font_dirs {
        match resolve_font_dir(&roots, d) {
            Ok(p) => settings.fonts.dirs.push(p),
            Err(FontDirError::Outside) => {
                let (msg, help) = paths::outside(d);
                diags.push(
                    Diagnostic::error("bad-font-dir", format!("font folder {msg}"))
                        .at(sources, *span)
                        .help(help),
                )
            }
            Err(FontDirError::Missing) => diags.push(
                Diagnostic::error("bad-font-dir", format!("font folder `{d}` does not exist"))
                    .at(sources, *span)
                    .help("name an existing folder, e.g. dirs = [\"/usr/share/fonts/truetype/noto\"] or a folder inside the book"),
            ),
        }
    }

    let meta = Metadata {
        identifier: config
            .identifier
            .clone()
            .unwrap_or_else(|| default_identifier(&config.title, &config.authors)),
        slug: config
            .slug
            .clone()
            .unwrap_or_else(|| slugify(&config.title)),
        title: config.title,
        subtitle: config.subtitle,
        authors: config.authors,
        authors_sort: config.authors_sort,
        contributors: config.contributors,
        language: config.language,
        publisher: config.publisher,
        date: config.date,
        rights: config.rights,
        description: config.description,
        keywords: config.keywords,
        subject: config.subject,
    };
    let mut book = Book {
        meta,
        settings,
        cover,
        chapters,
        root,
    };
    drop(reading);
    let _typography = crate::timings::start(crate::timings::Stage::Typography);
    crate::typography::apply(&mut book);
    Some(book)
}

/// Font folders are system folders as often as book folders, so unlike
/// content paths they may be absolute (fonts are data, not content the book
/// shows; the font loader only reads font files from them). A relative one
/// is a folder of the book's own and must stay inside the book folder or
/// the project's `fonts/` folder (a real folder, not a link), as content
/// paths stay inside the book.
fn resolve_font_dir(roots: &Roots, d: &str) -> Result<PathBuf, FontDirError> {
    let p = Path::new(d);
    if p.is_absolute() {
        return p
            .canonicalize()
            .ok()
            .filter(|p| p.is_dir())
            .ok_or(FontDirError::Missing);
    }
    let joined = roots.book.join(p);
    let fonts = roots
        .book
        .parent()
        .and_then(|parent| paths::real_folder(&parent.join("fonts")));
    let inside =
        |c: &Path| c.starts_with(&roots.book) || fonts.as_ref().is_some_and(|f| c.starts_with(f));
    match joined.canonicalize() {
        Ok(c) if !inside(&c) => Err(FontDirError::Outside),
        Ok(c) if c.is_dir() => Ok(c),
        Ok(_) => Err(FontDirError::Missing),
        Err(_) if !inside(&paths::lexical(&joined)) => Err(FontDirError::Outside),
        Err(_) => Err(FontDirError::Missing),
    }
}

enum FontDirError {
    Missing,
    Outside,
}

/// The chapter files in reading order: `[book] chapters`, or the only `.md`
/// file of the folder.
fn chapter_list(
    config: &config::Config,
    roots: &Roots,
    sources: &SourceMap,
    toml: crate::model::FileId,
    diags: &mut Diagnostics,
) -> Vec<(PathBuf, PathBuf)> {
    let root = &roots.book;
    let mut out = Vec::new();
    match &config.chapters {
        Some(list) => {
            if list.is_empty() {
                diags.push(
                    Diagnostic::error("no-chapters", "`chapters` is an empty list")
                        .at(sources, Span::new(toml, 0..0))
                        .help("list the chapter files in reading order: chapters = [\"interview.md\"]"),
                );
            }
            let mut seen: HashSet<PathBuf> = HashSet::new();
            for (written, span) in list {
                match roots.resolve(root, written) {
                    Ok(canonical) => {
                        if !seen.insert(canonical.clone()) {
                            diags.push(
                                Diagnostic::error(
                                    "chapter-twice",
                                    format!("chapter `{written}` is listed twice"),
                                )
                                .at(sources, *span)
                                .help("list each chapter file once"),
                            );
                            continue;
                        }
                        let rel = canonical
                            .strip_prefix(root)
                            .map(Path::to_path_buf)
                            .unwrap_or_else(|_| PathBuf::from(written));
                        out.push((canonical, rel));
                    }
                    Err((msg, help)) => diags.push(
                        Diagnostic::error("bad-chapter", format!("chapter {msg}"))
                            .at(sources, *span)
                            .help(help),
                    ),
                }
            }
        }
        None => {
            // Every `.md` entry counts, links included: a link that leads
            // outside is refused with its name, never dropped unseen.
            let mut md: Vec<PathBuf> = std::fs::read_dir(root)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .filter(|e| {
                            e.file_type()
                                .is_ok_and(|t| t.is_symlink() || e.path().is_file())
                        })
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|e| e == "md"))
                        .collect()
                })
                .unwrap_or_default();
            md.sort();
            match md.len() {
                1 => {
                    let p = md.remove(0);
                    let written = p
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    match roots.confine(&p, &written, root) {
                        Ok(c) => {
                            // A link to the project's covers/ is named as written.
                            let rel = c
                                .strip_prefix(root)
                                .map(Path::to_path_buf)
                                .unwrap_or_else(|_| PathBuf::from(&written));
                            out.push((c, rel));
                        }
                        Err((msg, help)) => diags.push(
                            Diagnostic::error("bad-chapter", format!("chapter {msg}"))
                                .in_file(roots.book_display.join(&written))
                                .help(help),
                        ),
                    }
                }
                0 => diags.push(
                    Diagnostic::error("no-chapters", "the book has no chapter: no .md file next to book.toml")
                        .at(sources, Span::new(toml, 0..0))
                        .help("add a chapter file such as interview.md, or list chapters in book.toml: chapters = [\"interview.md\"]"),
                ),
                _ => {
                    let names: Vec<String> = md
                        .iter()
                        .filter_map(|p| p.file_name().map(|n| format!("\"{}\"", n.to_string_lossy())))
                        .collect();
                    diags.push(
                        Diagnostic::error("which-chapters", format!("the folder has {} .md files and book.toml does not say which are chapters", md.len()))
                            .at(sources, Span::new(toml, 0..0))
                            .help(format!("add the reading order under [book]: chapters = [{}]", names.join(", "))),
                    );
                }
            }
        }
    }
    out
}

/// A name-based UUID (version 5, SHA-1) of title and authors: the same
/// book gets the same identifier on every build and every machine.
///
/// Not `Uuid::new_v5`: that hashes a 16-byte namespace before the name,
/// while the identifiers already shipped hash the `qalam:book:` prefix
/// instead; changing that would give every existing book a new identity.
/// The crate still sets the version and variant bits and writes the URN.
pub fn default_identifier(title: &str, authors: &[String]) -> String {
    let mut h = sha1_smol::Sha1::new();
    h.update(b"qalam:book:");
    h.update(title.as_bytes());
    for a in authors {
        h.update(b"\n");
        h.update(a.as_bytes());
    }
    let d = h.digest().bytes();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    uuid::Builder::from_sha1_bytes(b)
        .into_uuid()
        .urn()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::default_identifier;

    /// The sample book's identifier as its EPUB has carried it since the
    /// first release: readers' libraries key on it, so it must not move.
    #[test]
    fn the_sample_book_keeps_its_identifier() {
        assert_eq!(
            default_identifier(
                "Kazakhstan’s New National Story",
                &["Alikhan Baimenov".into()]
            ),
            "urn:uuid:153b161e-d399-5f73-9ae9-ea4af843c6aa"
        );
        let other = default_identifier("Kazakhstan’s New National Story", &[]);
        assert_ne!(other, "urn:uuid:153b161e-d399-5f73-9ae9-ea4af843c6aa");
        let v = other.as_bytes();
        assert_eq!(v[9 + 14], b'5', "{other}");
        assert!(matches!(v[9 + 19], b'8' | b'9' | b'a' | b'b'), "{other}");
    }
}
