//! Model blocks -> vertical lists, in two passes around the (parallel)
//! paragraph setting:
//!
//! 1. [`Planner`] walks the model once: every paragraph becomes a [`Job`]
//!    for the typesetter and a [`ParaPlan`] saying where it goes (indents,
//!    leading, how it may break, its structure element, its text
//!    position); spaces between blocks become glue; keeps and forced breaks
//!    are noted. Block-level structure elements are created here, in
//!    reading order.
//! 2. [`Expander`] turns the plans and the set paragraphs into a list of
//!    boxes (one per line), glue and penalties, gives every line its tagged
//!    segments (content slots, links, note references, foreign phrases)
//!    and records anchors (questions, notes, first note references).
//!
//! Page-break rules live in the penalties: no widows or orphans inside
//! body paragraphs (a break needs two lines on each side), display blocks
//! (headings, pull quotes, captions) never break, a heading keeps the next
//! two lines with it.

use super::design::Design;
use super::images::Request;
use super::store::{
    AnchorKey, Art, Child, Draw, FORCE, INF, Kind, Para, ParaId, Seg, SegLink, Store, Target, V,
    VBox,
};
use crate::diag::{Diagnostics, SourceMap};
use crate::model::{Block, Book, Chapter, Image, Inline, Lang, Place, Seq, Span, plain_text};
use crate::typeset::{Align, ParagraphSpec, SetParagraph, StyledText, TextStyle};
use crate::typography::{join_names, labels};
use std::collections::HashSet;

/// A paragraph for the typesetter.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub text: StyledText,
    pub measure: f32,
    pub indent: f32,
    pub align: Align,
    pub lang: Lang,
    pub hyphenate: bool,
    pub microtype: bool,
    pub expansion: crate::typeset::microtype::Expansion,
}

impl Job {
    pub fn spec(&self) -> ParagraphSpec<'_> {
        ParagraphSpec {
            text: &self.text,
            measure: self.measure,
            indent: self.indent,
            align: self.align,
            lang: &self.lang,
            hyphenate: self.hyphenate,
            microtype: self.microtype,
            expansion: self.expansion,
            looseness: 0,
        }
    }
}

/// How a paragraph may be broken across pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Breaks {
    /// Body text: at least two lines on each side of a break.
    Body,
    /// Never (headings, pull quotes, captions, entries).
    Whole,
}

/// A label set at the start of a paragraph's first line, its right edge
/// at `right` (list numbers and bullets, note numbers).
#[derive(Debug, Clone)]
pub(crate) struct LabelPlan {
    pub job: u32,
    pub right: f32,
    pub node: Option<u32>,
    pub link: Option<(Target, String)>,
}

#[derive(Debug, Clone)]
pub(crate) struct ParaPlan {
    pub job: u32,
    /// Left edge, from the text block's.
    pub x: f32,
    pub lead: f32,
    /// First baseline below the text block top when first on a page.
    pub top: f32,
    pub breaks: Breaks,
    /// Structure element receiving the text (`None` with an artifact).
    pub node: Option<u32>,
    pub artifact: Option<Art>,
    pub place: Option<u32>,
    pub chapter: Option<u32>,
    /// The whole paragraph is one link (contents entries).
    pub link: Option<(Target, String)>,
    pub label: Option<LabelPlan>,
    pub anchors: Vec<AnchorKey>,
    /// Junctions after the paragraph that may not break.
    pub keep_after: u8,
    pub span: Option<Span>,
    /// Marks the last line (contents entries get their page number there).
    pub toc: Option<u32>,
    /// Added to text offsets (a code block's line within the block).
    pub base: u32,
}

/// One cell of a table row.
#[derive(Debug, Clone)]
pub(crate) struct CellPlan {
    pub job: u32,
    pub span: Span,
    pub x: f32,
    pub w: f32,
    pub right: bool,
    pub node: u32,
}

/// What the planner says; the expander makes boxes of it.
#[derive(Debug, Clone)]
pub(crate) enum Pre {
    Para(ParaPlan),
    Glue {
        w: f32,
        stretch: f32,
        shrink: f32,
    },
    /// The next `n` junctions may not break.
    Keep(u8),
    /// The next junction breaks the page.
    Force,
    Image {
        req: u32,
        x: f32,
        w: f32,
        h: f32,
        node: Option<u32>,
        place: Option<u32>,
        anchors: Vec<AnchorKey>,
    },
    Row {
        cells: Vec<CellPlan>,
        lead: f32,
        size: f32,
        rule_above: bool,
        rule_below: bool,
        width: f32,
        place: Option<u32>,
    },
}

/// The paragraph look inside a block context.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Look {
    Body,
    Quote,
    Pull,
    Note,
}

/// Where the walk is.
#[derive(Debug, Clone)]
struct Ctx {
    chapter: u32,
    lang: Lang,
    left: f32,
    right: f32,
    look: Look,
    parent: u32,
    seq: Seq,
    path: Vec<usize>,
    list_depth: u8,
}

/// Pass 1: the model walk.
pub(crate) struct Planner<'a> {
    pub d: &'a Design,
    pub book: &'a Book,
    pub jobs: Vec<Job>,
    pub tree: super::store::Tree,
    /// Text positions: chapter and place; a plan's `place` indexes this.
    pub places: Vec<(u32, Place)>,
    pub images: Vec<Request<'a>>,
    /// Label for a paragraph that has not been planned yet (list item,
    /// note number).
    pending_label: Option<LabelPlan>,
}

