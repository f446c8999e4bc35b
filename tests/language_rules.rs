//! The rules of each language reach the EPUB: a Russian chapter's one-letter
//! words, opening dashes and units are tied to the next word with no-break
//! spaces, in the text and in the chapter title. (The PDF side, that no laid
//! out line ends in a one-letter word, is checked on the layout in
//! src/pdf/tests.rs.)

use qalam::build::{BuildOptions, Format, Project};
use std::io::Read;
use std::path::Path;

fn epub_text(epub: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().unwrap().ends_with(".xhtml") {
            f.read_to_string(&mut all).unwrap();
        }
    }
    all
}

#[test]
fn a_russian_epub_ties_one_letter_words_dashes_and_units() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/russian");
    let report = Project::load(&dir)
        .build(&BuildOptions {
            formats: vec![Format::Epub],
            out_dir: tmp.path().to_path_buf(),
            ..Default::default()
        })
        .unwrap_or_else(|f| panic!("{}", f.reason));
    let text = epub_text(&report.written[0].path);
    for tied in [
        "как в\u{a0}работе с\u{a0}плёнками",
        "—\u{a0}С\u{a0}катушек",
        "1990\u{a0}г.",
        "10\u{a0}%",
        "300\u{a0}км",
        "к\u{a0}ним в\u{a0}мае, а\u{a0}к\u{a0}осени",
    ] {
        let entity = tied.replace('\u{a0}', "&#160;");
        assert!(
            text.contains(tied) || text.contains(&entity),
            "{tied:?} is not tied in the EPUB"
        );
    }
    // No one-letter word is followed by a breaking space anywhere.
    for w in ["в", "к", "с", "у", "о", "и", "а", "я"] {
        assert!(
            !text.contains(&format!(" {w} ")),
            "{w:?} before a plain space"
        );
    }
}
