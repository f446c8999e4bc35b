//! The parts' XML as a small tree of namespace-resolved elements, so that
//! the readers can look ahead (a paragraph's properties, a table's rows)
//! and match names by namespace whatever prefix the writer chose. Built
//! within limits: a part is at most [`super::package::MAX_PART_BYTES`],
//! nesting and element count are bounded here.

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

/// Deeper nesting than this is no document a word processor wrote.
pub const MAX_DEPTH: usize = 256;
/// Nor more elements than this in one part.
pub const MAX_ELEMENTS: usize = 4_000_000;

/// The namespaces the readers look at; the rest are `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ns {
    /// WordprocessingML main (`w:`).
    W,
    /// Relationships in a part (`r:`).
    R,
    /// Drawing placement (`wp:`).
    Wp,
    /// DrawingML (`a:`).
    A,
    /// Markup compatibility (`mc:`).
    Mc,
    /// VML pictures (`v:`).
    V,
    Dc,
    DcTerms,
    /// Package relationships (`.rels`).
    Rel,
    /// OpenDocument namespaces.
    Office,
    Text,
    Style,
    Fo,
    Draw,
    Svg,
    XLink,
    Table,
    Meta,
    Other,
    None,
}

fn ns_of(uri: &str) -> Ns {
    match uri {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        | "http://purl.oclc.org/ooxml/wordprocessingml/main" => Ns::W,
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        | "http://purl.oclc.org/ooxml/officeDocument/relationships" => Ns::R,
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
        | "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing" => Ns::Wp,
        "http://schemas.openxmlformats.org/drawingml/2006/main"
        | "http://purl.oclc.org/ooxml/drawingml/main" => Ns::A,
        "http://schemas.openxmlformats.org/markup-compatibility/2006" => Ns::Mc,
        "urn:schemas-microsoft-com:vml" => Ns::V,
        "http://purl.org/dc/elements/1.1/" => Ns::Dc,
        "http://purl.org/dc/terms/" => Ns::DcTerms,
        "http://schemas.openxmlformats.org/package/2006/relationships" => Ns::Rel,
        "urn:oasis:names:tc:opendocument:xmlns:office:1.0" => Ns::Office,
        "urn:oasis:names:tc:opendocument:xmlns:text:1.0" => Ns::Text,
        "urn:oasis:names:tc:opendocument:xmlns:style:1.0" => Ns::Style,
        "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" => Ns::Fo,
        "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" => Ns::Draw,
        "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" => Ns::Svg,
        "http://www.w3.org/1999/xlink" => Ns::XLink,
        "urn:oasis:names:tc:opendocument:xmlns:table:1.0" => Ns::Table,
        "urn:oasis:names:tc:opendocument:xmlns:meta:1.0" => Ns::Meta,
        _ => Ns::Other,
    }
}

fn resolved(r: ResolveResult<'_>) -> Ns {
    match r {
        ResolveResult::Bound(ns) => ns_of(ns.0),
        ResolveResult::Unbound => Ns::None,
        ResolveResult::Unknown(_) => Ns::Other,
    }
}

#[derive(Debug, Clone)]
pub enum Node {
    El(El),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct El {
    pub ns: Ns,
    pub name: String,
    pub attrs: Vec<(Ns, String, String)>,
    pub kids: Vec<Node>,
}

impl El {
    pub fn is(&self, ns: Ns, name: &str) -> bool {
        self.ns == ns && self.name == name
    }