impl<'a> Planner<'a> {
    pub fn new(d: &'a Design, book: &'a Book) -> Self {
        Planner {
            d,
            book,
            jobs: Vec::new(),
            tree: Default::default(),
            places: Vec::new(),
            images: Vec::new(),
            pending_label: None,
        }
    }

    pub fn job(
        &mut self,
        text: StyledText,
        measure: f32,
        indent: f32,
        align: Align,
        lang: &Lang,
    ) -> u32 {
        let justify = align == Align::Justify;
        self.jobs.push(Job {
            text,
            measure: measure.max(self.d.size),
            indent,
            align,
            lang: lang.clone(),
            hyphenate: justify && self.d.hyphenate,
            microtype: self.d.microtype,
            expansion: self.d.expansion,
        });
        self.jobs.len() as u32 - 1
    }

    fn place(&mut self, chapter: u32, place: Place) -> u32 {
        self.places.push((chapter, place));
        self.places.len() as u32 - 1
    }

    /// A plan with the defaults of body text.
    pub fn plan(&self, job: u32, lead: f32, top: f32) -> ParaPlan {
        ParaPlan {
            job,
            x: 0.0,
            lead,
            top,
            breaks: Breaks::Body,
            node: None,
            artifact: None,
            place: None,
            chapter: None,
            link: None,
            label: None,
            anchors: Vec::new(),
            keep_after: 0,
            span: None,
            toc: None,
            base: 0,
        }
    }

    pub fn glue(&self, lines: f32, stretch: f32, shrink: f32) -> Pre {
        let l = self.d.lead;
        Pre::Glue {
            w: lines * l,
            stretch: stretch * l,
            shrink: shrink * l,
        }
    }

