//! `qalam build`: the book's outputs (EPUB, PDF) into OUT_DIR (default
//! BOOK_DIR/out), through the library's [`qalam::build::Project`]; this
//! file parses the arguments and prints what the build says.

use super::Ui;
use clap::ValueEnum;
use qalam::build::{BuildOptions, Project};
use qalam::catalogue::{ReportTo, Shard, Status};
use qalam::incremental::Toolchain;
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
    fn options(&self, base: &BuildOptions) -> BuildOptions {
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
    // The executable's path, size and modification time: any rebuild of
    // qalam changes them (see `Toolchain::new`).
    let program = std::env::current_exe()
        .and_then(|p| Ok((std::fs::metadata(&p)?, p)))
        .map(|(m, p)| format!("{} {} {:?}", p.display(), m.len(), m.modified().ok()))
        .unwrap_or_default();
    Base {
        opts: BuildOptions {
            source_date_epoch: std::env::var("SOURCE_DATE_EPOCH")
                .ok()
                .and_then(|s| qalam::timestamp::parse_source_date_epoch(&s)),
            ..BuildOptions::default()
        },
        toolchain: Toolchain::new(&program),
    }
}

/// What building one book came to.
pub struct Outcome {
    pub code: ExitCode,
    pub status: Status,
    pub outputs: Vec<PathBuf>,
    pub digest: Option<String>,
}

pub fn run(args: Args, ui: &Ui) -> ExitCode {
    let started = Instant::now();
    if args.timings {
        qalam::timings::enable();
    }
    let base = base_options();
    let code = if args.all {
        super::batch::run(&args, ui, &base)
    } else {
        build_book(&args, ui, &base).code
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

/// Builds the one book in `args.book_dir`, unless it is up to date.
pub fn build_book(args: &Args, ui: &Ui, base: &Base) -> Outcome {
    let started = Instant::now();
    let opts = args.options(&base.opts);
    if !args.force
        && let Some(fresh) = qalam::incremental::up_to_date(&args.book_dir, &opts, &base.toolchain)
    {
        ui.info(format!("{} is up to date", args.book_dir.display()));
        return Outcome {
            code: ExitCode::SUCCESS,
            status: Status::UpToDate,
            outputs: fresh.outputs,
            digest: Some(fresh.digest),
        };
    }
    build_project(args, ui, base, &Project::load(&args.book_dir), started)
}

/// Builds `project` as `args` say and prints what the build says;
/// `started` is when the reading began.
pub fn build_project(
    args: &Args,
    ui: &Ui,
    base: &Base,
    project: &Project,
    started: Instant,
) -> Outcome {
    let failed = |code| Outcome {
        code,
        status: Status::Failed,
        outputs: Vec::new(),
        digest: None,
    };
    ui.diagnostics(project.diagnostics(), project.sources());
    let Some(book) = project.book() else {
        let d = project.diagnostics();
        ui.err_line(format!(
            "{} error(s), {} warning(s): {} was not built (earlier outputs are left as they were)",
            d.error_count(),
            d.warning_count(),
            args.book_dir.display()
        ));
        return failed(super::input_error());
    };
    ui.detail(format!(
        "read {} ({} chapters) in {} ms",
        args.book_dir.display(),
        book.chapters.len(),
        started.elapsed().as_millis()
    ));
    let opts = args.options(&base.opts);
    match project.build(&opts) {
        Ok(report) => {
            ui.diagnostics(&report.diagnostics, project.sources());
            if let Some((pages, took)) = report.laid_out {
                ui.detail(format!("laid out {pages} pages in {} ms", took.as_millis()));
            }
            for note in &report.notes {
                ui.err_line(note);
            }
            for w in &report.written {
                ui.info(format!(
                    "wrote {} ({}) in {} ms",
                    w.path.display(),
                    human_size(w.size),
                    w.took.as_millis()
                ));
            }
            // The outputs are in place; without a record the next build
            // only builds again.
            let digest =
                qalam::incremental::record(project, &opts, &base.toolchain, &report.written)
                    .map_err(|e| ui.err_line(format!("warning: no build record kept: {e}")))
                    .ok();
            ui.detail(format!("done in {} ms", started.elapsed().as_millis()));
            Outcome {
                code: ExitCode::SUCCESS,
                status: Status::Built,
                outputs: report.written.into_iter().map(|w| w.path).collect(),
                digest,
            }
        }
        Err(failure) => {
            ui.diagnostics(&failure.diagnostics, project.sources());
            for note in &failure.notes {
                ui.err_line(note);
            }
            ui.err_line(failure.reason.to_string());
            failed(if failure.reason.is_usage() {
                ExitCode::from(2)
            } else {
                super::input_error()
            })
        }
    }
}

fn human_size(n: usize) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1e6)
    } else {
        format!("{} KB", n.div_ceil(1000))
    }
}
