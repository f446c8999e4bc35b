//! The stylesheet: a book's typography in relative units, which reading
//! systems can override (font, size, margins, colours, night mode).
//!
//! It sets no colours at all (borders use the text colour), sizes in `em`
//! and `%`, hyphenates by the language of each document (`hyphens: auto`
//! works from `lang`), lets long URLs wrap, keeps questions with their
//! answers, and avoids features older reading systems mishandle (no
//! floats, no fixed positioning, no web fonts other than the embedded ones).
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
}

p {
  margin: 0;
  text-indent: 1.2em;
  text-align: justify;
  -webkit-hyphens: auto;
  -epub-hyphens: auto;
  hyphens: auto;
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

a { overflow-wrap: break-word; word-wrap: break-word; overflow-wrap: anywhere; }
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
a.backlink { font-weight: bold; text-decoration: none; }
sup.noteref a { text-decoration: none; padding: 0 0.1em; }

/* Bio page */
section.bio { margin: 2em 0 0; }
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
section.titlepage { text-align: center; margin: 3em 0 0; }
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
