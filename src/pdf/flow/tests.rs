//! Invariants of the flow (the model walk and its vertical lists) and of
//! the pages made of it, on a book of four chapters of different lengths
//! that uses every element of the source format: every block is planned
//! once and in reading order, every line lands on exactly one page, page
//! starts advance through the text, chapters open on right-hand pages and
//! nothing of the text leaves the text block.

use super::*;
use crate::diag::SourceMap;
use crate::model::{PageInfo, PageKind, TextPos};
use crate::pdf::Layout;
use crate::pdf::design::Design;
use crate::pdf::store::{Art, Draw, Store};
use crate::test_books::{four_chapters, reading_order, text_at};
use crate::typeset::{FontBook, Typesetter};
use std::collections::HashMap;
use std::sync::Arc;

fn laid_out(book: &Book, sources: &SourceMap) -> Layout {
    let (layout, diags) =
        crate::pdf::layout(&crate::typeset::Engine::new(), book, None, sources, None);
    assert!(!diags.has_errors(), "{diags:?}");
    layout.expect("laid out")
}

#[test]
fn every_block_is_planned_once_in_reading_order() {
    let (_dir, book, _) = four_chapters();
    let d = Design::new(&book.settings.pdf).unwrap();
    let mut pl = Planner::new(&d, &book);
    for (ci, ch) in book.chapters.iter().enumerate() {
        let before = pl.places.len();
        pl.chapter(ci, ch);
        let planned: Vec<&(u32, Place)> = pl.places[before..].iter().collect();
        assert!(
            planned.iter().all(|(c, _)| *c as usize == ci),
            "chapter {ci}: a place of another chapter"
        );
        let planned: Vec<Place> = planned.into_iter().map(|(_, p)| p.clone()).collect();
        assert_eq!(planned, reading_order(ch), "chapter {ci}");
        for place in &planned {
            // Every place names text of the model (panics otherwise).
            text_at(ch, place);
        }
    }
}

#[test]
fn every_paragraph_planned_is_expanded_once() {
    let (_dir, book, sources) = four_chapters();
    let d = Design::new(&book.settings.pdf).unwrap();
    let mut pl = Planner::new(&d, &book);
    let flows: Vec<Vec<Pre>> = book
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| pl.chapter(i, c))
        .collect();
    let fonts = Arc::new(FontBook::bundled());
    let mut ts = Typesetter::new(fonts.clone());
    let sets = pl
        .jobs
        .iter()
        .map(|j| ts.set_paragraph(&j.spec()))
        .collect();
    let mut store = Store::new(fonts);
    store.tree = std::mem::take(&mut pl.tree);
    // Pictures do not matter here: none loaded, none drawn.
    let images = vec![None; pl.images.len()];
    let mut ex = Expander::new(
        &mut store,
        sets,
        images,
        &sources,
        book.meta.language.clone(),
    );
    let lists: Vec<Vec<V>> = flows.into_iter().map(|f| ex.expand(f)).collect();
    assert!(
        ex.sets.iter().all(Option::is_none),
        "paragraphs planned but never expanded"
    );
    drop(ex);
    assert_eq!(store.paras.len(), pl.jobs.len(), "a paragraph taken twice");
    for (ci, list) in lists.iter().enumerate() {
        // Every box of a chapter's list, in order, points into that
        // chapter's places in reading order.
        let mut last: Option<(u32, u32)> = None;
        for b in list.iter().filter_map(|v| match v {
            V::Box(b) => Some(b),
            _ => None,
        }) {
            assert!(b.advance >= 0.0 && b.top >= 0.0, "chapter {ci}: {b:?}");
            if let Some(pos) = b.pos {
                assert_eq!(pl.places[pos.0 as usize].0 as usize, ci);
                assert!(
                    last.is_none_or(|l| l <= pos),
                    "chapter {ci}: {last:?} then {pos:?}"
                );
                last = Some(pos);
            }
        }
        // A chapter's list starts with its title's box.
        assert!(
            matches!(list.first(), Some(V::Box(_))),
            "chapter {ci} starts with a box"
        );
    }
}

