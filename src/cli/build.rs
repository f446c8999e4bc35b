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
use std::time::{Duration, Instant};

/// An output format. Every format is built unless `--format` names some.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// EPUB 3 (with an EPUB 2 NCX), for e-readers, phones and screen readers
    Epub,
    /// PDF: <slug>.pdf, and <slug>-print.pdf with `[pdf] variants = ["screen", "print"]`
    Pdf,
}

#[derive(clap::Args, Clone)]
pub struct Args {
    /// The book folder (with book.toml); with --all, a folder of book folders
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// Where to write the outputs [default: BOOK_DIR/out]
    #[arg(short = 'o', long = "out", value_name = "OUT_DIR")]
    pub out_dir: Option<PathBuf>,
    /// Formats to build, comma-separated [default: all]
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FORMATS")]
    pub format: Vec<Format>,
    /// Build every book project (a folder with book.toml) below BOOK_DIR, in
    /// parallel; with -o, each into OUT_DIR/<its path below BOOK_DIR>
    #[arg(long)]
    pub all: bool,
    /// Print where the time went (read, typography, cover, shaping, line
    /// breaking, pages, EPUB, PDF write)
    #[arg(long)]
    pub timings: bool,
}

pub fn run(args: Args, ui: &Ui) -> ExitCode {
    let started = Instant::now();
    if args.timings {
        qalam::timings::enable();
    }
    let code = if args.all {
        super::batch::run(&args, ui)
    } else {
        build_book(&args, ui)
    };
    if args.timings {
        print_timings(started.elapsed());
    }
    code
}

/// Where the time went, to stdout (asked for, so shown even with --quiet).
fn print_timings(wall: std::time::Duration) {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "timings (wall clock {:.1} ms; * = summed over {} threads):",
        ms(wall),
        rayon::current_num_threads()
    );
    for (stage, d) in qalam::timings::totals() {
        let star = if stage.parallel() { " *" } else { "" };
        println!("  {:<14} {:>9.1} ms{star}", stage.name(), ms(d));
    }
}

/// Builds the one book in `args.book_dir`.
pub fn build_book(args: &Args, ui: &Ui) -> ExitCode {
    let started = Instant::now();
    let loaded = qalam::source::load(&args.book_dir);
    build_loaded(args, ui, loaded, started)
}

