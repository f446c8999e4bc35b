//! Model → XHTML content documents: chapters (with their endnotes), bio
//! pages, the title page and the cover page.
//!
//! Semantics follow EPUB 3 Structural Semantics (`epub:type`, which reading
//! systems use for note pop-ups and landmarks) and DPUB-ARIA (`role`, which
//! assistive technology uses), always both where both exist:
//! - a chapter is a `section` (`chapter` / `doc-chapter`) headed by an `h1`;
//!   its standfirst is its abstract (`abstract` / `doc-abstract`);
//! - each question opens a `section` with the question as its `h2`;
//!   sub-headings follow as `h3`…`h6` without skipping a level;
//! - a note reference is a superscript link (`noteref` / `doc-noteref`) to
//!   an `endnote` in the chapter's `endnotes` section (`doc-endnotes`), which
//!   links back (`doc-backlink`) to the first reference;
//! - a pull quote is an `aside` (`pullquote` / `doc-pullquote`) hidden from
//!   assistive technology (`aria-hidden`), because its text is read where it
//!   stands in the answer; it carries no links or note references, so
//!   nothing focusable hides inside it;
//! - a block quote is a `blockquote`;
//! - every document and every foreign-language span has `lang` and
//!   `xml:lang` (and `dir` for right-to-left scripts);
//! - a print page break is an empty `span` (in text) or `div` (between
//!   blocks) with `epub:type="pagebreak"`, `role="doc-pagebreak"`, the id
//!   `page_N` and the page number as its `aria-label`; where each goes is
//!   decided in [`super::pages`].

use super::fonts::{Style, Usage};
use super::pages::{ChapterMarks, Mark, snap};
use super::pending::Pending;
use super::xml::Xml;
use super::{ChapterPlan, Plan};
use crate::model::{Align, Block, Book, Chapter, Inline, Lang, Role, plain_text};
use crate::model::{Place, Seq};
use crate::typography::{Labels, join_names, labels};

/// A rendered document and the characters it sets in each style.
pub struct Rendered {
    pub xhtml: Vec<u8>,
    pub usage: Usage,
    /// The print page-break markers written, in document order.
    pub pages: Vec<u32>,
}

/// An XHTML document being written.
pub struct Doc {
    x: Xml,
    pub usage: Usage,
    style: Style,
    ids: crate::slug::UniqueIds,
    /// Level of the last heading written (for `h3`…`h6` without gaps).
    last_heading: u8,
    /// Print page-break markers written, in order.
    pages: Vec<u32>,
}

/// Where the stylesheet is, from a document at the package root or in `text/`.
pub enum Depth {
    Root,
    Text,
}

impl Doc {
    /// Starts a document: XML declaration, doctype, `html` with its
    /// language, `head` with the title and stylesheet, and the open `body`.
    pub fn new(lang: &Lang, title: &str, depth: Depth, body_type: &str, capacity: usize) -> Doc {
        let mut x = Xml::new(capacity);
        x.raw("<!DOCTYPE html>\n");
        let tag = lang.as_str();
        let mut html: Vec<(&str, &str)> = vec![
            ("xmlns", "http://www.w3.org/1999/xhtml"),
            ("xmlns:epub", "http://www.idpf.org/2007/ops"),
            ("lang", tag),
            ("xml:lang", tag),
        ];
        if lang.is_rtl() {
            html.push(("dir", "rtl"));
        }
        x.start("html", &html);
        x.nl();
        x.start("head", &[]);
        x.nl();
        x.empty("meta", &[("charset", "UTF-8")]);
        x.nl();
        x.elem("title", &[], title);
        x.nl();
        let css = match depth {
            Depth::Root => "css/book.css",
            Depth::Text => "../css/book.css",
        };
        x.empty(
            "link",
            &[("rel", "stylesheet"), ("type", "text/css"), ("href", css)],
        );
        x.nl();
        x.end("head");
        x.nl();
        x.start("body", &[("epub:type", body_type)]);
        x.nl();
        Doc {
            x,
            usage: Usage::default(),
            style: Style::BODY,
            ids: crate::slug::UniqueIds::new(),
            last_heading: 1,
            pages: Vec::new(),
        }
    }

    pub fn finish(mut self) -> Rendered {
        self.x.end("body");
        self.x.nl();
        self.x.end("html");
        self.x.nl();
        Rendered {
            xhtml: self.x.finish(),
            usage: self.usage,
            pages: self.pages,
        }
    }

    /// The marker where print page `n` begins: an empty `span` inside text,
    /// a `div` between blocks. It shows nothing; its number is its label.
    pub fn page_break(&mut self, n: u32, block: bool) {
        let id = format!("page_{n}");
        let label = n.to_string();
        self.reserve(&id);
        self.empty(
            if block { "div" } else { "span" },
            &[
                ("id", &id),
                ("class", "pagebreak"),
                ("epub:type", "pagebreak"),
                ("role", "doc-pagebreak"),
                ("aria-label", &label),
            ],
        );
        if block {
            self.nl();
        }
        self.pages.push(n);
    }

    /// Markers between blocks, in page order.
    pub fn page_breaks(&mut self, numbers: &[u32]) {
        for &n in numbers {
            self.page_break(n, true);
        }
    }

    pub fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.x.start(name, attrs);
    }
    pub fn end(&mut self, name: &str) {
        self.x.end(name);
    }
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.x.empty(name, attrs);
    }
    pub fn nl(&mut self) {
        self.x.nl();
    }

    /// Visible text, recorded for font subsetting in the current style.
    pub fn text(&mut self, s: &str) {
        self.usage.add(s, self.style);
        self.x.text(s);
    }

    /// `<name attrs>text</name>` in the current style.
    pub fn elem(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start(name, attrs);
        self.text(text);
        self.end(name);
    }

    /// Runs `f` with text set in `style`.
    pub fn styled<R>(&mut self, style: Style, f: impl FnOnce(&mut Doc) -> R) -> R {
        let saved = self.style;
        self.style = style;
        let r = f(self);
        self.style = saved;
        r
    }

    /// Registers a generated id (they contain `_`, which source ids never
    /// do after [`anchor`], so the two cannot collide).
    fn reserve(&mut self, id: &str) {
        self.ids.reserve(id);
    }

    /// A source id made unique in this document.
    fn claim(&mut self, wanted: &str) -> String {
        self.ids.claim(&anchor(wanted))
    }
}

