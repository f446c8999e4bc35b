use super::Ui;
use qalam::cover::{self, Canvas, Style};
use std::path::{Path, PathBuf};
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
    // Nothing is written through a link: the project's covers/ folder or
    // the file itself being one would put the picture elsewhere, under a
    // name the book chooses.
    if let Err(e) = qalam::output::check_target(&out) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return super::input_error();
    }
    if out.exists() && !args.force {
        eprintln!(
            "error: {} already exists; add --force to replace it",
            out.display()
        );
        return super::input_error();
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
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return super::input_error();
    }
    if let Err(e) = qalam::output::write_atomic(&out, &bytes) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return super::input_error();
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

/// The project's `covers/` folder: the book folder's sibling, where the
/// reader accepts cover files from.
fn covers_dir(book_dir: &Path, root: &Path) -> PathBuf {
    let parent = if book_dir.file_name().is_some() {
        book_dir.parent().map(Path::to_path_buf)
    } else {
        // "." or "..": name the folder by its real parent.
        root.parent().map(Path::to_path_buf)
    };
    parent.unwrap_or_default().join("covers")
}
