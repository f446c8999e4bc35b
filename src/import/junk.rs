//! What is not the interview: a CMS's style-guide specimens ("Heading 1",
//! "Lorem ipsum …", "Item 1") and web chrome (share buttons, newsletter and
//! cookie prompts, "Read more", "Related articles", photo credits, menus).
//!
//! Matching is by the whole line against short vocabularies, and only short
//! lines are candidates, so a sentence of an answer that merely mentions a
//! newsletter or a photograph is never taken for chrome.

use super::textutil::{bare, word_count, words};

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

/// Strong specimen labels, compared with the lower-cased, trimmed line.
const SPECIMENS: &[&str] = &[
    "block quote",
    "blockquote",
    "block quotation",
    "pull quote",
    "pullquote",
    "ordered list",
    "unordered list",
    "numbered list",
    "bulleted list",
    "bullet list",
    "bullet points",
    "nested list",
    "definition list",
    "bold text",
    "italic text",
    "italics text",
    "emphasized text",
    "emphasised text",
    "strong text",
    "underlined text",
    "strikethrough",
    "strikethrough text",
    "strike-through text",
    "superscript",
    "superscript text",
    "subscript",
    "subscript text",
    "inline code",
    "code block",
    "preformatted text",
    "horizontal rule",
    "horizontal line",
    "text link",
    "link text",
    "this is a link",
    "list item",
    "table caption",
    "image caption",
    "paragraph text",
    "small text",
    "marked text",
    "highlighted text",
    "heading",
    "subheading",
];

/// Weak specimen labels: ordinary words, junk only beside other specimens.
const WEAK_SPECIMENS: &[&str] = &[
    "emphasis",
    "strong",
    "bold",
    "italic",
    "italics",
    "underline",
    "link",
    "image",
    "caption",
    "quote",
    "code",
    "table",
    "paragraph",
    "button",
    "mark",
    "abbreviation",
    "cite",
    "citation",
    "lists",
    "list",
    "typography",
    "headings",
    "text",
    "buttons",
    "figure",
    "small",
];

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