/// A source id as an XML/HTML id: ASCII letters, digits and `-`, starting
/// with a letter. Generated ids use `_`, so they never clash with these.
pub fn anchor(wanted: &str) -> String {
    let mut s = String::with_capacity(wanted.len() + 2);
    let mut dash = false;
    for c in wanted.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !s.is_empty() {
                s.push('-');
            }
            dash = false;
            s.push(c);
        } else {
            dash = true;
        }
    }
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert_str(0, "id-");
    }
    s
}

/// The id of note `n` and of its `k`-th reference (1-based).
pub fn note_id(n: u32) -> String {
    format!("note_{n}")
}
fn ref_id(n: u32, k: u32) -> String {
    if k <= 1 {
        format!("ref_{n}")
    } else {
        format!("ref_{n}_{k}")
    }
}
pub const ENDNOTES_ID: &str = "endnotes_";
pub const TITLE_ID: &str = "title_";

/// Rendering state of one chapter's body.
struct Cx<'a> {
    plan: &'a Plan,
    labels: &'static Labels,
    notes: u32,
    /// References written so far, per note number.
    refs_seen: Vec<u32>,
    /// Print page markers in the text not written yet.
    marks: Pending,
    /// The block sequence being written, and the path to the current block
    /// in it (as [`crate::model::Place::Block`] names blocks).
    seq: Seq,
    path: Vec<usize>,
    /// Markers of the inline sequence being written: (plain-text offset,
    /// page), sorted; `next` is the first not written, `pos` the plain-text
    /// offset reached.
    inline: Vec<(usize, u32)>,
    next: usize,
    pos: usize,
}

impl<'a> Cx<'a> {
    fn new(plan: &'a Plan, labels: &'static Labels, notes: usize, marks: Vec<Mark>) -> Self {
        Cx {
            plan,
            labels,
            notes: notes as u32,
            refs_seen: vec![0; notes + 1],
            marks: Pending::new(marks),
            seq: Seq::Intro,
            path: Vec::new(),
            inline: Vec::new(),
            next: 0,
            pos: 0,
        }
    }

    /// The markers in the current block (`place` is the current block).
    fn take_block(&mut self) -> Vec<Mark> {
        self.marks.take_block(self.seq, &self.path)
    }

    /// The markers anywhere inside the current block.
    fn take_within(&mut self) -> Vec<Mark> {
        self.marks.take_within(self.seq, &self.path)
    }

    /// The markers at the very start of the block after the current one.
    fn take_start_of_next(&mut self) -> Vec<Mark> {
        let mut next = self.path.clone();
        if let Some(last) = next.last_mut() {
            *last += 1;
        }
        self.marks.take_start(self.seq, &next)
    }
}

fn numbers(ms: &[Mark]) -> Vec<u32> {
    ms.iter().map(|m| m.number).collect()
}

/// Inline rendering mode: pull quotes repeat text, so they carry no links,
/// note references or ids.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    Presentational,
}

/// One chapter: title, standfirst, byline, intro, the questions with their
/// answers, and the endnotes.
pub fn chapter(ch: &Chapter, cp: &ChapterPlan, plan: &Plan, marks: ChapterMarks) -> Rendered {
    let lab = labels(&ch.lang.primary());
    let title = plain_text(&ch.title);
    let size = 4096 + ch.span.end.saturating_sub(ch.span.start) as usize * 5 / 4;
    let mut d = Doc::new(&ch.lang, &title, Depth::Text, "bodymatter", size);
    d.reserve(TITLE_ID);
    d.reserve(ENDNOTES_ID);
    for q in &cp.question_ids {
        d.reserve(q);
    }
    let ChapterMarks {
        start,
        endnotes: endnote_marks,
        text,
        end,
        ..
    } = marks;
    let mut cx = Cx::new(plan, lab, ch.notes.len(), text);

    d.start(
        "section",
        &[
            ("class", "chapter"),
            ("epub:type", "chapter"),
            ("role", "doc-chapter"),
            ("aria-labelledby", TITLE_ID),
        ],
    );
    d.nl();
    d.page_breaks(&start);
    let title_marks = cx.marks.take_place(&Place::Title);
    d.page_breaks(&numbers(&title_marks));
    d.start("header", &[("class", "chapter-head")]);
    d.nl();
    d.styled(Style::DISPLAY_BOLD, |d| {
        d.start("h1", &[("id", TITLE_ID), ("class", "chapter-title")]);
        inlines(d, &ch.title, &mut cx, Mode::Normal);
        d.end("h1");
    });
    d.nl();
    if let Some(sf) = &ch.standfirst {
        d.styled(Style::BODY.italic(true), |d| {
            d.start(
                "p",
                &[
                    ("class", "standfirst"),
                    ("epub:type", "abstract"),
                    ("role", "doc-abstract"),
                ],
            );
            let ms = cx.marks.take_place(&Place::Standfirst);
            marked_inlines(d, sf, &mut cx, Mode::Normal, ms);
            d.end("p");
        });
        d.nl();
    }
    byline(&mut d, ch, lab);
    d.end("header");
    d.nl();

    d.last_heading = 1;
    cx.seq = Seq::Intro;
    blocks(&mut d, &ch.intro, &mut cx, Mode::Normal);
    for (i, (e, qid)) in ch.exchanges.iter().zip(&cp.question_ids).enumerate() {
        let ms = cx.marks.take_place(&Place::Question(i));
        d.page_breaks(&numbers(&ms));
        d.start("section", &[("class", "exchange"), ("id", qid)]);
        d.nl();
        d.styled(Style::DISPLAY_BOLD, |d| {
            d.start("h2", &[("class", "question")]);
            inlines(d, &e.question.content, &mut cx, Mode::Normal);
            d.end("h2");
        });
        d.nl();
        d.last_heading = 2;
        cx.seq = Seq::Answer(i);
        blocks(&mut d, &e.answer, &mut cx, Mode::Normal);
        d.end("section");
        d.nl();
    }
    d.page_breaks(&endnote_marks);
    if !ch.notes.is_empty() {
        endnotes(&mut d, ch, &mut cx);
    }
    // Markers whose place was not found (none when the layout comes from
    // this book) and pages after the end: in page order, at the end.
    let rest = cx.marks.take_rest();
    d.page_breaks(&numbers(&rest));
    d.page_breaks(&end);
    d.end("section");
    d.nl();
    d.finish()
}

