//! Building a book: the library's front door, in the manner of mdBook's
//! `MDBook::load(dir)?.build()`. [`Project::load`] reads a book folder;
//! [`Project::build`] makes its EPUB and PDF and puts each format's files in
//! place all or nothing: a format whose sources have errors for it (a
//! character no font has stops the PDF, not the EPUB, which needs no
//! glyphs) writes nothing while the others are written, and the build
//! fails. The command line, `import --build`, batch builds and the tests
//! all build through here; they only print what comes back.
//!
//! The PDF is laid out once and written in every variant; the EPUB takes
//! the same layout's pagination for its print page markers and page list
//! (`[epub] page-list`, on by default). An EPUB-only build lays the PDF out
//! all the same (without the cover, which does not change the numbers, and
//! without writing it), so its page numbers are the PDF's.

use crate::cover::CoverArt;
use crate::diag::{Diagnostics, SourceMap};
use crate::model::{Book, PdfVariant};
use crate::pdf::Layout;
use crate::source::Loaded;
use crate::typeset::Engine;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// EPUB 3 (with an EPUB 2 NCX).
    Epub,
    /// PDF: `<slug>.pdf`, and `<slug>-print.pdf` with the print variant.
    Pdf,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Epub, Format::Pdf];

    pub fn name(self) -> &'static str {
        match self {
            Format::Epub => "EPUB",
            Format::Pdf => "PDF",
        }
    }
}

/// What to build, where, when and with what.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The formats, in the order their files are put in place; empty means
    /// every format.
    pub formats: Vec<Format>,
    /// The folder the outputs go to (made when missing).
    pub out_dir: PathBuf,
    /// The build's clock: seconds since 1970 for every date the outputs
    /// carry (`SOURCE_DATE_EPOCH`, which the caller reads; the library
    /// never reads the environment or the wall clock); `None`: the book's
    /// date.
    pub source_date_epoch: Option<i64>,
    /// The text engine (fonts, shaped words): books built with one engine
    /// share its work, as the books of `qalam build --all` do.
    pub engine: Arc<Engine>,
}

/// A book folder as read.
pub struct Project {
    /// The folder it was read from.
    pub dir: PathBuf,
    /// The book (when it reads), its diagnostics and its source files.
    pub loaded: Loaded,
}

/// One output file put in place.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub size: usize,
    /// From the start of the build's work to the file made.
    pub took: Duration,
}

/// What a build that succeeded did, and what it has to say.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Warnings of the build's stages (cover, layout), in the order made.
    pub diagnostics: Diagnostics,
    /// Remarks for the user that are not about a source position.
    pub notes: Vec<String>,
    /// Pages laid out, and how long the layout took.
    pub laid_out: Option<(usize, Duration)>,
    pub written: Vec<Written>,
}

/// Why a build failed. It wrote nothing (earlier outputs are left as they
/// were) but, with [`Failure::Format`], the files of the formats that had
/// no errors (`written`).
#[derive(Debug)]
pub struct BuildFailure {
    /// The build's diagnostics up to the failure (errors among them).
    pub diagnostics: Diagnostics,
    pub notes: Vec<String>,
    pub reason: Failure,
    /// Files of the other formats, put in place all the same.
    pub written: Vec<Written>,
}

#[derive(Debug)]
pub enum Failure {
    /// The book does not read (its errors are the project's diagnostics).
    Sources,
    /// The output path names something that is not a folder.
    OutDirNotFolder(PathBuf),
    /// The output folder is a symbolic link.
    OutDirLink(PathBuf),
    OutDirCreate(PathBuf, std::io::Error),
    /// The cover cannot be used.
    Cover,
    /// Errors in the sources that this format reports: its files are not
    /// written (those of the other formats are).
    Format(Format, usize),
    /// A file could not be written or put in place.
    Write(PathBuf, std::io::Error),
}

