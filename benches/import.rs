//! Importing: the seed (plain text) and a saved CMS page, in memory and
//! with the project written. Target (issue 6): import + build of the seed
//! under 20 ms end to end.

use criterion::{Criterion, criterion_group, criterion_main};
use qalam::import::{Options, import_bytes, write_project};
use std::path::Path;

fn import(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let seed = std::fs::read(dir.join("seed.txt")).expect("seed fixture");
    let page = std::fs::read(dir.join("wordpress.html")).expect("wordpress fixture");
    let opts = Options::default();
    let tmp = std::env::temp_dir().join(format!("qalam-bench-import-{}", std::process::id()));

    let mut g = c.benchmark_group("import");
    g.bench_function("seed text", |b| {
        b.iter(|| import_bytes(&seed, Path::new("seed.txt"), None, &opts).expect("imports"))
    });
    g.bench_function("wordpress page", |b| {
        b.iter(|| import_bytes(&page, Path::new("wordpress.html"), None, &opts).expect("imports"))
    });
    let mut n = 0u32;
    g.bench_function("seed text, written and read back", |b| {
        b.iter(|| {
            n += 1;
            let imp = import_bytes(&seed, Path::new("seed.txt"), None, &opts).expect("imports");
            let out = tmp.join(format!("p{n}"));
            write_project(&imp, &out, false).expect("writes");
            out
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&tmp);
}

criterion_group!(benches, import);
criterion_main!(benches);