/// "An interview with …", "Interview by …" and the date, under the title.
fn byline(d: &mut Doc, ch: &Chapter, lab: &Labels) {
    let primary = ch.lang.primary();
    let mut lines: Vec<String> = Vec::new();
    if !ch.interviewees.is_empty() {
        lines.push(format!(
            "{} {}",
            lab.interview_with,
            join_names(&ch.interviewees, &primary)
        ));
    }
    if let Some(i) = &ch.interviewer {
        lines.push(format!("{} {i}", lab.interview_by));
    }
    if let Some(date) = &ch.date {
        lines.push(super::time::human_date(date, &primary));
    }
    if lines.is_empty() {
        return;
    }
    d.styled(Style::DISPLAY, |d| {
        d.start("p", &[("class", "byline")]);
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                d.empty("br", &[]);
            }
            d.text(l);
        }
        d.end("p");
    });
    d.nl();
}

fn endnotes(d: &mut Doc, ch: &Chapter, cx: &mut Cx) {
    let lab = cx.labels;
    d.start(
        "section",
        &[
            ("class", "endnotes"),
            ("epub:type", "endnotes"),
            ("role", "doc-endnotes"),
            ("aria-labelledby", ENDNOTES_ID),
        ],
    );
    d.nl();
    d.styled(Style::DISPLAY_BOLD, |d| {
        d.elem(
            "h2",
            &[("id", ENDNOTES_ID), ("class", "endnotes-title")],
            lab.endnotes,
        )
    });
    d.nl();
    d.start("ol", &[("class", "notes")]);
    d.nl();
    for (i, note) in ch.notes.iter().enumerate() {
        cx.seq = Seq::Note(i);
        // A page that starts with the note starts with its number.
        let at_start = cx.marks.take_start(Seq::Note(i), &[]);
        let id = note_id(note.number);
        d.reserve(&id);
        // `epub:type="endnote"` is what reading systems (Apple Books, Kobo,
        // Thorium) look for to show a note as a pop-up; EPUBCheck 5.3 only
        // notes (at "usage" level) that the 2023 vocabulary deprecates it.
        // DPUB-ARIA deprecates `doc-endnote` outright, so no role here: the
        // list in `doc-endnotes` is the accessible structure.
        d.start(
            "li",
            &[("id", &id), ("class", "note"), ("epub:type", "endnote")],
        );
        let refs = cx.refs_seen.get(note.number as usize).copied().unwrap_or(0);
        let back_link = |d: &mut Doc| back_links(d, note.number, refs, lab);
        // The number and the way back open the note's first paragraph.
        d.last_heading = 2;
        match note.content.split_first() {
            Some((Block::Paragraph { content, .. }, rest)) => {
                d.start("p", &[]);
                for m in &at_start {
                    d.page_break(m.number, false);
                }
                back_link(d);
                cx.path.push(0);
                let ms = cx.take_block();
                marked_inlines(d, content, cx, Mode::Normal, ms);
                cx.path.pop();
                d.end("p");
                blocks_from(d, rest, 1, cx, Mode::Normal);
            }
            _ => {
                d.start("p", &[]);
                for m in &at_start {
                    d.page_break(m.number, false);
                }
                back_link(d);
                d.end("p");
                blocks(d, &note.content, cx, Mode::Normal);
            }
        }
        d.end("li");
        d.nl();
    }
    d.end("ol");
    d.nl();
    d.end("section");
    d.nl();
}

/// A note's number and its way back to the text. Referred to once, the
/// number is the link back; referred to more often, the number is followed
/// by "↩ a b …", a link back to each reference in reading order (as
/// Standard Ebooks and Wikipedia do), so that no reference is a dead end.
/// A note referred to only where numbers are not shown (a pull quote
/// repeats text without them) has nothing to link back to.
fn back_links(d: &mut Doc, number: u32, refs: u32, lab: &Labels) {
    let n = number.to_string();
    let link = |d: &mut Doc, k: u32, text: &str, label: &str| {
        let href = format!("#{}", ref_id(number, k));
        d.start(
            "a",
            &[
                ("class", "backlink"),
                ("href", &href),
                ("role", "doc-backlink"),
                ("aria-label", label),
            ],
        );
        d.styled(Style::BODY.bold(), |d| d.text(text));
        d.end("a");
    };
    let number = |d: &mut Doc| {
        d.styled(Style::BODY.bold(), |d| {
            d.elem("span", &[("class", "note-number")], &n)
        })
    };
    match refs {
        0 => number(d),
        1 => link(d, 1, &n, &format!("{} {n}: {}", lab.note, lab.back_to_text)),
        _ => {
            number(d);
            d.text(" ");
            d.start("span", &[("class", "backlinks")]);
            d.text("\u{21a9}");
            for k in 1..=refs {
                d.text(" ");
                let label = format!("{} {n}: {} ({k}/{refs})", lab.note, lab.back_to_text);
                link(d, k, &ref_letter(k), &label);
            }
            d.end("span");
        }
    }
    d.text(" ");
}

/// The letter naming reference `k` (1-based) of a note: a … z, then aa, ab …
fn ref_letter(k: u32) -> String {
    let mut k = k;
    let mut out = Vec::new();
    while k > 0 {
        k -= 1;
        out.push(char::from(b'a' + (k % 26) as u8));
        k /= 26;
    }
    out.iter().rev().collect()
}

