//! What is not the interview: a CMS's style-guide specimens ("Heading 1",
//! "Lorem ipsum …", "Item 1") and web chrome (share buttons, newsletter and
//! cookie prompts, "Read more", "Related articles", photo credits, menus).
//!
//! Matching is by the whole line against short vocabularies, and only short
//! lines are candidates, so a sentence of an answer that merely mentions a
//! newsletter or a photograph is never taken for chrome.

mod byline;
mod chrome;
mod date;
mod specimen;

pub use date::parse_date;

use super::textutil::{bare, word_count};
use super::words;
use byline::byline;
use chrome::{
    chrome_section, is_cookie_notice, is_newsletter, is_photo_credit, is_read_more, is_share,
    navigation,
};
use date::dateline;
use specimen::specimen;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Junk {
    /// A style-guide specimen. Strong ones ("Heading 3", "Lorem ipsum") are
    /// junk on their own; weak ones ("Emphasis", "Link") only next to
    /// another specimen.
    Specimen { strong: bool },
    /// Page furniture; the text says what kind.
    Chrome(&'static str),
    /// A heading that starts a block of chrome ("Related articles"): the
    /// short lines after it are teasers, not text.
    ChromeSection(&'static str),
    /// A byline ("By Jane Roe", "Interview by Jane Roe"): the name, and
    /// whether it names the interviewer.
    Byline { name: String, interviewer: bool },
    /// A dateline ("Published 12 March 2024"), as `YYYY-MM-DD` when it reads.
    Dateline(Option<String>),
}

/// Classifies one line (or HTML block's text). `None`: it is text.
pub fn classify(text: &str) -> Option<Junk> {
    // Long paragraphs are text unless they are lorem ipsum: decide that
    // before lower-casing them.
    if text.split_whitespace().nth(81).is_some()
        && !text.contains("orem ipsum")
        && !text.contains("OREM IPSUM")
    {
        return None;
    }
    let b = bare(text);
    if b.is_empty() {
        return None;
    }
    let n_words = word_count(&b);
    if let Some(j) = specimen(&b, n_words) {
        return Some(j);
    }
    if n_words > 80 {
        return None;
    }
    if is_cookie_notice(&b, n_words) {
        return Some(Junk::Chrome("cookie notice"));
    }
    if n_words > 40 {
        return None;
    }
    if is_newsletter(&b, n_words) {
        return Some(Junk::Chrome("newsletter prompt"));
    }
    if is_share(&b, n_words) {
        return Some(Junk::Chrome("share buttons"));
    }
    if let Some(section) = chrome_section(&b) {
        return Some(Junk::ChromeSection(section));
    }
    if is_read_more(&b, n_words) {
        return Some(Junk::Chrome("\"read more\" link"));
    }
    if is_photo_credit(&b, n_words) {
        return Some(Junk::Chrome("photo credit"));
    }
    if let Some(reason) = navigation(&b, n_words) {
        return Some(Junk::Chrome(reason));
    }
    if let Some(j) = byline(text.trim()) {
        return Some(j);
    }
    dateline(&b, n_words)
}

/// A notes heading: "Endnotes", "Notes", "Footnotes", "References", "Sources".
pub fn is_notes_heading(text: &str) -> bool {
    if text.len() > 60 {
        return false;
    }
    words::has("notes-headings", &bare(text))
}

/// A bio heading: "About the author", "About the interviewee", "Biography".
pub fn is_bio_heading(text: &str) -> bool {
    if text.len() > 80 {
        return false;
    }
    let b = bare(text);
    words::has("bio-headings", &b)
        || (b.starts_with("about ")
            && !words::has("not-bio-headings", &b)
            && word_count(&b) <= 4
            && text
                .split_whitespace()
                .skip(1)
                .all(|w| w.chars().next().is_some_and(char::is_uppercase)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specimens() {
        for s in [
            "Heading 1",
            "Heading 6",
            "Block quote",
            "Ordered list",
            "Unordered list",
            "Bold text",
            "Superscript",
            "Subscript",
            "Item 1",
            "Item C",
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.",
        ] {
            assert_eq!(classify(s), Some(Junk::Specimen { strong: true }), "{s}");
        }
        assert_eq!(classify("Emphasis"), Some(Junk::Specimen { strong: false }));
        assert_eq!(classify("Heading towards reform, we met resistance."), None);
        assert_eq!(classify("Item 1 on the agenda was the budget."), None);
    }

    #[test]
    fn chrome() {
        assert_eq!(
            classify("Share: Facebook Twitter LinkedIn Email"),
            Some(Junk::Chrome("share buttons"))
        );
        assert_eq!(
            classify("Sign up for our weekly newsletter"),
            Some(Junk::Chrome("newsletter prompt"))
        );
        assert_eq!(
            classify("This website uses cookies to improve your experience. Accept"),
            Some(Junk::Chrome("cookie notice"))
        );
        assert_eq!(
            classify("Read more: Why deserts bloom"),
            Some(Junk::Chrome("\"read more\" link"))
        );
        assert_eq!(
            classify("Related articles"),
            Some(Junk::ChromeSection("related articles"))
        );
        assert_eq!(
            classify("Photo: Jane Roe / Steppe Agency"),
            Some(Junk::Chrome("photo credit"))
        );
        assert_eq!(
            classify("Home › Interviews › Water"),
            Some(Junk::Chrome("breadcrumbs"))
        );
        assert_eq!(classify("6 min read"), Some(Junk::Chrome("reading time")));
        // Sentences that mention the same words are text.
        assert_eq!(
            classify("We subscribe to the idea that every village deserves clean water."),
            None
        );
        assert_eq!(
            classify("I shared the photo with my colleagues in Almaty, and they printed it."),
            None
        );
    }

    #[test]
    fn bylines_and_dates() {
        assert_eq!(
            classify("Interview by Dana Okafor"),
            Some(Junk::Byline {
                name: "Dana Okafor".into(),
                interviewer: true
            })
        );
        assert_eq!(
            classify("By Dana Okafor"),
            Some(Junk::Byline {
                name: "Dana Okafor".into(),
                interviewer: false
            })
        );
        assert_eq!(
            classify("By the end of the decade, the river had moved."),
            None
        );
        assert_eq!(
            classify("Published 12 March 2024"),
            Some(Junk::Dateline(Some("2024-03-12".into())))
        );
        assert_eq!(
            classify("March 12, 2024"),
            Some(Junk::Dateline(Some("2024-03-12".into())))
        );
        assert_eq!(
            parse_date("2021-07-04T10:00:00Z"),
            Some("2021-07-04".into())
        );
    }
}
