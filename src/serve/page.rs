//! The preview page: a bar (chapter, view, build state), the messages of
//! the last rebuild, the chapter as the EPUB shows it and the PDF beside
//! it. Its script (assets/preview.js) keeps it up to date.

use super::Status;
use super::pages::PageInfo;
use super::preview::Preview;
use std::fmt::Write as _;

pub fn index(status: &Status, preview: Option<&Preview>) -> String {
    let spine: &[String] = preview.map(|p| p.spine.as_slice()).unwrap_or_default();
    // The first chapter rather than the cover or the title page.
    let first = spine
        .iter()
        .find(|p| p.contains("/text/"))
        .or(spine.first())
        .cloned()
        .unwrap_or_default();
    let mut options = String::new();
    for doc in spine {
        let label = doc
            .rsplit('/')
            .next()
            .unwrap_or(doc)
            .trim_end_matches(".xhtml");
        let _ = write!(
            options,
            "<option value=\"{}\"{}>{}</option>",
            escape(doc),
            if *doc == first { " selected" } else { "" },
            escape(label)
        );
    }
    let state = if status.generation == 0 {
        "building…".to_string()
    } else {
        page_state(status)
    };
    let class = if status.ok { "ok" } else { "failed" };
    let hidden = if status.messages.is_empty() {
        " hidden"
    } else {
        ""
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>qalam preview</title>
<link rel="stylesheet" href="/_/preview.css">
</head>
<body data-view="phone" data-shown="{shown}" data-generation="{generation}">
<header class="bar">
<strong>qalam preview</strong>
<label>Chapter <select id="chapter-select">{options}</select></label>
<span class="views" role="group" aria-label="View">
<button type="button" data-view="phone">Phone</button>
<button type="button" data-view="tablet">Tablet</button>
<button type="button" data-view="print">Print</button>
</span>
<a href="/book.pdf" target="_blank">the PDF</a>
<span id="state" class="{class}">{state}</span>
</header>
<section id="messages" class="{class}" aria-live="polite"{hidden}><pre>{messages}</pre></section>
<main>
<div class="epub-pane"><iframe id="chapter" title="The chapter as the EPUB shows it" src="/epub/{first}"></iframe></div>
<div class="pdf-pane" id="pdf" role="region" aria-label="The PDF's pages">{pages}</div>
</main>
<script src="/_/preview.js"></script>
</body>
</html>
"#,
        shown = status.shown,
        generation = status.generation,
        first = escape(&first),
        state = escape(&state),
        messages = escape(&status.messages),
        pages = page_images(&status.pages, status.shown),
    )
}

/// The PDF's pages, drawn when scrolled to (the script makes the same).
fn page_images(pages: &[PageInfo], build: u64) -> String {
    let mut out = String::new();
    for (i, p) in pages.iter().enumerate() {
        let n = i + 1;
        let number = p.number.map(|n| n.to_string()).unwrap_or_default();
        let _ = write!(
            out,
            "<img src=\"/pdf/{n}.png?build={build}\" width=\"{}\" height=\"{}\" loading=\"lazy\" alt=\"PDF page {n}\" data-number=\"{number}\">",
            p.width, p.height
        );
    }
    out
}

/// The bar's one-line account of the last rebuild (the script writes the
/// same from each event).
fn page_state(status: &Status) -> String {
    format!(
        "{} · {} error(s), {} warning(s) · {:.0} ms",
        if status.ok { "built" } else { "not built" },
        status.errors,
        status.warnings,
        status.took_ms
    )
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}
