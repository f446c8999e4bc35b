//! The stylesheet: a book's typography in relative units, which reading
//! systems can override (font, size, margins, colours, night mode).
//!
//! It follows the reader's theme: no colour is set anywhere (links, note
//! numbers and borders take the text colour, so a night or sepia theme
//! recolours all of it), and links are told from text by underline, weight
//! or a symbol, never by colour alone. Sizes are in `em` and `%`, and the
//! measure of the text is at most 36 em, however wide the screen.
//! Paragraphs are justified only where the reading system hyphenates
//! (`@supports (hyphens: auto)`) and the screen is wider than a phone's;
//! without hyphenation justification opens wide gaps on a phone, so text
//! is then set ragged. Words and URLs longer
//! than a line break anywhere rather than run off the screen. Questions
//! keep with their answers, and nothing older reading systems mishandle is
//! used (no floats, no fixed positioning, no web fonts other than the
//! embedded ones).
//!
//! Which face each element is set in must agree with the styles the
//! renderers record for font subsetting ([`super::fonts::Style`]): a face
//! the stylesheet asks for but the book does not embed would be faked by the
//! reading system.

use super::fonts::EmbeddedFont;
use crate::model::FontSettings;
use std::fmt::Write;

const BODY: &str = r#"
html, body { margin: 0; padding: 0; }
body {
  font-family: BODYFAMILY;
  line-height: 1.45;
  widows: 2;
  orphans: 2;
  font-kerning: normal;
  word-wrap: break-word;
  overflow-wrap: break-word;
  overflow-wrap: anywhere;
}

/* The measure: about 65 to 75 characters a line on a tablet or a desktop. */
section.chapter, section.bio, section.titlepage, nav.toc {
  max-width: 36em;
  margin-left: auto;
  margin-right: auto;
}

p {
  margin: 0;
  text-indent: 1.2em;
  text-align: start;
  -webkit-hyphens: auto;
  -epub-hyphens: auto;
  hyphens: auto;
}
/* Justified only where words are hyphenated, and not on a phone's narrow
   measure, where an engine that claims hyphenation but has no dictionary
   for the language (Chromium on Linux) would still open wide gaps. */
@supports (hyphens: auto) or (-webkit-hyphens: auto) {
  @media (min-width: 32em) {
    p { text-align: justify; }
  }
}
h1 + p, h2 + p, h3 + p, h4 + p, h5 + p, h6 + p, header + p,
blockquote + p, aside + p, figure + p, ul + p, ol + p, table + p, pre + p,
hr + p, section > p:first-child { text-indent: 0; }

h1, h2, h3, h4, h5, h6 {
  font-family: DISPLAYFAMILY;
  font-weight: bold;
  line-height: 1.25;
  text-align: left;
  -webkit-hyphens: manual;
  -epub-hyphens: manual;
  hyphens: manual;
  page-break-after: avoid;
  break-after: avoid;
  page-break-inside: avoid;
  break-inside: avoid;
}
h3 { font-size: 1.05em; margin: 1.4em 0 0.5em; }
h4 { font-size: 1em; margin: 1.2em 0 0.4em; }
h5 { font-size: 0.95em; margin: 1.1em 0 0.3em; }
h6 { font-size: 0.9em; margin: 1em 0 0.3em; }

a { color: inherit; text-decoration: underline; }
em em, .standfirst em, .pullquote em, .interviewees em { font-style: normal; }
sup, sub { line-height: 0; font-size: 0.75em; }
code, pre { font-family: MONOFAMILY; font-size: 0.85em; }
pre {
  margin: 1em 0;
  padding: 0 0 0 1em;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  word-wrap: break-word;
  text-align: left;
  page-break-inside: avoid;
  break-inside: avoid;
}

/* Print page breaks (epub:type="pagebreak"): empty markers, a span in text
   and a div between blocks, that take no room and show nothing, so margins
   collapse through them as if they were not there. Reading systems that
   show the print edition's page numbers find them by their semantics. */
.pagebreak { margin: 0; padding: 0; border: 0; }

/* Chapter opening */
header.chapter-head { margin: 2em 0 2em; }
h1.chapter-title { font-size: 1.6em; margin: 0 0 0.8em; }
p.standfirst {
  font-size: 1.1em;
  font-style: italic;
  text-indent: 0;
  text-align: left;
  margin: 0 0 1em;
}
p.byline {
  font-family: DISPLAYFAMILY;
  font-size: 0.85em;
  text-indent: 0;
  text-align: left;
  letter-spacing: 0.02em;
  margin: 0;
}

