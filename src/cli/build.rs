//! `qalam build`: the book's outputs (EPUB, PDF) into OUT_DIR (default
//! BOOK_DIR/out), each written atomically, never half a file.
//!
//! The PDF is laid out once and written in every variant; the EPUB takes
//! the same layout's pagination for its print page markers and page list
//! (`[epub] page-list`, on by default). An EPUB-only build lays the PDF out
//! all the same (without the cover, which does not change the numbers, and
//! without writing it), so its page numbers are the PDF's.

use super::Ui;
use clap::ValueEnum;
use qalam::cover::CoverArt;
use qalam::diag::{Diagnostics, SourceMap};
use qalam::model::{Book, PdfVariant};
use qalam::pdf::Layout;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// An output format. Every format is built unless `--format` names some.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// EPUB 3 (with an EPUB 2 NCX), for e-readers, phones and screen readers
    Epub,
    /// PDF: <slug>.pdf, and <slug>-print.pdf with `[pdf] variants = ["screen", "print"]`
    Pdf,
}

#[derive(clap::Args)]
pub struct Args {
    /// The book folder (with book.toml)
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// Where to write the outputs [default: BOOK_DIR/out]
    #[arg(short = 'o', long = "out", value_name = "OUT_DIR")]
    pub out_dir: Option<PathBuf>,
    /// Formats to build, comma-separated [default: all]
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FORMATS")]
    pub format: Vec<Format>,
}