impl Failure {
    /// Whether the command was asked for something it cannot do (exit 2)
    /// rather than given a book with errors (exit 1).
    pub fn is_usage(&self) -> bool {
        matches!(self, Failure::OutDirNotFolder(_))
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const KEPT: &str = "earlier outputs are left as they were";
        match self {
            Failure::Sources => write!(f, "the book was not built ({KEPT})"),
            Failure::OutDirNotFolder(p) => write!(
                f,
                "error: {} is not a folder; name a folder for the outputs with -o",
                p.display()
            ),
            Failure::OutDirLink(p) => write!(
                f,
                "error: the output folder {} is a symbolic link; outputs are never written through links (remove the link, or name a real folder with -o)",
                p.display()
            ),
            Failure::OutDirCreate(p, e) => write!(
                f,
                "error: cannot create the output folder {}: {e}",
                p.display()
            ),
            Failure::Cover => write!(f, "the cover is not usable: nothing was written ({KEPT})"),
            Failure::Format(format, n) => write!(
                f,
                "{n} error(s) in the {}: it was not written ({KEPT})",
                format.name()
            ),
            Failure::Write(p, e) => {
                write!(f, "error: cannot write {}: {e} ({KEPT})", p.display())
            }
        }
    }
}

impl Project {
    /// Reads the book folder `dir` (never fails: a book that does not read
    /// has its errors in `loaded.diagnostics`).
    pub fn load(dir: &Path) -> Project {
        Project::from_loaded(dir, crate::source::load(dir))
    }

    /// A project already read from `dir`.
    pub fn from_loaded(dir: &Path, loaded: Loaded) -> Project {
        Project {
            dir: dir.to_path_buf(),
            loaded,
        }
    }

    pub fn book(&self) -> Option<&Book> {
        self.loaded.book.as_ref()
    }

    pub fn diagnostics(&self) -> &Diagnostics {
        &self.loaded.diagnostics
    }

    pub fn sources(&self) -> &SourceMap {
        &self.loaded.sources
    }