/// The bio page: the interviewee's name as heading, portrait, text.
pub fn bio(ch: &Chapter, plan: &Plan, marks: ChapterMarks) -> Option<Rendered> {
    let bio = ch.bio.as_ref()?;
    let lab = labels(&ch.lang.primary());
    let title = format!("{}: {}", lab.about_interviewee, bio.name);
    let mut d = Doc::new(&ch.lang, &title, Depth::Text, "bodymatter", 4096);
    d.reserve("bio_");
    d.start(
        "section",
        &[
            ("class", "bio"),
            ("id", "bio_"),
            ("aria-labelledby", "bio_h"),
        ],
    );
    d.nl();
    d.page_breaks(&marks.bio_start);
    d.reserve("bio_h");
    d.start("h1", &[("id", "bio_h"), ("class", "bio-title")]);
    d.styled(Style::DISPLAY, |d| {
        d.elem("span", &[("class", "bio-label")], lab.about_interviewee);
    });
    d.text(" ");
    d.styled(Style::DISPLAY_BOLD, |d| {
        d.elem("span", &[("class", "bio-name")], &bio.name);
    });
    d.end("h1");
    d.nl();
    if let Some(p) = &bio.portrait
        && let Some(img) = plan.image(&p.path)
    {
        d.start("figure", &[("class", "portrait")]);
        img_element(&mut d, img, &p.alt);
        d.end("figure");
        d.nl();
    }
    let mut cx = Cx::new(plan, lab, 0, marks.text);
    cx.seq = Seq::Bio;
    d.last_heading = 1;
    blocks(&mut d, &bio.content, &mut cx, Mode::Normal);
    let rest = cx.marks.take_rest();
    d.page_breaks(&numbers(&rest));
    d.page_breaks(&marks.end);
    d.end("section");
    d.nl();
    Some(d.finish())
}

/// The title page: title, subtitle, creators, interviewees, imprint.
///
/// Print page markers: `start` at its start, `imprint` before the imprint
/// block (at the end when there is none), `end` at its end.
pub fn title_page(book: &Book, start: &[u32], imprint: &[u32], end: &[u32]) -> Rendered {
    let m = &book.meta;
    let lang = &m.language;
    let primary = lang.primary();
    let lab = labels(&primary);
    let mut d = Doc::new(lang, &m.title, Depth::Root, "frontmatter", 4096);
    d.start(
        "section",
        &[
            ("class", "titlepage"),
            ("epub:type", "titlepage"),
            ("aria-labelledby", "titlepage_h"),
        ],
    );
    d.nl();
    d.page_breaks(start);
    d.styled(Style::DISPLAY_BOLD, |d| {
        d.elem("h1", &[("id", "titlepage_h"), ("class", "title")], &m.title)
    });
    d.nl();
    if let Some(s) = &m.subtitle {
        d.styled(Style::DISPLAY, |d| d.elem("p", &[("class", "subtitle")], s));
        d.nl();
    }
    // Interviewees in order of appearance, each once.
    let mut people: Vec<String> = Vec::new();
    for c in &book.chapters {
        for n in &c.interviewees {
            if !people.contains(n) {
                people.push(n.clone());
            }
        }
    }
    let authors_are_interviewees =
        !m.authors.is_empty() && m.authors.iter().all(|a| people.contains(a));
    if !m.authors.is_empty() && !authors_are_interviewees {
        d.elem(
            "p",
            &[("class", "creators")],
            &join_names(&m.authors, &primary),
        );
        d.nl();
    }
    let editors: Vec<String> = m.people(Role::Editor).map(str::to_string).collect();
    if m.authors.is_empty() && !editors.is_empty() {
        let line = format!("{} {}", lab.edited_by, join_names(&editors, &primary));
        d.elem("p", &[("class", "creators")], &line);
        d.nl();
    }
    if book.chapters.len() == 1 && !people.is_empty() {
        let line = format!("{} {}", lab.interview_with, join_names(&people, &primary));
        d.styled(Style::BODY.italic(true), |d| {
            d.elem("p", &[("class", "interviewees")], &line)
        });
        d.nl();
    } else if !people.is_empty() && people.len() <= 6 {
        let line = join_names(&people, &primary);
        d.styled(Style::BODY.italic(true), |d| {
            d.elem("p", &[("class", "interviewees")], &line)
        });
        d.nl();
    }
    let has_imprint = m.publisher.is_some() || m.date.is_some() || m.rights.is_some();
    if has_imprint {
        d.page_breaks(imprint);
        d.start("div", &[("class", "imprint")]);
        d.nl();
        d.styled(Style::DISPLAY, |d| {
            if let Some(p) = &m.publisher {
                d.elem("p", &[("class", "publisher")], p);
                d.nl();
            }
            if let Some(date) = &m.date {
                d.elem(
                    "p",
                    &[("class", "date")],
                    &super::time::human_date(date, &primary),
                );
                d.nl();
            }
        });
        if let Some(r) = &m.rights {
            d.elem("p", &[("class", "rights")], r);
            d.nl();
        }
        d.end("div");
        d.nl();
    } else {
        d.page_breaks(imprint);
    }
    d.page_breaks(end);
    d.end("section");
    d.nl();
    d.finish()
}

/// The cover page: the cover picture, full page, with its alternative text.
pub fn cover_page(book: &Book, href: &str, alt: &str) -> Rendered {
    let lab = labels(&book.meta.language.primary());
    let mut d = Doc::new(&book.meta.language, lab.cover, Depth::Root, "cover", 1024);
    d.start("section", &[("class", "cover"), ("epub:type", "cover")]);
    d.empty(
        "img",
        &[
            ("src", href),
            ("alt", alt),
            ("role", "doc-cover"),
            ("class", "cover-image"),
        ],
    );
    d.end("section");
    d.nl();
    d.finish()
}

/// An `img` in a chapter document, with its size so that reading systems
/// can lay the page out before the picture loads.
fn img_element(d: &mut Doc, (href, w, h): (&str, u32, u32), alt: &str) {
    d.empty(
        "img",
        &[
            ("src", &format!("../{href}")),
            ("alt", alt),
            ("width", &w.to_string()),
            ("height", &h.to_string()),
        ],
    );
}

fn blocks(d: &mut Doc, bs: &[Block], cx: &mut Cx, mode: Mode) {
    blocks_from(d, bs, 0, cx, mode);
}

