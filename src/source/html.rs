//! The little HTML that Markdown authors write inline: one tag at a time.
//!
//! pulldown-cmark hands raw inline HTML over tag by tag (`<span lang="ar">`,
//! then text, then `</span>`), so a full HTML parser has nothing to parse:
//! what is needed is the tag's name and its `lang` attribute. Everything is
//! mapped into the model; no HTML is ever passed through to an output, so
//! nothing active (scripts, handlers, `javascript:` URLs) can reach one.

use crate::model::Lang;

#[derive(Debug, PartialEq)]
pub enum HtmlTag {
    Open {
        name: String,
        lang: Option<Lang>,
        self_closing: bool,
    },
    Close(String),
    Comment,
}

/// Parses one tag (`<name attr="v">`, `</name>`, `<br/>`, `<!-- … -->`).
pub fn parse_tag(s: &str) -> Option<HtmlTag> {
    let s = s.trim();
    if s.starts_with("<!--") {
        return Some(HtmlTag::Comment);
    }
    let inner = s.strip_prefix('<')?.strip_suffix('>')?;
    if let Some(name) = inner.strip_prefix('/') {
        let name = name.trim().to_ascii_lowercase();
        return valid_name(&name).then_some(HtmlTag::Close(name));
    }
    let (inner, self_closing) = match inner.strip_suffix('/') {
        Some(i) => (i, true),
        None => (inner, false),
    };
    let name_end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if !valid_name(&name) {
        return None;
    }
    let lang = attribute(&inner[name_end..], "lang").and_then(|v| Lang::parse(&v));
    Some(HtmlTag::Open {
        name,
        lang,
        self_closing,
    })
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The value of attribute `want` in an attribute list (quoted or bare).
fn attribute(mut attrs: &str, want: &str) -> Option<String> {
    loop {
        attrs = attrs.trim_start();
        if attrs.is_empty() {
            return None;
        }
        let name_end = attrs
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(attrs.len());
        let name = attrs[..name_end].to_ascii_lowercase();
        attrs = attrs[name_end..].trim_start();
        let value = if let Some(rest) = attrs.strip_prefix('=') {
            let rest = rest.trim_start();
            let (v, after) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &rest[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    (&rest[..end], &rest[end..])
                }
            };
            attrs = after;
            Some(v.to_string())
        } else {
            None
        };
        if name == want {
            return value;
        }
    }
}

/// Inline elements whose meaning the model can hold.
pub fn is_kept_inline(name: &str) -> bool {
    matches!(
        name,
        "em" | "i"
            | "cite"
            | "dfn"
            | "var"
            | "strong"
            | "b"
            | "sup"
            | "sub"
            | "span"
            | "code"
            | "kbd"
            | "samp"
            | "abbr"
            | "small"
            | "u"
            | "q"
            | "bdi"
            | "bdo"
    )
}

/// Elements whose content must go too (not just the tags).
pub fn is_dangerous_container(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "iframe"
            | "object"
            | "embed"
            | "template"
            | "noscript"
            | "textarea"
            | "select"
            | "svg"
            | "math"
            | "form"
            | "button"
            | "frameset"
            | "frame"
            | "applet"
            | "audio"
            | "video"
            | "canvas"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert_eq!(
            parse_tag(r#"<span lang="ar" onclick='x()'>"#),
            Some(HtmlTag::Open {
                name: "span".into(),
                lang: Lang::parse("ar"),
                self_closing: false
            })
        );
        assert_eq!(parse_tag("</SPAN>"), Some(HtmlTag::Close("span".into())));
        assert!(matches!(
            parse_tag("<br/>"),
            Some(HtmlTag::Open {
                self_closing: true,
                ..
            })
        ));
        assert_eq!(parse_tag("<!-- x -->"), Some(HtmlTag::Comment));
        assert_eq!(parse_tag("not a tag"), None);
        assert_eq!(
            parse_tag("<a href=x lang=kk>").and_then(|t| match t {
                HtmlTag::Open { lang, .. } => lang,
                _ => None,
            }),
            Lang::parse("kk")
        );
    }
}
