//! The book around the chapters: cover, title page and its back (the
//! imprint), contents, each chapter opening on a right-hand page (a blank
//! left-hand page before it when needed), its endnotes and bio page, and on
//! every text page a running head (the book's title on left-hand pages, the
//! chapter's on right-hand pages, none on opening and bio pages) and a folio.
//!
//! Everything is set first (one parallel pass over every paragraph of the
//! book, typesetters of the caller's text engine; an engine that keeps
//! sets gives back the paragraphs its last build of the book set),
//! chapters are paginated independently (in parallel), then pages are assembled in order: the contents is
//! paginated before the chapters are numbered, and its page numbers are set
//! last (their column has a fixed width, so they never change its breaks).

use super::design::Design;
use super::flow::{Breaks, Expander, Job, Planner, Pre, strip_notes};
use super::heads;
use super::images;
use super::pages::{Cut, paginate};
use super::store::{AnchorKey, Art, Draw, Kind, ParaId, Store, Target, V};
use super::{DocMeta, Layout, OutlineEntry, PageBody};
use crate::cover::CoverArt;
use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{Book, PageInfo, PageKind, Place, Span, TextPos, plain_text};
use crate::typeset::cache::SetCache;
use crate::typeset::{Align, Engine, SetParagraph, StyledText, TextFonts};
use crate::typography::labels;
use rayon::prelude::*;
use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::ops::Range;

/// A contents entry waiting for its page number.
struct TocEntry {
    target: AnchorKey,
    /// Structure element of the number.
    node: u32,
    alt: String,
}