    /// The attribute `name` in namespace `ns`.
    pub fn attr(&self, ns: Ns, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, k, _)| *n == ns && k == name)
            .map(|(_, _, v)| v.as_str())
    }

    /// The child elements.
    pub fn els(&self) -> impl Iterator<Item = &El> {
        self.kids.iter().filter_map(|k| match k {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element `ns:name`.
    pub fn child(&self, ns: Ns, name: &str) -> Option<&El> {
        self.els().find(|e| e.is(ns, name))
    }

    /// The first element `ns:name` at any depth below (document order).
    pub fn find(&self, ns: Ns, name: &str) -> Option<&El> {
        let mut stack: Vec<&El> = self.els().collect();
        stack.reverse();
        while let Some(e) = stack.pop() {
            if e.is(ns, name) {
                return Some(e);
            }
            let from = stack.len();
            stack.extend(e.els());
            stack[from..].reverse();
        }
        None
    }

    /// Every element `ns:name` at any depth below, in document order.
    pub fn find_all<'a>(&'a self, ns: Ns, name: &str) -> Vec<&'a El> {
        let mut out = Vec::new();
        let mut stack: Vec<&El> = self.els().collect();
        stack.reverse();
        while let Some(e) = stack.pop() {
            if e.is(ns, name) {
                out.push(e);
            }
            let from = stack.len();
            stack.extend(e.els());
            stack[from..].reverse();
        }
        out
    }

    /// All text below, in order.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let mut stack: Vec<&Node> = self.kids.iter().rev().collect();
        while let Some(n) = stack.pop() {
            match n {
                Node::Text(t) => s.push_str(t),
                Node::El(e) => stack.extend(e.kids.iter().rev()),
            }
        }
        s
    }
}

/// Parses a part into its root element; the message says what is wrong.
pub fn parse(src: &str) -> Result<El, String> {
    let mut reader = NsReader::from_str(src);
    let mut stack: Vec<El> = vec![El {
        ns: Ns::None,
        name: String::new(),
        attrs: Vec::new(),
        kids: Vec::new(),
    }];
    let mut count = 0usize;
    loop {
        let (ns, ev) = reader
            .read_resolved_event()
            .map(|(r, e)| (resolved(r), e))
            .map_err(|e| format!("broken XML at byte {}: {e}", reader.buffer_position()))?;
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(format!("more than {MAX_ELEMENTS} elements"));
                }
                if stack.len() > MAX_DEPTH {
                    return Err(format!("elements nested more than {MAX_DEPTH} deep"));
                }
                let mut attrs = Vec::new();
                for a in s.attributes().with_checks(false).flatten() {
                    let (ans, local) = reader.resolver().resolve_attribute(a.key);
                    let ans = resolved(ans);
                    let local = local.as_ref().to_string();
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::default())
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    attrs.push((ans, local, value));
                }
                let el = El {
                    ns,
                    name: s.local_name().as_ref().to_string(),
                    attrs,
                    kids: Vec::new(),
                };
                if matches!(ev, Event::Empty(_)) {
                    push(&mut stack, Node::El(el));
                } else {
                    stack.push(el);
                }
            }
            Event::End(_) => {
                if stack.len() > 1
                    && let Some(el) = stack.pop()
                {
                    push(&mut stack, Node::El(el));
                }
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(t) => push_text(&mut stack, &t),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    push_text(&mut stack, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    while stack.len() > 1 {
        if let Some(el) = stack.pop() {
            push(&mut stack, Node::El(el));
        }
    }
    let root = stack.pop().unwrap_or(El {
        ns: Ns::None,
        name: String::new(),
        attrs: Vec::new(),
        kids: Vec::new(),
    });
    root.kids
        .into_iter()
        .find_map(|k| match k {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or_else(|| "no root element".to_string())
}

fn push(stack: &mut [El], n: Node) {
    if let Some(top) = stack.last_mut() {
        top.kids.push(n);
    }
}

fn push_text(stack: &mut [El], t: &str) {
    if let Some(top) = stack.last_mut() {
        if let Some(Node::El(_)) | None = top.kids.last() {
            top.kids.push(Node::Text(t.to_string()));
        } else if let Some(Node::Text(s)) = top.kids.last_mut() {
            s.push_str(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_by_namespace_and_text_is_unescaped() {
        let root = parse(
            "<x:document xmlns:x=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><x:p><x:t>a &amp; b &#x2014; c</x:t></x:p></x:document>",
        )
        .unwrap();
        assert!(root.is(Ns::W, "document"));
        assert_eq!(root.find(Ns::W, "t").unwrap().text(), "a & b \u{2014} c");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let depth = MAX_DEPTH + 10;
        let src = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        assert!(parse(&src).unwrap_err().contains("nested"));
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("").is_err());
    }
}
