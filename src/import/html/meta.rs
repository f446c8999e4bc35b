//! What the page says about itself: title, language, description, date and
//! its own address (for resolving relative links).

use super::dom::{N, attr, tag, text_of};
use crate::import::textutil::clean;
use crate::import::unit::PageMeta;
use crate::model::Lang;

pub(super) fn page_meta(root: N<'_>) -> PageMeta {
    let mut m = PageMeta::default();
    for d in root.descendants() {
        match tag(&d) {
            Some("html") => {
                if let Some(l) = attr(&d, "lang").and_then(Lang::parse) {
                    m.lang = Some(l.as_str().to_string());
                }
            }
            Some("title") if m.title.is_none() => {
                let t = text_of(&d);
                let t = strip_site_name(&t);
                if !t.is_empty() {
                    m.title = Some(t);
                }
            }
            Some("meta") => {
                let key = attr(&d, "property")
                    .or_else(|| attr(&d, "name"))
                    .or_else(|| attr(&d, "itemprop"))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let content = clean(attr(&d, "content").unwrap_or(""));
                if content.is_empty() {
                    continue;
                }
                match key.as_str() {
                    "og:title" | "twitter:title" => m.title = Some(strip_site_name(&content)),
                    "description" | "og:description" | "twitter:description" => {
                        m.description.get_or_insert(content);
                    }
                    "article:published_time"
                    | "datepublished"
                    | "date"
                    | "dc.date"
                    | "pubdate"
                    | "publish-date"
                        if m.date.is_none() =>
                    {
                        m.date = crate::import::junk::parse_date(&content);
                    }
                    _ => {}
                }
            }
            Some("time") if m.date.is_none() => {
                if let Some(dt) = attr(&d, "datetime") {
                    m.date = crate::import::junk::parse_date(dt);
                }
            }
            _ => {}
        }
    }
    m
}

/// "The Interview | Steppe Review" → "The Interview".
pub(super) fn strip_site_name(t: &str) -> String {
    for sep in [" | ", " – ", " — ", " - ", " :: ", " · "] {
        if let Some(i) = t.rfind(sep) {
            let head = t[..i].trim();
            if head.split_whitespace().count() >= 2 {
                return head.to_string();
            }
        }
    }
    t.trim().to_string()
}

/// A page title without the site's name: "Title | Site", "Site – Title",
/// or, when the site's name is not known, the last part after a
/// separator if the rest has two words or more. `None` when the title is
/// the site's name and nothing else.
pub(super) fn title_without_site(t: &str, site: Option<&str>) -> Option<String> {
    const SEPS: [&str; 7] = [" | ", " – ", " — ", " - ", " :: ", " · ", ": "];
    let t = t.trim();
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    if let Some(site) = site.filter(|s| !s.trim().is_empty()) {
        if same(t, site) {
            return None;
        }
        for sep in SEPS {
            if let Some((head, tail)) = t.rsplit_once(sep)
                && same(tail, site)
                && !head.trim().is_empty()
            {
                return Some(head.trim().to_string());
            }
            if let Some((head, tail)) = t.split_once(sep)
                && same(head, site)
                && !tail.trim().is_empty()
            {
                return Some(tail.trim().to_string());
            }
        }
    }
    let t = strip_site_name(t);
    (!t.is_empty()).then_some(t)
}

pub(super) fn base_url(root: N<'_>) -> Option<String> {
    let mut canonical = None;
    for d in root.descendants() {
        match tag(&d) {
            Some("base") => {
                if let Some(h) = attr(&d, "href").filter(|h| h.starts_with("http")) {
                    return Some(h.to_string());
                }
            }
            Some("link")
                if attr(&d, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                canonical = attr(&d, "href")
                    .filter(|h| h.starts_with("http"))
                    .map(str::to_string);
            }
            Some("meta") if attr(&d, "property") == Some("og:url") && canonical.is_none() => {
                canonical = attr(&d, "content")
                    .filter(|h| h.starts_with("http"))
                    .map(str::to_string);
            }
            _ => {}
        }
    }
    canonical
}

#[cfg(test)]
mod tests {
    use super::title_without_site;

    #[test]
    fn the_site_name_leaves_the_title() {
        let s = Some("Steppe Review");
        assert_eq!(
            title_without_site("Reading the River | Steppe Review", s).as_deref(),
            Some("Reading the River")
        );
        assert_eq!(
            title_without_site("Steppe Review – Reading", s).as_deref(),
            Some("Reading")
        );
        assert_eq!(title_without_site("steppe review", s), None);
        // Unknown site: the last part goes when the rest is a real title.
        assert_eq!(
            title_without_site("Reading the River | SR", None).as_deref(),
            Some("Reading the River")
        );
        // A title that merely contains a dash keeps it.
        assert_eq!(
            title_without_site("Mother-tongue schools", s).as_deref(),
            Some("Mother-tongue schools")
        );
    }
}