    /// A chapter: opening, intro, questions and answers, endnotes, bio.
    pub fn chapter(&mut self, ci: usize, ch: &'a Chapter) -> Vec<Pre> {
        let d = self.d;
        let c = ci as u32;
        let lang = ch.lang.clone();
        let lb = labels(&lang.primary());
        let mut out = Vec::new();
        let sec = self.tree.add(None, Kind::Section);
        if ch.lang != self.book.meta.language {
            self.tree.nodes[sec as usize].lang = Some(ch.lang.as_str().to_string());
        }

        // Opening: title, standfirst, names, sunk on the page.
        let (ts, tl) = d.chapter_title();
        let title = StyledText::from_inlines(&strip_notes(&ch.title), &ts);
        let job = self.job(title, d.measure * 0.9, 0.0, Align::RaggedRight, &lang);
        let node = self.tree.add(Some(sec), Kind::H(1, plain_text(&ch.title)));
        let place = self.place(c, Place::Title);
        let mut p = self.plan(job, tl, d.sink() + ts.size);
        p.breaks = Breaks::Whole;
        p.node = Some(node);
        p.place = Some(place);
        p.chapter = Some(c);
        p.anchors = vec![AnchorKey::Chapter(c)];
        p.keep_after = 1;
        p.span = Some(ch.span);
        out.push(Pre::Para(p));
        if let Some(sf) = &ch.standfirst {
            let (ss, sl) = d.standfirst();
            out.push(Pre::Glue {
                w: sl + 6.0 * d.k(),
                stretch: 0.0,
                shrink: 0.0,
            });
            let job = self.job(
                StyledText::from_inlines(sf, &ss),
                d.measure * 0.9,
                0.0,
                Align::RaggedRight,
                &lang,
            );
            let node = self.tree.add(Some(sec), Kind::P);
            let place = self.place(c, Place::Standfirst);
            let mut p = self.plan(job, sl, ss.size);
            p.breaks = Breaks::Whole;
            p.node = Some(node);
            p.place = Some(place);
            p.chapter = Some(c);
            p.keep_after = 1;
            p.span = Some(ch.span);
            out.push(Pre::Para(p));
        }
        let mut names = Vec::new();
        if !ch.interviewees.is_empty() {
            names.push(join_names(&ch.interviewees, &lang.primary()).to_uppercase());
        }
        if let Some(by) = &ch.interviewer {
            names.push(format!("{} {}", lb.interview_by, by));
        }
        for (i, name) in names.iter().enumerate() {
            out.push(Pre::Glue {
                w: if i == 0 { d.lead * 1.6 } else { d.lead },
                stretch: 0.0,
                shrink: 0.0,
            });
            let st = StyledText::plain(name, &d.small_caps(d.size));
            let job = self.job(st, d.measure, 0.0, Align::RaggedRight, &lang);
            let node = self.tree.add(Some(sec), Kind::P);
            let mut p = self.plan(job, d.lead, d.size);
            p.breaks = Breaks::Whole;
            p.node = Some(node);
            p.keep_after = 1;
            out.push(Pre::Para(p));
        }
        out.push(Pre::Glue {
            w: d.lead * 2.5,
            stretch: 0.0,
            shrink: 0.0,
        });
        out.push(Pre::Keep(2));

        let mut ctx = Ctx {
            chapter: c,
            lang: lang.clone(),
            left: 0.0,
            right: 0.0,
            look: Look::Body,
            parent: sec,
            seq: Seq::Intro,
            path: Vec::new(),
            list_depth: 0,
        };
        let mut first = true;
        self.blocks(&ch.intro, &mut ctx, &mut out, &mut first);

        for (qi, ex) in ch.exchanges.iter().enumerate() {
            out.push(self.glue(1.0, 0.5, 0.15));
            let st = StyledText::from_inlines(&ex.question.content, &d.question());
            let job = self.job(st, d.measure, 0.0, Align::RaggedRight, &lang);
            let node = self
                .tree
                .add(Some(sec), Kind::H(2, plain_text(&ex.question.content)));
            let place = self.place(c, Place::Question(qi));
            let mut p = self.plan(job, d.lead, d.size);
            p.breaks = Breaks::Whole;
            p.node = Some(node);
            p.place = Some(place);
            p.chapter = Some(c);
            p.anchors = vec![AnchorKey::Question(c, qi as u32)];
            p.keep_after = 2;
            p.span = Some(ex.question.span);
            out.push(Pre::Para(p));
            out.push(self.glue(0.35, 0.15, 0.0));
            ctx.seq = Seq::Answer(qi);
            let mut first = true;
            self.blocks(&ex.answer, &mut ctx, &mut out, &mut first);
        }

        if !ch.notes.is_empty() {
            let nsec = self.tree.add(Some(sec), Kind::Section);
            out.push(self.glue(2.0, 1.0, 0.3));
            self.section_heading(lb.endnotes, AnchorKey::Endnotes(c), nsec, &lang, &mut out);
            out.push(self.glue(0.5, 0.2, 0.0));
            let (ns, _) = d.note();
            let col = 2.2 * ns.size;
            for (i, note) in ch.notes.iter().enumerate() {
                if i > 0 {
                    out.push(self.glue(0.25, 0.1, 0.0));
                }
                let nnode = self.tree.add(Some(nsec), Kind::Note);
                let lbl = self.tree.add(Some(nnode), Kind::Lbl);
                let mut ls = ns.clone();
                ls.figures = crate::typeset::Figures::Lining;
                let job = self.job(
                    StyledText::plain(&format!("{}.", note.number), &ls),
                    col,
                    0.0,
                    Align::RaggedRight,
                    &lang,
                );
                self.pending_label = Some(LabelPlan {
                    job,
                    right: col - 0.45 * ns.size,
                    node: Some(lbl),
                    link: Some((
                        Target::Anchor(AnchorKey::NoteRef(c, note.number)),
                        lb.back_to_text.to_string(),
                    )),
                });
                let mut nctx = Ctx {
                    left: col,
                    look: Look::Note,
                    parent: nnode,
                    seq: Seq::Note(i),
                    path: Vec::new(),
                    ..ctx.clone()
                };
                let mut first = true;
                let start = out.len();
                self.blocks(&note.content, &mut nctx, &mut out, &mut first);
                // The definition's anchor: on its first line.
                for pre in &mut out[start..] {
                    if let Pre::Para(p) = pre {
                        p.anchors.push(AnchorKey::NoteDef(c, note.number));
                        break;
                    }
                }
                self.pending_label = None;
            }
        }

        if let Some(bio) = &ch.bio {
            out.push(Pre::Force);
            let bsec = self.tree.add(Some(sec), Kind::Section);
            self.section_heading(
                lb.about_interviewee,
                AnchorKey::Bio(c),
                bsec,
                &lang,
                &mut out,
            );
            // The bio page opens like a chapter: sunk.
            if let Some(Pre::Para(p)) = out.last_mut() {
                p.top += d.sink();
            }
            out.push(self.glue(0.8, 0.0, 0.0));
            if let Some(img) = &bio.portrait {
                let w = (d.measure * 0.45).min(2.2 * 72.0);
                let h = w * img.height.max(1) as f32 / img.width.max(1) as f32;
                let h = h.min(d.text_h * 0.45);
                let w = h * img.width.max(1) as f32 / img.height.max(1) as f32;
                let node = self.tree.add(Some(bsec), Kind::Figure(img.alt.clone()));
                let req = self.image(img, ch.span);
                out.push(Pre::Image {
                    req,
                    x: 0.0,
                    w,
                    h,
                    node: Some(node),
                    place: None,
                    anchors: Vec::new(),
                });
                out.push(Pre::Keep(2));
                out.push(self.glue(0.8, 0.0, 0.0));
            }
            // The name, in small capitals.
            let st = StyledText::plain(&bio.name.to_uppercase(), &d.small_caps(d.size));
            let job = self.job(st, d.measure, 0.0, Align::RaggedRight, &lang);
            let node = self.tree.add(Some(bsec), Kind::P);
            let mut p = self.plan(job, d.lead, d.size);
            p.breaks = Breaks::Whole;
            p.node = Some(node);
            p.keep_after = 2;
            out.push(Pre::Para(p));
            out.push(self.glue(0.5, 0.0, 0.0));
            let mut bctx = Ctx {
                parent: bsec,
                seq: Seq::Bio,
                path: Vec::new(),
                ..ctx.clone()
            };
            let mut first = true;
            self.blocks(&bio.content, &mut bctx, &mut out, &mut first);
        }
        out
    }

    fn section_heading(
        &mut self,
        text: &str,
        anchor: AnchorKey,
        parent: u32,
        lang: &Lang,
        out: &mut Vec<Pre>,
    ) {
        let (hs, hl) = self.d.section_heading();
        let job = self.job(
            StyledText::plain(text, &hs),
            self.d.measure,
            0.0,
            Align::RaggedRight,
            lang,
        );
        let node = self.tree.add(Some(parent), Kind::H(2, text.to_string()));
        let mut p = self.plan(job, hl, hs.size);
        p.breaks = Breaks::Whole;
        p.node = Some(node);
        p.anchors = vec![anchor];
        p.keep_after = 2;
        out.push(Pre::Para(p));
    }