/* Questions */
section.exchange { margin: 0; }
h2.question {
  font-size: 1em;
  margin: 1.8em 0 0.7em;
  padding: 0 0 0 0.7em;
  border-left: 0.2em solid;
}

/* Quotations */
blockquote { margin: 1em 1.5em; }
blockquote p { text-indent: 0; margin: 0 0 0.5em; }
aside.pullquote {
  margin: 1.5em 8%;
  padding: 0.6em 0;
  border-top: thin solid;
  border-bottom: thin solid;
  page-break-inside: avoid;
  break-inside: avoid;
}
aside.pullquote p {
  font-size: 1.25em;
  font-style: italic;
  line-height: 1.3;
  text-align: center;
  text-indent: 0;
  -webkit-hyphens: manual;
  -epub-hyphens: manual;
  hyphens: manual;
}

/* Lists, tables, figures, breaks */
ul, ol { margin: 0.6em 0; padding: 0 0 0 1.6em; }
li { margin: 0.2em 0; }
li p { text-indent: 0; }
table { border-collapse: collapse; margin: 1em auto; font-size: 0.9em; }
th, td { padding: 0.2em 0.6em; vertical-align: top; text-align: left; }
thead th { border-bottom: thin solid; }
.left { text-align: left; }
.center { text-align: center; }
.right { text-align: right; }
figure { margin: 1.5em 0; text-align: center; page-break-inside: avoid; break-inside: avoid; }
figure img { max-width: 100%; height: auto; }
figcaption {
  font-family: DISPLAYFAMILY;
  font-size: 0.8em;
  line-height: 1.3;
  margin: 0.5em 0 0;
  text-align: center;
}
hr.dinkus { border: 0; margin: 1.2em 0; text-align: center; height: 1.2em; }
hr.dinkus::after { content: "*\00A0\00A0*\00A0\00A0*"; }

/* Endnotes */
section.endnotes { margin: 3em 0 0; font-size: 0.9em; }
h2.endnotes-title { font-size: 1.1em; margin: 0 0 0.8em; }
ol.notes { list-style: none; padding: 0; margin: 0; }
ol.notes > li { margin: 0 0 0.6em; }
ol.notes p { text-indent: 0; text-align: left; }
a.backlink, span.note-number { font-weight: bold; text-decoration: none; }
span.backlinks a { padding: 0 0.1em; }
sup.noteref a { font-weight: bold; text-decoration: none; padding: 0 0.1em; }

/* Bio page */
section.bio { margin-top: 2em; }
h1.bio-title { margin: 0 0 1em; }
span.bio-label {
  display: block;
  font-size: 0.7em;
  font-weight: normal;
  letter-spacing: 0.08em;
  text-transform: uppercase;
  margin: 0 0 0.4em;
}
span.bio-name { display: block; font-size: 1.4em; }
figure.portrait { margin: 0 0 1.2em; }
figure.portrait img { max-width: 50%; }