fn specimen(b: &str, n_words: usize) -> Option<Junk> {
    if b.starts_with("lorem ipsum")
        || b.contains("lorem ipsum dolor")
        || b.contains("dolor sit amet, consectetur")
    {
        return Some(Junk::Specimen { strong: true });
    }
    if n_words > 4 {
        return None;
    }
    if SPECIMENS.contains(&b) {
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
    if WEAK_SPECIMENS.contains(&b) {
        return Some(Junk::Specimen { strong: false });
    }
    None
}

fn is_cookie_notice(b: &str, n_words: usize) -> bool {
    if matches!(
        b,
        "accept all"
            | "accept all cookies"
            | "reject all"
            | "reject all cookies"
            | "allow all"
            | "allow all cookies"
            | "manage preferences"
            | "manage cookies"
            | "cookie settings"
            | "cookie preferences"
            | "cookie policy"
            | "accept cookies"
            | "only necessary cookies"
            | "necessary cookies only"
            | "got it"
            | "ok, got it"
            | "i agree"
            | "i accept"
    ) {
        return true;
    }
    b.contains("cookie")
        && n_words <= 80
        && [
            "accept",
            "consent",
            "we use",
            "this site uses",
            "this website uses",
            "uses cookies",
            "privacy",
            "browsing",
            "your experience",
            "preferences",
            "settings",
            "agree",
        ]
        .iter()
        .any(|k| b.contains(k))
}

fn is_newsletter(b: &str, n_words: usize) -> bool {
    if n_words > 30 || b.ends_with('?') {
        return false;
    }
    if matches!(
        b,
        "subscribe"
            | "sign up"
            | "subscribe now"
            | "sign up now"
            | "join our mailing list"
            | "enter your email"
            | "enter your email address"
            | "your email address"
            | "email address"
    ) {
        return true;
    }
    b.contains("newsletter")
        || b.contains("in your inbox")
        || b.contains("to your inbox")
        || b.contains("enter your email")
        || b.contains("mailing list")
        || ((b.contains("subscribe") || b.contains("sign up"))
            && (b.contains("email")
                || b.contains("updates")
                || b.contains("free")
                || b.contains(" now")))
}

/// Words that share bars are made of.
const SHARE_WORDS: &[&str] = &[
    "share",
    "shares",
    "this",
    "article",
    "story",
    "page",
    "post",
    "on",
    "via",
    "to",
    "with",
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "whatsapp",
    "telegram",
    "email",
    "e-mail",
    "mail",
    "print",
    "copy",
    "copied",
    "link",
    "url",
    "reddit",
    "pinterest",
    "pin",
    "it",
    "tweet",
    "messenger",
    "vk",
    "bluesky",
    "threads",
    "mastodon",
    "opens",
    "in",
    "a",
    "new",
    "window",
    "tab",
    "flipboard",
    "pocket",
    "save",
    "friend",
    "send",
];
const SHARE_KEYS: &[&str] = &[
    "share",
    "facebook",
    "twitter",
    "linkedin",
    "whatsapp",
    "tweet",
    "email",
    "e-mail",
    "print",
    "telegram",
    "reddit",
    "pinterest",
    "flipboard",
    "bluesky",
    "mastodon",
];

fn is_share(b: &str, n_words: usize) -> bool {
    if n_words > 14 {
        return false;
    }
    let ws: Vec<String> = words(b).map(str::to_lowercase).collect();
    !ws.is_empty()
        && ws
            .iter()
            .all(|w| SHARE_WORDS.contains(&w.as_str()) || w.chars().all(|c| c.is_ascii_digit()))
        && ws.iter().any(|w| SHARE_KEYS.contains(&w.as_str()))
}

fn chrome_section(b: &str) -> Option<&'static str> {
    const RELATED: &[&str] = &[
        "related",
        "related articles",
        "related article",
        "related posts",
        "related stories",
        "related content",
        "related reading",
        "related interviews",
        "related news",
        "you may also like",
        "you might also like",
        "you may be interested in",
        "you might be interested in",
        "recommended",
        "recommended for you",
        "recommended articles",
        "recommended reading",
        "most read",
        "most popular",
        "popular posts",
        "popular articles",
        "trending",
        "trending now",
        "latest news",
        "latest articles",
        "latest stories",
        "more stories",
        "more articles",
        "more interviews",
        "more news",
        "what to read next",
        "read next",
        "up next",
        "see also",
        "also read",
        "also on this site",
        "more like this",
        "don't miss",
        "don’t miss",
        "editor's picks",
        "editor’s picks",
        "comments",
        "leave a comment",
        "leave a reply",
        "join the discussion",
    ];
    if RELATED.contains(&b) {
        return Some(
            if b.contains("comment") || b.contains("reply") || b.contains("discussion") {
                "comments section"
            } else {
                "related articles"
            },
        );
    }
    if (b.starts_with("more from ") || b.starts_with("more in ") || b.starts_with("more on "))
        && word_count(b) <= 6
    {
        return Some("related articles");
    }
    None
}

fn is_read_more(b: &str, n_words: usize) -> bool {
    matches!(
        b,
        "read more"
            | "continue reading"
            | "read the full story"
            | "read the full article"
            | "read full article"
            | "full story"
            | "keep reading"
            | "show more"
            | "load more"
            | "see more"
            | "view more"
    ) || ((b.starts_with("read more:")
        || b.starts_with("read more »")
        || b.starts_with("read more ›")
        || b.starts_with("read also:")
        || b.starts_with("also read:")
        || b.starts_with("read next:")
        || b.starts_with("see also:")
        || b.starts_with("related:")
        || b.starts_with("continue reading"))
        && n_words <= 25)
}

