//! Books for the writers' unit tests, built from the fixtures in a
//! temporary folder, and what the tests need to know of them.

use crate::diag::SourceMap;
use crate::model::{Block, Book, Chapter, Place, Seq, plain_text};
use std::path::Path;

/// A book folder with the specimen (twice), the sample interview and a
/// chapter of one paragraph: chapters that end on either side of a spread,
/// so that some openings need a blank page before them.
pub(crate) fn four_chapters() -> (tempfile::TempDir, Book, SourceMap) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let specimen =
        std::fs::read_to_string(root.join("tests/fixtures/specimen/specimen.md")).unwrap();
    let sample = std::fs::read_to_string(root.join("book/interview.md")).unwrap();
    std::fs::create_dir(dir.path().join("images")).unwrap();
    std::fs::copy(
        root.join("tests/fixtures/specimen/images/steppe.png"),
        dir.path().join("images/steppe.png"),
    )
    .unwrap();
    let short = "---\ntitle: \"A Short Chapter\"\ninterviewee: Dana Editor\n---\n\n\
                 ## One question?\n\nOne answer of a single paragraph.\n";
    for (name, text) in [
        ("one.md", specimen.as_str()),
        ("two.md", sample.as_str()),
        ("three.md", short),
        ("four.md", specimen.as_str()),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"Four Chapters\"\nauthors = [\"Qalam Test Suite\"]\nlanguage = \"en\"\n\
         chapters = [\"one.md\", \"two.md\", \"three.md\", \"four.md\"]\n",
    )
    .unwrap();
    let loaded = crate::source::load(dir.path());
    let book = loaded
        .book
        .unwrap_or_else(|| panic!("the test book reads: {:?}", loaded.diagnostics));
    (dir, book, loaded.sources)
}

/// The text positions of a chapter in reading order, from the model: the
/// title, the standfirst, then intro, each question and its answer, the
/// notes and the bio, every leaf block once (the blocks of quotes and
/// list items in order, section breaks having no text).
pub(crate) fn reading_order(ch: &Chapter) -> Vec<Place> {
    fn walk(blocks: &[Block], seq: Seq, path: &mut Vec<usize>, out: &mut Vec<Place>) {
        for (i, b) in blocks.iter().enumerate() {
            path.push(i);
            match b {
                Block::Paragraph { .. }
                | Block::Heading { .. }
                | Block::Figure { .. }
                | Block::CodeBlock { .. }
                | Block::Table { .. } => out.push(Place::Block {
                    seq,
                    path: path.clone(),
                }),
                Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                    walk(content, seq, path, out)
                }
                Block::List { items, .. } => {
                    for (k, item) in items.iter().enumerate() {
                        path.push(k);
                        walk(&item.blocks, seq, path, out);
                        path.pop();
                    }
                }
                Block::SectionBreak { .. } => {}
            }
            path.pop();
        }
    }
    let mut out = vec![Place::Title];
    if ch.standfirst.is_some() {
        out.push(Place::Standfirst);
    }
    walk(&ch.intro, Seq::Intro, &mut Vec::new(), &mut out);
    for (i, ex) in ch.exchanges.iter().enumerate() {
        out.push(Place::Question(i));
        walk(&ex.answer, Seq::Answer(i), &mut Vec::new(), &mut out);
    }
    for (i, n) in ch.notes.iter().enumerate() {
        walk(&n.content, Seq::Note(i), &mut Vec::new(), &mut out);
    }
    if let Some(bio) = &ch.bio {
        walk(&bio.content, Seq::Bio, &mut Vec::new(), &mut out);
    }
    out
}

/// The plain text a place names (what [`crate::model::TextPos::offset`] counts in).
pub(crate) fn text_at(ch: &Chapter, place: &Place) -> String {
    let block = |seq: &Seq, path: &[usize]| -> Option<&Block> {
        let mut blocks: &[Block] = match seq {
            Seq::Intro => &ch.intro,
            Seq::Answer(i) => &ch.exchanges.get(*i)?.answer,
            Seq::Note(i) => &ch.notes.get(*i)?.content,
            Seq::Bio => &ch.bio.as_ref()?.content,
        };
        let mut rest = path;
        loop {
            let b = blocks.get(*rest.first()?)?;
            rest = &rest[1..];
            if rest.is_empty() {
                return Some(b);
            }
            blocks = match b {
                Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => content,
                Block::List { items, .. } => {
                    let item = items.get(rest[0])?;
                    rest = &rest[1..];
                    &item.blocks
                }
                _ => return None,
            };
        }
    };
    match place {
        Place::Title => plain_text(&ch.title),
        Place::Standfirst => plain_text(ch.standfirst.as_deref().unwrap_or_default()),
        Place::Question(i) => plain_text(&ch.exchanges[*i].question.content),
        Place::Block { seq, path } => match block(seq, path) {
            Some(Block::Paragraph { content, .. } | Block::Heading { content, .. }) => {
                plain_text(content)
            }
            Some(Block::CodeBlock { text, .. }) => text.clone(),
            Some(Block::Figure { caption, .. }) => plain_text(caption),
            Some(Block::Table { .. }) => String::new(),
            other => panic!("{place:?} names no text block: {other:?}"),
        },
    }
}
