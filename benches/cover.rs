//! How long a generated cover takes: the design alone (shaping, fitting,
//! SVG), and the whole EPUB cover (design, rasterising 1600 x 2560, PNG).
//! Run with `cargo bench --bench cover`.

use criterion::{Criterion, criterion_group, criterion_main};
use qalam::cover::{self, Canvas, Style};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
    let mut book = qalam::internals::source::load(&dir)
        .book
        .expect("the sample book loads");
    // Measure generation, not the supplied cover the sample names.
    book.cover = None;
    let engine = qalam::Engine::new();
    c.bench_function("cover design (svg)", |b| {
        b.iter(|| cover::design(&engine, black_box(&book), Style::Field, Canvas::EPUB).svg())
    });
    for style in Style::ALL {
        c.bench_function(
            &format!("cover generate {} (png 1600x2560)", style.name()),
            |b| b.iter(|| cover::generate(&engine, black_box(&book), style).unwrap()),
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