/* Title page, contents, cover */
section.titlepage { text-align: center; margin-top: 3em; }
section.titlepage p { text-indent: 0; text-align: center; }
h1.title { font-size: 2em; margin: 0 0 0.5em; text-align: center; }
p.subtitle { font-family: DISPLAYFAMILY; font-size: 1.2em; margin: 0 0 2em; }
p.creators { font-size: 1.1em; margin: 0 0 0.5em; }
p.interviewees { font-size: 1.1em; font-style: italic; margin: 0 0 3em; }
div.imprint { margin: 4em 0 0; font-size: 0.85em; }
p.publisher, p.date { font-family: DISPLAYFAMILY; margin: 0 0 0.3em; }
p.rights { margin: 1em 0 0; font-size: 0.9em; }
nav.toc h1 { font-size: 1.4em; margin: 1em 0; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc ol.toc-1 > li { margin: 0 0 1em; }
nav.toc ol.toc-1 > li > a { font-family: DISPLAYFAMILY; font-weight: bold; }
nav.toc ol.toc-2 { margin: 0.4em 0 0 1.2em; font-size: 0.9em; }
nav.toc ol.toc-2 > li { margin: 0 0 0.3em; }
nav.toc a { text-decoration: none; }
section.cover { margin: 0; padding: 0; text-align: center; }
img.cover-image { max-width: 100%; max-height: 95vh; height: auto; }

/* Small print keeps to 36 of its own em: set smaller in the 36 em column
   of the text around it, it would fit more characters to the line. */
div.imprint p, ol.notes > li, figcaption, nav.toc ol.toc-2 { max-width: 36em; }
div.imprint p, figcaption { margin-left: auto; margin-right: auto; }

:lang(ar) { font-family: "Noto Naskh Arabic", serif; }
"#;

/// The stylesheet, with `@font-face` rules for the embedded fonts.
pub fn stylesheet(fonts: &[EmbeddedFont], settings: &FontSettings) -> String {
    let mut css = String::with_capacity(BODY.len() + 256 * fonts.len() + 64);
    css.push_str("@charset \"UTF-8\";\n/* qalam book stylesheet */\n");
    for f in fonts {
        let _ = writeln!(
            css,
            "@font-face {{ font-family: \"{}\"; font-style: {}; font-weight: {}; src: url(\"../fonts/{}\"); }}",
            f.family,
            if f.italic { "italic" } else { "normal" },
            if f.bold { "bold" } else { "normal" },
            f.file
        );
    }
    let family = |configured: &Option<String>, bundled: &str, generic: &str| {
        let mut s = String::new();
        if let Some(name) = configured.as_deref().map(css_name)
            && !name.is_empty()
            && name != bundled
        {
            let _ = write!(s, "\"{name}\", ");
        }
        let _ = write!(s, "\"{bundled}\", {generic}");
        s
    };
    let body = BODY
        .replace(
            "BODYFAMILY",
            &family(&settings.body, "Vollkorn", "Georgia, serif"),
        )
        .replace(
            "DISPLAYFAMILY",
            &family(&settings.heading, "Noto Sans", "sans-serif"),
        )
        .replace(
            "MONOFAMILY",
            &family(&settings.mono, "Noto Sans Mono", "monospace"),
        );
    css.push_str(&body);
    css
}

/// A family name safe inside a CSS string.
fn css_name(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A declaration with the rule and at-rules it sits in, outermost first.
    struct Decl {
        within: Vec<String>,
        property: String,
        value: String,
    }

    /// The declarations of `css`, in order (comments dropped; enough CSS
    /// syntax for this stylesheet: rules, `@font-face`, `@supports`).
    fn declarations(css: &str) -> Vec<Decl> {
        let mut text = String::new();
        let mut rest = css;
        while let Some(i) = rest.find("/*") {
            text.push_str(&rest[..i]);
            rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
        }
        text.push_str(rest);
        let mut out = Vec::new();
        let mut within: Vec<String> = Vec::new();
        let mut buf = String::new();
        let flush = |buf: &mut String, within: &[String], out: &mut Vec<Decl>| {
            let d = std::mem::take(buf);
            if let Some((p, v)) = d.split_once(':')
                && !within.is_empty()
            {
                out.push(Decl {
                    within: within.to_vec(),
                    property: p.trim().to_ascii_lowercase(),
                    value: v.trim().to_string(),
                });
            }
        };
        for c in text.chars() {
            match c {
                '{' => within.push(std::mem::take(&mut buf).trim().to_string()),
                ';' => flush(&mut buf, &within, &mut out),
                '}' => {
                    flush(&mut buf, &within, &mut out);
                    within.pop();
                }
                c => buf.push(c),
            }
        }
        assert!(within.is_empty(), "unbalanced braces");
        out
    }

    fn sheet() -> Vec<Decl> {
        let css = stylesheet(&[], &FontSettings::default());
        declarations(&css)
    }

    /// The value `property` has in the top-level rule for `selector`
    /// (one of the rule's selectors).
    fn value(decls: &[Decl], selector: &str, property: &str) -> Option<String> {
        decls
            .iter()
            .rev()
            .find(|d| {
                d.property == property
                    && d.within.len() == 1
                    && d.within
                        .last()
                        .is_some_and(|s| s.split(',').any(|s| s.trim() == selector))
            })
            .map(|d| d.value.clone())
    }

    #[test]
    fn no_colour_that_a_theme_cannot_override() {
        let decls = sheet();
        assert!(decls.len() > 100, "the stylesheet parses");
        const NAMED: &[&str] = &[
            "black", "white", "gray", "grey", "silver", "red", "blue", "navy", "green", "maroon",
            "purple", "teal", "olive", "orange", "yellow",
        ];
        for d in &decls {
            let v = d.value.to_ascii_lowercase();
            let p = &d.property;
            if p.contains("color") || p.starts_with("background") {
                assert!(
                    ["inherit", "currentcolor", "transparent"].contains(&v.as_str()),
                    "{p}: {v} in {:?} sets a colour",
                    d.within
                );
            }
            if p.starts_with("border")
                || p.starts_with("outline")
                || p.contains("shadow")
                || p.starts_with("text-decoration")
            {
                let named = v.split_whitespace().any(|w| NAMED.contains(&w));
                assert!(
                    !v.contains('#') && !v.contains("rgb") && !v.contains("hsl") && !named,
                    "{p}: {v} in {:?} sets a colour",
                    d.within
                );
            }
        }
    }

    #[test]
    fn links_take_the_text_colour_and_are_marked_otherwise() {
        let decls = sheet();
        assert_eq!(value(&decls, "a", "color").as_deref(), Some("inherit"));
        assert_eq!(
            value(&decls, "a", "text-decoration").as_deref(),
            Some("underline")
        );
        // Where the underline is taken away, weight marks the link.
        for sel in ["sup.noteref a", "a.backlink"] {
            assert_eq!(
                value(&decls, sel, "text-decoration").as_deref(),
                Some("none")
            );
            assert_eq!(
                value(&decls, sel, "font-weight").as_deref(),
                Some("bold"),
                "{sel}"
            );
        }
    }

    #[test]
    fn the_measure_is_at_most_36_em() {
        let decls = sheet();
        for sel in [
            "section.chapter",
            "section.bio",
            "section.titlepage",
            "nav.toc",
        ] {
            let w = value(&decls, sel, "max-width").unwrap_or_default();
            let em: f32 = w.strip_suffix("em").and_then(|n| n.parse().ok()).unwrap();
            assert!((30.0..=36.0).contains(&em), "{sel}: {w}");
            assert_eq!(value(&decls, sel, "margin-left").as_deref(), Some("auto"));
            assert_eq!(value(&decls, sel, "margin-right").as_deref(), Some("auto"));
            // A `margin` shorthand would take the centring away.
            assert_eq!(value(&decls, sel, "margin"), None, "{sel}");
        }
    }

    #[test]
    fn text_is_justified_only_where_it_is_hyphenated() {
        let decls = sheet();
        let justified: Vec<&Decl> = decls
            .iter()
            .filter(|d| d.property == "text-align" && d.value == "justify")
            .collect();
        assert!(!justified.is_empty());
        for d in justified {
            assert!(
                d.within
                    .iter()
                    .any(|w| w.starts_with("@supports") && w.contains("hyphens: auto")),
                "justified outside @supports (hyphens: auto): {:?}",
                d.within
            );
        }
        assert_eq!(value(&decls, "p", "text-align").as_deref(), Some("start"));
        // Not on a phone.
        assert!(
            decls
                .iter()
                .filter(|d| d.value == "justify")
                .all(|d| d.within.iter().any(|w| w == "@media (min-width: 32em)"))
        );
    }

    #[test]
    fn long_words_and_urls_break_rather_than_overflow() {
        let decls = sheet();
        // `anywhere` last, where it is understood; `break-word` before it
        // for older engines.
        let wraps: Vec<&str> = decls
            .iter()
            .filter(|d| d.within.last().is_some_and(|s| s == "body"))
            .filter(|d| d.property == "overflow-wrap" || d.property == "word-wrap")
            .map(|d| d.value.as_str())
            .collect();
        assert_eq!(wraps.last(), Some(&"anywhere"), "{wraps:?}");
        assert!(wraps.contains(&"break-word"), "{wraps:?}");
        // Nothing takes the breaking back.
        for d in &decls {
            let v = d.value.as_str();
            let blocks = match d.property.as_str() {
                "overflow-wrap" | "word-wrap" => v == "normal",
                "word-break" => v == "keep-all",
                "white-space" => v == "nowrap" || v == "pre",
                _ => false,
            };
            assert!(!blocks, "{}: {v} in {:?}", d.property, d.within);
        }
    }
}
