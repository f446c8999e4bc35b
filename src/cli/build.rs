//! `qalam build`: the book's outputs into OUT_DIR (default BOOK_DIR/out).
//!
//! Every output is made in memory first and written with
//! [`qalam::output::write_atomic`] only when all of them succeeded, so an
//! error never leaves a partial file and earlier outputs stay as they were.

use super::Ui;
use clap::ValueEnum;
use qalam::diag::Diagnostics;
use qalam::model::PdfVariant;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// An output format. Every format is built unless `--format` names some.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
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
    let mut formats: Vec<Format> = if args.format.is_empty() {
        Format::value_variants().to_vec()
    } else {
        args.format.clone()
    };
    formats.dedup();

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

    // The cover, once for every format.
    let t = Instant::now();
    let mut cover_diags = Diagnostics::new();
    // Only the EPUB needs the cover's raster (most of the cost).
    let cover = if formats.iter().all(|f| *f == Format::Pdf) {
        qalam::cover::prepare_pdf(book, &mut cover_diags)
    } else {
        qalam::cover::prepare(book, &mut cover_diags)
    };
    ui.diagnostics(&cover_diags, &loaded.sources);
    if cover_diags.has_errors() {
        eprintln!(
            "the cover is not usable: nothing was written (earlier outputs are left as they were)"
        );
        return super::input_error();
    }
    ui.detail(format!("cover ready in {} ms", t.elapsed().as_millis()));

    // Everything in memory first.
    let mut outputs: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for format in &formats {
        match format {
            Format::Pdf => {
                let t = Instant::now();
                let (layout, diags) = qalam::pdf::layout(book, cover.as_ref(), &loaded.sources);
                ui.diagnostics(&diags, &loaded.sources);
                let layout = match layout {
                    Some(l) if !diags.has_errors() => l,
                    _ => return not_written(&diags, "the PDF"),
                };
                ui.detail(format!(
                    "laid out {} pages in {} ms",
                    layout.pages.len(),
                    t.elapsed().as_millis()
                ));
                for &variant in &book.settings.pdf.variants {
                    let t = Instant::now();
                    let name = match variant {
                        PdfVariant::Screen => format!("{}.pdf", book.meta.slug),
                        PdfVariant::Print => format!("{}-print.pdf", book.meta.slug),
                    };
                    match qalam::pdf::write(&layout, variant, &loaded.sources) {
                        Ok(bytes) => {
                            ui.detail(format!(
                                "wrote {name} in memory in {} ms",
                                t.elapsed().as_millis()
                            ));
                            outputs.push((out_dir.join(name), bytes));
                        }
                        Err(diags) => {
                            ui.diagnostics(&diags, &loaded.sources);
                            return not_written(&diags, &name);
                        }
                    }
                }
            }
        }
    }

    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        eprintln!(
            "error: cannot create the output folder {}: {e}",
            out_dir.display()
        );
        return super::input_error();
    }
    for (path, bytes) in &outputs {
        if let Err(e) = qalam::output::write_atomic(path, bytes) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return super::input_error();
        }
        ui.info(format!(
            "wrote {} ({})",
            path.display(),
            human_size(bytes.len())
        ));
    }
    ui.detail(format!("done in {} ms", started.elapsed().as_millis()));
    ExitCode::SUCCESS
}

fn not_written(diags: &Diagnostics, what: &str) -> ExitCode {
    eprintln!(
        "{} error(s), {} warning(s): {what} was not written (earlier outputs are left as they were)",
        diags.error_count(),
        diags.warning_count()
    );
    super::input_error()
}

fn human_size(n: usize) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1e6)
    } else {
        format!("{} KB", n.div_ceil(1000))
    }
}
