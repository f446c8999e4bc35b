//! The assembler's old entry point, kept for the readers that still use
//! its helpers: the work is done by the passes in [`super::passes`].

pub use super::passes::bio::bio_name;
pub use super::passes::speakers::{Speaker, qa_label, speaker_label};
pub use super::passes::wording::{QEnd, ends_question, question_score};
pub use super::passes::{Parts, assemble};