    /// Builds the formats of `opts` into its folder: every file is made
    /// first; those of the formats without errors are put in place, all or
    /// none (a failed rename puts back the ones done).
    pub fn build(&self, opts: &BuildOptions) -> Result<BuildReport, BuildFailure> {
        let mut report = BuildReport::default();
        let fail = |report: BuildReport, reason| BuildFailure {
            diagnostics: report.diagnostics,
            notes: report.notes,
            reason,
            written: report.written,
        };
        let Some(book) = self.book() else {
            return Err(fail(report, Failure::Sources));
        };
        let formats: Vec<Format> = if opts.formats.is_empty() {
            Format::ALL.to_vec()
        } else {
            let mut f = opts.formats.clone();
            f.dedup();
            f
        };
        if let Err(reason) = out_dir_ready(&opts.out_dir) {
            return Err(fail(report, reason));
        }
        let want_epub = formats.contains(&Format::Epub);
        let want_pdf = formats.contains(&Format::Pdf);
        let want_pages = want_epub && book.settings.epub.page_list;
        let sources = self.sources();
        let t = Instant::now();

        // Phase 1: covers and the layout.
        let phase = prepare(opts, book, sources, want_epub, want_pdf, want_pages);
        report.diagnostics.extend(phase.cover_diagnostics);
        if phase.cover_failed {
            return Err(fail(report, Failure::Cover));
        }
        // Pictures too coarse for print hold the PDF back; those merely
        // below the printer's ask are warnings.
        let mut ppi_errors = Diagnostics::new();
        let layout = match phase.layout {
            Some((Ok((l, warnings)), took)) => {
                // Warnings (an emoji drawn as a box, …) concern the PDF.
                if want_pdf {
                    report.diagnostics.extend(warnings);
                    let placed = l.pictures();
                    let ppi =
                        crate::picture::resolution::check(&placed, &book.settings.pdf, sources);
                    report
                        .notes
                        .extend(crate::picture::resolution::screen_notes(
                            &placed,
                            &book.settings.pdf,
                        ));
                    for d in ppi.iter() {
                        if d.is_error() {
                            ppi_errors.push(d.clone());
                        } else {
                            report.diagnostics.push(d.clone());
                        }
                    }
                }
                report.laid_out = Some((l.pages.len(), took));
                Some(Ok(l))
            }
            Some((Err(d), _)) => Some(Err(d)),
            None => None,
        };
        let print_pages = match &layout {
            Some(Ok(l)) if want_pages => Some(crate::epub::PrintPages::from_layout(
                &l.pages,
                &book.meta.identifier,
            )),
            Some(Err(_)) if want_pages => {
                report.notes.push(format!(
                    "warning: the EPUB gets no print page list: the PDF could not be laid out{}",
                    if want_pdf {
                        " (see the errors below)"
                    } else {
                        "; build the PDF (--format pdf) to see why"
                    }
                ));
                None
            }
            _ => None,
        };

        // Phase 2, two sides at once: the EPUB, and the PDF's variants
        // (krilla writes one document at a time). Each side stages its
        // files (written beside their targets) as soon as they are made.
        let out_dir = &opts.out_dir;
        let stage =
            |made: Result<Vec<(PathBuf, Vec<u8>)>, Diagnostics>| -> Result<Vec<Made>, Unmade> {
                let files = made.map_err(Unmade::Format)?;
                files
                    .into_iter()
                    .map(|(path, bytes)| {
                        let staged = crate::output::stage(&path, &bytes)
                            .map_err(|e| Unmade::Write(path.clone(), e))?;
                        Ok(Made {
                            staged,
                            size: bytes.len(),
                            took: t.elapsed(),
                        })
                    })
                    .collect()
            };
        let (mut epub, mut pdf) = rayon::join(
            || {
                want_epub.then(|| {
                    stage(
                        epub_bytes(opts, book, phase.epub_cover.as_ref(), print_pages, sources)
                            .map(|b| vec![(out_dir.join(format!("{}.epub", book.meta.slug)), b)]),
                    )
                })
            },
            || {
                want_pdf.then(|| {
                    stage(match &layout {
                        Some(Ok(_)) if ppi_errors.has_errors() => Err(ppi_errors.clone()),
                        Some(Ok(l)) => pdf_bytes(book, l, sources).map(|files| {
                            files
                                .into_iter()
                                .map(|(name, b)| (out_dir.join(name), b))
                                .collect()
                        }),
                        Some(Err(diags)) => Err(diags.clone()),
                        None => Err(Diagnostics::new()),
                    })
                })
            },
        );

        // Every file of every format is made (and staged) first; a format
        // with errors in its sources is left out, the others are put in
        // place together.
        let mut outputs: Vec<Made> = Vec::new();
        let mut failed: Option<Failure> = None;
        for format in formats {
            let made = match format {
                Format::Epub => epub.take(),
                Format::Pdf => pdf.take(),
            };
            match made {
                None => {}
                Some(Ok(files)) => outputs.extend(files),
                Some(Err(Unmade::Format(diags))) => {
                    let n = diags.error_count();
                    report.diagnostics.extend(diags);
                    failed.get_or_insert(Failure::Format(format, n));
                }
                Some(Err(Unmade::Write(path, e))) => {
                    return Err(fail(report, Failure::Write(path, e)));
                }
            }
        }
        let written: Vec<Written> = outputs
            .iter()
            .map(|m| Written {
                path: m.staged.target().to_path_buf(),
                size: m.size,
                took: m.took,
            })
            .collect();
        // All renamed into place or none: a rename that fails half-way puts
        // back the files already renamed.
        if let Err((path, e)) =
            crate::output::commit_all(outputs.into_iter().map(|m| m.staged).collect())
        {
            return Err(fail(report, Failure::Write(path, e)));
        }
        report.written = written;
        match failed {
            Some(reason) => Err(fail(report, reason)),
            None => Ok(report),
        }
    }
}

/// The output folder, made when missing; never a link or a file.
fn out_dir_ready(out_dir: &Path) -> Result<(), Failure> {
    // A link in the book's place for outputs (`out` leading elsewhere)
    // would make the build replace files outside the book, under names the
    // book chooses.
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(Failure::OutDirNotFolder(out_dir.to_path_buf()));
    }
    if std::fs::symlink_metadata(out_dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Failure::OutDirLink(out_dir.to_path_buf()));
    }
    std::fs::create_dir_all(out_dir).map_err(|e| Failure::OutDirCreate(out_dir.to_path_buf(), e))
}

/// The layout and how long it took; `Err` holds its errors.
type LaidOut = (Result<(Layout, Diagnostics), Diagnostics>, Duration);

