//! `qalam cover --wrap`: the full-wrap cover for print-on-demand, made by
//! the library ([`qalam::build::Project::wrap_cover`]); this file names the
//! file and prints the figures.

use super::Ui;
use super::cover::Args;
use super::files::{covers_dir, writable, write};
use qalam::build::Project;
use qalam::cover::Style;
use std::process::ExitCode;

pub fn run(args: &Args, ui: &Ui) -> ExitCode {
    let project = Project::load(&args.book_dir);
    ui.diagnostics(project.diagnostics(), project.sources());
    let Some(book) = project.book() else {
        eprintln!("error: no cover made until the errors are fixed");
        return super::input_error();
    };
    let out = args.output.clone().unwrap_or_else(|| {
        covers_dir(&args.book_dir, &book.root).join(format!("{}-wrap.pdf", book.meta.slug))
    });
    let is_pdf = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if !is_pdf {
        eprintln!(
            "error: a full-wrap cover is a PDF; name a .pdf file instead of {}",
            out.display()
        );
        return ExitCode::from(2);
    }
    if let Err(code) = writable(&out, args.force) {
        return code;
    }
    let engine = qalam::Engine::new();
    let style = args.style.as_deref().and_then(Style::from_name);
    let wrap = match project.wrap_cover(&engine, style, args.pages) {
        Ok((wrap, warnings)) => {
            ui.diagnostics(&warnings, project.sources());
            wrap
        }
        Err(d) => {
            ui.diagnostics(&d, project.sources());
            eprintln!("error: no cover made until the errors are fixed (or give --pages N)");
            return super::input_error();
        }
    };
    if let Err(code) = write(&out, &wrap.pdf) {
        return code;
    }
    let inch = |pt: f32| pt / 72.0;
    ui.info(format!(
        "wrote {}: {:.3} x {:.3} in with bleed; spine {:.4} in = {} pages / {:.1} pages per inch ({})",
        out.display(),
        inch(wrap.outer.0),
        inch(wrap.outer.1),
        inch(wrap.spine),
        wrap.pages,
        wrap.paper.ppi,
        wrap.paper.name
    ));
    if !wrap.spine_type {
        ui.info("the spine is too narrow for legible type: it is left plain");
    }
    ExitCode::SUCCESS
}