pub fn run(args: Args, ui: &Ui) -> ExitCode {
    let started = Instant::now();
    let formats: Vec<Format> = if args.format.is_empty() {
        Format::value_variants().to_vec()
    } else {
        let mut f = args.format.clone();
        f.dedup();
        f
    };

    let loaded = qalam::source::load(&args.book_dir);
    ui.diagnostics(&loaded.diagnostics, &loaded.sources);
    let d = &loaded.diagnostics;
    let Some(book) = &loaded.book else {
        eprintln!(
            "{} error(s), {} warning(s): {} was not built (earlier outputs are left as they were)",
            d.error_count(),
            d.warning_count(),
            args.book_dir.display()
        );
        return super::input_error();
    };
    ui.detail(format!(
        "read {} ({} chapters) in {} ms",
        args.book_dir.display(),
        book.chapters.len(),
        started.elapsed().as_millis()
    ));

    let out_dir = args
        .out_dir
        .clone()
        .unwrap_or_else(|| args.book_dir.join("out"));
    if out_dir.exists() && !out_dir.is_dir() {
        eprintln!(
            "error: {} is not a folder; name a folder for the outputs with -o",
            out_dir.display()
        );
        return ExitCode::from(2);
    }
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        eprintln!(
            "error: cannot create the output folder {}: {e}",
            out_dir.display()
        );
        return super::input_error();
    }

    // The PDF layout: for the PDF, and for the EPUB's print pages.
    let want_pdf = formats.contains(&Format::Pdf);
    let want_pages = formats.contains(&Format::Epub) && book.settings.epub.page_list;
    let lay_out = |cover: Option<&CoverArt>| {
        let t = Instant::now();
        let (layout, diags) = qalam::pdf::layout(book, cover, &loaded.sources);
        let layout = match layout {
            Some(l) if !diags.has_errors() => Ok((l, diags)),
            _ => Err(diags),
        };
        (layout, t.elapsed())
    };

    // The cover, once for every format: the supplied one, checked and
    // converted, or one designed for the book. Only the EPUB needs its
    // raster (most of the cost), so a PDF-only build skips it.
    let t = Instant::now();
    let mut cover_diags = Diagnostics::new();
    let (cover, early_pages) = std::thread::scope(|s| {
        // An EPUB-only build lays the book out without the cover (only the
        // PDF draws it; the page numbers do not depend on it), so the
        // layout runs while the cover is made: the page list then costs
        // less than the layout's own time.
        let early = (want_pages && !want_pdf).then(|| {
            s.spawn(|| {
                let (layout, took) = lay_out(None);
                layout.map(|(l, _)| {
                    let pages = qalam::epub::PrintPages::from_layout(&l, &book.meta.identifier);
                    let detail = format!(
                        "laid out {} pages in {} ms",
                        l.pages.len(),
                        took.as_millis()
                    );
                    // Freeing a long book's layout (its glyph runs, one
                    // allocation each) takes tens of milliseconds of CPU,
                    // a tenth of the layout's: the process ends soon after
                    // and gives its memory back at once, so it is not
                    // freed piece by piece.
                    std::mem::forget(l);
                    (pages, detail)
                })
            })
        });
        let cover = if formats.contains(&Format::Epub) {
            qalam::cover::prepare(book, &mut cover_diags)
        } else {
            qalam::cover::prepare_pdf(book, &mut cover_diags)
        };
        ui.detail(format!("cover ready in {} ms", t.elapsed().as_millis()));
        let early = early.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (cover, early)
    });
    ui.diagnostics(&cover_diags, &loaded.sources);
    if cover_diags.has_errors() {
        eprintln!(
            "the cover is not usable: nothing was written (earlier outputs are left as they were)"
        );
        return super::input_error();
    }

    // The PDF's layout, which also gives the EPUB its pages.
    let layout: Option<Result<Layout, Diagnostics>> = want_pdf.then(|| {
        let (layout, took) = lay_out(cover.as_ref());
        layout.map(|(l, diags)| {
            // Warnings (an emoji drawn as a box, …) concern the PDF.
            ui.diagnostics(&diags, &loaded.sources);
            ui.detail(format!(
                "laid out {} pages in {} ms",
                l.pages.len(),
                took.as_millis()
            ));
            l
        })
    });
    let pages = match (early_pages, &layout) {
        (Some(early), _) => Some(early.map(|(pages, detail)| {
            ui.detail(detail);
            pages
        })),
        (None, Some(l)) if want_pages => Some(match l {
            Ok(l) => Ok(qalam::epub::PrintPages::from_layout(
                l,
                &book.meta.identifier,
            )),
            Err(d) => Err(d.clone()),
        }),
        _ => None,
    };
    let print_pages = match pages {
        Some(Ok(p)) => Some(p),
        Some(Err(_)) => {
            eprintln!(
                "warning: the EPUB gets no print page list: the PDF could not be laid out{}",
                if want_pdf {
                    " (see the errors below)"
                } else {
                    "; build the PDF (--format pdf) to see why"
                }
            );
            None
        }
        None => None,
    };

    for format in formats {
        let t = Instant::now();
        // Every file of a format is made in memory first and written only
        // when all of them succeeded.
        let outputs = match format {
            Format::Epub => build_epub(book, cover.as_ref(), print_pages.clone(), &loaded.sources)
                .map(|b| vec![(out_dir.join(format!("{}.epub", book.meta.slug)), b)]),
            Format::Pdf => match &layout {
                Some(Ok(l)) => build_pdf(book, l, &loaded.sources),
                Some(Err(diags)) => Err(diags.clone()),
                None => Err(Diagnostics::new()),
            }
            .map(|files| {
                files
                    .into_iter()
                    .map(|(name, b)| (out_dir.join(name), b))
                    .collect()
            }),
        };
        let outputs: Vec<(PathBuf, Vec<u8>)> = match outputs {
            Ok(o) => o,
            Err(diags) => {
                ui.diagnostics(&diags, &loaded.sources);
                eprintln!(
                    "{} error(s): the {} was not written (an earlier one is left as it was)",
                    diags.error_count(),
                    match format {
                        Format::Epub => "EPUB",
                        Format::Pdf => "PDF",
                    }
                );
                return super::input_error();
            }
        };
        for (path, bytes) in &outputs {
            if let Err(e) = qalam::output::write_atomic(path, bytes) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return super::input_error();
            }
            ui.info(format!(
                "wrote {} ({}) in {} ms",
                path.display(),
                human_size(bytes.len()),
                t.elapsed().as_millis()
            ));
        }
    }
    ui.detail(format!("done in {} ms", started.elapsed().as_millis()));
    ExitCode::SUCCESS
}

fn build_epub(
    book: &Book,
    cover: Option<&CoverArt>,
    print_pages: Option<qalam::epub::PrintPages>,
    sources: &SourceMap,
) -> Result<Vec<u8>, Diagnostics> {
    let opts = qalam::epub::EpubOptions {
        print_pages,
        ..qalam::epub::EpubOptions::from_env()
    };
    qalam::epub::write(book, cover, &opts).map_err(|e| {
        let mut d = Diagnostics::new();
        d.push(e.diagnostic(sources));
        d
    })
}

/// The PDF variants `[pdf] variants` asks for: (file name, bytes).
fn build_pdf(
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
        out.push((name, qalam::pdf::write(layout, variant, sources)?));
    }
    Ok(out)
}

fn human_size(n: usize) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1e6)
    } else {
        format!("{} KB", n.div_ceil(1000))
    }
}
