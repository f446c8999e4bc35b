//! People: the interviewee (from the bio, the speaker labels, the start of
//! the standfirst) and the interviewer (from a byline, the junk pass).

use super::bio::bio_name;
use super::{Ctx, Role};
use crate::import::report::Entry;

pub fn run(cx: &mut Ctx<'_>) -> Result<(), String> {
    if let Some(b) = &cx.report.bio
        && let Some(name) = bio_name(&b.text)
    {
        cx.parts.interviewees = vec![name];
    }
    if cx.parts.interviewees.is_empty()
        && let Some(s) = cx.speaker.clone()
    {
        cx.parts.interviewees = vec![s];
    }
    if cx.parts.interviewees.is_empty()
        && let Some(s) = &cx.report.standfirst
        && let Some(name) = standfirst_name(s)
    {
        cx.report.unsure.push(Entry {
            line: cx
                .role
                .iter()
                .position(|&r| r == Role::Standfirst)
                .map_or(0, |i| cx.units[i].line),
            text: name.clone(),
            reason: "interviewee's name taken from the start of the standfirst".into(),
        });
        cx.parts.interviewees = vec![name];
    }
    Ok(())
}

/// "Jane Roe, the republic’s …": a name that opens a standfirst.
fn standfirst_name(t: &str) -> Option<String> {
    let toks: Vec<&str> = t.split_whitespace().take(6).collect();
    let mut name = Vec::new();
    for w in toks {
        let bare = w.trim_end_matches(',');
        if !bare.chars().next().is_some_and(char::is_uppercase)
            || !bare
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
        {
            return None;
        }
        name.push(bare);
        if bare.len() < w.len() {
            return (2..=4).contains(&name.len()).then(|| name.join(" "));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standfirst_names() {
        assert_eq!(
            standfirst_name("Alikhan Baimenov, the Central Asian republic’s reformer"),
            Some("Alikhan Baimenov".into())
        );
    }
}