/// Blocks that are `bs[first..]` of their sequence (for the block paths of
/// the page markers).
fn blocks_from(d: &mut Doc, bs: &[Block], first: usize, cx: &mut Cx, mode: Mode) {
    for (k, b) in bs.iter().enumerate() {
        cx.path.push(first + k);
        block(d, b, cx, mode);
        cx.path.pop();
    }
}

fn block(d: &mut Doc, b: &Block, cx: &mut Cx, mode: Mode) {
    match b {
        Block::Paragraph { content, .. } => {
            let ms = cx.take_block();
            d.start("p", &[]);
            marked_inlines(d, content, cx, mode, ms);
            d.end("p");
            d.nl();
        }
        Block::Heading {
            level, id, content, ..
        } => {
            // Never skip a level: h1 title, h2 questions, then one deeper at most.
            let level = (*level).clamp(2, 6).min(d.last_heading + 1).max(2);
            d.last_heading = level;
            let ms = cx.take_block();
            d.page_breaks(&numbers(&ms));
            let name = ["h2", "h3", "h4", "h5", "h6"][usize::from(level - 2)];
            let id = match (mode, id) {
                (Mode::Normal, Some(id)) => Some(d.claim(id)),
                _ => None,
            };
            d.styled(Style::DISPLAY_BOLD, |d| {
                let class = "subhead";
                match &id {
                    Some(id) => d.start(name, &[("id", id), ("class", class)]),
                    None => d.start(name, &[("class", class)]),
                }
                inlines(d, content, cx, mode);
                d.end(name);
            });
            d.nl();
        }
        Block::BlockQuote { content, .. } => {
            d.start("blockquote", &[]);
            d.nl();
            blocks(d, content, cx, mode);
            d.end("blockquote");
            d.nl();
        }
        Block::PullQuote { content, .. } => {
            // Not inside: the pull quote is hidden from assistive technology.
            let ms = cx.take_within();
            d.page_breaks(&numbers(&ms));
            d.start(
                "aside",
                &[
                    ("class", "pullquote"),
                    ("epub:type", "pullquote"),
                    ("role", "doc-pullquote"),
                    ("aria-hidden", "true"),
                ],
            );
            d.nl();
            d.styled(Style::BODY.italic(true), |d| {
                blocks(d, content, cx, Mode::Presentational)
            });
            d.end("aside");
            d.nl();
        }
        Block::List { start, items, .. } => {
            let name = if start.is_some() { "ol" } else { "ul" };
            match start {
                Some(s) if *s != 1 => d.start(name, &[("start", &s.to_string())]),
                _ => d.start(name, &[]),
            }
            d.nl();
            for (k, item) in items.iter().enumerate() {
                d.start("li", &[]);
                cx.path.push(k);
                // A tight item (one paragraph) is set without a paragraph.
                match item.blocks.as_slice() {
                    [Block::Paragraph { content, .. }] => {
                        cx.path.push(0);
                        let ms = cx.take_block();
                        marked_inlines(d, content, cx, mode, ms);
                        cx.path.pop();
                    }
                    [Block::Paragraph { content, .. }, rest @ ..]
                        if rest.iter().all(|b| matches!(b, Block::List { .. })) =>
                    {
                        cx.path.push(0);
                        let ms = cx.take_block();
                        marked_inlines(d, content, cx, mode, ms);
                        cx.path.pop();
                        blocks_from(d, rest, 1, cx, mode);
                    }
                    all => blocks(d, all, cx, mode),
                }
                cx.path.pop();
                d.end("li");
                d.nl();
            }
            d.end(name);
            d.nl();
        }
        Block::Figure { image, caption, .. } => {
            let ms = cx.take_block();
            d.page_breaks(&numbers(&ms));
            let Some(img) = cx.plan.image(&image.path) else {
                return;
            };
            d.start("figure", &[("class", "figure")]);
            d.nl();
            img_element(d, img, &image.alt);
            d.nl();
            if !caption.is_empty() {
                d.styled(Style::DISPLAY, |d| {
                    d.start("figcaption", &[]);
                    inlines(d, caption, cx, mode);
                    d.end("figcaption");
                });
                d.nl();
            }
            d.end("figure");
            d.nl();
        }
        Block::SectionBreak { .. } => {
            // The dinkus is kept with what follows it: a page that starts
            // with the next block starts with the dinkus.
            let ms = cx.take_start_of_next();
            d.page_breaks(&numbers(&ms));
            d.empty("hr", &[("class", "dinkus")]);
            d.nl();
        }
        Block::CodeBlock { text, lang, .. } => {
            let class = lang
                .as_deref()
                .map(|l| format!("language-{}", anchor(l)))
                .unwrap_or_default();
            d.start("pre", &[("class", "code")]);
            if class.is_empty() {
                d.start("code", &[]);
            } else {
                d.start("code", &[("class", &class)]);
            }
            let ms = cx.take_block();
            let shown = text.strip_suffix('\n').unwrap_or(text);
            d.styled(Style::BODY.mono(), |d| {
                if ms.is_empty() {
                    d.text(shown);
                } else {
                    // Pages start at line starts: no word or link to avoid.
                    start_marks(cx, ms.iter().map(|m| (m.offset, m.number)).collect());
                    marked_text(d, shown, cx);
                    end_marks(d, cx);
                }
            });
            d.end("code");
            d.end("pre");
            d.nl();
        }
        Block::Table {
            align, head, rows, ..
        } => {
            let ms = cx.take_block();
            d.page_breaks(&numbers(&ms));
            let class = |i: usize| match align.get(i).copied().unwrap_or(Align::None) {
                Align::None => None,
                Align::Left => Some("left"),
                Align::Center => Some("center"),
                Align::Right => Some("right"),
            };
            d.start("table", &[]);
            d.nl();
            if !head.is_empty() {
                d.start("thead", &[]);
                d.start("tr", &[]);
                for (i, cell) in head.iter().enumerate() {
                    match class(i) {
                        Some(c) => d.start("th", &[("scope", "col"), ("class", c)]),
                        None => d.start("th", &[("scope", "col")]),
                    }
                    d.styled(Style::BODY.bold(), |d| inlines(d, cell, cx, mode));
                    d.end("th");
                }
                d.end("tr");
                d.end("thead");
                d.nl();
            }
            d.start("tbody", &[]);
            d.nl();
            for row in rows {
                d.start("tr", &[]);
                for (i, cell) in row.iter().enumerate() {
                    match class(i) {
                        Some(c) => d.start("td", &[("class", c)]),
                        None => d.start("td", &[]),
                    }
                    inlines(d, cell, cx, mode);
                    d.end("td");
                }
                d.end("tr");
                d.nl();
            }
            d.end("tbody");
            d.end("table");
            d.nl();
        }
    }
}