fn is_photo_credit(b: &str, n_words: usize) -> bool {
    if n_words > 25 {
        return false;
    }
    const PREFIXES: &[&str] = &[
        "photo:",
        "photo by ",
        "photos:",
        "photos by ",
        "photo credit",
        "photograph:",
        "photograph by ",
        "photography:",
        "photography by ",
        "image:",
        "image by ",
        "image credit",
        "images:",
        "picture:",
        "pictures:",
        "credit:",
        "credits:",
        "illustration:",
        "illustration by ",
        "photo courtesy",
        "image courtesy",
        "courtesy of ",
        "(photo",
        "[photo",
        "header image",
        "featured image",
        "main image",
        "top image",
        "cover photo",
        "lead image",
    ];
    if PREFIXES.iter().any(|p| b.starts_with(p)) {
        return true;
    }
    if (b.starts_with('©') || b.starts_with("(c) ") || b.starts_with("copyright ")) && n_words <= 15
    {
        return true;
    }
    const AGENCIES: &[&str] = &[
        "getty images",
        "shutterstock",
        "alamy",
        "istock",
        "unsplash",
        "afp photo",
        "ap photo",
        "reuters/",
        "/ reuters",
        "/reuters",
        "epa-efe",
        "/ afp",
        "/afp",
    ];
    n_words <= 12 && AGENCIES.iter().any(|a| b.contains(a))
}

fn navigation(b: &str, n_words: usize) -> Option<&'static str> {
    const NAV: &[&str] = &[
        "home",
        "menu",
        "main menu",
        "open menu",
        "close menu",
        "toggle navigation",
        "navigation",
        "skip to content",
        "skip to main content",
        "skip to navigation",
        "jump to content",
        "search",
        "search for:",
        "log in",
        "login",
        "sign in",
        "register",
        "my account",
        "back to top",
        "to top",
        "top",
        "close",
        "next",
        "previous",
        "next article",
        "previous article",
        "next post",
        "previous post",
        "newer post",
        "older post",
        "advertisement",
        "advertisment",
        "sponsored",
        "sponsored content",
        "ad",
        "ads",
        "print this page",
        "print article",
        "download pdf",
        "listen to this article",
        "listen",
        "like this:",
        "like",
        "loading...",
        "loading…",
        "share this:",
        "share this",
        "table of contents",
        "contents",
        "view comments",
        "show comments",
        "comment",
        "reply",
        "english",
        "русский",
        "қазақша",
        "languages",
        "language",
        "subscribe to comments",
    ];
    if NAV.contains(&b) {
        return Some("navigation");
    }
    let first = b.split_whitespace().next().unwrap_or("");
    if [
        "tags:",
        "tagged:",
        "tags",
        "topics:",
        "categories:",
        "category:",
        "filed under",
        "filed under:",
        "posted in",
        "posted in:",
        "section:",
    ]
    .iter()
    .any(|p| b.starts_with(p))
        && n_words <= 20
    {
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
        if digits
            && (b.ends_with("min read")
                || b.ends_with("minute read")
                || b.ends_with("minutes read")
                || b.ends_with("mins read"))
        {
            return Some("reading time");
        }
        if digits
            && matches!(
                ws.last(),
                Some(&"comments")
                    | Some(&"comment")
                    | Some(&"responses")
                    | Some(&"replies")
                    | Some(&"shares")
                    | Some(&"views")
            )
        {
            return Some("comment count");
        }
    }
    if b.starts_with("reading time") && n_words <= 6 {
        return Some("reading time");
    }
    None
}

