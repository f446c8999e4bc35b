//! Roles the HTML reader was sure of: the `<h1>`, a standfirst class, an
//! author box, page furniture known by its element, a byline; and units
//! without text, which carry nothing.

use super::{Ctx, Nothing, Role};
use crate::import::junk::{self, Junk};
use crate::import::unit::{Hint, Kind};

/// Units without text (an empty paragraph) carry nothing.
pub fn empty(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    for i in 0..cx.units.len() {
        if cx.texts[i].trim().is_empty()
            && !matches!(cx.units[i].kind, Kind::Block(_) | Kind::Note { .. })
        {
            cx.role[i] = Role::Dropped;
        }
    }
    Ok(())
}

/// Roles the HTML reader was sure of.
pub fn run(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    let mut have_title = false;
    let mut have_standfirst = false;
    for i in 0..cx.units.len() {
        if cx.role[i] == Role::Dropped {
            continue;
        }
        if matches!(cx.units[i].kind, Kind::Note { .. }) {
            cx.role[i] = Role::Note;
            continue;
        }
        match cx.units[i].hint.clone() {
            Some(Hint::Title) if !have_title => {
                have_title = true;
                cx.role[i] = Role::Title;
            }
            Some(Hint::Standfirst) if !have_standfirst => {
                have_standfirst = true;
                cx.role[i] = Role::Standfirst;
            }
            Some(Hint::Bio) => cx.role[i] = Role::Bio,
            Some(Hint::Chrome(reason)) => cx.drop(i, &reason),
            Some(Hint::Byline(name)) => {
                if let Some(Junk::Byline {
                    name,
                    interviewer: true,
                }) = junk::classify(&cx.texts[i])
                {
                    cx.parts.interviewer = Some(name);
                }
                cx.drop(i, &format!("byline ({name})"));
            }
            _ => {}
        }
    }
    Ok(())
}