fn inlines(d: &mut Doc, is: &[Inline], cx: &mut Cx, mode: Mode) {
    for i in is {
        inline(d, i, cx, mode);
    }
}

/// Inlines with the page markers `ms` (offsets into their plain text) set
/// where they fall, moved out of words and links (see [`snap`]).
fn marked_inlines(d: &mut Doc, is: &[Inline], cx: &mut Cx, mode: Mode, ms: Vec<Mark>) {
    if ms.is_empty() {
        inlines(d, is, cx, mode);
        return;
    }
    let text = plain_text(is);
    let mut links = Vec::new();
    link_ranges(is, &mut 0, &mut links);
    let at = ms
        .iter()
        .map(|m| (snap(&text, &links, m.offset), m.number))
        .collect();
    start_marks(cx, at);
    inlines(d, is, cx, mode);
    end_marks(d, cx);
}

/// Plain-text byte ranges of the links in `is` (as [`plain_text`] counts).
fn link_ranges(is: &[Inline], pos: &mut usize, out: &mut Vec<(usize, usize)>) {
    for i in is {
        match i {
            Inline::Text(t) | Inline::Code(t) => *pos += t.len(),
            Inline::LineBreak => *pos += 1,
            Inline::NoteRef(_) => {}
            Inline::Link { content, .. } => {
                let start = *pos;
                link_ranges(content, pos, out);
                out.push((start, *pos));
            }
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Foreign { content: c, .. } => link_ranges(c, pos, out),
        }
    }
}

fn start_marks(cx: &mut Cx, mut at: Vec<(usize, u32)>) {
    at.sort_unstable();
    cx.inline = at;
    cx.next = 0;
    cx.pos = 0;
}

/// Markers not written yet (past the end of the text): at its end.
fn end_marks(d: &mut Doc, cx: &mut Cx) {
    for &(_, n) in &cx.inline[cx.next.min(cx.inline.len())..] {
        d.page_break(n, false);
    }
    cx.inline.clear();
    cx.next = 0;
    cx.pos = 0;
}

/// Whether markers of the current inline sequence are still to be written.
fn marking(cx: &Cx) -> bool {
    cx.next < cx.inline.len()
}

/// Writes the markers at or before the plain-text offset reached.
fn marks_here(d: &mut Doc, cx: &mut Cx) {
    while let Some(&(off, n)) = cx.inline.get(cx.next) {
        if off > cx.pos {
            break;
        }
        d.page_break(n, false);
        cx.next += 1;
    }
}

/// Text with the markers that fall inside it.
fn marked_text(d: &mut Doc, t: &str, cx: &mut Cx) {
    if !marking(cx) {
        d.text(t);
        return;
    }
    let mut done = 0;
    while let Some(&(off, n)) = cx.inline.get(cx.next) {
        if off >= cx.pos + t.len() {
            break;
        }
        let mut at = off.saturating_sub(cx.pos).max(done);
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        let at = at.max(done);
        if at > done {
            d.text(&t[done..at]);
            done = at;
        }
        d.page_break(n, false);
        cx.next += 1;
    }
    if done < t.len() {
        d.text(&t[done..]);
    }
    cx.pos += t.len();
}

fn inline(d: &mut Doc, i: &Inline, cx: &mut Cx, mode: Mode) {
    match i {
        Inline::Text(t) => marked_text(d, t, cx),
        Inline::LineBreak => {
            if marking(cx) {
                marks_here(d, cx);
                cx.pos += 1;
            }
            d.empty("br", &[]);
        }
        Inline::Emphasis(c) => {
            let italic = !d.style.italic;
            d.start("em", &[]);
            d.styled(d.style.italic(italic), |d| inlines(d, c, cx, mode));
            d.end("em");
        }
        Inline::Strong(c) => {
            d.start("strong", &[]);
            d.styled(d.style.bold(), |d| inlines(d, c, cx, mode));
            d.end("strong");
        }
        Inline::Superscript(c) => {
            d.start("sup", &[]);
            inlines(d, c, cx, mode);
            d.end("sup");
        }
        Inline::Subscript(c) => {
            d.start("sub", &[]);
            inlines(d, c, cx, mode);
            d.end("sub");
        }
        Inline::Code(t) => {
            d.start("code", &[]);
            let style = d.style.mono();
            d.styled(style, |d| marked_text(d, t, cx));
            d.end("code");
        }
        Inline::Link { url, content } => {
            if mode == Mode::Presentational {
                inlines(d, content, cx, mode);
                return;
            }
            // A marker never goes inside a link (it would join the link's
            // name): those in it were moved to its start, written here.
            let marked = marking(cx);
            if marked {
                marks_here(d, cx);
            }
            let start = cx.pos;
            let (saved, next) = (std::mem::take(&mut cx.inline), cx.next);
            d.start("a", &[("href", url)]);
            match content.as_slice() {
                [Inline::Text(t)] if looks_like_url(t) => url_text(d, t),
                _ => inlines(d, content, cx, mode),
            }
            d.end("a");
            cx.inline = saved;
            cx.next = next;
            if marked {
                let mut len = 0;
                link_ranges(std::slice::from_ref(i), &mut len, &mut Vec::new());
                cx.pos = start + len;
            }
        }
        Inline::NoteRef(n) => {
            if mode == Mode::Presentational {
                return;
            }
            let n = *n;
            let num = n.to_string();
            if n == 0 || n > cx.notes {
                // The reader never lets this through; keep the number visible.
                d.start("sup", &[]);
                d.text(&num);
                d.end("sup");
                return;
            }
            let seen = &mut cx.refs_seen[n as usize];
            *seen += 1;
            let id = ref_id(n, *seen);
            d.reserve(&id);
            let href = format!("#{}", note_id(n));
            let label = format!("{} {num}", cx.labels.note);
            d.start("sup", &[("class", "noteref")]);
            d.start(
                "a",
                &[
                    ("id", &id),
                    ("href", &href),
                    ("epub:type", "noteref"),
                    ("role", "doc-noteref"),
                    ("aria-label", &label),
                ],
            );
            d.text(&num);
            d.end("a");
            d.end("sup");
        }
        Inline::Foreign { lang, content } => {
            let tag = lang.as_str();
            if lang.is_rtl() {
                d.start("span", &[("lang", tag), ("xml:lang", tag), ("dir", "rtl")]);
            } else {
                d.start("span", &[("lang", tag), ("xml:lang", tag)]);
            }
            let style = if lang.is_arabic_script() {
                Style {
                    role: crate::fonts::Role::Arabic,
                    ..d.style
                }
            } else {
                d.style
            };
            d.styled(style, |d| inlines(d, content, cx, mode));
            d.end("span");
        }
    }
}

