//! Setting the sample's paragraphs and a 50-chapter book's (the corpus
//! generator's book: the sample chapter 50 times, ~400 pages at 6x9 in),
//! on one core. `cold` uses a new typesetter per iteration (empty word
//! cache), `warm` reuses one across iterations.

mod corpus;

use criterion::{Criterion, criterion_group, criterion_main};
use qalam::internals::typeset::{FontBook, ParagraphSpec, StyledText, TextStyle, Typesetter};
use qalam::model::{Block, Book};
use std::hint::black_box;
use std::sync::Arc;

const MEASURE: f32 = 432.0 - 54.0 - 43.2;

fn paragraphs(book: &Book) -> Vec<(StyledText, bool)> {
    fn walk(blocks: &[Block], out: &mut Vec<(StyledText, bool)>) {
        for b in blocks {
            match b {
                Block::Paragraph { content, .. } => out.push((
                    StyledText::from_inlines(content, &TextStyle::body(10.5)),
                    true,
                )),
                Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                    walk(content, out)
                }
                Block::List { items, .. } => items.iter().for_each(|i| walk(&i.blocks, out)),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for ch in &book.chapters {
        walk(&ch.intro, &mut out);
        for ex in &ch.exchanges {
            out.push((
                StyledText::from_inlines(&ex.question.content, &TextStyle::heading(10.5, true)),
                false,
            ));
            walk(&ex.answer, &mut out);
        }
    }
    out
}

fn set_all(ts: &mut Typesetter, paras: &[(StyledText, bool)], book: &Book) -> usize {
    let lang = &book.meta.language;
    let mut lines = 0;
    for (st, body) in paras {
        let spec = if *body {
            ParagraphSpec::justified(st, MEASURE, 10.5, lang)
        } else {
            ParagraphSpec::ragged(st, MEASURE, lang)
        };
        lines += ts.set_paragraph(&spec).lines.len();
    }
    lines
}

fn bench(c: &mut Criterion) {
    let sample = qalam::internals::source::load(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("book")
            .as_path(),
    )
    .book
    .expect("sample book loads");
    let dir = tempfile::tempdir().expect("temp dir");
    let big_dir = corpus::write_book(dir.path(), 50);
    let big = qalam::internals::source::load(&big_dir)
        .book
        .expect("corpus book loads");
    let fonts = Arc::new(FontBook::bundled());
    let small_paras = paragraphs(&sample);
    let big_paras = paragraphs(&big);
    let mut ts = Typesetter::new(fonts.clone());
    eprintln!(
        "sample: {} paragraphs, {} lines; 50 chapters: {} paragraphs, {} lines",
        small_paras.len(),
        set_all(&mut ts, &small_paras, &sample),
        big_paras.len(),
        set_all(&mut ts, &big_paras, &big)
    );
    let mut g = c.benchmark_group("typeset");
    g.sample_size(20);
    g.bench_function("sample (cold)", |b| {
        b.iter(|| {
            let mut ts = Typesetter::new(fonts.clone());
            black_box(set_all(&mut ts, &small_paras, &sample))
        })
    });
    g.bench_function("50 chapters (cold)", |b| {
        b.iter(|| {
            let mut ts = Typesetter::new(fonts.clone());
            black_box(set_all(&mut ts, &big_paras, &big))
        })
    });
    g.bench_function("50 chapters (warm)", |b| {
        b.iter(|| black_box(set_all(&mut ts, &big_paras, &big)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