/// Lays out the book. Returns the layout (`None` only when the page
/// geometry leaves no room for text) and every diagnostic: missing glyphs,
/// images that do not decode, fonts that cannot be found. Write the PDF
/// only when there is no error.
///
/// Text is set with `engine`'s fonts and caches; `source_date_epoch`
/// (`SOURCE_DATE_EPOCH`, read by the caller) is the creation date, else the
/// book's date.
pub fn layout(
    engine: &Engine,
    book: &Book,
    cover: Option<&CoverArt>,
    sources: &SourceMap,
    source_date_epoch: Option<i64>,
) -> (Option<Layout>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let d = match Design::new(&book.settings.pdf) {
        Ok(d) => d,
        Err(e) => {
            diags.extend(e.map(|d| d.in_file(book.root.join("book.toml"))));
            return (None, diags);
        }
    };
    let (mut fonts, fd) = engine.fonts(&book.settings.fonts);
    if fd.iter().any(|d| d.code == "font-not-found") {
        // Say which files in the font folders could not be read: the
        // family is often in one of them.
        for d in unreadable_fonts(&book.settings.fonts.dirs) {
            diags.push(d);
        }
    }
    diags.extend(fd);
    let lang = book.meta.language.clone();

    // Pass 1: plans and typesetting jobs, in reading order.
    let planning = crate::timings::start(crate::timings::Stage::Pages);
    let mut pl = Planner::new(&d, book);
    let (title_main, title_foot) = title_page(&mut pl);
    let imprint = imprint(&mut pl);
    let (contents, toc) = contents(&mut pl);
    let mut chapter_jobs = Vec::with_capacity(book.chapters.len());
    let chapters: Vec<Vec<Pre>> = book
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let first = pl.jobs.len();
            let pres = pl.chapter(i, c);
            chapter_jobs.push(first..pl.jobs.len());
            pres
        })
        .collect();

    drop(planning);

    // Images and paragraphs, in parallel.
    let loaded = images::load_all(&pl.images, sources);
    let mut sets = match engine.set_cache(&fonts) {
        Some(cache) => set_reusing(cache, &book.root, &pl.jobs, &chapter_jobs, &fonts),
        None => set_all(&pl.jobs, &fonts),
    };
    // Characters the book's fonts lack (another script, emoji): set again
    // with the installed fonts that have them. Only such books pay for
    // reading the system's font list.
    let mut missing: Vec<char> = sets
        .iter()
        .flat_map(|s| s.missing.iter().map(|m| m.ch))
        .collect();
    if !missing.is_empty() {
        missing.sort_unstable();
        missing.dedup();
        if let Some(f) = engine.fonts_with_fallback(&book.settings.fonts, &missing, &lang.primary())
        {
            fonts = f;
            sets = set_all(&pl.jobs, &fonts);
        }
    }

    let mut store = Store::new(fonts.book().clone());
    store.tree = std::mem::take(&mut pl.tree);
    let mut image_ids = Vec::with_capacity(loaded.len());
    for r in loaded {
        match r {
            Ok(img) => {
                store.images.push(img);
                image_ids.push(Some(store.images.len() as u32 - 1));
            }
            Err(e) => {
                diags.extend(e);
                image_ids.push(None);
            }
        }
    }

    // Pass 2: vertical lists.
    let paging = crate::timings::start(crate::timings::Stage::Pages);
    let mut ex = Expander::new(&mut store, sets, image_ids, sources, lang.clone());
    let title_main = ex.expand(title_main);
    let title_foot = ex.expand(title_foot);
    let imprint = ex.expand(imprint);
    let contents = ex.expand(contents);
    let chapters: Vec<Vec<V>> = chapters.into_iter().map(|p| ex.expand(p)).collect();
    diags.extend(std::mem::take(&mut ex.diags));
    drop(ex);

    // Pages.
    let contents_cuts = paginate(&contents, &d);
    let chapter_cuts: Vec<Vec<Cut>> = chapters.par_iter().map(|l| paginate(l, &d)).collect();

    let mut asm = Assembler {
        d: &d,
        bodies: Vec::new(),
        infos: Vec::new(),
        anchors: BTreeMap::new(),
        toc_marks: Vec::new(),
        places: &pl.places,
        cover_offset: usize::from(cover.is_some()),
        folio_pages: Vec::new(),
        heads: Vec::new(),
    };
    if cover.is_some() {
        let p = asm.new_page(PageKind::Cover);
        asm.bodies[p].cover = true;
    }
    // Title page: the block a fifth down, the publisher at the foot.
    let p = asm.new_page(PageKind::Title);
    asm.stack(p, &title_main, d.top + d.text_h * 0.2);
    let foot_h = stack_height(&title_foot);
    asm.stack(p, &title_foot, d.top + d.text_h - foot_h);
    let p = asm.new_page(PageKind::Imprint);
    let h = stack_height(&imprint);
    asm.stack(p, &imprint, d.top + d.text_h - h);
    asm.flow(&contents, &contents_cuts, PageKind::Contents, None);
    for (ci, (list, cuts)) in chapters.iter().zip(&chapter_cuts).enumerate() {
        asm.blank_to_recto();
        asm.flow(list, cuts, PageKind::Text, Some(ci));
    }
    let toc_marks = std::mem::take(&mut asm.toc_marks);
    let folio_pages = std::mem::take(&mut asm.folio_pages);
    let heads = std::mem::take(&mut asm.heads);
    let mut bodies = std::mem::take(&mut asm.bodies);
    let infos = std::mem::take(&mut asm.infos);
    let anchors = std::mem::take(&mut asm.anchors);
    drop(asm);
    drop(paging);

    // Folios, running heads and contents page numbers, set in parallel.
    let lb = labels(&lang.primary());
    let number = |page: usize| infos[page].number.unwrap_or(0);
    let mut small = Vec::new();
    for &page in &folio_pages {
        small.push(SmallJob::Folio(page, number(page).to_string()));
    }
    let book_title = book.meta.title.clone();
    small.push(SmallJob::Head(None, book_title.to_uppercase()));
    for (ci, ch) in book.chapters.iter().enumerate() {
        small.push(SmallJob::Head(Some(ci), heads::chapter_head(ch)));
    }
    for &(entry, page, x, y) in &toc_marks {
        let target = toc[entry as usize].target;
        let n = anchors.get(&target).map_or(0, |a| number(a.0));
        small.push(SmallJob::TocNumber(entry, page, x, y, n.to_string()));
    }
    let set_small: Vec<SetParagraph> = small
        .par_iter()
        .map_init(
            || fonts.typesetter(),
            |ts, job| {
                let (text, style) = match job {
                    SmallJob::Folio(_, t) => (t.as_str(), d.folio()),
                    SmallJob::Head(_, t) => (t.as_str(), d.small_caps(d.size)),
                    SmallJob::TocNumber(.., t) => (t.as_str(), {
                        let mut s = d.question();
                        s.bold = false;
                        s.family = crate::typeset::Family::Body;
                        s.figures = crate::typeset::Figures::Lining;
                        s
                    }),
                };
                let mut set = |text: &str| {
                    let st = StyledText::plain(text, &style);
                    ts.set_paragraph(&crate::typeset::ParagraphSpec::centred(
                        &st, d.measure, &lang,
                    ))
                };
                match job {
                    // Only a head's first line is drawn: it must fit.
                    SmallJob::Head(..) => heads::fit(text, set),
                    _ => set(text),
                }
            },
        )
        .collect();
    let mut head_paras: BTreeMap<Option<usize>, ParaId> = BTreeMap::new();
    let mut ex = Expander::new(&mut store, set_small, Vec::new(), sources, lang.clone());
    for (k, job) in small.iter().enumerate() {
        match job {
            SmallJob::Folio(page, _) => {
                let id = ex.para(k as u32, None, Some(Art::PageNumber));
                let recto = infos[*page].number.unwrap_or(1) % 2 == 1;
                let y = d.top + d.text_h + d.bottom * 0.5;
                bodies[*page].draws.push(Draw::Line {
                    para: id,
                    line: 0,
                    x: d.left(recto),
                    y,
                });
            }
            SmallJob::Head(ci, _) => {
                let id = ex.para(k as u32, None, Some(Art::Header));
                head_paras.insert(*ci, id);
            }
            SmallJob::TocNumber(entry, page, x, y, _) => {
                let id = ex.para(k as u32, None, None);
                let e = &toc[*entry as usize];
                ex.tag(
                    id,
                    e.node,
                    None,
                    Some(&(Target::Anchor(e.target), e.alt.clone())),
                );
                // Right-aligned: the centred line's runs start at its x.
                let shift = ex.store.paras[id as usize]
                    .set
                    .lines
                    .first()
                    .map_or(0.0, |l| {
                        let x0 = l.runs.first().map_or(0.0, |r| r.x);
                        d.measure - (x0 + l.width)
                    });
                bodies[*page].draws.push(Draw::Line {
                    para: id,
                    line: 0,
                    x: *x + shift,
                    y: *y,
                });
            }
        }
    }
    diags.extend(std::mem::take(&mut ex.diags));
    drop(ex);
    for &(page, ci) in &heads {
        let recto = infos[page].number.unwrap_or(1) % 2 == 1;
        let key = if recto { Some(ci) } else { None };
        if let Some(&id) = head_paras.get(&key) {
            bodies[page].draws.push(Draw::Line {
                para: id,
                line: 0,
                x: d.left(recto),
                y: d.top - 1.6 * d.lead,
            });
        }
    }

    // Outline: contents, then chapters with their questions.
    let mut outline = vec![OutlineEntry {
        title: lb.contents.to_string(),
        anchor: AnchorKey::Contents,
        children: Vec::new(),
    }];
    for (ci, ch) in book.chapters.iter().enumerate() {
        let c = ci as u32;
        outline.push(OutlineEntry {
            title: plain_text(&ch.title),
            anchor: AnchorKey::Chapter(c),
            children: ch
                .exchanges
                .iter()
                .enumerate()
                .map(|(qi, ex)| OutlineEntry {
                    title: plain_text(&ex.question.content),
                    anchor: AnchorKey::Question(c, qi as u32),
                    children: Vec::new(),
                })
                .collect(),
        });
    }

    let meta = DocMeta {
        title: book.meta.title.clone(),
        authors: book.meta.creators(),
        lang: lang.as_str().to_string(),
        subject: book
            .meta
            .subject
            .clone()
            .or_else(|| book.meta.description.clone()),
        keywords: book.meta.keywords.clone(),
        identifier: book.meta.identifier.clone(),
        date: creation_date(source_date_epoch, book.meta.date.as_deref()),
    };
    if d.pdf_a && meta.date.is_none() {
        let e = Diagnostic::error(
            "pdf-a-date",
            "PDF/A needs a creation date, and the book has none",
        )
        .help("add `date = \"YYYY-MM-DD\"` to [book], or set SOURCE_DATE_EPOCH");
        // At the `pdf-a` line of book.toml as the author named it.
        let e = match sources.book_toml() {
            Some((file, text)) => match setting_line(text, "pdf-a") {
                Some(r) => e.at(sources, Span::new(file, r)),
                None => e.in_file(sources.file(file).path.clone()),
            },
            None => e.in_file(book.root.join("book.toml")),
        };
        diags.push(e);
    }
    diags.sort();
    let layout = Layout {
        pages: infos,
        bodies,
        store,
        design: d,
        meta,
        outline,
        anchors,
        cover: cover.cloned(),
    };
    (Some(layout), diags)
}

