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

mod blocks;
mod chapter;
mod context;
mod doc;
mod front;
mod inline;
#[cfg(test)]
mod tests;

pub use chapter::{bio, chapter};
pub use doc::{Depth, Doc, ENDNOTES_ID, Rendered, anchor};
pub use front::{cover_page, title_page};
