//! A CMS's style-guide specimens: "Heading 1", "Lorem ipsum …", "Item 1".

use super::Junk;
use crate::import::words;

pub(super) fn specimen(b: &str, n_words: usize) -> Option<Junk> {
    if b.starts_with("lorem ipsum")
        || b.contains("lorem ipsum dolor")
        || b.contains("dolor sit amet, consectetur")
    {
        return Some(Junk::Specimen { strong: true });
    }
    if n_words > 4 {
        return None;
    }
    if words::has("specimens", b) {
        return Some(Junk::Specimen { strong: true });
    }
    // "Heading 1" … "Heading 6", "H2", "Heading level 3".
    let heading = b
        .strip_prefix("heading level ")
        .or_else(|| b.strip_prefix("heading "))
        .or_else(|| b.strip_prefix('h').filter(|r| r.len() == 1));
    if let Some(n) = heading
        && matches!(
            n,
            "1" | "2" | "3" | "4" | "5" | "6" | "one" | "two" | "three" | "four" | "five" | "six"
        )
    {
        return Some(Junk::Specimen { strong: true });
    }
    // "Item 1", "Item A", "List item 2", "Item one", "Sub-item 1".
    let item = b
        .strip_prefix("list item ")
        .or_else(|| b.strip_prefix("sub-item "))
        .or_else(|| b.strip_prefix("subitem "))
        .or_else(|| b.strip_prefix("nested item "))
        .or_else(|| b.strip_prefix("item "));
    if let Some(rest) = item {
        let r = rest.trim_end_matches(['.', ')']);
        let short_id = (1..=3).contains(&r.len()) && r.chars().all(|c| c.is_ascii_alphanumeric());
        if short_id || matches!(r, "one" | "two" | "three" | "four" | "five") {
            return Some(Junk::Specimen { strong: true });
        }
    }
    if words::has("weak-specimens", b) {
        return Some(Junk::Specimen { strong: false });
    }
    None
}
