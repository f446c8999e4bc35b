//! `qalam build`: the book's outputs (EPUB, PDF) into OUT_DIR (default
//! BOOK_DIR/out), through the library's [`qalam::build::Project`]; this
//! file parses the arguments and prints what the build says.

use super::Ui;
use super::book::build_book;
pub use super::options::{Args, base_options};
use std::process::ExitCode;
use std::time::Instant;

pub fn run(args: Args, ui: &Ui) -> ExitCode {
    let started = Instant::now();
    if args.timings {
        qalam::timings::enable();
    }
    let base = base_options();
    let code = if args.all {
        super::batch::run(&args, ui, &base)
    } else {
        build_book(&args, ui, &base).code
    };
    if args.timings {
        print_timings(started.elapsed());
    }
    code
}

/// Where the time went, to stdout (asked for, so shown even with --quiet).
fn print_timings(wall: std::time::Duration) {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "timings (wall clock {:.1} ms; * = summed over {} threads):",
        ms(wall),
        rayon::current_num_threads()
    );
    for (stage, d) in qalam::timings::totals() {
        let star = if stage.parallel() { " *" } else { "" };
        println!("  {:<14} {:>9.1} ms{star}", stage.name(), ms(d));
    }
}
