//! Bylines: "By Jane Roe", "Interview by Jane Roe", "Interviewed by J. Roe".

use super::Junk;
use crate::import::words;

pub(super) fn byline(t: &str) -> Option<Junk> {
    let lower = t.to_lowercase();
    let (rest, interviewer) =
        if let Some(r) = strip_ci(t, &lower, words::list("interviewer-bylines")) {
            (r, true)
        } else if let Some(r) = strip_ci(t, &lower, words::list("author-bylines")) {
            (r, false)
        } else {
            return None;
        };
    let name = rest.trim().trim_end_matches(['.', ',']).trim();
    let ws: Vec<&str> = name.split_whitespace().collect();
    let looks_like_name = (1..=5).contains(&ws.len())
        && ws.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                || words::has("name-joins", w)
                || words::has("name-particles", w)
        });
    looks_like_name.then(|| Junk::Byline {
        name: name.to_string(),
        interviewer,
    })
}

/// `t` after the first of the phrases and a space that `lower` (`t`
/// lower-cased) starts with.
fn strip_ci<'a>(
    t: &'a str,
    lower: &str,
    mut phrases: impl Iterator<Item = &'static str>,
) -> Option<&'a str> {
    phrases
        .find(|p| lower.strip_prefix(p).is_some_and(|r| r.starts_with(' ')))
        .and_then(|p| t.get(p.len() + 1..))
}