/// Sets every job in parallel, in order. Typesetters come from the
/// engine's fonts, so that their word caches stay warm across the whole
/// book, and across the books of a batch that lends them one engine (a
/// catalogue repeats its words across books as a book does across
/// chapters): a chunk of jobs takes one, sets its paragraphs in order, and
/// gives it back.
fn set_all<J: Borrow<Job> + Sync>(jobs: &[J], fonts: &TextFonts) -> Vec<SetParagraph> {
    let chunk = (jobs.len() / (rayon::current_num_threads() * 4).max(1)).clamp(4, 128);
    // Every chunk a task of its own (`with_max_len(1)`): by default rayon
    // splits only as far as it sees idle threads at the start, and a
    // thread busy elsewhere then (drawing the EPUB's cover) found nothing
    // left to take when it was done, leaving one thread to set the book.
    jobs.par_chunks(chunk)
        .with_max_len(1)
        .flat_map_iter(|c| {
            let mut ts = fonts.typesetter();
            let out: Vec<SetParagraph> = c
                .iter()
                .map(|j| ts.set_paragraph(&j.borrow().spec()))
                .collect();
            fonts.give_back(ts);
            out
        })
        .collect()
}

/// Sets every job as [`set_all`] does, taking those the last build of the
/// book (in `root`) set from `cache`; `chapters` are the chapters' jobs,
/// for the cache's counts.
fn set_reusing(
    cache: &SetCache,
    root: &std::path::Path,
    jobs: &[Job],
    chapters: &[Range<usize>],
    fonts: &TextFonts,
) -> Vec<SetParagraph> {
    let mut session = cache.begin(root);
    let mut found: Vec<Option<SetParagraph>> =
        jobs.iter().map(|j| session.find(&j.spec())).collect();
    let missed: Vec<usize> = (0..jobs.len()).filter(|&i| found[i].is_none()).collect();
    let todo: Vec<&Job> = missed.iter().map(|&i| &jobs[i]).collect();
    for (&i, set) in missed.iter().zip(set_all(&todo, fonts)) {
        session.keep(&jobs[i].spec(), &set);
        found[i] = Some(set);
    }
    for r in chapters {
        let set = missed.partition_point(|&i| i < r.end) - missed.partition_point(|&i| i < r.start);
        session.count_chapter(r.len(), set);
    }
    session.finish();
    found.into_iter().flatten().collect()
}