    fn image(&mut self, image: &'a Image, span: Span) -> u32 {
        self.images.push(Request { image, span });
        self.images.len() as u32 - 1
    }

    fn blocks(&mut self, blocks: &'a [Block], ctx: &mut Ctx, out: &mut Vec<Pre>, first: &mut bool) {
        let d = self.d;
        for (i, b) in blocks.iter().enumerate() {
            ctx.path.push(i);
            match b {
                Block::Paragraph { content, span } => {
                    self.paragraph(content, *span, ctx, out, !*first);
                    *first = false;
                }
                Block::Heading {
                    level,
                    content,
                    span,
                    ..
                } => {
                    out.push(self.glue(0.8, 0.4, 0.1));
                    let st = StyledText::from_inlines(content, &d.subheading(*level));
                    let job = self.job(
                        st,
                        d.measure - ctx.left - ctx.right,
                        0.0,
                        Align::RaggedRight,
                        &ctx.lang,
                    );
                    let node = self.tree.add(
                        Some(ctx.parent),
                        Kind::H((*level).clamp(3, 6) as u16, plain_text(content)),
                    );
                    let place = self.place(ctx.chapter, self.block_place(ctx));
                    let mut p = self.plan(job, d.lead, d.size);
                    p.x = ctx.left;
                    p.breaks = Breaks::Whole;
                    p.node = Some(node);
                    p.place = Some(place);
                    p.chapter = Some(ctx.chapter);
                    p.keep_after = 2;
                    p.span = Some(*span);
                    out.push(Pre::Para(p));
                    out.push(self.glue(0.2, 0.1, 0.0));
                    *first = true;
                }
                Block::BlockQuote { content, .. } => {
                    out.push(self.glue(0.5, 0.25, 0.1));
                    let node = self.tree.add(Some(ctx.parent), Kind::BlockQuote);
                    let mut q = Ctx {
                        left: ctx.left + 1.5 * d.size,
                        right: ctx.right + 1.5 * d.size,
                        look: if ctx.look == Look::Body {
                            Look::Quote
                        } else {
                            ctx.look
                        },
                        parent: node,
                        ..ctx.clone()
                    };
                    let mut f = true;
                    self.blocks(content, &mut q, out, &mut f);
                    out.push(self.glue(0.5, 0.25, 0.1));
                    *first = true;
                }
                Block::PullQuote { content, .. } => {
                    out.push(self.glue(1.0, 0.6, 0.2));
                    let mut q = Ctx {
                        left: ctx.left + 2.0 * d.size,
                        right: ctx.right + 2.0 * d.size,
                        look: Look::Pull,
                        ..ctx.clone()
                    };
                    let mut f = true;
                    let start = out.len();
                    self.blocks(content, &mut q, out, &mut f);
                    // A pull quote is one display: never broken.
                    let paras: Vec<usize> = (start..out.len())
                        .filter(|&k| matches!(out[k], Pre::Para(_)))
                        .collect();
                    for &k in paras.iter().rev().skip(1) {
                        if let Pre::Para(p) = &mut out[k] {
                            p.keep_after = p.keep_after.max(1);
                        }
                    }
                    out.push(self.glue(1.0, 0.6, 0.2));
                    *first = true;
                }
                Block::List { start, items, .. } => {
                    out.push(self.glue(0.3, 0.15, 0.0));
                    let node = self.tree.add(Some(ctx.parent), Kind::L(start.is_some()));
                    let col = 1.6 * d.size;
                    for (k, item) in items.iter().enumerate() {
                        let li = self.tree.add(Some(node), Kind::LI);
                        let lbl = self.tree.add(Some(li), Kind::Lbl);
                        let body = self.tree.add(Some(li), Kind::LBody);
                        let text = match start {
                            Some(s) => format!("{}.", s + k as u64),
                            None => if ctx.list_depth.is_multiple_of(2) {
                                "•"
                            } else {
                                "–"
                            }
                            .to_string(),
                        };
                        let (style, _) = self.look_style(ctx.look);
                        let mut ls = style.clone();
                        ls.figures = crate::typeset::Figures::Lining;
                        let job = self.job(
                            StyledText::plain(&text, &ls),
                            col * 2.0,
                            0.0,
                            Align::RaggedRight,
                            &ctx.lang,
                        );
                        self.pending_label = Some(LabelPlan {
                            job,
                            right: ctx.left + col - 0.4 * d.size,
                            node: Some(lbl),
                            link: None,
                        });
                        let mut ic = Ctx {
                            left: ctx.left + col,
                            parent: body,
                            list_depth: ctx.list_depth + 1,
                            ..ctx.clone()
                        };
                        ic.path.push(k);
                        let mut f = true;
                        self.blocks(&item.blocks, &mut ic, out, &mut f);
                        self.pending_label = None;
                    }
                    out.push(self.glue(0.3, 0.15, 0.0));
                    *first = true;
                }
                Block::Figure {
                    image,
                    caption,
                    span,
                } => {
                    out.push(self.glue(0.6, 0.4, 0.1));
                    let avail = d.measure - ctx.left - ctx.right;
                    let ratio = image.height.max(1) as f32 / image.width.max(1) as f32;
                    let mut w = avail;
                    let mut h = w * ratio;
                    let max_h = d.text_h * 0.6;
                    if h > max_h {
                        h = max_h;
                        w = h / ratio;
                    }
                    let node = self
                        .tree
                        .add(Some(ctx.parent), Kind::Figure(image.alt.clone()));
                    let place = self.place(ctx.chapter, self.block_place(ctx));
                    let req = self.image(image, *span);
                    out.push(Pre::Image {
                        req,
                        x: ctx.left + (avail - w) / 2.0,
                        w,
                        h,
                        node: Some(node),
                        place: Some(place),
                        anchors: Vec::new(),
                    });
                    if !caption.is_empty() {
                        out.push(Pre::Keep(1));
                        let (cs, cl) = d.caption();
                        out.push(Pre::Glue {
                            w: 4.0 * d.k(),
                            stretch: 0.0,
                            shrink: 0.0,
                        });
                        let job = self.job(
                            StyledText::from_inlines(caption, &cs),
                            avail,
                            0.0,
                            Align::Center,
                            &ctx.lang,
                        );
                        let cnode = self.tree.add(Some(ctx.parent), Kind::Caption);
                        let mut p = self.plan(job, cl, cs.size);
                        p.x = ctx.left;
                        p.breaks = Breaks::Whole;
                        p.node = Some(cnode);
                        p.place = Some(place);
                        p.chapter = Some(ctx.chapter);
                        p.span = Some(*span);
                        out.push(Pre::Para(p));
                    }
                    out.push(self.glue(0.6, 0.4, 0.1));
                    *first = true;
                }
                Block::SectionBreak { .. } => {
                    out.push(self.glue(0.5, 0.5, 0.1));
                    let job = self.job(
                        StyledText::plain("*\u{2003}*\u{2003}*", &d.body()),
                        d.measure - ctx.left - ctx.right,
                        0.0,
                        Align::Center,
                        &ctx.lang,
                    );
                    let mut p = self.plan(job, d.lead, d.size);
                    p.x = ctx.left;
                    p.breaks = Breaks::Whole;
                    p.artifact = Some(Art::Layout);
                    p.keep_after = 2;
                    out.push(Pre::Para(p));
                    out.push(self.glue(0.5, 0.5, 0.1));
                    *first = true;
                }
                Block::CodeBlock { text, span, .. } => {
                    out.push(self.glue(0.4, 0.2, 0.0));
                    let (cs, cl) = d.code();
                    let node = self.tree.add(Some(ctx.parent), Kind::Code);
                    let place = self.place(ctx.chapter, self.block_place(ctx));
                    let mut off = 0usize;
                    for line in text.trim_end_matches('\n').split('\n') {
                        // Keep the indentation: leading spaces become no-break
                        // spaces, which neither collapse nor break.
                        let body = line.trim_start_matches([' ', '\t']);
                        let indent: usize = line[..line.len() - body.len()]
                            .chars()
                            .map(|c| if c == '\t' { 4 } else { 1 })
                            .sum();
                        let mut shown = "\u{00A0}".repeat(indent);
                        shown.push_str(body);
                        if shown.is_empty() {
                            shown.push('\u{00A0}');
                        }
                        let job = self.job(
                            StyledText::plain(&shown, &cs),
                            d.measure - ctx.left - ctx.right - d.size,
                            0.0,
                            Align::RaggedRight,
                            &ctx.lang,
                        );
                        let mut p = self.plan(job, cl, cs.size);
                        p.x = ctx.left + d.size;
                        p.breaks = Breaks::Whole;
                        p.node = Some(node);
                        p.place = Some(place);
                        p.chapter = Some(ctx.chapter);
                        p.span = Some(*span);
                        p.base = off as u32;
                        out.push(Pre::Para(p));
                        off += line.len() + 1;
                    }
                    out.push(self.glue(0.4, 0.2, 0.0));
                    *first = true;
                }
                Block::Table {
                    align,
                    head,
                    rows,
                    span,
                } => {
                    self.table(align, head, rows, *span, ctx, out);
                    *first = true;
                }
            }
            ctx.path.pop();
        }
    }

