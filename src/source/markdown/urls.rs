//! Link targets: what a chapter may link to, as a valid URL.

/// A link target as the outputs may carry it: an absolute URL of a scheme
/// a reader can follow from a book (`http`, `https`, `ftp` with a host;
/// `mailto`, `tel`) that strict validators (EPUBCheck, PDF viewers) accept.
/// A clean ASCII URL is kept as the author wrote it; any other is parsed
/// and written back by the URL Standard (an international host in
/// punycode, everything beyond ASCII percent-encoded), then stripped of the
/// few characters the standard lets through but validators refuse. `None`
/// for anything else: relative paths, `javascript:`, `data:`, `file:`,
/// hosts that are not valid names.
pub fn link_url(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let u = url::Url::parse(raw).ok()?;
    let separator = match u.scheme() {
        "http" | "https" | "ftp" => {
            if !u.host().is_some_and(|h| match h {
                url::Host::Domain(d) => is_host_name(d),
                url::Host::Ipv4(_) | url::Host::Ipv6(_) => true,
            }) {
                return None;
            }
            "://"
        }
        "mailto" | "tel" => {
            if u.path().is_empty() {
                return None;
            }
            ":"
        }
        _ => return None,
    };
    // The parser forgives forms a validator refuses (`https:x.org`,
    // `https:\\x.org`, controls before the scheme); the author's text is
    // kept only when it already spells the scheme out in full.
    let scheme = u.scheme().len();
    let spelled_out = raw
        .get(..scheme)
        .is_some_and(|s| s.eq_ignore_ascii_case(u.scheme()))
        && raw.get(scheme..scheme + separator.len()) == Some(separator);
    if spelled_out && url_escapes(raw).is_none() {
        return Some(raw.to_string());
    }
    let s: String = u.into();
    Some(url_escapes(&s).unwrap_or(s))
}

/// Whether a parsed (lower-case, punycoded) domain is a name a reader's
/// device can look up: dot-separated labels of letters, digits, `-` and
/// `_`, none empty but a final one (`x.org.`). The URL Standard lets far
/// more through (`a..b`, `e'x`), which EPUBCheck then refuses or no resolver
/// knows.
pub(super) fn is_host_name(domain: &str) -> bool {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    !domain.is_empty()
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// `s` with what a strict URL validator refuses percent-encoded (white
/// space, controls, anything beyond ASCII, `"<>\^`{|}`, a `%` that starts
/// no escape, a second `#`, `[` and `]` outside the host); `None` when
/// nothing needs it.
pub(super) fn url_escapes(s: &str) -> Option<String> {
    let authority_end = s
        .find("://")
        .map(|i| {
            let start = i + 3;
            start
                + s[start..]
                    .find(['/', '?', '#', '\\'])
                    .unwrap_or(s.len() - start)
        })
        .unwrap_or(0);
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut seen_hash = false;
    let mut changed = false;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '|' | '^' | '`' | '{' | '}' | '\\' | '"' | '<' | '>' => true,
            '[' | ']' => i >= authority_end,
            '#' => std::mem::replace(&mut seen_hash, true),
            '%' => {
                !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            }
            c => c.is_whitespace() || c.is_control() || !c.is_ascii(),
        };
        if escape {
            changed = true;
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::link_url;

    #[test]
    fn links_are_valid_urls_or_none() {
        let l = |s: &str| link_url(s);
        assert_eq!(
            l("https://example.org/a?b=1&c=<2>").as_deref(),
            Some("https://example.org/a?b=1&c=%3C2%3E")
        );
        assert_eq!(
            l("https://example.org").as_deref(),
            Some("https://example.org")
        );
        assert_eq!(
            l(" https://a.org/100%25 ").as_deref(),
            Some("https://a.org/100%25")
        );
        assert_eq!(
            l("https://a.org/50%").as_deref(),
            Some("https://a.org/50%25")
        );
        assert_eq!(
            l("https://[::1]:8080/x[1]|^").as_deref(),
            Some("https://[::1]:8080/x%5B1%5D%7C%5E")
        );
        assert_eq!(
            l("https://e.org/#a#b").as_deref(),
            Some("https://e.org/#a%23b")
        );
        assert_eq!(
            l("https://пример.рф/қазақ").as_deref(),
            Some("https://xn--e1afmkfd.xn--p1ai/%D2%9B%D0%B0%D0%B7%D0%B0%D2%9B")
        );
        // Forms the parser forgives are written out in full.
        assert_eq!(l("https:x.org").as_deref(), Some("https://x.org/"));
        assert_eq!(l("HTTPS:\\\\x.org\\a").as_deref(), Some("https://x.org/a"));
        assert_eq!(l("\u{1}https://x.org").as_deref(), Some("https://x.org/"));
        assert_eq!(l("HTTPS://X.org").as_deref(), Some("HTTPS://X.org"));
        assert_eq!(
            l("https://a_b.x.org.").as_deref(),
            Some("https://a_b.x.org.")
        );
        assert_eq!(l("http://1.2.3.4/").as_deref(), Some("http://1.2.3.4/"));
        assert_eq!(l("mailto:a@b.org").as_deref(), Some("mailto:a@b.org"));
        assert_eq!(l("tel:+7 700").as_deref(), Some("tel:+7%20700"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
            "images/x.png",
            "/abs",
            "https://",
            "mailto:",
            "https://\u{1a60}x",
            "https:E'-",
            "https://a..b/",
            "https://e'x.org/",
            "https://./",
        ] {
            assert_eq!(l(bad), None, "{bad}");
        }
    }
}
