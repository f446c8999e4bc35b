//! The `build` command's arguments, and what every build a command starts
//! shares (the clock, read here once, and the engine).

use clap::ValueEnum;
use qalam::build::BuildOptions;
use qalam::catalogue::{ReportTo, Shard};
use qalam::incremental::Toolchain;
use std::path::PathBuf;

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
    /// Build even when the outputs are up to date (their record in OUT_DIR
    /// matches every file the book reads, qalam and the options)
    #[arg(long)]
    pub force: bool,
    /// With --all: build the K-th of N parts of the catalogue (by the books'
    /// paths, balanced by size), e.g. --shard 2/4 on the second of four machines
    #[arg(long, requires = "all", value_name = "K/N")]
    pub shard: Option<Shard>,
    /// With --all: one JSON line per book (path, status, outputs, digest,
    /// diagnostics, millis): `json` on stdout, `json=FILE` into FILE
    #[arg(long, requires = "all", value_name = "json[=FILE]")]
    pub report: Option<ReportTo>,
}

impl Args {
    /// The options for this book: `base`'s clock and engine, with the
    /// formats and folder of the arguments.
    pub fn options(&self, base: &BuildOptions) -> BuildOptions {
        BuildOptions {
            formats: self
                .format
                .iter()
                .map(|f| match f {
                    Format::Epub => qalam::build::Format::Epub,
                    Format::Pdf => qalam::build::Format::Pdf,
                })
                .collect(),
            out_dir: self
                .out_dir
                .clone()
                .unwrap_or_else(|| self.book_dir.join("out")),
            ..base.clone()
        }
    }
}

/// What every book a command builds shares: the clock, read here once
/// (the library never reads the environment), one text engine, and what
/// identifies this qalam for incremental builds.
pub struct Base {
    pub opts: BuildOptions,
    pub toolchain: Toolchain,
}

pub fn base_options() -> Base {
    Base {
        opts: BuildOptions {
            source_date_epoch: std::env::var("SOURCE_DATE_EPOCH")
                .ok()
                .and_then(|s| qalam::timestamp::parse_source_date_epoch(&s)),
            ..BuildOptions::default()
        },
        toolchain: Toolchain::new(),
    }
}
