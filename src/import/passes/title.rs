//! The title: the HTML reader's `<h1>`, else the first line of text.

use super::{Ctx, Nothing, Role};
use crate::import::unit::Kind;

pub fn run(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    cx.title = find(cx).ok_or(Nothing::NoTitle)?;
    Ok(())
}

fn find(cx: &mut Ctx<'_>) -> Option<usize> {
    if let Some(i) = cx.role.iter().position(|&r| r == Role::Title) {
        return Some(i);
    }
    let i = (0..cx.units.len())
        .find(|&i| cx.open(i) && matches!(cx.units[i].kind, Kind::Para(_) | Kind::Heading(..)))?;
    cx.role[i] = Role::Title;
    let wc = cx.words[i];
    if wc > 30 {
        cx.unsure(
            i,
            format!("taken as the title, but it is long for one ({wc} words)"),
        );
    }
    Some(i)
}
