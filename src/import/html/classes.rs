//! What an element's class, id or role says it is: furniture (share
//! buttons, newsletter prompts, sidebars …), a bio box, a byline, a
//! standfirst, a pull quote, a notes list, a question or an answer.

use super::dom::{N, attr, has_token};
use crate::import::unit::Style;

pub(super) const CHROME_TOKENS: &[(&str, &[&str])] = &[
    (
        "share buttons",
        &[
            "share",
            "sharing",
            "social",
            "sharedaddy",
            "addtoany",
            "a2a",
            "shariff",
            "social-share",
            "share-buttons",
            "sociallinks",
        ],
    ),
    (
        "newsletter prompt",
        &[
            "newsletter",
            "subscribe",
            "subscription",
            "signup",
            "sign-up",
            "mailchimp",
            "mc4wp",
            "optin",
            "opt-in",
        ],
    ),
    (
        "cookie notice",
        &[
            "cookie",
            "cookies",
            "consent",
            "gdpr",
            "cmp",
            "cookiebanner",
            "cookie-notice",
            "cookie-banner",
        ],
    ),
    (
        "related articles",
        &[
            "related",
            "recommended",
            "read-more",
            "readmore",
            "more-stories",
            "jp-relatedposts",
            "yarpp",
            "also-read",
            "read-next",
            "trending",
            "popular",
            "most-read",
        ],
    ),
    (
        "comments section",
        &[
            "comments",
            "comment-respond",
            "respond",
            "disqus",
            "comment-list",
        ],
    ),
    ("breadcrumbs", &["breadcrumb", "breadcrumbs", "crumbs"]),
    (
        "navigation",
        &[
            "nav",
            "navbar",
            "navigation",
            "menu",
            "pagination",
            "post-navigation",
            "skip-link",
            "toolbar",
        ],
    ),
    (
        "sidebar",
        &["sidebar", "widget", "widget-area", "secondary"],
    ),
    (
        "advertisement",
        &[
            "ad",
            "ads",
            "advert",
            "advertisement",
            "sponsor",
            "sponsored",
            "promo",
            "banner-ad",
            "dfp",
            "adsbygoogle",
        ],
    ),
    (
        "tags and categories",
        &[
            "tags",
            "tag-links",
            "cat-links",
            "categories",
            "post-tags",
            "entry-tags",
        ],
    ),
    (
        "screen-reader text",
        &[
            "screen-reader-text",
            "sr-only",
            "visually-hidden",
            "visuallyhidden",
            "a11y-hidden",
        ],
    ),
    (
        "print and tools",
        &["print", "tools", "article-tools", "font-size"],
    ),
    (
        "site header",
        &[
            "site-header",
            "masthead",
            "site-branding",
            "site-title",
            "topbar",
        ],
    ),
    (
        "site footer",
        &["site-footer", "colophon", "footer-widgets"],
    ),
];

pub(super) fn chrome_reason(n: &N<'_>, name: &str, toks: &[String]) -> Option<&'static str> {
    match name {
        "nav" => return Some("navigation"),
        "form" => return Some("form"),
        _ => {}
    }
    for (reason, words) in CHROME_TOKENS {
        if has_token(toks, words) {
            return Some(reason);
        }
    }
    if attr(n, "role").is_some_and(|r| {
        matches!(
            r,
            "navigation"
                | "banner"
                | "contentinfo"
                | "search"
                | "complementary"
                | "dialog"
                | "alertdialog"
        )
    }) {
        return Some(match attr(n, "role") {
            Some("navigation") => "navigation",
            Some("banner") => "site header",
            Some("contentinfo") => "site footer",
            Some("search") => "search",
            Some("complementary") => "sidebar",
            _ => "dialog",
        });
    }
    None
}

pub(super) fn is_bio_block(toks: &[String]) -> bool {
    has_token(
        toks,
        &[
            "bio",
            "biography",
            "author-bio",
            "authorbio",
            "about-author",
            "about-the-author",
            "author-box",
            "authorbox",
            "author-info",
            "author-description",
            "contributor-bio",
            "interviewee",
            "speaker-bio",
        ],
    )
}

pub(super) fn is_byline(toks: &[String]) -> bool {
    has_token(
        toks,
        &[
            "byline",
            "author",
            "authors",
            "entry-meta",
            "post-meta",
            "article-meta",
            "posted-on",
            "dateline",
            "meta",
            "date",
            "published",
            "timestamp",
            "time",
        ],
    )
}

pub(super) fn is_dek(toks: &[String]) -> bool {
    has_token(
        toks,
        &[
            "standfirst",
            "dek",
            "deck",
            "subtitle",
            "sub-title",
            "subheadline",
            "sub-headline",
            "lede",
            "lead",
            "excerpt",
            "summary",
            "strapline",
            "intro",
            "article-summary",
            "description",
            "teaser",
        ],
    )
}

pub(super) fn is_pull(toks: &[String]) -> bool {
    has_token(
        toks,
        &[
            "pullquote",
            "pull-quote",
            "pull",
            "wp-block-pullquote",
            "callout-quote",
            "quote-pull",
        ],
    )
}

pub(super) fn is_notes_container(toks: &[String], n: &N<'_>) -> bool {
    has_token(
        toks,
        &[
            "footnotes",
            "endnotes",
            "footnote-list",
            "notes",
            "references",
            "wp-block-footnotes",
        ],
    ) || attr(n, "role").is_some_and(|r| r == "doc-endnotes" || r == "doc-footnotes")
}

pub(super) fn question_class(toks: &[String]) -> Option<Style> {
    if has_token(toks, &["question", "interviewer", "q", "ask", "qa-q"]) {
        Some(Style::QuestionClass)
    } else if has_token(toks, &["answer", "interviewee", "response", "qa-a"]) {
        Some(Style::AnswerClass)
    } else {
        None
    }
}

pub(super) fn is_tracking_pixel(n: &N<'_>) -> bool {
    let small = |a: &str| {
        attr(n, a)
            .and_then(|v| v.trim_end_matches("px").trim().parse::<u32>().ok())
            .is_some_and(|v| v <= 2)
    };
    let src = attr(n, "src").unwrap_or("").to_ascii_lowercase();
    small("width")
        || small("height")
        || [
            "pixel",
            "beacon",
            "tracking",
            "/track",
            "analytics",
            "facebook.com/tr",
            "1x1",
            "spacer.gif",
            "blank.gif",
            "/b/ss/",
            "doubleclick",
            "scorecardresearch",
            "quantserve",
        ]
        .iter()
        .any(|p| src.contains(p))
}

/// What a piece of furniture is, by its own classes or those of the first
/// recognisable element in it, for the report.
pub(super) fn furniture_reason(n: &N<'_>) -> Option<&'static str> {
    n.descendants()
        .filter(|d| d.value().is_element())
        .take(50)
        .find_map(|d| {
            super::dom::tag(&d).and_then(|nm| chrome_reason(&d, nm, &super::dom::tokens(&d)))
        })
}
