//! Web junk and style-guide specimens: share lines, "Read more", bylines
//! (the interviewer's name kept), datelines (the date kept), sections of
//! links under a "Related" heading. The word lists are in
//! [`crate::import::junk`].

use super::bio::bio_name;
use super::{Ctx, Nothing, Role};
use crate::import::junk::{self, Junk};

/// Style-guide specimens and web chrome.
#[allow(clippy::needless_range_loop)] // several parallel vectors, indexed alike
pub fn run(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    let n = cx.units.len();
    let mut specimen: Vec<Option<bool>> = vec![None; n];
    let mut section: Option<(&'static str, String)> = None;
    for i in 0..n {
        if !cx.open(i) {
            continue;
        }
        if !cx.textual(i) {
            section = None;
            continue;
        }
        let t = cx.texts[i].clone();
        if let Some((reason, heading)) = &section {
            let wc = cx.words[i];
            let ends_period = t.trim_end().ends_with('.');
            if wc > 25
                || (ends_period && wc >= 12)
                || junk::is_notes_heading(&t)
                || junk::is_bio_heading(&t)
                || bio_name(&t).is_some()
            {
                section = None;
            } else {
                let reason = format!("{reason} (listed under \"{heading}\")");
                cx.drop(i, &reason);
                continue;
            }
        }
        match junk::classify(&t) {
            None => {}
            Some(Junk::Specimen { strong }) => specimen[i] = Some(strong),
            Some(Junk::Chrome(reason)) => cx.drop(i, reason),
            Some(Junk::ChromeSection(reason)) => {
                cx.drop(i, reason);
                section = Some((reason, t.clone()));
            }
            Some(Junk::Byline { name, interviewer }) => {
                if interviewer && cx.parts.interviewer.is_none() {
                    cx.parts.interviewer = Some(name.clone());
                }
                let what = if interviewer {
                    "byline naming the interviewer"
                } else {
                    "byline"
                };
                cx.drop(i, &format!("{what} ({name})"));
            }
            Some(Junk::Dateline(d)) => {
                if cx.parts.date.is_none() {
                    cx.parts.date = d;
                }
                cx.drop(i, "dateline");
            }
        }
    }
    // Specimens come in runs: a run with a strong one is junk, and so is a
    // run of three weak ones; a weak one alone is text, but doubtful.
    let mut i = 0;
    while i < n {
        if specimen[i].is_none() {
            i += 1;
            continue;
        }
        let mut run = vec![i];
        let mut j = i + 1;
        while j < n {
            if cx.role[j] == Role::Dropped {
                j += 1;
                continue;
            }
            if specimen[j].is_some() {
                run.push(j);
                j += 1;
            } else {
                break;
            }
        }
        let strong = run.iter().any(|&k| specimen[k] == Some(true));
        if strong || run.len() >= 3 {
            for &k in &run {
                cx.drop(k, "CMS style-guide specimen");
            }
        } else {
            for &k in &run {
                cx.unsure(k, "kept, but it looks like a style-guide label");
            }
        }
        i = j;
    }
    Ok(())
}
