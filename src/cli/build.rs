//! `qalam build`: the book's outputs (EPUB, PDF) into OUT_DIR (default
//! BOOK_DIR/out), each written atomically, never half a file.

use super::Ui;
use clap::ValueEnum;
use qalam::cover::CoverArt;
use qalam::diag::{Diagnostics, SourceMap};
use qalam::model::{Book, PdfVariant};
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

    // EPUB and PDF are made at the same time, each from its own view of
    // the cover: the PDF's final write is sequential (krilla builds one
    // document), and the EPUB, with the cover's raster that only it needs
    // (most of a cover's cost), keeps the other cores busy meanwhile. A
    // PDF-only build never makes the raster.
    let t = Instant::now();
    let sources = &loaded.sources;
    let cover_for = |epub: bool, diags: &mut Diagnostics| {
        let _timing = qalam::timings::start(qalam::timings::Stage::Cover);
        if epub {
            qalam::cover::prepare(book, diags)
        } else {
            qalam::cover::prepare_pdf(book, diags)
        }
    };
    type Built = Result<Vec<(PathBuf, Vec<u8>)>, Diagnostics>;
    let (epub, pdf): (Option<(Diagnostics, Option<Built>)>, _) = rayon::join(
        || {
            formats.contains(&Format::Epub).then(|| {
                let mut d = Diagnostics::new();
                let cover = cover_for(true, &mut d);
                let built = (!d.has_errors()).then(|| {
                    build_epub(book, cover.as_ref(), sources)
                        .map(|b| vec![(out_dir.join(format!("{}.epub", book.meta.slug)), b)])
                });
                (d, built)
            })
        },
        || {
            formats.contains(&Format::Pdf).then(|| {
                let mut d = Diagnostics::new();
                let cover = cover_for(false, &mut d);
                let built = (!d.has_errors()).then(|| {
                    build_pdf(book, cover.as_ref(), sources, ui).map(|files| {
                        files
                            .into_iter()
                            .map(|(name, b)| (out_dir.join(name), b))
                            .collect()
                    })
                });
                (d, built)
            })
        },
    );
    // The EPUB's cover is checked the most thoroughly; its messages stand
    // for both.
    let cover_diags = epub.as_ref().or(pdf.as_ref()).map(|(d, _)| d);
    if let Some(cover_diags) = cover_diags {
        ui.diagnostics(cover_diags, sources);
    }
    let cover_failed = [&epub, &pdf]
        .iter()
        .any(|b| b.as_ref().is_some_and(|(d, _)| d.has_errors()));
    if cover_failed {
        eprintln!(
            "the cover is not usable: nothing was written (earlier outputs are left as they were)"
        );
        return super::input_error();
    }
    let (mut epub, mut pdf) = (epub.and_then(|b| b.1), pdf.and_then(|b| b.1));

    for format in formats {
        // Every file of a format is made in memory first and written only
        // when all of them succeeded.
        let outputs = match format {
            Format::Epub => epub.take(),
            Format::Pdf => pdf.take(),
        }
        .expect("every format asked for was built above");
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
    sources: &SourceMap,
) -> Result<Vec<u8>, Diagnostics> {
    let _timing = qalam::timings::start(qalam::timings::Stage::Epub);
    qalam::epub::write(book, cover, &qalam::epub::EpubOptions::from_env()).map_err(|e| {
        let mut d = Diagnostics::new();
        d.push(e.diagnostic(sources));
        d
    })
}

/// The PDF variants `[pdf] variants` asks for: (file name, bytes).
fn build_pdf(
    book: &Book,
    cover: Option<&CoverArt>,
    sources: &SourceMap,
    ui: &Ui,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    let t = Instant::now();
    let (layout, diags) = qalam::pdf::layout(book, cover, sources);
    let layout = match layout {
        Some(l) if !diags.has_errors() => l,
        _ => return Err(diags),
    };
    // Warnings (an emoji drawn as a box, …) are shown; the PDF is made.
    ui.diagnostics(&diags, sources);
    ui.detail(format!(
        "laid out {} pages in {} ms",
        layout.pages.len(),
        t.elapsed().as_millis()
    ));
    let mut out = Vec::new();
    for &variant in &book.settings.pdf.variants {
        let name = match variant {
            PdfVariant::Screen => format!("{}.pdf", book.meta.slug),
            PdfVariant::Print => format!("{}-print.pdf", book.meta.slug),
        };
        let _timing = qalam::timings::start(qalam::timings::Stage::PdfWrite);
        out.push((name, qalam::pdf::write(&layout, variant, sources)?));
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
