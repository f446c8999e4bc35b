//! Datelines ("Published 12 March 2024") and dates.

use super::Junk;
use crate::import::words;

/// The English month names, in order.
fn months() -> impl Iterator<Item = &'static str> {
    words::list_in("en", "months")
}

/// "Published 12 March 2024", "Updated: March 12, 2024 10:30", "2024-03-12".
pub(super) fn dateline(b: &str, n_words: usize) -> Option<Junk> {
    if n_words > 9 {
        return None;
    }
    let rest = words::strip_phrase("dateline-prefixes", b);
    let prefixed = rest.is_some();
    let rest = rest.unwrap_or(b);
    let date = parse_date(rest);
    // Without "Published" and the like, the line must be only a date:
    // "On 12 March 2024." is a sentence.
    let starts_as_date = rest.split_whitespace().next().is_some_and(|w| {
        w.chars().next().is_some_and(|c| c.is_ascii_digit())
            || months().any(|m| m.starts_with(w.trim_end_matches([',', '.'])) && w.len() >= 3)
            || words::has("weekdays", w.trim_end_matches([',', '.']))
    });
    if date.is_some() && (prefixed || (n_words <= 5 && starts_as_date)) {
        return Some(Junk::Dateline(date));
    }
    if prefixed
        && rest
            .split_whitespace()
            .any(|w| w.chars().any(|c| c.is_ascii_digit()))
    {
        return Some(Junk::Dateline(None));
    }
    None
}

/// Reads "2024-03-12", "12 March 2024", "March 12, 2024" (with an optional
/// time or weekday around it) as `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<String> {
    let tokens: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .collect();
    for t in &tokens {
        let t = t.split('t').next().unwrap_or(t);
        let p: Vec<&str> = t.split('-').collect();
        if p.len() == 3 && p[0].len() == 4 && p[1].len() == 2 && p[2].len() == 2 {
            let (y, m, d) = (
                p[0].parse::<u32>().ok()?,
                p[1].parse::<u32>().ok()?,
                p[2].parse::<u32>().ok()?,
            );
            if (1..=12).contains(&m) && (1..=31).contains(&d) && (1800..=2200).contains(&y) {
                return Some(format!("{y:04}-{m:02}-{d:02}"));
            }
        }
    }
    let month_of = |w: &str| {
        months()
            .position(|m| m == w || (w.len() >= 3 && m.starts_with(w) && w != "ma"))
            .map(|i| i as u32 + 1)
    };
    for (i, t) in tokens.iter().enumerate() {
        let Some(m) = month_of(t) else { continue };
        let num = |j: usize| {
            tokens.get(j).and_then(|w| {
                w.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h'])
                    .parse::<u32>()
                    .ok()
            })
        };
        // "12 March 2024"
        if let (Some(d), Some(y)) = (i.checked_sub(1).and_then(num), num(i + 1))
            && (1..=31).contains(&d)
            && (1800..=2200).contains(&y)
        {
            return Some(format!("{y:04}-{m:02}-{d:02}"));
        }
        // "March 12, 2024"
        if let (Some(d), Some(y)) = (num(i + 1), num(i + 2))
            && (1..=31).contains(&d)
            && (1800..=2200).contains(&y)
        {
            return Some(format!("{y:04}-{m:02}-{d:02}"));
        }
    }
    None
}