enum SmallJob {
    Folio(usize, String),
    /// Running head of a chapter (`None`: the book's title).
    Head(Option<usize>, String),
    /// Entry, page, x, baseline, number.
    TocNumber(u32, usize, f32, f32, String),
}

/// Height from the first box's top to the last baseline of a list set
/// without breaks.
fn stack_height(list: &[V]) -> f32 {
    let mut h = 0.0;
    let mut first = true;
    for it in list {
        match it {
            V::Box(b) => {
                h += if first { b.top } else { b.advance };
                first = false;
            }
            V::Glue { w, .. } if !first => h += w,
            _ => {}
        }
    }
    h
}

struct Assembler<'a> {
    d: &'a Design,
    bodies: Vec<PageBody>,
    infos: Vec<PageInfo>,
    anchors: BTreeMap<AnchorKey, (usize, f32, f32)>,
    /// Contents entries' last lines: (entry, page, x, baseline).
    toc_marks: Vec<(u32, usize, f32, f32)>,
    places: &'a [(u32, Place)],
    cover_offset: usize,
    /// Pages that get a folio.
    folio_pages: Vec<usize>,
    /// Pages that get a running head, with their chapter.
    heads: Vec<(usize, usize)>,
}

impl Assembler<'_> {
    fn new_page(&mut self, kind: PageKind) -> usize {
        let index = self.bodies.len();
        let number = (index >= self.cover_offset).then(|| (index - self.cover_offset + 1) as u32);
        self.bodies.push(PageBody::default());
        self.infos.push(PageInfo {
            index,
            number,
            kind,
            first: None,
        });
        index
    }

    fn recto(&self, page: usize) -> bool {
        self.infos[page].number.is_none_or(|n| n % 2 == 1)
    }

    /// Adds a blank page when the next page would be a left-hand one.
    fn blank_to_recto(&mut self) {
        let next = (self.bodies.len() - self.cover_offset + 1) as u32;
        if next.is_multiple_of(2) {
            self.new_page(PageKind::Blank);
        }
    }

    /// Places a list without breaks, its first baseline `top` below the
    /// page's top edge plus the first box's own top.
    fn stack(&mut self, page: usize, list: &[V], y0: f32) {
        let mut y = y0;
        let mut first = true;
        let left = self.d.left(self.recto(page));
        for it in list {
            match it {
                V::Box(b) => {
                    y += if first { b.top } else { b.advance };
                    first = false;
                    self.place_box(page, b, left, y);
                }
                V::Glue { w, .. } if !first => y += w,
                _ => {}
            }
        }
    }

    fn place_box(&mut self, page: usize, b: &super::store::VBox, left: f32, y: f32) {
        for dr in b.draws() {
            self.bodies[page].draws.push(dr.moved(left, y));
        }
        for &a in &b.anchors {
            self.anchors
                .entry(a)
                .or_insert((page, left, (y - b.top.max(self.d.lead)).max(0.0)));
        }
        if let Some(t) = b.toc {
            self.toc_marks.push((t, page, left, y));
        }
        if self.infos[page].first.is_none()
            && let Some((place, offset)) = b.pos
        {
            let (chapter, place) = &self.places[place as usize];
            self.infos[page].first = Some(TextPos {
                chapter: *chapter as usize,
                place: place.clone(),
                offset: offset as usize,
            });
        }
    }

    /// Places the pages of a flow.
    fn flow(&mut self, list: &[V], cuts: &[Cut], kind: PageKind, chapter: Option<usize>) {
        for (k, cut) in cuts.iter().enumerate() {
            let first_box = match &list[cut.first] {
                V::Box(b) => Some(b),
                _ => None,
            };
            let kind = match (chapter, k) {
                (Some(_), 0) => PageKind::Opening,
                (Some(ci), _)
                    if first_box
                        .is_some_and(|b| b.anchors.contains(&AnchorKey::Bio(ci as u32))) =>
                {
                    PageKind::Bio
                }
                _ => kind,
            };
            let page = self.new_page(kind);
            if kind == PageKind::Contents && k == 0 {
                self.anchors
                    .insert(AnchorKey::Contents, (page, self.d.left(true), self.d.top));
            }
            if let (Some(ci), PageKind::Text) = (chapter, kind) {
                self.heads.push((page, ci));
            }
            self.folio_pages.push(page);
            let left = self.d.left(self.recto(page));
            let mut y = self.d.top;
            let mut first = true;
            for it in &list[cut.first..cut.end] {
                match it {
                    V::Glue { w, stretch, shrink } => {
                        if !first {
                            y += w + if cut.ratio >= 0.0 {
                                cut.ratio * stretch
                            } else {
                                cut.ratio * shrink
                            };
                        }
                    }
                    V::Penalty(_) => {}
                    V::Box(b) => {
                        y += if first { b.top } else { b.advance };
                        first = false;
                        self.place_box(page, b, left, y);
                    }
                }
            }
        }
    }
}