/// The lines drawn on each page: (para, line, x, y), in drawing order.
fn lines(layout: &Layout, page: usize) -> Vec<(u32, u32, f32, f32)> {
    layout.bodies[page]
        .draws
        .iter()
        .filter_map(|d| match d {
            Draw::Line { para, line, x, y } => Some((*para, *line, *x, *y)),
            _ => None,
        })
        .collect()
}

fn chapter_page(p: &PageInfo) -> bool {
    matches!(p.kind, PageKind::Opening | PageKind::Text | PageKind::Bio)
}

#[test]
fn every_line_is_placed_once_and_in_order() {
    let (_dir, book, sources) = four_chapters();
    let layout = laid_out(&book, &sources);
    let store = &layout.store;
    // Running heads are set once and drawn on many pages; every other
    // paragraph has each of its lines on exactly one page.
    let mut seen: HashMap<(u32, u32), usize> = HashMap::new();
    for page in 0..layout.pages.len() {
        for (para, line, ..) in lines(&layout, page) {
            if store.paras[para as usize].artifact == Some(Art::Header) {
                continue;
            }
            if let Some(other) = seen.insert((para, line), page) {
                panic!("line {line} of paragraph {para} on pages {other} and {page}");
            }
        }
    }
    for (id, p) in store.paras.iter().enumerate() {
        if p.artifact == Some(Art::Header) {
            continue;
        }
        for line in 0..p.set.lines.len() as u32 {
            assert!(
                seen.contains_key(&(id as u32, line)),
                "line {line} of paragraph {id} is on no page"
            );
        }
    }
    // The text of the chapters in reading order, down each page (a label
    // and its line, the cells of a row share a baseline): paragraphs first
    // met in the order they were made, the lines of each in order.
    let mut next_line: HashMap<u32, u32> = HashMap::new();
    let mut last_para = None;
    for (i, info) in layout.pages.iter().enumerate() {
        if !chapter_page(info) {
            continue;
        }
        let mut down: Vec<(f32, u32, u32)> = lines(&layout, i)
            .into_iter()
            .filter(|l| store.paras[l.0 as usize].artifact.is_none())
            .map(|(para, line, _, y)| (y, para, line))
            .collect();
        down.sort_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        for (_, para, line) in down {
            let want = next_line.entry(para).or_insert(0);
            assert_eq!(line, *want, "page {i}: paragraph {para} out of order");
            *want += 1;
            if line == 0 {
                assert!(
                    last_para < Some(para),
                    "page {i}: paragraph {para} after {last_para:?}"
                );
                last_para = Some(para);
            }
        }
    }
}

#[test]
fn pages_number_up_and_chapters_open_on_right_hand_pages() {
    let (_dir, book, sources) = four_chapters();
    let layout = laid_out(&book, &sources);
    let pages = &layout.pages;
    assert_eq!(layout.bodies.len(), pages.len());
    let mut openings = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        assert_eq!(p.index, i);
        // Without a cover the title page is page 1 and numbers run on.
        assert_eq!(p.number, Some(i as u32 + 1), "page {i}");
        let n = i as u32 + 1;
        match p.kind {
            PageKind::Opening => {
                assert_eq!(n % 2, 1, "an opening on left-hand page {n}");
                let first = p.first.as_ref().expect("an opening starts a chapter");
                assert_eq!((&first.place, first.offset), (&Place::Title, 0), "page {n}");
                openings.push(first.chapter);
            }
            PageKind::Blank => {
                assert_eq!(n % 2, 0, "a blank right-hand page {n}");
                assert_eq!(
                    pages.get(i + 1).map(|p| p.kind),
                    Some(PageKind::Opening),
                    "blank page {n} is not before an opening"
                );
                assert!(layout.bodies[i].draws.is_empty(), "blank page {n} draws");
                assert!(p.first.is_none());
            }
            PageKind::Cover => panic!("a cover without cover art"),
            _ => {}
        }
    }
    let want: Vec<usize> = (0..book.chapters.len()).collect();
    assert_eq!(openings, want, "one opening per chapter, in order");
    // The fixture is chosen so that some chapter ends on a right-hand page.
    assert!(pages.iter().any(|p| p.kind == PageKind::Blank));
    assert_eq!(pages[0].kind, PageKind::Title);
    assert_eq!(pages[1].kind, PageKind::Imprint);
    assert_eq!(pages[2].kind, PageKind::Contents);
}

