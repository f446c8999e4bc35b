//! The EPUB writer (model + finished cover → .epub bytes; reading and
//! cover preparation excluded): the sample book and a 50-chapter book.
//! Targets (issue 3): the sample under 10 ms, 50 chapters under 150 ms.
//! With the print page list (issue 10) the writer is given the PDF layout's
//! pages (laid out once, outside the timing: `cargo bench --bench pdf`
//! times the layout); the markers must cost little next to the layout.

mod corpus;

use criterion::{Criterion, criterion_group, criterion_main};
use qalam::internals::epub::{EpubOptions, write};
use std::path::Path;

fn epub(c: &mut Criterion) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
    let tmp = std::env::temp_dir().join(format!("qalam-bench-epub-{}", std::process::id()));
    let book50 = corpus::write_book(&tmp.join("book-50"), 50);
    let loaded = qalam::internals::source::load(&sample);
    let sample = loaded.book.expect("sample reads");
    let loaded50 = qalam::internals::source::load(&book50);
    let book50 = loaded50.book.expect("corpus reads");
    let opts = EpubOptions::default();
    let mut diags = qalam::diag::Diagnostics::new();
    let engine = qalam::Engine::new();
    let sample_cover = qalam::cover::prepare(&engine, &sample, &mut diags);
    let cover50 = qalam::cover::prepare(&engine, &book50, &mut diags);
    assert!(!diags.has_errors());

    let mut g = c.benchmark_group("epub");
    g.bench_function("sample", |b| {
        b.iter(|| write(&sample, sample_cover.as_ref(), &loaded.sources, &opts).unwrap())
    });
    g.sample_size(20);
    g.bench_function("50 chapters", |b| {
        b.iter(|| write(&book50, cover50.as_ref(), &loaded50.sources, &opts).unwrap())
    });
    let (layout, d) =
        qalam::internals::pdf::layout(&engine, &book50, None, &loaded50.sources, None);
    assert!(!d.has_errors());
    let paged = EpubOptions {
        print_pages: Some(qalam::internals::epub::PrintPages::from_layout(
            &layout.expect("laid out").pages,
            &book50.meta.identifier,
        )),
        ..EpubOptions::default()
    };
    g.bench_function("50 chapters, page list", |b| {
        b.iter(|| write(&book50, cover50.as_ref(), &loaded50.sources, &paged).unwrap())
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&tmp);
}

criterion_group!(benches, epub);
criterion_main!(benches);