/// The title page: title, subtitle and authors; the publisher at the foot.
fn title_page(pl: &mut Planner<'_>) -> (Vec<Pre>, Vec<Pre>) {
    let d = pl.d;
    let book = pl.book;
    let lang = book.meta.language.clone();
    let k = d.k();
    let mut main = Vec::new();
    let para = |pl: &mut Planner<'_>,
                out: &mut Vec<Pre>,
                text: &str,
                style: crate::typeset::TextStyle,
                lead: f32,
                kind: Kind| {
        let job = pl.job(
            StyledText::plain(text, &style),
            d.measure,
            0.0,
            Align::Center,
            &lang,
        );
        let node = pl.tree.add(None, kind);
        let mut p = pl.plan(job, lead, style.size);
        p.breaks = Breaks::Whole;
        p.node = Some(node);
        out.push(Pre::Para(p));
    };
    para(
        pl,
        &mut main,
        &book.meta.title,
        crate::typeset::TextStyle::heading(24.0 * k, true),
        30.0 * k,
        Kind::H(1, book.meta.title.clone()),
    );
    if let Some(sub) = &book.meta.subtitle {
        main.push(Pre::Glue {
            w: 14.0 * k,
            stretch: 0.0,
            shrink: 0.0,
        });
        let mut s = crate::typeset::TextStyle::body(14.0 * k);
        s.italic = true;
        para(pl, &mut main, sub, s, 19.0 * k, Kind::P);
    }
    if !book.meta.authors.is_empty() {
        main.push(Pre::Glue {
            w: 44.0 * k,
            stretch: 0.0,
            shrink: 0.0,
        });
        let names = crate::typography::join_names(&book.meta.authors, &lang.primary());
        para(
            pl,
            &mut main,
            &names.to_uppercase(),
            d.small_caps(12.0 * k),
            16.0 * k,
            Kind::P,
        );
    }
    let mut foot = Vec::new();
    if let Some(p) = &book.meta.publisher {
        para(
            pl,
            &mut foot,
            &p.to_uppercase(),
            d.small_caps(9.5 * k),
            13.0 * k,
            Kind::P,
        );
    }
    (main, foot)
}

