//! A typesetting proof: sets a book's questions and answer paragraphs with
//! the engine and stacks the lines on plain pages (no other structure), so
//! that `pdf-typo-metrics` can measure the breaker.
//!
//!     cargo run --release --example typeset_proof -- BOOK OUT.pdf [--font "Noto Serif"] [--ref REF.txt]
//!
//! Design: 6 x 9 in, margins inner 0.75 in, outer 0.6 in, top 0.7 in,
//! bottom 0.8 in; 10.5/14 pt justified with a 1 em indent except after a
//! question; questions bold sans, ragged right. `--ref` writes the plain
//! text of everything set, for the metrics' text-fidelity check.

use krilla::Document;
use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use qalam::internals::typeset::{
    FontBook, ParagraphSpec, SetParagraph, StyledText, TextStyle, Typesetter,
};
use qalam::model::{Block, Inline, plain_text};
use std::path::PathBuf;
use std::sync::Arc;

const W: f32 = 432.0;
const H: f32 = 648.0;
const INNER: f32 = 54.0;
const OUTER: f32 = 43.2;
const TOP: f32 = 50.4;
const BOTTOM: f32 = 57.6;
const SIZE: f32 = 10.5;
const LEAD: f32 = 14.0;

enum Para {
    Question(Vec<Inline>),
    Body(Vec<Inline>, bool),
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut book_dir = None;
    let mut out = None;
    let mut font: Option<String> = None;
    let mut reference: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--font" => font = args.next(),
            "--ref" => reference = args.next().map(PathBuf::from),
            _ if book_dir.is_none() => book_dir = Some(PathBuf::from(a)),
            _ => out = Some(PathBuf::from(a)),
        }
    }
    let (Some(book_dir), Some(out)) = (book_dir, out) else {
        eprintln!("usage: typeset_proof BOOK OUT.pdf [--font FAMILY] [--ref REF.txt]");
        std::process::exit(2);
    };
    let loaded = qalam::internals::source::load(&book_dir);
    let Some(book) = loaded.book else {
        for d in loaded.diagnostics.iter() {
            eprintln!("{d}");
        }
        std::process::exit(1);
    };
    let mut settings = book.settings.fonts.clone();
    if let Some(f) = font {
        settings.body = Some(f);
        settings.dirs.push("/usr/share/fonts/truetype/noto".into());
    }
    let (fonts, diags) = FontBook::from_settings(&settings);
    for d in diags.iter() {
        eprintln!("{d}");
    }
    let fonts = Arc::new(fonts);
    let mut ts = Typesetter::new(fonts.clone());

    // Questions and answer paragraphs, in order.
    let mut paras = Vec::new();
    for ch in &book.chapters {
        for ex in &ch.exchanges {
            paras.push(Para::Question(ex.question.content.clone()));
            let mut first = true;
            collect(&ex.answer, &mut paras, &mut first);
        }
    }

    let measure = W - INNER - OUTER;
    let lang = book.meta.language.clone();
    let mut reftext = String::new();
    let started = std::time::Instant::now();
    let mut set: Vec<(bool, SetParagraph)> = Vec::new();
    for p in &paras {
        match p {
            Para::Question(c) => {
                let st = StyledText::from_inlines(c, &TextStyle::heading(SIZE, true));
                reftext.push_str(&plain_text(c));
                reftext.push_str("\n\n");
                set.push((
                    true,
                    ts.set_paragraph(&ParagraphSpec::ragged(&st, measure, &lang)),
                ));
            }
            Para::Body(c, indent) => {
                let st = StyledText::from_inlines(c, &TextStyle::body(SIZE));
                reftext.push_str(&plain_text(c));
                reftext.push_str("\n\n");
                let ind = if *indent { SIZE } else { 0.0 };
                let sp = ts.set_paragraph(&ParagraphSpec::justified(&st, measure, ind, &lang));
                if std::env::var_os("PROOF_DEBUG").is_some() {
                    for l in &sp.lines {
                        if l.ratio > 0.7 || l.ratio < -0.9 {
                            eprintln!(
                                "r={:.2} emergency={} {:?}",
                                l.ratio,
                                sp.emergency,
                                &sp.source_text()[l.text_range.clone()]
                            );
                        }
                    }
                }
                for d in sp.diagnostics(None) {
                    eprintln!("{d}");
                }
                set.push((false, sp));
            }
        }
    }
    let elapsed = started.elapsed();
    let lines: usize = set.iter().map(|s| s.1.lines.len()).sum();
    let ratios: Vec<f32> = set
        .iter()
        .filter(|s| !s.0)
        .flat_map(|s| {
            let n = s.1.lines.len();
            s.1.lines[..n.saturating_sub(1)].iter().map(|l| l.ratio)
        })
        .collect();
    let max_r = ratios.iter().cloned().fold(f32::MIN, f32::max);
    let min_r = ratios.iter().cloned().fold(f32::MAX, f32::min);
    eprintln!(
        "set {} paragraphs, {lines} lines in {:.1} ms; justified line ratios: min {min_r:.3} max {max_r:.3}",
        set.len(),
        elapsed.as_secs_f64() * 1000.0
    );

    // Pages.
    let mut doc = Document::new();
    let mut page_no = 0usize;
    let mut y = f32::INFINITY;
    let mut page = None;
    let mut surface_ops: Vec<(f32, f32, usize, usize)> = Vec::new(); // (x, y, para, line)
    let mut pages: Vec<Vec<(f32, f32, usize, usize)>> = Vec::new();
    for (pi, (is_q, sp)) in set.iter().enumerate() {
        // Space before questions, and keep a question with two lines after it.
        if *is_q {
            y += LEAD;
        }
        let need = if *is_q { sp.lines.len() + 2 } else { 1 };
        for (li, _) in sp.lines.iter().enumerate() {
            let keep = if li == 0 { need } else { 1 };
            if y + LEAD * keep as f32 > H - BOTTOM {
                if page.is_some() || !surface_ops.is_empty() {
                    pages.push(std::mem::take(&mut surface_ops));
                }
                page = Some(());
                page_no += 1;
                y = TOP + SIZE;
            } else if y.is_infinite() {
                y = TOP + SIZE;
            }
            let left = if page_no % 2 == 1 { INNER } else { OUTER };
            surface_ops.push((left, y, pi, li));
            y += LEAD;
        }
    }
    pages.push(surface_ops);
    for ops in &pages {
        let mut page = doc.start_page_with(PageSettings::from_wh(W, H).expect("page size"));
        let mut surface = page.surface();
        surface.set_fill(Some(Fill::default()));
        for &(left, y, pi, li) in ops {
            let sp = &set[pi].1;
            for run in &sp.lines[li].runs {
                let Some(font) = fonts.krilla_font(run.font) else {
                    continue;
                };
                surface.draw_glyphs(
                    Point::from_xy(left + run.x, y - run.baseline_shift),
                    &run.glyphs,
                    font,
                    sp.text(),
                    run.size,
                    false,
                );
            }
        }
        surface.finish();
        page.finish();
    }
    let pdf = match doc.finish() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cannot write the PDF: {e:?}");
            std::process::exit(1);
        }
    };
    if let Err(e) = std::fs::write(&out, pdf) {
        eprintln!("cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
    if let Some(r) = reference
        && let Err(e) = std::fs::write(&r, &reftext)
    {
        eprintln!("cannot write {}: {e}", r.display());
    }
    eprintln!("{} pages -> {}", pages.len(), out.display());
}

fn collect(blocks: &[Block], out: &mut Vec<Para>, first: &mut bool) {
    for b in blocks {
        match b {
            Block::Paragraph { content, .. } => {
                out.push(Para::Body(content.clone(), !*first));
                *first = false;
            }
            Block::BlockQuote { content, .. } => collect(content, out, first),
            Block::List { items, .. } => {
                for i in items {
                    collect(&i.blocks, out, first);
                }
            }
            // Pull quotes repeat the text; the proof leaves them out.
            _ => {}
        }
    }
}
