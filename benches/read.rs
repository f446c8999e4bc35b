//! Reading + typography: the sample book and a 50-chapter book.
//! Target (issue 2): the 50-chapter book under 20 ms.

mod corpus;

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;

fn read(c: &mut Criterion) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
    let tmp = std::env::temp_dir().join(format!("qalam-bench-read-{}", std::process::id()));
    let book50 = corpus::write_book(&tmp.join("book-50"), 50);

    let mut g = c.benchmark_group("read");
    g.bench_function("sample", |b| {
        b.iter(|| {
            let l = qalam::internals::source::load(&sample);
            assert!(l.book.is_some());
            l
        })
    });
    g.bench_function("50 chapters", |b| {
        b.iter(|| {
            let l = qalam::internals::source::load(&book50);
            assert!(l.book.is_some());
            l
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&tmp);
}

criterion_group!(benches, read);
criterion_main!(benches);
