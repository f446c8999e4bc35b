//! qalam turns structured interview sources into a print-ready PDF and an
//! accessible EPUB 3.
//!
//! The pipeline, as in pandoc: readers (`source`) build one document
//! [`model`]; the typography pass refines its text; the layout and the
//! writers (`pdf`, `epub`) read only the model. Diagnostics ([`diag`]) carry
//! file, line and column from every stage.
//!
//! The front door is [`build::Project`]: `Project::load(dir)` reads a book
//! folder and `project.build(&options)` writes its EPUB and PDF. Beside it:
//! [`import`] (web pages and transcripts into the source format),
//! [`catalogue`] (many books, shards, reports), [`incremental`] (what a
//! rebuild may skip), [`serve`] (the live preview) and [`cover`] (the
//! `qalam cover` command). The stages themselves are private to the crate.

pub mod build;
pub mod catalogue;
pub mod cover;
pub mod diag;
pub mod import;
pub mod incremental;
pub mod model;
pub mod output;
pub mod preflight;
pub mod serve;
pub mod timestamp;
pub mod timings;

pub(crate) mod epub;
pub(crate) mod fonts;
pub(crate) mod pdf;
pub(crate) mod picture;
pub(crate) mod slug;
pub(crate) mod source;
#[cfg(test)]
mod test_books;
pub(crate) mod typeset;
pub(crate) mod typography;

/// The text engine a build is given: fonts, the shaped-word cache and the
/// typesetters it reuses. Owned by the caller, so that a server or a
/// catalogue can lend one to many builds.
pub use typeset::Engine;
/// What an engine that keeps set paragraphs ([`Engine::keeping_sets`]) set
/// and reused in its builds.
pub use typeset::SetStats;

/// The stages' entry points, opened for the test suite, the benchmarks and
/// the fuzz harnesses, which drive one stage at a time. Not a stable API:
/// programs build books through [`build::Project`].
#[doc(hidden)]
pub mod internals {
    /// The reader of book folders.
    pub mod source {
        pub use crate::source::{Loaded, load};
        /// One chapter file.
        pub mod chapter {
            pub use crate::source::chapter::{ChapterInput, read};
        }
        /// `book.toml`.
        pub mod config {
            pub use crate::source::config::parse;
        }
        /// Chapter Markdown.
        pub mod markdown {
            pub use crate::source::markdown::ImageResolver;
        }
    }
    /// The typography pass.
    pub mod typography {
        pub use crate::typography::{apply, labels};
    }
    /// Shaping and line breaking.
    pub mod typeset {
        pub use crate::typeset::{
            Engine, FontBook, ParagraphSpec, SetParagraph, StyledText, TextStyle, Typesetter,
        };
    }
    /// Pagination and the PDF writer.
    pub mod pdf {
        pub use crate::pdf::{layout, write};
    }
    /// The EPUB writer.
    pub mod epub {
        pub use crate::epub::{EpubOptions, PrintPages, write};
    }
}