#[test]
fn page_starts_advance_through_the_text() {
    let (_dir, book, sources) = four_chapters();
    let layout = laid_out(&book, &sources);
    let ranks: Vec<HashMap<Place, usize>> = book
        .chapters
        .iter()
        .map(|ch| {
            reading_order(ch)
                .into_iter()
                .enumerate()
                .map(|(i, p)| (p, i))
                .collect()
        })
        .collect();
    let mut last: Option<(usize, usize, usize)> = None;
    for p in &layout.pages {
        let Some(TextPos {
            chapter,
            place,
            offset,
        }) = &p.first
        else {
            assert!(
                !matches!(p.kind, PageKind::Opening | PageKind::Text),
                "page {:?} ({:?}) has no text position",
                p.number,
                p.kind
            );
            continue;
        };
        let ch = &book.chapters[*chapter];
        let text = text_at(ch, place);
        assert!(
            *offset <= text.len() && text.is_char_boundary(*offset),
            "page {:?}: offset {offset} in {place:?} ({} bytes)",
            p.number,
            text.len()
        );
        let key = (*chapter, ranks[*chapter][place], *offset);
        assert!(
            last < Some(key),
            "page {:?} starts at {key:?}, not after {last:?}",
            p.number
        );
        last = Some(key);
    }
    assert_eq!(last.map(|l| l.0), Some(book.chapters.len() - 1));
}

#[test]
fn chapter_text_stays_inside_the_text_block() {
    let (_dir, book, sources) = four_chapters();
    let layout = laid_out(&book, &sources);
    let d = &layout.design;
    let store = &layout.store;
    let (top, bottom) = (d.top, d.top + d.text_h + 0.01);
    for (i, info) in layout.pages.iter().enumerate() {
        if !chapter_page(info) {
            continue;
        }
        let recto = info.number.is_some_and(|n| n % 2 == 1);
        let (left, right) = (d.left(recto) - 0.01, d.left(recto) + d.measure + 0.01);
        for dr in &layout.bodies[i].draws {
            match dr {
                Draw::Line { para, line, x, y } => {
                    let p = &store.paras[*para as usize];
                    if matches!(p.artifact, Some(Art::Header | Art::PageNumber)) {
                        continue;
                    }
                    assert!(*y > top && *y <= bottom, "page {i}: a baseline at {y}");
                    // Protrusion may take a line's edges a little into
                    // the margins, never more than an em.
                    let runs = &p.set.lines[*line as usize].runs;
                    if runs.is_empty() {
                        continue;
                    }
                    let x0 = x + runs.iter().map(|r| r.x).fold(f32::INFINITY, f32::min);
                    let x1 = x + runs
                        .iter()
                        .map(|r| r.x + r.width)
                        .fold(f32::NEG_INFINITY, f32::max);
                    assert!(
                        x0 >= left - d.size && x1 <= right + d.size,
                        "page {i}: line {line} of paragraph {para} from {x0} to {x1} \
                         outside {left}..{right}"
                    );
                }
                Draw::Image { y, h, x, w, .. } => {
                    assert!(
                        *y >= top && y + h <= bottom,
                        "page {i}: an image at {y}+{h}"
                    );
                    assert!(
                        *x >= left && x + w <= right,
                        "page {i}: an image at {x}+{w}"
                    );
                }
                Draw::Rule { y, .. } => assert!(*y > top && *y <= bottom, "page {i}: a rule"),
            }
        }
    }
}
