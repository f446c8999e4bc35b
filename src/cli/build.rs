//! `qalam build`: the book's outputs (EPUB, PDF) into OUT_DIR (default
//! BOOK_DIR/out), each written atomically, never half a file.

use super::Ui;
use clap::ValueEnum;
use qalam::cover::CoverArt;
use qalam::diag::{Diagnostics, SourceMap};
use qalam::model::{Book, PdfVariant};
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

    // The cover, once for every format: the supplied one, checked and
    // converted, or one designed for the book. Only the EPUB needs its
    // raster (most of the cost), so a PDF-only build skips it.
    let t = Instant::now();
    let mut cover_diags = Diagnostics::new();
    let cover = if formats.contains(&Format::Epub) {
        qalam::cover::prepare(book, &mut cover_diags)
    } else {
        qalam::cover::prepare_pdf(book, &mut cover_diags)
    };
    ui.diagnostics(&cover_diags, &loaded.sources);
    if cover_diags.has_errors() {
        eprintln!(
            "the cover is not usable: nothing was written (earlier outputs are left as they were)"
        );
        return super::input_error();
    }
    ui.detail(format!("cover ready in {} ms", t.elapsed().as_millis()));

    // Every file of every format is made in memory first and written only
    // when all of them succeeded: a build that fails in any format leaves
    // every earlier output as it was.
    let mut outputs: Vec<(PathBuf, Vec<u8>, Duration)> = Vec::new();
    for format in formats {
        let t = Instant::now();
        let made = match format {
            Format::Epub => build_epub(book, cover.as_ref(), &loaded.sources)
                .map(|b| vec![(out_dir.join(format!("{}.epub", book.meta.slug)), b)]),
            Format::Pdf => build_pdf(book, cover.as_ref(), &loaded.sources, ui).map(|files| {
                files
                    .into_iter()
                    .map(|(name, b)| (out_dir.join(name), b))
                    .collect()
            }),
        };
        match made {
            Ok(files) => {
                let made_in = t.elapsed();
                outputs.extend(files.into_iter().map(|(p, b)| (p, b, made_in)))
            }
            Err(diags) => {
                ui.diagnostics(&diags, &loaded.sources);
                eprintln!(
                    "{} error(s) in the {}: nothing was written (earlier outputs are left as they were)",
                    diags.error_count(),
                    match format {
                        Format::Epub => "EPUB",
                        Format::Pdf => "PDF",
                    }
                );
                return super::input_error();
            }
        }
    }
    for (path, bytes, made_in) in &outputs {
        let t = Instant::now();
        if let Err(e) = qalam::output::write_atomic(path, bytes) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return super::input_error();
        }
        ui.info(format!(
            "wrote {} ({}) in {} ms",
            path.display(),
            human_size(bytes.len()),
            (*made_in + t.elapsed()).as_millis()
        ));
    }
    ui.detail(format!("done in {} ms", started.elapsed().as_millis()));
    ExitCode::SUCCESS
}

fn build_epub(
    book: &Book,
    cover: Option<&CoverArt>,
    sources: &SourceMap,
) -> Result<Vec<u8>, Diagnostics> {
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