/// The back of the title page: publisher, date, rights, identifier.
fn imprint(pl: &mut Planner<'_>) -> Vec<Pre> {
    let d = pl.d;
    let m = &pl.book.meta;
    let lang = m.language.clone();
    let (style, lead) = d.note();
    let mut lines: Vec<String> = Vec::new();
    lines.push(m.title.clone());
    if let Some(p) = &m.publisher {
        match &m.date {
            Some(date) => lines.push(format!("{p}, {}", year(date))),
            None => lines.push(p.clone()),
        }
    } else if let Some(date) = &m.date {
        lines.push(year(date).to_string());
    }
    if let Some(r) = &m.rights {
        lines.push(r.clone());
    }
    if let Some(isbn) = m.identifier.strip_prefix("urn:isbn:") {
        lines.push(format!("ISBN {isbn}"));
    }
    let mut out = Vec::new();
    let node = pl.tree.add(None, Kind::Div);
    for (i, text) in lines.iter().enumerate() {
        if i > 0 {
            out.push(Pre::Glue {
                w: lead * 0.5,
                stretch: 0.0,
                shrink: 0.0,
            });
        }
        let job = pl.job(
            StyledText::plain(text, &style),
            d.measure,
            0.0,
            Align::RaggedRight,
            &lang,
        );
        let pn = pl.tree.add(Some(node), Kind::P);
        let mut p = pl.plan(job, lead, style.size);
        p.breaks = Breaks::Whole;
        p.node = Some(pn);
        out.push(Pre::Para(p));
    }
    out
}