    fn look_style(&self, look: Look) -> (TextStyle, f32) {
        let d = self.d;
        match look {
            Look::Body => (d.body(), d.lead),
            Look::Quote => d.quote(),
            Look::Pull => d.pull(),
            Look::Note => d.note(),
        }
    }

    fn block_place(&self, ctx: &Ctx) -> Place {
        Place::Block {
            seq: ctx.seq,
            path: ctx.path.clone(),
        }
    }

    fn paragraph(
        &mut self,
        content: &'a [Inline],
        span: Span,
        ctx: &Ctx,
        out: &mut Vec<Pre>,
        indent: bool,
    ) {
        let d = self.d;
        let (style, lead) = self.look_style(ctx.look);
        let st = StyledText::from_inlines(content, &style);
        let measure = d.measure - ctx.left - ctx.right;
        let pull = ctx.look == Look::Pull;
        let label = self.pending_label.take();
        let align = if pull {
            Align::RaggedRight
        } else {
            Align::Justify
        };
        let ind = if indent && label.is_none() && !pull {
            style.size
        } else {
            0.0
        };
        let job = self.job(st, measure, ind, align, &ctx.lang);
        let place = self.place(ctx.chapter, self.block_place(ctx));
        let mut p = self.plan(job, lead, style.size);
        p.x = ctx.left;
        p.place = Some(place);
        p.chapter = Some(ctx.chapter);
        p.span = Some(span);
        p.label = label;
        if pull {
            // Pull quotes repeat the text: hidden from assistive technology.
            p.artifact = Some(Art::Layout);
            p.breaks = Breaks::Whole;
        } else {
            p.node = Some(self.tree.add(Some(ctx.parent), Kind::P));
        }
        out.push(Pre::Para(p));
    }