/// Builds the project `loaded` (read from `args.book_dir`) as
/// [`build_book`] does; `started` is when the reading began.
pub fn build_loaded(
    args: &Args,
    ui: &Ui,
    loaded: qalam::source::Loaded,
    started: Instant,
) -> ExitCode {
    let formats: Vec<Format> = if args.format.is_empty() {
        Format::value_variants().to_vec()
    } else {
        let mut f = args.format.clone();
        f.dedup();
        f
    };

    ui.diagnostics(&loaded.diagnostics, &loaded.sources);
    let d = &loaded.diagnostics;
    let Some(book) = &loaded.book else {
        ui.err_line(format!(
            "{} error(s), {} warning(s): {} was not built (earlier outputs are left as they were)",
            d.error_count(),
            d.warning_count(),
            args.book_dir.display()
        ));
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
        ui.err_line(format!(
            "error: {} is not a folder; name a folder for the outputs with -o",
            out_dir.display()
        ));
        return ExitCode::from(2);
    }
    // A link in the book's place for outputs (`out` leading elsewhere)
    // would make the build replace files outside the book, under names
    // the book chooses.
    if std::fs::symlink_metadata(&out_dir).is_ok_and(|m| m.file_type().is_symlink()) {
        ui.err_line(format!(
            "error: the output folder {} is a symbolic link; outputs are never written through links (remove the link, or name a real folder with -o)",
            out_dir.display()
        ));
        return super::input_error();
    }
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        ui.err_line(format!(
            "error: cannot create the output folder {}: {e}",
            out_dir.display()
        ));
        return super::input_error();
    }

    let want_epub = formats.contains(&Format::Epub);
    let want_pdf = formats.contains(&Format::Pdf);
    let want_pages = want_epub && book.settings.epub.page_list;
    let sources = &loaded.sources;
    let t = Instant::now();
    let cover_for = |epub: bool, diags: &mut Diagnostics| {
        let _timing = qalam::timings::start(qalam::timings::Stage::Cover);
        if epub {
            qalam::cover::prepare_epub(book, diags)
        } else {
            qalam::cover::prepare_pdf(book, diags)
        }
    };

    // Phase 1, two sides at once: the EPUB's cover, whose raster (most of a
    // cover's cost) only the EPUB needs; and the PDF's view of the cover
    // and the layout, which the PDF draws and the EPUB takes its print
    // pages from. An EPUB-only build lays the book out without the cover
    // (only the PDF draws it; the page numbers do not depend on it).
    let (epub_cover, pdf_side) = rayon::join(
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
                    let (layout, diags) = qalam::pdf::layout(book, cover.as_ref(), sources);
                    let layout = match layout {
                        Some(l) if !diags.has_errors() => Ok((l, diags)),
                        _ => Err(diags),
                    };
                    (layout, t.elapsed())
                });
                (cover, d, layout)
            })
        },
    );
    // The EPUB's cover is checked the most thoroughly; its messages stand
    // for both.
    let cover_diags = match (&epub_cover, &pdf_side) {
        (Some((_, d)), _) => Some(d),
        (None, Some((_, d, _))) => Some(d),
        _ => None,
    };
    if let Some(d) = cover_diags {
        ui.diagnostics(d, sources);
    }
    let cover_failed = epub_cover.as_ref().is_some_and(|(_, d)| d.has_errors())
        || pdf_side.as_ref().is_some_and(|(_, d, _)| d.has_errors());
    if cover_failed {
        ui.err_line(
            "the cover is not usable: nothing was written (earlier outputs are left as they were)",
        );
        return super::input_error();
    }
    let epub_cover = epub_cover.and_then(|(c, _)| c);
    let (pdf_cover, layout) = match pdf_side {
        Some((cover, _, Some((layout, took)))) => {
            if let Ok((l, diags)) = &layout {
                // Warnings (an emoji drawn as a box, …) concern the PDF.
                if want_pdf {
                    ui.diagnostics(diags, sources);
                }
                ui.detail(format!(
                    "laid out {} pages in {} ms",
                    l.pages.len(),
                    took.as_millis()
                ));
            }
            (cover, Some(layout.map(|(l, _)| l)))
        }
        Some((cover, _, None)) => (cover, None),
        None => (None, None),
    };
    let print_pages = match &layout {
        Some(Ok(l)) if want_pages => Some(qalam::epub::PrintPages::from_layout(
            l,
            &book.meta.identifier,
        )),
        Some(Err(_)) if want_pages => {
            ui.err_line(format!(
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
    drop(pdf_cover);

    // Phase 2, two sides at once: the EPUB, and the PDF's variants (krilla
    // writes one document at a time). Each side stages its files (written
    // beside their targets) as soon as they are made, so one side's writing
    // overlaps the other's work; they are renamed into place only when both
    // sides succeeded.
    let stage = |made: Result<Vec<(PathBuf, Vec<u8>)>, Diagnostics>| -> Result<Vec<Made>, Failed> {
        let files = made.map_err(Failed::Format)?;
        files
            .into_iter()
            .map(|(path, bytes)| {
                let staged = qalam::output::stage(&path, &bytes)
                    .map_err(|e| Failed::Write(path.clone(), e))?;
                Ok(Made {
                    staged,
                    size: bytes.len(),
                    took: t.elapsed(),
                })
            })
            .collect()
    };
    let (epub, pdf) = rayon::join(
        || {
            want_epub.then(|| {
                stage(
                    build_epub(book, epub_cover.as_ref(), print_pages, sources)
                        .map(|b| vec![(out_dir.join(format!("{}.epub", book.meta.slug)), b)]),
                )
            })
        },
        || {
            want_pdf.then(|| {
                stage(match &layout {
                    Some(Ok(l)) => build_pdf(book, l, sources).map(|files| {
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
    let (mut epub, mut pdf) = (epub, pdf);

    // Every file of every format is made (and staged) first and put in
    // place only when all of them succeeded: a build that fails in any
    // format leaves every earlier output as it was.
    let mut outputs: Vec<Made> = Vec::new();
    for format in formats {
        let Some(made) = (match format {
            Format::Epub => epub.take(),
            Format::Pdf => pdf.take(),
        }) else {
            continue;
        };
        match made {
            Ok(files) => outputs.extend(files),
            Err(Failed::Format(diags)) => {
                ui.diagnostics(&diags, &loaded.sources);
                ui.err_line(format!(
                    "{} error(s) in the {}: nothing was written (earlier outputs are left as they were)",
                    diags.error_count(),
                    match format {
                        Format::Epub => "EPUB",
                        Format::Pdf => "PDF",
                    }
                ));
                return super::input_error();
            }
            Err(Failed::Write(path, e)) => {
                ui.err_line(format!(
                    "error: cannot write {}: {e} (earlier outputs are left as they were)",
                    path.display()
                ));
                return super::input_error();
            }
        }
    }
    // All renamed into place or none: a rename that fails half-way puts
    // back the files already renamed (see `qalam::output::commit_all`).
    let wrote: Vec<String> = outputs
        .iter()
        .map(|made| {
            format!(
                "wrote {} ({}) in {} ms",
                made.staged.target().display(),
                human_size(made.size),
                made.took.as_millis()
            )
        })
        .collect();
    if let Err((path, e)) =
        qalam::output::commit_all(outputs.into_iter().map(|m| m.staged).collect())
    {
        ui.err_line(format!(
            "error: cannot write {}: {e} (earlier outputs are left as they were)",
            path.display()
        ));
        return super::input_error();
    }
    for line in wrote {
        ui.info(line);
    }
    ui.detail(format!("done in {} ms", started.elapsed().as_millis()));
    ExitCode::SUCCESS
}

/// A staged output file: written, waiting to be renamed.
struct Made {
    staged: qalam::output::Staged,
    size: usize,
    /// From the start of the build's work to the file staged.
    took: Duration,
}

/// Why a format was not made.
enum Failed {
    /// Errors in the sources that this format reports.
    Format(Diagnostics),
    /// Its file could not be written.
    Write(PathBuf, std::io::Error),
}

fn build_epub(
    book: &Book,
    cover: Option<&CoverArt>,
    print_pages: Option<qalam::epub::PrintPages>,
    sources: &SourceMap,
) -> Result<Vec<u8>, Diagnostics> {
    let _timing = qalam::timings::start(qalam::timings::Stage::Epub);
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
        let _timing = qalam::timings::start(qalam::timings::Stage::PdfWrite);
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