fn year(date: &str) -> &str {
    date.get(..4).unwrap_or(date)
}

/// The contents: chapters, and their questions with `[epub] toc-depth = 2`
/// (the same setting as the EPUB's, so both list the same entries).
fn contents(pl: &mut Planner<'_>) -> (Vec<Pre>, Vec<TocEntry>) {
    let d = pl.d;
    let book = pl.book;
    let lang = book.meta.language.clone();
    let lb = labels(&lang.primary());
    let depth = book.settings.epub.toc_depth;
    let mut out = Vec::new();
    let mut entries = Vec::new();
    let (hs, hl) = d.chapter_title();
    let job = pl.job(
        StyledText::plain(lb.contents, &hs),
        d.measure,
        0.0,
        Align::RaggedRight,
        &lang,
    );
    let h = pl.tree.add(None, Kind::H(1, lb.contents.to_string()));
    let mut p = pl.plan(job, hl, d.sink() + hs.size);
    p.breaks = Breaks::Whole;
    p.node = Some(h);
    p.keep_after = 2;
    out.push(Pre::Para(p));
    out.push(pl.glue(2.0, 0.0, 0.0));
    let toc = pl.tree.add(None, Kind::Toc);
    let number_col = 3.0 * d.size;
    let (qs, ql) = d.note();
    for (ci, ch) in book.chapters.iter().enumerate() {
        let c = ci as u32;
        if ci > 0 {
            out.push(pl.glue(0.6, 0.3, 0.0));
        }
        let item = pl.tree.add(Some(toc), Kind::TocI);
        let title_node = pl.tree.add(Some(item), Kind::P);
        let num_node = pl.tree.add(Some(item), Kind::P);
        let title = plain_text(&ch.title);
        entries.push(TocEntry {
            target: AnchorKey::Chapter(c),
            node: num_node,
            alt: title.clone(),
        });
        let st = StyledText::from_inlines(&strip_notes(&ch.title), &d.question());
        let job = pl.job(st, d.measure - number_col, 0.0, Align::RaggedRight, &lang);
        let mut p = pl.plan(job, d.lead, d.size);
        p.breaks = Breaks::Whole;
        p.node = Some(title_node);
        p.link = Some((Target::Anchor(AnchorKey::Chapter(c)), title));
        p.toc = Some(entries.len() as u32 - 1);
        p.keep_after = 2;
        out.push(Pre::Para(p));
        if depth >= 2 && !ch.exchanges.is_empty() {
            let sub = pl.tree.add(Some(item), Kind::Toc);
            for (qi, ex) in ch.exchanges.iter().enumerate() {
                out.push(Pre::Glue {
                    w: 3.0 * d.k(),
                    stretch: 1.0 * d.k(),
                    shrink: 0.0,
                });
                let qitem = pl.tree.add(Some(sub), Kind::TocI);
                let qt = pl.tree.add(Some(qitem), Kind::P);
                let qn = pl.tree.add(Some(qitem), Kind::P);
                let text = plain_text(&ex.question.content);
                let target = AnchorKey::Question(c, qi as u32);
                entries.push(TocEntry {
                    target,
                    node: qn,
                    alt: text.clone(),
                });
                let st = StyledText::from_inlines(&strip_notes(&ex.question.content), &qs);
                let indent = 1.2 * d.size;
                let job = pl.job(
                    st,
                    d.measure - number_col - indent,
                    0.0,
                    Align::RaggedRight,
                    &lang,
                );
                let mut p = pl.plan(job, ql, qs.size);
                p.x = indent;
                p.breaks = Breaks::Whole;
                p.node = Some(qt);
                p.link = Some((Target::Anchor(target), text));
                p.toc = Some(entries.len() as u32 - 1);
                out.push(Pre::Para(p));
            }
        }
    }
    (out, entries)
}

