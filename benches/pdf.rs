//! The PDF book: layout (setting every paragraph, page breaking, the book
//! structure) and writing (krilla: fonts subset, images, tags, links) of the
//! sample book (with its supplied cover) and of the corpus generator's
//! 50-chapter book (~400 pages, with its generated cover).
//! Targets (issue 5): the sample under 30 ms, 50 chapters under 400 ms.
//! The cover is prepared outside the timing (it is shared with the EPUB).

mod corpus;

use criterion::{Criterion, criterion_group, criterion_main};
use qalam::diag::Diagnostics;
use qalam::model::PdfVariant;
use std::path::Path;

fn pdf(c: &mut Criterion) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
    let tmp = std::env::temp_dir().join(format!("qalam-bench-pdf-{}", std::process::id()));
    let book50 = corpus::write_book(&tmp.join("book-50"), 50);

    let mut g = c.benchmark_group("pdf");
    g.sample_size(20);
    for (name, dir) in [
        ("sample", sample.as_path()),
        ("50 chapters", book50.as_path()),
    ] {
        let loaded = qalam::internals::source::load(dir);
        let book = loaded.book.expect("the book reads");
        let mut diags = Diagnostics::new();
        let engine = qalam::Engine::new();
        let cover = qalam::cover::prepare(&engine, &book, &mut diags);
        let sources = &loaded.sources;
        g.bench_function(format!("{name}: layout"), |b| {
            b.iter(|| {
                let (l, d) =
                    qalam::internals::pdf::layout(&engine, &book, cover.as_ref(), sources, None);
                assert!(!d.has_errors());
                l
            })
        });
        let (layout, _) =
            qalam::internals::pdf::layout(&engine, &book, cover.as_ref(), sources, None);
        let layout = layout.expect("laid out");
        g.bench_function(format!("{name}: write"), |b| {
            b.iter(|| {
                qalam::internals::pdf::write(&layout, PdfVariant::Screen, sources).expect("written")
            })
        });
        g.bench_function(format!("{name}: layout + write"), |b| {
            b.iter(|| {
                let (l, _) =
                    qalam::internals::pdf::layout(&engine, &book, cover.as_ref(), sources, None);
                qalam::internals::pdf::write(&l.expect("laid out"), PdfVariant::Screen, sources)
                    .expect("written")
            })
        });
    }
    g.finish();
    let _ = std::fs::remove_dir_all(&tmp);
}

criterion_group!(benches, pdf);
criterion_main!(benches);
