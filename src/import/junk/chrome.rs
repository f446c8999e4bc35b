//! Web chrome: cookie and newsletter prompts, share bars, "Related
//! articles", "Read more", photo credits, menus, tags, reading times.

use crate::import::textutil::{word_count, words as split_words};
use crate::import::words;

pub(super) fn is_cookie_notice(b: &str, n_words: usize) -> bool {
    if words::has("cookie-buttons", b) {
        return true;
    }
    b.contains("cookie") && n_words <= 80 && words::list("cookie-words").any(|k| b.contains(k))
}

pub(super) fn is_newsletter(b: &str, n_words: usize) -> bool {
    if n_words > 30 || b.ends_with('?') {
        return false;
    }
    if words::has("newsletter-buttons", b) {
        return true;
    }
    words::list("newsletter-words").any(|k| b.contains(k))
        || ((b.contains("subscribe") || b.contains("sign up"))
            && (b.contains("email")
                || b.contains("updates")
                || b.contains("free")
                || b.contains(" now")))
}

pub(super) fn is_share(b: &str, n_words: usize) -> bool {
    if n_words > 14 {
        return false;
    }
    let ws: Vec<String> = split_words(b).map(str::to_lowercase).collect();
    !ws.is_empty()
        && ws
            .iter()
            .all(|w| words::has("share-words", w) || w.chars().all(|c| c.is_ascii_digit()))
        && ws.iter().any(|w| words::has("share-keys", w))
}

pub(super) fn chrome_section(b: &str) -> Option<&'static str> {
    if words::has("comment-headings", b) {
        return Some("comments section");
    }
    if words::has("related-headings", b) {
        return Some("related articles");
    }
    if words::strip_phrase("more-from", b).is_some() && word_count(b) <= 6 {
        return Some("related articles");
    }
    None
}

pub(super) fn is_read_more(b: &str, n_words: usize) -> bool {
    words::has("read-more", b)
        || (words::list("read-more-starts").any(|p| b.starts_with(p)) && n_words <= 25)
}

pub(super) fn is_photo_credit(b: &str, n_words: usize) -> bool {
    if n_words > 25 {
        return false;
    }
    if words::list("photo-credit-starts").any(|p| b.starts_with(p))
        || words::strip_phrase("photo-credit-phrases", b).is_some()
    {
        return true;
    }
    if (b.starts_with('©') || b.starts_with("(c) ") || b.starts_with("copyright ")) && n_words <= 15
    {
        return true;
    }
    n_words <= 12 && words::list("photo-agencies").any(|a| b.contains(a))
}

pub(super) fn navigation(b: &str, n_words: usize) -> Option<&'static str> {
    if words::has("navigation", b) {
        return Some("navigation");
    }
    let first = b.split_whitespace().next().unwrap_or("");
    if words::list("tag-starts").any(|p| b.starts_with(p)) && n_words <= 20 {
        return Some("tags and categories");
    }
    // Breadcrumbs: "Home › Interviews › Kazakhstan".
    if (first == "home" || first == "main")
        && n_words <= 12
        && (b.contains(" › ")
            || b.contains(" > ")
            || b.contains(" / ")
            || b.contains(" » ")
            || b.contains(" | "))
    {
        return Some("breadcrumbs");
    }
    // "5 min read", "Reading time: 7 minutes", "12 comments".
    let ws: Vec<&str> = b.split_whitespace().collect();
    if n_words <= 4 {
        let digits = ws
            .first()
            .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
        if digits && words::list("reading-time-ends").any(|e| b.ends_with(e)) {
            return Some("reading time");
        }
        if digits && ws.last().is_some_and(|w| words::has("count-words", w)) {
            return Some("comment count");
        }
    }
    if b.starts_with("reading time") && n_words <= 6 {
        return Some("reading time");
    }
    None
}
