//! Pull quotes: a page's own pull-quote markup, or short paragraphs that
//! repeat a sentence of the answers.

use super::speakers::qa_label;
use super::{Ctx, Role};
use crate::import::textutil::fold;
use crate::import::unit::Kind;

pub fn run(cx: &mut Ctx<'_>) -> Result<(), String> {
    pull_quotes(cx);
    Ok(())
}

/// Short paragraphs that repeat a sentence of the text are pull quotes.
#[allow(clippy::needless_range_loop)] // several parallel vectors, indexed alike
fn pull_quotes(cx: &mut Ctx<'_>) {
    let n = cx.units.len();
    // The text of every open paragraph, folded, with each unit's range.
    let mut hay = String::new();
    let mut ranges = vec![0..0; n];
    for i in 0..n {
        if cx.open(i) && matches!(cx.units[i].kind, Kind::Para(_) | Kind::ListItem { .. }) {
            let start = hay.len();
            hay.push_str(&fold(&cx.texts[i]));
            ranges[i] = start..hay.len();
            hay.push(' ');
        }
    }
    // Each search is linear in the text: on a pathological input with
    // thousands of short lines, stop looking rather than take minutes.
    let mut budget: usize = 400_000_000;
    for i in 0..n {
        if !cx.open(i) {
            continue;
        }
        if let Kind::Quote { pull, .. } = cx.units[i].kind {
            cx.role[i] = if pull { Role::Pull } else { Role::Body };
            continue;
        }
        if !cx.is_para(i) || qa_label(&cx.texts[i]).is_some() {
            continue;
        }
        let t = &cx.texts[i];
        let wc = cx.words[i];
        if !(4..=60).contains(&wc) || t.chars().count() < 24 {
            continue;
        }
        let folded = &hay[ranges[i].clone()];
        let needle = folded.trim_matches(|c: char| c == '"' || c == '\'' || c == ' ');
        let needle = needle.trim_end_matches(['.', '!', '…']);
        if needle.chars().count() < 20 {
            continue;
        }
        if budget < hay.len() {
            continue;
        }
        budget -= hay.len();
        // memmem's vectorised search: std's is several times slower here,
        // and this runs once per short paragraph over the whole text.
        let r = &ranges[i];
        let elsewhere = memchr::memmem::find_iter(hay.as_bytes(), needle.as_bytes())
            .any(|at| at + needle.len() <= r.start || at >= r.end);
        if elsewhere {
            cx.role[i] = Role::Pull;
        }
    }
}