    fn table(
        &mut self,
        align: &[crate::model::Align],
        head: &'a [Vec<Inline>],
        rows: &'a [Vec<Vec<Inline>>],
        span: Span,
        ctx: &mut Ctx,
        out: &mut Vec<Pre>,
    ) {
        let d = self.d;
        let (ns, nl) = d.note();
        let cols = head
            .len()
            .max(rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1);
        let avail = d.measure - ctx.left - ctx.right;
        // Column widths in proportion to the longest cell text (at least 3 em).
        let mut want = vec![3.0f32; cols];
        for row in std::iter::once(head).chain(rows.iter().map(Vec::as_slice)) {
            for (k, cell) in row.iter().enumerate().take(cols) {
                let n = plain_text(cell).chars().count() as f32 * 0.5 + 1.0;
                want[k] = want[k].max(n.min(30.0));
            }
        }
        let total: f32 = want.iter().sum();
        let gap = 0.8 * ns.size;
        let widths: Vec<f32> = want
            .iter()
            .map(|w| (avail - gap * (cols - 1) as f32) * w / total)
            .collect();
        out.push(self.glue(0.6, 0.3, 0.1));
        let tnode = self.tree.add(Some(ctx.parent), Kind::Table);
        let place = self.place(ctx.chapter, self.block_place(ctx));
        let nrows = rows.len() + usize::from(!head.is_empty());
        for r in 0..nrows {
            let header = !head.is_empty() && r == 0;
            let row: &[Vec<Inline>] = if header {
                head
            } else {
                &rows[r - usize::from(!head.is_empty())]
            };
            let tr = self.tree.add(Some(tnode), Kind::TR);
            let mut cells = Vec::new();
            let mut x = ctx.left;
            for (k, w) in widths.iter().enumerate() {
                let empty = Vec::new();
                let cell = row.get(k).unwrap_or(&empty);
                let mut style = ns.clone();
                style.bold = header;
                style.figures = crate::typeset::Figures::Tabular;
                let right = matches!(align.get(k), Some(crate::model::Align::Right));
                let centre = matches!(align.get(k), Some(crate::model::Align::Center));
                let job = self.job(
                    StyledText::from_inlines(cell, &style),
                    *w,
                    0.0,
                    if centre {
                        Align::Center
                    } else {
                        Align::RaggedRight
                    },
                    &ctx.lang,
                );
                let node = self
                    .tree
                    .add(Some(tr), if header { Kind::TH } else { Kind::TD });
                cells.push(CellPlan {
                    job,
                    span,
                    x,
                    w: *w,
                    right,
                    node,
                });
                x += w + gap;
            }
            if r > 0 {
                out.push(Pre::Glue {
                    w: 2.0 * d.k(),
                    stretch: 0.0,
                    shrink: 0.0,
                });
            }
            out.push(Pre::Row {
                cells,
                lead: nl,
                size: ns.size,
                rule_above: r == 0,
                rule_below: header || r + 1 == nrows,
                width: avail,
                place: if r == 0 { Some(place) } else { None },
            });
            if header {
                out.push(Pre::Keep(2));
                out.push(Pre::Glue {
                    w: 3.0 * d.k(),
                    stretch: 0.0,
                    shrink: 0.0,
                });
            }
        }
        out.push(self.glue(0.8, 0.3, 0.1));
    }
}

/// Inlines without note references (titles in the contents and heads).
pub(crate) fn strip_notes(inlines: &[Inline]) -> Vec<Inline> {
    inlines
        .iter()
        .filter_map(|i| match i {
            Inline::NoteRef(_) => None,
            Inline::Emphasis(c) => Some(Inline::Emphasis(strip_notes(c))),
            Inline::Strong(c) => Some(Inline::Strong(strip_notes(c))),
            Inline::Superscript(c) => Some(Inline::Superscript(strip_notes(c))),
            Inline::Subscript(c) => Some(Inline::Subscript(strip_notes(c))),
            Inline::Link { url, content } => Some(Inline::Link {
                url: url.clone(),
                content: strip_notes(content),
            }),
            Inline::Foreign { lang, content } => Some(Inline::Foreign {
                lang: lang.clone(),
                content: strip_notes(content),
            }),
            other => Some(other.clone()),
        })
        .collect()
}

/// Byte offset in `model::plain_text` of the inlines a paragraph was set
/// from, for a byte offset in its set text: the set text also holds the
/// note reference numbers, which plain text leaves out (every other
/// difference keeps byte lengths: `\n` for a line break is one byte, as
/// the space plain text writes).
pub(crate) fn plain_offset(set: &SetParagraph, off: usize) -> usize {
    let mut skip = 0;
    for n in &set.notes {
        if n.range.end <= off {
            skip += n.range.len();
        } else if n.range.start < off {
            skip += off - n.range.start;
        }
    }
    off - skip
}

/// Pass 2: plans + set paragraphs -> vertical lists.
pub(crate) struct Expander<'s> {
    pub store: &'s mut Store,
    pub sets: Vec<Option<SetParagraph>>,
    /// Store image id of each image request (`None`: it failed to load).
    pub images: Vec<Option<u32>>,
    pub sources: &'s SourceMap,
    pub diags: Diagnostics,
    pub lang: Lang,
    seen_refs: HashSet<(u32, u32)>,
}

struct Junctions {
    out: Vec<V>,
    glue: Vec<V>,
    keep: u8,
    force: bool,
    have_box: bool,
}

