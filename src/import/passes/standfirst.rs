//! The standfirst: the deck after the title (the HTML reader's standfirst
//! class, or the first paragraph when it reads as one).

use super::speakers::{qa_label, speaker_label};
use super::wording::question_score;
use super::{Ctx, Nothing, Role};
use crate::import::textutil::fold;
use crate::import::unit::{PageMeta, Style};

pub fn run(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    let (title, meta) = (cx.title, cx.meta);
    standfirst(cx, title, meta);
    Ok(())
}

/// The standfirst: the deck after the title.
fn standfirst(cx: &mut Ctx<'_>, title: usize, meta: &PageMeta) {
    if cx.role.contains(&Role::Standfirst) {
        return;
    }
    let n = cx.units.len();
    let Some(c) = (title + 1..n).find(|&i| cx.role[i] != Role::Dropped) else {
        return;
    };
    if !cx.open(c) || !cx.is_para(c) {
        return;
    }
    let t = &cx.texts[c];
    let deck_like = cx.words[c] <= 80
        && question_score(t) < 3
        && qa_label(t).is_none()
        && speaker_label(t).is_none()
        && matches!(
            cx.units[c].style,
            Style::Plain | Style::Italic | Style::Bold
        )
        && (c + 1..n).any(|i| cx.open(i));
    if !deck_like {
        return;
    }
    cx.role[c] = Role::Standfirst;
    let from_meta = meta
        .description
        .as_ref()
        .is_some_and(|d| fold(d) == fold(t));
    if cx.report.format == "html" && !from_meta {
        cx.unsure(
            c,
            "taken as the standfirst: the first paragraph after the title",
        );
    }
}
