use super::Ui;
use clap::ValueEnum;
use qalam::cover::CoverArt;
use qalam::diag::{Diagnostic, Diagnostics, SourceMap};
use qalam::model::Book;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// An output format. Every format is built unless `--format` names some.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// EPUB 3 (with an EPUB 2 NCX), for e-readers, phones and screen readers
    Epub,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Epub => "epub",
        }
    }
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
    // converted, or one designed for the book.
    let t = Instant::now();
    let mut cover_diags = Diagnostics::new();
    let cover = qalam::cover::prepare(book, &mut cover_diags);
    ui.diagnostics(&cover_diags, &loaded.sources);
    if cover_diags.has_errors() {
        eprintln!(
            "the cover is not usable: nothing was written (earlier outputs are left as they were)"
        );
        return super::input_error();
    }
    ui.detail(format!("cover ready in {} ms", t.elapsed().as_millis()));

    for format in formats {
        let t = Instant::now();
        let path = out_dir.join(format!("{}.{}", book.meta.slug, format.extension()));
        let bytes = match format {
            Format::Epub => build_epub(book, cover.as_ref(), &loaded.sources),
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(diag) => {
                eprint!("{}", diag.render(&loaded.sources, ui.color));
                eprintln!(
                    "{} was not written (an earlier one is left as it was)",
                    path.display()
                );
                return super::input_error();
            }
        };
        if let Err(e) = qalam::output::write_atomic(&path, &bytes) {
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
    ui.detail(format!("done in {} ms", started.elapsed().as_millis()));
    ExitCode::SUCCESS
}

fn build_epub(
    book: &Book,
    cover: Option<&CoverArt>,
    sources: &SourceMap,
) -> Result<Vec<u8>, Box<Diagnostic>> {
    qalam::epub::write(book, cover, &qalam::epub::EpubOptions::from_env())
        .map_err(|e| Box::new(e.diagnostic(sources)))
}

fn human_size(n: usize) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1e6)
    } else {
        format!("{} KB", n.div_ceil(1000))
    }
}