impl Junctions {
    fn push_box(&mut self, b: VBox, within: f32) {
        if self.have_box {
            let mut pen = within;
            if self.keep > 0 {
                pen = pen.max(INF);
                self.keep -= 1;
            }
            if self.force {
                pen = FORCE;
                self.force = false;
            }
            self.out.push(V::Penalty(pen));
            self.out.append(&mut self.glue);
        } else {
            self.glue.clear();
        }
        self.out.push(V::Box(b));
        self.have_box = true;
    }
}

impl<'s> Expander<'s> {
    pub fn new(
        store: &'s mut Store,
        sets: Vec<SetParagraph>,
        images: Vec<Option<u32>>,
        sources: &'s SourceMap,
        lang: Lang,
    ) -> Self {
        Expander {
            store,
            sets: sets.into_iter().map(Some).collect(),
            images,
            sources,
            diags: Diagnostics::new(),
            lang,
            seen_refs: HashSet::new(),
        }
    }

    /// Takes the set paragraph of `job` into the store (once); `span`
    /// locates its problems (missing glyphs, validation errors).
    pub fn para(&mut self, job: u32, span: Option<Span>, artifact: Option<Art>) -> ParaId {
        let set = self.sets[job as usize].take().unwrap_or_else(empty_set);
        let at = span.map(|s| (self.sources, s));
        for d in set.diagnostics(at) {
            self.diags.push(d);
        }
        let loc = self.store.loc(span);
        self.store.paras.push(Para {
            set,
            segs: Vec::new(),
            artifact,
            loc,
        });
        self.store.paras.len() as u32 - 1
    }

    /// Cuts every line of `para` into tagged segments under `node`.
    pub fn tag(
        &mut self,
        para: ParaId,
        node: u32,
        chapter: Option<u32>,
        link: Option<&(Target, String)>,
    ) {
        let lb = labels(&self.lang.primary());
        let nlines = self.store.paras[para as usize].set.lines.len();
        let mut all = Vec::with_capacity(nlines);
        for li in 0..nlines {
            let mut segs: Vec<Seg> = Vec::new();
            let runs = &self.store.paras[para as usize].set.lines[li].runs;
            let nruns = runs.len();
            let mut k = 0;
            while k < nruns {
                let runs = &self.store.paras[para as usize].set.lines[li].runs;
                // Runs with the same link, note and language make one segment.
                let same = |a: &crate::typeset::GlyphRun, b: &crate::typeset::GlyphRun| {
                    a.link == b.link && a.note == b.note && a.lang == b.lang
                };
                let mut e = k + 1;
                while e < nruns && same(&runs[e], &runs[k]) {
                    e += 1;
                }
                let (rl, rn) = (runs[k].link, runs[k].note);
                let lang = runs[k].lang.as_ref().map(|l| l.as_str().to_string());
                let slot = self.store.slot();
                let target = if let Some((t, alt)) = link {
                    Some((t.clone(), alt.clone()))
                } else if let (Some(n), Some(c)) = (rn, chapter) {
                    Some((
                        Target::Anchor(AnchorKey::NoteDef(c, n)),
                        format!("{} {n}", lb.note),
                    ))
                } else if let Some(l) = rl {
                    let url = self.store.paras[para as usize]
                        .set
                        .links
                        .get(l as usize)
                        .map(|t| t.url.clone())
                        .unwrap_or_default();
                    if url.is_empty() {
                        None
                    } else {
                        Some((Target::Url(url.clone()), url))
                    }
                } else {
                    None
                };
                let seg_link = match target {
                    Some((target, alt)) => {
                        let annot = self.store.annot();
                        let kind = if rn.is_some() && link.is_none() {
                            Kind::Reference
                        } else {
                            Kind::Link
                        };
                        let g = self.store.tree.add(Some(node), kind);
                        self.store.tree.push(g, Child::Annot(annot));
                        self.store.tree.push(g, Child::Content(slot));
                        Some(SegLink { target, alt, annot })
                    }
                    None => {
                        self.store.tree.push(node, Child::Content(slot));
                        None
                    }
                };
                segs.push(Seg {
                    runs: k as u16..e as u16,
                    slot,
                    lang,
                    link: seg_link,
                });
                k = e;
            }
            // Most lines have one segment; kept until the PDF is written.
            segs.shrink_to_fit();
            all.push(segs);
        }
        self.store.paras[para as usize].segs = all;
    }

    /// A plan's paragraph, stored and tagged.
    fn plan_para(&mut self, plan: &ParaPlan) -> ParaId {
        let id = self.para(plan.job, plan.span, plan.artifact);
        if let Some(node) = plan.node {
            self.tag(id, node, plan.chapter, plan.link.as_ref());
        }
        id
    }

