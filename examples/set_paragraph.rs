//! Sets one paragraph with the engine and prints each line with its
//! adjustment ratio: what to look at when a paragraph breaks badly.
//!
//!     cargo run --example set_paragraph -- [--font "Noto Serif" --dir DIR] [--measure PT] [--lang en] TEXT…
//!
//! Without TEXT the paragraph is read from standard input. Without
//! `--font` the bundled fonts set it; `--dir` adds a folder to look for
//! fonts in (repeatable). The measure defaults to the 6 x 9 in page's
//! text width, 334.8 pt, the size to 10.5 pt with no indent.

use qalam::internals::typeset::{FontBook, ParagraphSpec, StyledText, TextStyle, Typesetter};
use qalam::model::{FontSettings, Lang};
use std::io::Read;
use std::sync::Arc;

fn main() {
    let mut settings = FontSettings::default();
    let mut measure = 334.8f32;
    let mut lang = "en".to_string();
    let mut words = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next().unwrap_or_else(|| {
                eprintln!("{name} needs a value");
                std::process::exit(2)
            })
        };
        match a.as_str() {
            "--font" => settings.body = Some(value("--font")),
            "--dir" => settings.dirs.push(value("--dir").into()),
            "--measure" => {
                measure = value("--measure").parse().unwrap_or_else(|_| {
                    eprintln!("--measure takes points, e.g. 334.8");
                    std::process::exit(2)
                })
            }
            "--lang" => lang = value("--lang"),
            _ => words.push(a),
        }
    }
    let text = if words.is_empty() {
        let mut s = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut s) {
            eprintln!("cannot read the paragraph from standard input: {e}");
            std::process::exit(1);
        }
        s.trim().to_string()
    } else {
        words.join(" ")
    };
    let Some(lang) = Lang::parse(&lang) else {
        eprintln!("`{lang}` is not a language tag (e.g. en, ru, kk, ar)");
        std::process::exit(2)
    };
    let (fonts, diags) = FontBook::from_settings(&settings);
    for d in diags.iter() {
        eprintln!("{d}");
    }
    let mut ts = Typesetter::new(Arc::new(fonts));
    let st = StyledText::plain(&text, &TextStyle::body(10.5));
    let sp = ts.set_paragraph(&ParagraphSpec::justified(&st, measure, 0.0, &lang));
    for l in &sp.lines {
        let hyphen = if l.hyphenated { "-" } else { "" };
        println!(
            "{:+.2} {:?}{hyphen}",
            l.ratio,
            &sp.source_text()[l.text_range.clone()]
        );
    }
    println!("emergency pass: {}", sp.emergency);
    for d in sp.diagnostics(None) {
        eprintln!("{d}");
    }
}
