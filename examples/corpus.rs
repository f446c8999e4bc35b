//! Makes benchmark inputs from the sample book.
//!
//!   cargo run --release --example corpus -- book 50 /tmp/book-50
//!   cargo run --release --example corpus -- catalogue 200 /tmp/catalogue-200

#[path = "../benches/corpus/mod.rs"]
mod corpus;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: corpus (book N | catalogue M) DIR";
    let (kind, n, dir) = match args.as_slice() {
        [k, n, d] => (
            k.as_str(),
            n.parse::<usize>().expect(usage),
            std::path::PathBuf::from(d),
        ),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    match kind {
        "book" => corpus::write_book(&dir, n),
        "catalogue" => corpus::write_catalogue(&dir, n),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    println!("wrote {}", dir.display());
}
