use super::Ui;
use super::files::{covers_dir, writable, write};
use qalam::cover::{self, Canvas, Style};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The book folder (with book.toml)
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// The design (default: `[cover] style` in book.toml, else field)
    #[arg(long, value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(Style::ALL.map(Style::name)))]
    pub style: Option<String>,
    /// Where to write: .png (1600 x 2560 px), .jpg or .svg
    /// [default: covers/<slug>.png beside the book folder]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the output file if it exists
    #[arg(long)]
    pub force: bool,
    /// Write a full-wrap cover for print-on-demand instead: back, spine
    /// and front with bleed, as a PDF [default output:
    /// covers/<slug>-wrap.pdf]. The spine is pages / ppi of the paper in
    /// `[cover] paper` or `paper-ppi`
    #[arg(long)]
    pub wrap: bool,
    /// The interior's page count for --wrap [default: the print PDF's,
    /// laid out now]
    #[arg(long, value_name = "N", requires = "wrap")]
    pub pages: Option<u32>,
}

enum Format {
    Png,
    Jpeg,
    Svg,
}

pub fn run(args: Args, ui: &Ui) -> ExitCode {
    let project = qalam::build::Project::load(&args.book_dir);
    ui.diagnostics(project.diagnostics(), project.sources());
    let Some(book) = project.book() else {
        let d = project.diagnostics();
        eprintln!(
            "{} error(s), {} warning(s): no cover made until the errors are fixed",
            d.error_count(),
            d.warning_count()
        );
        return super::input_error();
    };
    let style = args
        .style
        .as_deref()
        .and_then(Style::from_name)
        .unwrap_or_else(|| cover::style_of(book));
    let default_out = args.output.is_none();
    let out = args.output.clone().unwrap_or_else(|| {
        covers_dir(&args.book_dir, &book.root).join(format!("{}.png", book.meta.slug))
    });
    let format = match out
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("png") => Format::Png,
        Some("jpg" | "jpeg") => Format::Jpeg,
        Some("svg") => Format::Svg,
        _ => {
            eprintln!(
                "error: cannot tell the format of {}; name a .png, .jpg or .svg file",
                out.display()
            );
            return ExitCode::from(2);
        }
    };
    if let Err(code) = writable(&out, args.force) {
        return code;
    }
    let layout = cover::design(&qalam::Engine::new(), book, style, Canvas::EPUB);
    let bytes = match format {
        Format::Png => cover::render_png(&layout),
        Format::Jpeg => cover::render_jpeg(&layout),
        Format::Svg => Ok(layout.svg().into_bytes()),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(d) => {
            eprintln!("{d}");
            return super::input_error();
        }
    };
    if let Err(code) = write(&out, &bytes) {
        return code;
    }
    ui.info(format!(
        "wrote {}: {} style, {} x {} px",
        out.display(),
        style.name(),
        Canvas::EPUB.width,
        Canvas::EPUB.height
    ));
    if book.cover.is_none() && default_out {
        ui.info(format!(
            "to use it, add to [book] in book.toml: cover = \"../covers/{}\"",
            out.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
    }
    ExitCode::SUCCESS
}