fn looks_like_url(t: &str) -> bool {
    t.len() > 24 && (t.contains("://") || t.starts_with("www."))
}

/// A URL shown as text, with break opportunities (`<wbr/>`) after slashes
/// and before other punctuation, so that it wraps in every reading system
/// (the stylesheet's `overflow-wrap` is the fallback).
fn url_text(d: &mut Doc, t: &str) {
    let mut start = 0;
    let bytes = t.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let before = matches!(b, b'.' | b'-' | b'_' | b'?' | b'&' | b'=' | b'#' | b'%');
        let after_slash = b == b'/' && bytes.get(i + 1) != Some(&b'/');
        if before && i > start {
            d.text(&t[start..i]);
            d.empty("wbr", &[]);
            start = i;
        }
        if after_slash {
            d.text(&t[start..=i]);
            d.empty("wbr", &[]);
            start = i + 1;
        }
    }
    if start < t.len() {
        d.text(&t[start..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::{Exchange, ListItem, Note, Question, Span};

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }
    fn para(content: Vec<Inline>) -> Block {
        Block::Paragraph {
            content,
            span: Span::default(),
        }
    }

    /// A chapter: a paragraph with emphasis, a note reference and a link,
    /// a dinkus, a list, a pull quote, a heading; one note.
    fn sample() -> Chapter {
        Chapter {
            file: "c.md".into(),
            id: "c".into(),
            title: vec![text("Title")],
            standfirst: None,
            running_head: None,
            interviewees: Vec::new(),
            interviewer: None,
            date: None,
            lang: Lang::english(),
            intro: Vec::new(),
            exchanges: vec![Exchange {
                question: Question {
                    id: "q1".into(),
                    content: vec![text("Why?")],
                    span: Span::default(),
                },
                answer: vec![
                    para(vec![
                        text("Plain and "),
                        Inline::Emphasis(vec![text("emphasised words")]),
                        Inline::NoteRef(1),
                        text(" then "),
                        Inline::Link {
                            url: "https://example.org/".into(),
                            content: vec![text("a linked phrase")],
                        },
                        text(" and typography."),
                    ]),
                    Block::SectionBreak {
                        span: Span::default(),
                    },
                    para(vec![text("After the break.")]),
                    Block::List {
                        start: None,
                        items: vec![
                            ListItem {
                                blocks: vec![para(vec![text("first item")])],
                            },
                            ListItem {
                                blocks: vec![para(vec![text("second item")])],
                            },
                        ],
                        span: Span::default(),
                    },
                    Block::PullQuote {
                        content: vec![para(vec![text("Quoted again.")])],
                        span: Span::default(),
                    },
                    Block::Heading {
                        level: 3,
                        id: None,
                        content: vec![text("A heading")],
                        span: Span::default(),
                    },
                ],
            }],
            notes: vec![Note {
                number: 1,
                label: "n".into(),
                content: vec![para(vec![text("The note.")])],
                span: Span::default(),
            }],
            bio: None,
            span: Span::default(),
        }
    }

    fn at(seq: Seq, path: &[usize], offset: usize, number: u32) -> Mark {
        Mark {
            place: Place::Block {
                seq,
                path: path.to_vec(),
            },
            offset,
            number,
        }
    }

    fn render(ch: &Chapter, marks: ChapterMarks) -> (String, Vec<u32>) {
        let plan = Plan {
            chapters: Vec::new(),
            images: Default::default(),
            cover_page: None,
        };
        let cp = ChapterPlan {
            href: "text/c.xhtml".into(),
            bio_href: None,
            question_ids: vec!["q1".into()],
        };
        let r = chapter(ch, &cp, &plan, marks);
        (String::from_utf8(r.xhtml).unwrap(), r.pages)
    }

    fn marker(n: u32, el: &str) -> String {
        format!(
            "<{el} id=\"page_{n}\" class=\"pagebreak\" epub:type=\"pagebreak\" role=\"doc-pagebreak\" aria-label=\"{n}\"/>"
        )
    }

    #[test]
    fn markers_go_where_pages_start() {
        let ch = sample();
        let a = Seq::Answer(0);
        // Offsets into "Plain and emphasised words then a linked phrase and typography."
        let p = "Plain and emphasised words then a linked phrase and typography.";
        let marks = ChapterMarks {
            start: vec![4, 5],
            text: vec![
                at(a, &[0], p.find("words").unwrap(), 6),
                at(a, &[0], p.find("linked").unwrap(), 7),
                at(a, &[0], p.find("graphy").unwrap(), 8),
                at(a, &[2], 0, 9),
                at(a, &[3, 1, 0], 0, 10),
                at(a, &[4, 0], 0, 11),
                at(a, &[5], 0, 12),
                Mark {
                    place: Place::Question(0),
                    offset: 0,
                    number: 13,
                },
                at(Seq::Note(0), &[0], 4, 14),
            ],
            ..Default::default()
        };
        let (x, pages) = render(&ch, marks);
        // Every marker once, in page order except the question's, which
        // comes before its answer (a layout never does that; the writer
        // keeps reading order).
        assert_eq!(pages, vec![4, 5, 13, 6, 7, 8, 9, 10, 11, 12, 14]);
        // The chapter's start.
        assert!(x.contains(&format!(
            "aria-labelledby=\"title_\">\n{}\n{}\n<header",
            marker(4, "div"),
            marker(5, "div")
        )));
        // Inside emphasis, before the word.
        assert!(x.contains(&format!("<em>emphasised {}words</em>", marker(6, "span"))));
        // Never inside a link: before it.
        assert!(x.contains(&format!(
            " then {}<a href=\"https://example.org/\">a linked phrase</a>",
            marker(7, "span")
        )));
        // A hyphenated word: before the word.
        assert!(x.contains(&format!(" and {}typography.</p>", marker(8, "span"))));
        // The dinkus is kept with the paragraph after it.
        assert!(x.contains(&format!("{}\n<hr class=\"dinkus\"/>", marker(9, "div"))));
        // In a tight list item.
        assert!(x.contains(&format!("<li>{}second item</li>", marker(10, "span"))));
        // Before a pull quote and a heading, not inside.
        assert!(x.contains(&format!(
            "{}\n<aside class=\"pullquote\"",
            marker(11, "div")
        )));
        assert!(x.contains(&format!("{}\n<h3", marker(12, "div"))));
        assert!(x.contains(&format!(
            "{}\n<section class=\"exchange\" id=\"q1\">",
            marker(13, "div")
        )));
        // In a note, after its number.
        assert!(x.contains(&format!("The {}note.", marker(14, "span"))));
        // Well-formed.
        let mut r = quick_xml::Reader::from_str(&x);
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{e}\n{x}"),
            }
        }
    }

    #[test]
    fn markers_without_a_place_go_at_the_end() {
        let ch = sample();
        let marks = ChapterMarks {
            text: vec![
                at(Seq::Answer(7), &[0], 0, 20),
                at(Seq::Answer(0), &[0], 10_000, 21),
            ],
            end: vec![22],
            ..Default::default()
        };
        let (x, pages) = render(&ch, marks);
        assert_eq!(pages, vec![21, 20, 22]);
        // An offset past the end: at the end of its paragraph.
        assert!(x.contains(&format!("typography.{}</p>", marker(21, "span"))));
        assert!(x.contains(&format!(
            "{}\n{}\n</section>\n</body>",
            marker(20, "div"),
            marker(22, "div")
        )));
    }

    #[test]
    fn anchors_are_safe_ids() {
        assert_eq!(anchor("q1"), "q1");
        assert_eq!(anchor("my id!"), "my-id");
        assert_eq!(anchor("1st"), "id-1st");
        assert_eq!(anchor("note_1"), "note-1");
        assert_eq!(anchor("€"), "id-");
    }

    /// The sample with note 1 referred to `k` times in its first paragraph.
    fn referred(k: usize) -> Chapter {
        let mut ch = sample();
        if let Block::Paragraph { content, .. } = &mut ch.exchanges[0].answer[0] {
            for _ in 1..k {
                content.push(text(" again"));
                content.push(Inline::NoteRef(1));
            }
        }
        ch
    }

    #[test]
    fn a_note_links_back_to_every_reference() {
        let (x, _) = render(&referred(3), ChapterMarks::default());
        for id in ["ref_1", "ref_1_2", "ref_1_3"] {
            assert_eq!(x.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
        }
        let back = |k: u32, letter: &str| {
            format!(
                "<a class=\"backlink\" href=\"#{}\" role=\"doc-backlink\" aria-label=\"Note 1: Back to text ({k}/3)\">{letter}</a>",
                ref_id(1, k)
            )
        };
        let expected = format!(
            "<li id=\"note_1\" class=\"note\" epub:type=\"endnote\"><p><span class=\"note-number\">1</span> <span class=\"backlinks\">\u{21a9} {} {} {}</span> The note.</p></li>",
            back(1, "a"),
            back(2, "b"),
            back(3, "c")
        );
        assert!(x.contains(&expected), "{x}");
        // Referred to once, the number itself is the way back.
        let (x, _) = render(&referred(1), ChapterMarks::default());
        assert!(x.contains("<p><a class=\"backlink\" href=\"#ref_1\" role=\"doc-backlink\" aria-label=\"Note 1: Back to text\">1</a> The note.</p>"), "{x}");
        assert_eq!(
            (1..=28).map(ref_letter).collect::<Vec<_>>()[24..],
            ["y", "z", "aa", "ab"]
        );
    }

    #[test]
    fn a_phrase_in_another_language_keeps_its_language_and_direction() {
        let mut ch = sample();
        ch.exchanges[0].question.content.push(Inline::Foreign {
            lang: Lang::parse("ar").unwrap(),
            content: vec![text("\u{633}\u{644}\u{627}\u{645}")],
        });
        if let Block::Paragraph { content, .. } = &mut ch.exchanges[0].answer[2] {
            content.push(Inline::Foreign {
                lang: Lang::parse("ar-EG").unwrap(),
                content: vec![Inline::Emphasis(vec![text("\u{633}\u{644}\u{627}\u{645}")])],
            });
            content.push(Inline::Foreign {
                lang: Lang::parse("ru").unwrap(),
                content: vec![text("\u{434}\u{430}")],
            });
        }
        let (x, _) = render(&ch, ChapterMarks::default());
        assert!(x.contains("<h2 class=\"question\">Why?<span lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">\u{633}\u{644}\u{627}\u{645}</span></h2>"), "{x}");
        assert!(x.contains("After the break.<span lang=\"ar-EG\" xml:lang=\"ar-EG\" dir=\"rtl\"><em>\u{633}\u{644}\u{627}\u{645}</em></span><span lang=\"ru\" xml:lang=\"ru\">\u{434}\u{430}</span></p>"), "{x}");
    }
}