/// "By Jane Roe", "Interview by Jane Roe", "Interviewed by J. Roe".
fn byline(t: &str) -> Option<Junk> {
    let lower = t.to_lowercase();
    let (rest, interviewer) = if let Some(r) = strip_ci(
        t,
        &lower,
        &[
            "interview by ",
            "interviewed by ",
            "questions by ",
            "interviewer: ",
            "conducted by ",
        ],
    ) {
        (r, true)
    } else if let Some(r) = strip_ci(
        t,
        &lower,
        &["by ", "words by ", "text by ", "written by ", "author: "],
    ) {
        (r, false)
    } else {
        return None;
    };
    let name = rest.trim().trim_end_matches(['.', ',']).trim();
    let ws: Vec<&str> = name.split_whitespace().collect();
    let looks_like_name = (1..=5).contains(&ws.len())
        && ws.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                || matches!(
                    *w,
                    "and"
                        | "&"
                        | "de"
                        | "van"
                        | "von"
                        | "der"
                        | "bin"
                        | "al"
                        | "la"
                        | "le"
                        | "di"
                        | "da"
                )
        });
    looks_like_name.then(|| Junk::Byline {
        name: name.to_string(),
        interviewer,
    })
}

fn strip_ci<'a>(t: &'a str, lower: &str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes
        .iter()
        .find(|p| lower.starts_with(*p))
        .and_then(|p| t.get(p.len()..))
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// "Published 12 March 2024", "Updated: March 12, 2024 10:30", "2024-03-12".
fn dateline(b: &str, n_words: usize) -> Option<Junk> {
    if n_words > 9 {
        return None;
    }
    let rest = [
        "published on ",
        "published: ",
        "published ",
        "posted on ",
        "posted: ",
        "posted ",
        "updated on ",
        "updated: ",
        "updated ",
        "last updated ",
        "last updated: ",
        "date: ",
    ]
    .iter()
    .find_map(|p| b.strip_prefix(p));
    let prefixed = rest.is_some();
    let rest = rest.unwrap_or(b);
    let date = parse_date(rest);
    // Without "Published" and the like, the line must be only a date:
    // "On 12 March 2024." is a sentence.
    let starts_as_date = rest.split_whitespace().next().is_some_and(|w| {
        w.chars().next().is_some_and(|c| c.is_ascii_digit())
            || MONTHS
                .iter()
                .any(|m| m.starts_with(w.trim_end_matches([',', '.'])) && w.len() >= 3)
            || [
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
                "mon",
                "tue",
                "wed",
                "thu",
                "fri",
                "sat",
                "sun",
            ]
            .contains(&w.trim_end_matches([',', '.']))
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
        MONTHS
            .iter()
            .position(|m| *m == w || (w.len() >= 3 && m.starts_with(w) && w != "ma"))
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

/// A notes heading: "Endnotes", "Notes", "Footnotes", "References", "Sources".
pub fn is_notes_heading(text: &str) -> bool {
    if text.len() > 60 {
        return false;
    }
    matches!(
        bare(text).as_str(),
        "endnotes"
            | "end notes"
            | "notes"
            | "footnotes"
            | "foot notes"
            | "references"
            | "sources"
            | "notes and references"
            | "notes & references"
            | "sources and notes"
            | "citations"
            | "примечания"
            | "сноски"
            | "ескертпелер"
            | "ескертулер"
            | "дереккөздер"
            | "источники"
    )
}

/// A bio heading: "About the author", "About the interviewee", "Biography".
pub fn is_bio_heading(text: &str) -> bool {
    if text.len() > 80 {
        return false;
    }
    let b = bare(text);
    matches!(
        b.as_str(),
        "about the author"
            | "about the authors"
            | "about the interviewee"
            | "about the speaker"
            | "about the contributor"
            | "about the expert"
            | "about our guest"
            | "about the guest"
            | "biography"
            | "bio"
            | "author bio"
            | "author biography"
            | "about"
            | "об авторе"
            | "автор туралы"
            | "биография"
            | "өмірбаяны"
            | "zur person"
            | "über den autor"
            | "über die autorin"
            | "sobre el autor"
            | "sobre la autora"
            | "acerca del autor"
    ) || (b.starts_with("about ")
        && !matches!(
            b.as_str(),
            "about us" | "about me" | "about this site" | "about the site"
        )
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
