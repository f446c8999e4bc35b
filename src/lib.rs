//! qalam turns structured interview sources into a print-ready PDF and an
//! accessible EPUB 3.
//!
//! The pipeline, as in pandoc: readers ([`source`]) build one document
//! [`model`]; the [`typography`] pass refines its text; writers read only the
//! model. Diagnostics ([`diag`]) carry file, line and column from every stage.
//!
//! The front door is [`build::Project`]: `Project::load(dir)` reads a book
//! folder and `project.build(&options)` writes its EPUB and PDF.

pub mod build;
pub mod catalogue;
pub mod cover;
pub mod diag;
pub mod epub;
pub(crate) mod fonts;
pub mod import;
pub mod incremental;
pub mod model;
pub mod output;
pub mod pdf;
pub(crate) mod picture;
pub mod serve;
pub(crate) mod slug;
pub mod source;
#[cfg(test)]
mod test_books;
pub mod timestamp;
pub mod timings;
pub mod typeset;
pub mod typography;
