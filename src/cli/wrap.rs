//! `qalam cover --wrap`: the full-wrap cover for print-on-demand.

use super::Ui;
use super::cover::{Args, covers_dir, writable, write};
use qalam::cover::{self, Style};
use qalam::diag::{Diagnostics, SourceMap};
use qalam::model::Book;
use std::process::ExitCode;

pub fn run(args: &Args, book: &Book, style: Style, sources: &SourceMap, ui: &Ui) -> ExitCode {
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
    let engine = qalam::typeset::Engine::new();
    // The style asked for replaces the book's for a generated front.
    let styled;
    let book = if args.style.is_some() && book.settings.cover.style != Some(style) {
        let mut b = book.clone();
        b.settings.cover.style = Some(style);
        styled = b;
        &styled
    } else {
        book
    };
    let pages = match args.pages {
        Some(n) => n,
        None => match interior_pages(&engine, book, sources, ui) {
            Some(n) => n,
            None => return super::input_error(),
        },
    };
    let mut diags = Diagnostics::new();
    let front = cover::prepare_print(&engine, book, &mut diags);
    ui.diagnostics(&diags, sources);
    let Some(front) = front.filter(|_| !diags.has_errors()) else {
        eprintln!("error: no cover made until the errors are fixed");
        return super::input_error();
    };
    let wrap = cover::wrap::layout(&engine, book, front, pages);
    let bytes = match qalam::pdf::write_wrap(&wrap) {
        Ok(b) => b,
        Err(d) => {
            ui.diagnostics(&d, sources);
            return super::input_error();
        }
    };
    if let Err(code) = write(&out, &bytes) {
        return code;
    }
    let g = &wrap.geometry;
    let (ow, oh) = g.outer();
    let inch = |pt: f32| pt / 72.0;
    ui.info(format!(
        "wrote {}: {:.3} x {:.3} in with bleed; spine {:.4} in = {} pages / {:.1} pages per inch ({})",
        out.display(),
        inch(ow),
        inch(oh),
        inch(g.spine),
        g.pages,
        wrap.paper.ppi,
        wrap.paper.name
    ));
    if wrap.spine.is_none() {
        ui.info("the spine is too narrow for legible type: it is left plain");
    }
    ExitCode::SUCCESS
}

/// The interior's page count: the book laid out as the PDF is, without
/// its cover page.
fn interior_pages(
    engine: &qalam::typeset::Engine,
    book: &Book,
    sources: &SourceMap,
    ui: &Ui,
) -> Option<u32> {
    let (layout, diags) = qalam::pdf::layout(engine, book, None, sources, None);
    if diags.has_errors() {
        ui.diagnostics(&diags, sources);
        eprintln!("error: cannot count the pages until the errors are fixed (or give --pages N)");
        return None;
    }
    layout.map(|l| l.pages.len() as u32)
}