/// Font files in `dirs` (and below) that qalam cannot use, as warnings.
fn unreadable_fonts(dirs: &[std::path::PathBuf]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut stack: Vec<(std::path::PathBuf, u8)> = dirs.iter().map(|d| (d.clone(), 0)).collect();
    let mut seen = 0usize;
    while let Some((dir, depth)) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            seen += 1;
            if seen > 5000 {
                return out;
            }
            if path.is_dir() {
                if depth < 4 {
                    stack.push((path, depth + 1));
                }
                continue;
            }
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            let why = match ext.as_str() {
                "ttf" | "otf" | "ttc" | "otc" => {
                    let ok = std::fs::metadata(&path).is_ok_and(|m| m.len() < 64 << 20)
                        && std::fs::read(&path).is_ok_and(|data| {
                            let n = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
                            (0..n).any(|i| ttf_parser::Face::parse(&data, i).is_ok())
                        });
                    if ok {
                        continue;
                    }
                    "it is not a valid TrueType or OpenType font".to_string()
                }
                "woff" | "woff2" => {
                    "WOFF is a compressed web format; use the family's TTF or OTF files".to_string()
                }
                "pfb" | "pfa" | "afm" | "pfm" => {
                    "Type 1 fonts are not supported; use an OpenType (OTF or TTF) version"
                        .to_string()
                }
                _ => continue,
            };
            out.push(
                Diagnostic::warning(
                    "font-unreadable",
                    format!("{} cannot be used as a font: {why}", path.display()),
                )
                .in_file(&path)
                .help("replace it with a TTF or OTF file of the family"),
            );
        }
    }
    out
}

/// The creation date: SOURCE_DATE_EPOCH when given (reproducible builds),
/// else the book's date; never the clock.
fn creation_date(
    source_date_epoch: Option<i64>,
    book_date: Option<&str>,
) -> Option<(u16, u8, u8, u8, u8, u8)> {
    if let Some(secs) = source_date_epoch {
        let m = crate::timestamp::Moment::from_unix(secs);
        return Some((m.year as u16, m.month, m.day, m.hour, m.minute, m.second));
    }
    parse_date(book_date?)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a time after the day is ignored).
fn parse_date(date: &str) -> Option<(u16, u8, u8, u8, u8, u8)> {
    let mut parts = date.split('-');
    let y: u16 = parts.next()?.trim().parse().ok()?;
    let m: u8 = parts
        .next()
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(1);
    let dd: u8 = parts
        .next()
        .and_then(|p| p.get(..2).unwrap_or(p).trim().parse().ok())
        .unwrap_or(1);
    if !(1..=12).contains(&m) || !(1..=31).contains(&dd) || !(1..=9999).contains(&y) {
        return None;
    }
    Some((y, m, dd, 0, 0, 0))
}

/// The byte range of the line of `text` (a TOML file) that sets `key`.
fn setting_line(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let at = start + (line.len() - t.len());
            return Some(at..start + line.trim_end().len());
        }
        start += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn book_dates() {
        assert_eq!(parse_date("2024-05-01"), Some((2024, 5, 1, 0, 0, 0)));
        assert_eq!(parse_date("2024"), Some((2024, 1, 1, 0, 0, 0)));
        assert_eq!(parse_date("2024-05-01T10:00"), Some((2024, 5, 1, 0, 0, 0)));
        assert_eq!(parse_date("May"), None);
    }
}