/// What phase 1 made.
struct Prepared {
    epub_cover: Option<CoverArt>,
    cover_diagnostics: Diagnostics,
    cover_failed: bool,
    layout: Option<LaidOut>,
}

/// Phase 1, two sides at once: the EPUB's cover, whose raster (most of a
/// cover's cost) only the EPUB needs; and the PDF's view of the cover and
/// the layout, which the PDF draws and the EPUB takes its print pages from.
/// An EPUB-only build lays the book out without the cover (only the PDF
/// draws it; the page numbers do not depend on it).
fn prepare(
    opts: &BuildOptions,
    book: &Book,
    sources: &SourceMap,
    want_epub: bool,
    want_pdf: bool,
    want_pages: bool,
) -> Prepared {
    let cover_for = |epub: bool, diags: &mut Diagnostics| {
        let _timing = crate::timings::start(crate::timings::Stage::Cover);
        if epub {
            crate::cover::prepare_epub(&opts.engine, book, diags)
        } else {
            crate::cover::prepare_pdf(&opts.engine, book, diags)
        }
    };
    let (epub_side, pdf_side) = rayon::join(
        || {
            want_epub.then(|| {
                let mut d = Diagnostics::new();
                let cover = cover_for(true, &mut d);
                (cover, d)
            })
        },
        || {
            (want_pdf || want_pages).then(|| {
                let mut d = Diagnostics::new();
                let cover = if want_pdf {
                    cover_for(false, &mut d)
                } else {
                    None
                };
                let layout = (!d.has_errors()).then(|| {
                    let t = Instant::now();
                    let (layout, diags) = crate::pdf::layout(
                        &opts.engine,
                        book,
                        cover.as_ref(),
                        sources,
                        opts.source_date_epoch,
                    );
                    let layout = match layout {
                        Some(l) if !diags.has_errors() => Ok((l, diags)),
                        _ => Err(diags),
                    };
                    (layout, t.elapsed())
                });
                (d, layout)
            })
        },
    );
    let cover_failed = epub_side.as_ref().is_some_and(|(_, d)| d.has_errors())
        || pdf_side.as_ref().is_some_and(|(d, _)| d.has_errors());
    // The EPUB's cover is checked the most thoroughly; its messages stand
    // for both.
    let (epub_cover, cover_diagnostics, layout) = match (epub_side, pdf_side) {
        (Some((c, d)), Some((_, l))) => (c, d, l),
        (Some((c, d)), None) => (c, d, None),
        (None, Some((d, l))) => (None, d, l),
        (None, None) => (None, Diagnostics::new(), None),
    };
    Prepared {
        epub_cover,
        cover_diagnostics,
        cover_failed,
        layout,
    }
}

/// A staged output file: written, waiting to be renamed.
struct Made {
    staged: crate::output::Staged,
    size: usize,
    took: Duration,
}

/// Why a format's files were not staged.
enum Unmade {
    Format(Diagnostics),
    Write(PathBuf, std::io::Error),
}

fn epub_bytes(
    opts: &BuildOptions,
    book: &Book,
    cover: Option<&CoverArt>,
    print_pages: Option<crate::epub::PrintPages>,
    sources: &SourceMap,
) -> Result<Vec<u8>, Diagnostics> {
    let _timing = crate::timings::start(crate::timings::Stage::Epub);
    let epub = crate::epub::EpubOptions {
        source_date_epoch: opts.source_date_epoch,
        print_pages,
    };
    crate::epub::write(book, cover, sources, &epub)
}

/// The PDF variants `[pdf] variants` asks for: (file name, bytes).
fn pdf_bytes(
    book: &Book,
    layout: &Layout,
    sources: &SourceMap,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    let mut out = Vec::new();
    for &variant in &book.settings.pdf.variants {
        let name = match variant {
            PdfVariant::Screen => format!("{}.pdf", book.meta.slug),
            PdfVariant::Print => format!("{}-print.pdf", book.meta.slug),
        };
        let _timing = crate::timings::start(crate::timings::Stage::PdfWrite);
        out.push((name, crate::pdf::write(layout, variant, sources)?));
    }
    Ok(out)
}
