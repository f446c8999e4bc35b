//! A thin layer over quick-xml's writer for the package's XML documents.
//!
//! Every text and attribute value goes through quick-xml's escaping, after
//! characters that XML 1.0 forbids (C0/C1 controls, U+FFFE …) are dropped:
//! a stray control character in a source must not make the book invalid.
//! Writing goes into a `Vec<u8>`, which cannot fail, so the I/O results of
//! quick-xml are ignored here.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::borrow::Cow;

pub struct Xml {
    w: Writer<Vec<u8>>,
}

impl Xml {
    /// A document with the XML declaration written.
    pub fn new(capacity: usize) -> Self {
        let mut w = Writer::new(Vec::with_capacity(capacity));
        let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        w.get_mut().write_all_bytes(b"\n");
        Xml { w }
    }

    /// Raw markup known to be well formed (a doctype, a newline).
    pub fn raw(&mut self, s: &str) {
        self.w.get_mut().write_all_bytes(s.as_bytes());
    }

    pub fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let mut e = BytesStart::new(name);
        for (k, v) in attrs {
            e.push_attribute((*k, clean(v).as_ref()));
        }
        let _ = self.w.write_event(Event::Start(e));
    }

    pub fn end(&mut self, name: &str) {
        let _ = self.w.write_event(Event::End(BytesEnd::new(name)));
    }

    /// An element without content (`<img …/>`).
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let mut e = BytesStart::new(name);
        for (k, v) in attrs {
            e.push_attribute((*k, clean(v).as_ref()));
        }
        let _ = self.w.write_event(Event::Empty(e));
    }

    /// Character data, escaped (`&`, `<`, `>`; quotes need no escaping in text).
    pub fn text(&mut self, s: &str) {
        let s = clean(s);
        let escaped = quick_xml::escape::partial_escape(s.as_ref());
        let _ = self
            .w
            .write_event(Event::Text(BytesText::from_escaped(escaped)));
    }

    /// `<name attrs>text</name>`.
    pub fn elem(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start(name, attrs);
        self.text(text);
        self.end(name);
    }

    pub fn nl(&mut self) {
        self.raw("\n");
    }

    pub fn finish(self) -> Vec<u8> {
        self.w.into_inner()
    }
}

/// Writing into a vector cannot fail; this spells that out once.
trait WriteAll {
    fn write_all_bytes(&mut self, b: &[u8]);
}

impl WriteAll for Vec<u8> {
    fn write_all_bytes(&mut self, b: &[u8]) {
        self.extend_from_slice(b);
    }
}

/// Whether XML 1.0 (and HTML) accept `c` in a document: no C0 controls but
/// tab and newlines, no C1 controls, no noncharacters.
fn allowed(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => true,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => false,
        '\u{fdd0}'..='\u{fdef}' => false,
        c => (c as u32) & 0xfffe != 0xfffe,
    }
}

/// `s` without the characters XML forbids (borrowed when there are none).
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| allowed(c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        let mut x = Xml::new(64);
        x.start("p", &[("title", "a \"b\" & 'c' <d>")]);
        x.text("Tom & Jerry <b> ]]> \"q\" \u{1}\u{fffe}ok");
        x.end("p");
        let s = String::from_utf8(x.finish()).unwrap();
        assert!(s.ends_with(
            "<p title=\"a &quot;b&quot; &amp; &apos;c&apos; &lt;d&gt;\">Tom &amp; Jerry &lt;b&gt; ]]&gt; \"q\" ok</p>"
        ), "{s}");
        assert!(s.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    }
}
