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
    /// The interview: plain text (.txt) or a saved web page (.html, .htm);
    /// the content decides, not the extension
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
                eprintln!("error: `{l}` is not a language tag; use e.g. en, ru or kk");
                return ExitCode::from(2);
            }
        },
    };
    let input = import::read_input(&args.file).map(std::sync::Arc::<[u8]>::from);
    // Stopped (dropped) when the build has laid the book out.
    let warm_up = match &input {
        Ok(bytes) if args.build => Some(WarmUp::start(bytes.clone(), lang.clone())),
        _ => None,
    };
    let opts = Options {
        lang,
        keep_all: args.keep_all,
    };
    let mut imported = match input.and_then(|b| import::import_read(&b, &args.file, &opts)) {
        Ok(i) => i,
        Err(d) => {
            eprint!("{}", d.render(&qalam::diag::SourceMap::new(), false));
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
                eprint!("{}", d.render(&imported.sources, false));
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
            let build = super::build::Args {
                book_dir: dir,
                out_dir: None,
                format: Vec::new(),
                all: false,
                timings: false,
            };
            let freeing = super::build::Freeing::Skip;
            // The project is built as read back from the folder, so this is
            // exactly `qalam build DIR`: what it builds is what the editor
            // will find there.
            return match read_back {
                // The warm-up goes on while the book is laid out (it shapes
                // words before the typesetters reach them), and stops then.
                Some(loaded) => {
                    super::build::build_loaded(&build, ui, freeing, loaded, started, || {
                        drop(warm_up)
                    })
                }
                None => {
                    drop(warm_up);
                    super::build::build_book(&build, ui, freeing)
                }
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

/// The words of the input shaped on a spare processor while the importer
/// reads, writes and reads back the project, for `--build`.
///
/// Measured on the seed (2-core machine, alternating runs): the body
/// text's 1,271 distinct words took some 3 ms to shape in the build's
/// layout. Shaped here, while the importer keeps the other processor busy,
/// they are found in the word cache: the whole run took 1.4 ms less
/// (median of 60 runs each, 23.4 -> 22.0 ms) when the warm-up stopped as
/// the build began, half-way through the words, and another 0.9 ms less
/// (100 runs each) going on until the book is laid out. The outputs are
/// byte-identical either way (`tests/import.rs`).
struct WarmUp {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl WarmUp {
    fn start(input: std::sync::Arc<[u8]>, lang: Option<Lang>) -> WarmUp {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let spawned = std::thread::Builder::new()
            .name("warm-up".into())
            .spawn(move || {
                let text = String::from_utf8_lossy(&input);
                let words = visible_words(&text, import::detect(&text) == import::Format::Html);
                // The importer's own guess when no language is given (a page's
                // `lang` attribute may say otherwise: then the words are
                // shaped for nothing).
                let lang = lang.unwrap_or_else(|| import::language_of_letters(words.iter()));
                // Books made by the importer name no fonts: the bundled book.
                let (fonts, _) = qalam::typeset::FontBook::shared(&Default::default());
                // The size plays no part in shaping.
                let body = qalam::typeset::TextStyle::body(10.5);
                qalam::typeset::warm(&fonts, &body, lang.as_str(), words, &flag);
            });
        // Without a thread the build shapes every word itself.
        drop(spawned);
        WarmUp { stop }
    }
}

impl Drop for WarmUp {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The distinct words of `text`, outside markup when it is HTML (entities
/// and the text of scripts are let through: at worst they are shaped for
/// nothing).
fn visible_words(text: &str, html: bool) -> Vec<&str> {
    let chunks: Box<dyn Iterator<Item = &str>> = if html {
        // What follows each tag's closing `>`.
        Box::new(
            text.split('<')
                .filter_map(|piece| piece.split_once('>').map(|(_, after)| after)),
        )
    } else {
        Box::new(std::iter::once(text))
    };
    let mut seen = rustc_hash::FxHashSet::default();
    chunks
        .flat_map(str::split_whitespace)
        .filter(|w| seen.insert(*w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_of_a_page_leave_its_markup_out() {
        let page = "<html lang=\"en\"><head><title>A talk</title></head>\n<body><p class=\"lead\">We <em>built</em> it,\nwe built it.</p></body></html>";
        let words = visible_words(page, true);
        assert_eq!(words, ["A", "talk", "We", "built", "it,", "we", "it."]);
        let text = "We built it, we built it.";
        assert_eq!(
            visible_words(text, false),
            ["We", "built", "it,", "we", "it."]
        );
    }

    #[test]
    fn the_language_comes_from_the_letters() {
        let tag = |t: &str| import::language_of_letters([t]).as_str().to_string();
        assert_eq!(tag("The civil service"), "en");
        assert_eq!(tag("Государственная служба"), "ru");
        assert_eq!(tag("Мемлекеттік қызмет"), "kk");
    }
}
