use super::Ui;
use qalam::import::{self, Options};
use qalam::model::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// A summary for people
    Text,
    /// The whole report as JSON, for scripts
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// The interview: plain text (.txt), a saved web page (.html, .htm), a
    /// Word document (.docx) or an OpenDocument text (.odt); the content
    /// decides, not the extension
    pub file: PathBuf,
    /// Folder to write the book project into (default: ./<slug of the title>)
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The interview's language, a BCP 47 tag such as en, ru or kk
    /// (default: the page's, or guessed from the text)
    #[arg(long, value_name = "xx")]
    pub lang: Option<String>,
    /// Read and report, write nothing (with -v, print the files instead)
    #[arg(long)]
    pub dry_run: bool,
    /// How to print the report
    #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
    pub report: ReportFormat,
    /// Keep everything, also what looks like page furniture (it is still
    /// listed in the report)
    #[arg(long)]
    pub keep_all: bool,
    /// Replace the project's files in an existing, non-empty folder
    #[arg(long)]
    pub force: bool,
    /// Then build the project's EPUB and PDF, as `qalam build DIR` would
    /// (into DIR/out), in the same run
    #[arg(long, conflicts_with = "dry_run")]
    pub build: bool,
}

pub fn run(args: Args, ui: &Ui) -> ExitCode {
    let lang = match &args.lang {
        None => None,
        Some(l) => match Lang::parse(l) {
            Some(l) => Some(l),
            None => {
                let d = qalam::diag::Diagnostic::error(
                    "bad-language",
                    format!("`{l}` is not a language tag"),
                )
                .help("use e.g. --lang en, ru or kk");
                ui.diagnostics(&d.into(), &qalam::diag::SourceMap::new());
                return ExitCode::from(2);
            }
        },
    };
    let opts = Options {
        lang,
        keep_all: args.keep_all,
    };
    let mut imported = match import::import_file(&args.file, &opts) {
        Ok(i) => i,
        Err(d) => {
            ui.diagnostics(&d, &qalam::diag::SourceMap::new());
            return super::input_error();
        }
    };
    if !args.dry_run {
        let dir = args
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from(&imported.meta.slug));
        let started = std::time::Instant::now();
        let read_back = match import::write_project_read(&imported, &dir, args.force) {
            Ok((paths, loaded)) => {
                imported.report.written = paths.iter().map(|p| p.display().to_string()).collect();
                loaded
            }
            Err(d) => {
                ui.diagnostics(&d, &imported.sources);
                return super::input_error();
            }
        };
        match args.report {
            ReportFormat::Json => println!("{}", imported.report.to_json()),
            ReportFormat::Text => {
                ui.info(imported.report.to_text().trim_end());
                if !args.build {
                    ui.info(format!("next: qalam check {}", dir.display()));
                }
            }
        }
        if args.build {
            let build = super::options::Args {
                book_dir: dir,
                out_dir: None,
                format: Vec::new(),
                all: false,
                timings: false,
                force: false,
                shard: None,
                report: None,
            };
            // The project is built as read back from the folder, so this is
            // exactly `qalam build DIR`: what it builds is what the editor
            // will find there.
            let base = super::options::base_options();
            return match read_back {
                Some(loaded) => {
                    super::book::build_project(
                        &build,
                        ui,
                        &base,
                        &qalam::build::Project::from_loaded(&build.book_dir, loaded),
                        started,
                    )
                    .code
                }
                None => super::book::build_book(&build, ui, &base).code,
            };
        }
    } else {
        match args.report {
            ReportFormat::Json => println!("{}", imported.report.to_json()),
            ReportFormat::Text => {
                ui.info(imported.report.to_text().trim_end());
                if ui.verbosity >= super::Verbosity::Verbose {
                    for (path, text) in imported.files() {
                        ui.detail(format!("----- {path}\n{}", text.trim_end()));
                    }
                }
                ui.info("dry run: nothing written");
            }
        }
    }
    ExitCode::SUCCESS
}