    /// The vertical list of a flow.
    pub fn expand(&mut self, pres: Vec<Pre>) -> Vec<V> {
        let mut j = Junctions {
            out: Vec::with_capacity(pres.len() * 4),
            glue: Vec::new(),
            keep: 0,
            force: false,
            have_box: false,
        };
        for pre in pres {
            match pre {
                Pre::Glue { w, stretch, shrink } => {
                    // Space between blocks collapses: the end of one block
                    // and the start of the next give the larger of the two.
                    if j.have_box {
                        match j.glue.last_mut() {
                            Some(V::Glue {
                                w: w0,
                                stretch: s0,
                                shrink: h0,
                            }) => {
                                *w0 = w0.max(w);
                                *s0 = s0.max(stretch);
                                *h0 = h0.max(shrink);
                            }
                            _ => j.glue.push(V::Glue { w, stretch, shrink }),
                        }
                    }
                }
                Pre::Keep(n) => j.keep = j.keep.max(n),
                Pre::Force => j.force = true,
                Pre::Para(plan) => self.expand_para(&plan, &mut j),
                Pre::Image {
                    req,
                    x,
                    w,
                    h,
                    node,
                    place,
                    anchors,
                } => {
                    let Some(img) = self.images.get(req as usize).copied().flatten() else {
                        continue;
                    };
                    let slot = node.map(|n| {
                        let s = self.store.slot();
                        self.store.tree.push(n, Child::Content(s));
                        s
                    });
                    let gap = 0.0;
                    j.push_box(
                        VBox {
                            advance: h + gap,
                            top: h,
                            draw: Some(Draw::Image {
                                img,
                                x,
                                y: -h,
                                w,
                                h,
                                slot,
                            }),
                            more: Vec::new(),
                            pos: place.map(|p| (p, 0)),
                            anchors,
                            toc: None,
                        },
                        0.0,
                    );
                }
                Pre::Row {
                    cells,
                    lead,
                    size,
                    rule_above,
                    rule_below,
                    width,
                    place,
                } => {
                    let ids: Vec<(ParaId, &CellPlan)> = cells
                        .iter()
                        .map(|c| {
                            let id = self.para(c.job, Some(c.span), None);
                            self.tag(id, c.node, None, None);
                            (id, c)
                        })
                        .collect();
                    let n = ids
                        .iter()
                        .map(|(id, _)| self.store.paras[*id as usize].set.lines.len())
                        .max()
                        .unwrap_or(0)
                        .max(1);
                    for k in 0..n {
                        let mut draws = Vec::new();
                        for (id, c) in &ids {
                            let lines = &self.store.paras[*id as usize].set.lines;
                            if let Some(line) = lines.get(k) {
                                let x = if c.right { c.x + c.w - line.width } else { c.x };
                                draws.push(Draw::Line {
                                    para: *id,
                                    line: k as u32,
                                    x,
                                    y: 0.0,
                                });
                            }
                        }
                        let x0 = cells.first().map_or(0.0, |c| c.x);
                        if k == 0 && rule_above {
                            draws.push(Draw::Rule {
                                x: x0,
                                y: -lead * 0.85,
                                w: width,
                                t: 0.5,
                            });
                        }
                        if k + 1 == n && rule_below {
                            draws.push(Draw::Rule {
                                x: x0,
                                y: size * 0.45,
                                w: width,
                                t: 0.5,
                            });
                        }
                        j.push_box(
                            VBox {
                                advance: lead,
                                top: size,
                                draw: None,
                                more: draws,
                                pos: if k == 0 { place.map(|p| (p, 0)) } else { None },
                                anchors: Vec::new(),
                                toc: None,
                            },
                            if k > 0 { INF } else { 0.0 },
                        );
                    }
                }
            }
        }
        j.out
    }

    fn expand_para(&mut self, plan: &ParaPlan, j: &mut Junctions) {
        let id = self.plan_para(plan);
        let label = plan.label.as_ref().map(|l| {
            let lid = self.para(l.job, None, None);
            if let Some(node) = l.node {
                self.tag(lid, node, None, l.link.as_ref());
            }
            let w = self.store.paras[lid as usize]
                .set
                .lines
                .first()
                .map_or(0.0, |ln| ln.width);
            (lid, l.right - w)
        });
        let n = self.store.paras[id as usize].set.lines.len();
        for li in 0..n {
            let para = &self.store.paras[id as usize];
            let line = &para.set.lines[li];
            // Note references first seen on this line (for back links).
            let mut anchors = Vec::new();
            if let (Some(c), None) = (plan.chapter, plan.artifact) {
                for r in &line.runs {
                    if let Some(num) = r.note
                        && self.seen_refs.insert((c, num))
                    {
                        anchors.push(AnchorKey::NoteRef(c, num));
                    }
                }
            }
            let pos = plan.place.map(|p| {
                (
                    p,
                    plan.base + plain_offset(&para.set, line.text_range.start) as u32,
                )
            });
            let mut more = Vec::new();
            if li == 0 {
                if let Some((lid, lx)) = label {
                    more.push(Draw::Line {
                        para: lid,
                        line: 0,
                        x: lx,
                        y: 0.0,
                    });
                }
                anchors.splice(0..0, plan.anchors.iter().copied());
            }
            let within = if li == 0 {
                0.0
            } else {
                match plan.breaks {
                    Breaks::Whole => INF,
                    Breaks::Body => {
                        if li < 2 || n - li < 2 {
                            INF
                        } else if para.set.lines[li - 1].hyphenated {
                            super::pages::BROKEN_PENALTY
                        } else {
                            0.0
                        }
                    }
                }
            };
            let b = VBox {
                advance: plan.lead,
                top: plan.top,
                draw: Some(Draw::Line {
                    para: id,
                    line: li as u32,
                    x: plan.x,
                    y: 0.0,
                }),
                more,
                pos,
                anchors,
                toc: if li + 1 == n { plan.toc } else { None },
            };
            j.push_box(b, within);
        }
        j.keep = j.keep.max(plan.keep_after);
    }
}

fn empty_set() -> SetParagraph {
    // Only reached if a job was taken twice, which the planner never does.
    let fonts = std::sync::Arc::new(crate::typeset::FontBook::bundled());
    let mut ts = crate::typeset::Typesetter::new(fonts);
    let st = StyledText::new();
    let lang = Lang::english();
    ts.set_paragraph(&ParagraphSpec::ragged(&st, 100.0, &lang))
}

#[cfg(test)]
mod tests;
