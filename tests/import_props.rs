//! Property tests of `qalam import`: whatever the input, no panic, and
//! either a project the source reader reads without errors or a clear
//! error; and interviews written with any characters read back exactly.

mod import_support;

use proptest::prelude::*;
use qalam::import::{Options, import_bytes, write_project};
use std::path::Path;

/// Imports `bytes`; an imported project must write (which reads it back
/// and refuses it on any error) and load without errors.
fn check(bytes: &[u8], name: &str) -> Result<(), TestCaseError> {
    match import_bytes(bytes, Path::new(name), None, &Options::default()) {
        Ok(imp) => {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("b");
            if let Err(d) = write_project(&imp, &dir, false) {
                let files = imp.files();
                return Err(TestCaseError::fail(format!("{d}\n{}", files[1].1)));
            }
            let l = qalam::internals::source::load(&dir);
            prop_assert!(!l.diagnostics.has_errors());
            prop_assert!(l.book.is_some());
            // And it reads back as what was imported.
            let loaded = l.book.unwrap().chapters.remove(0);
            let want = imp.book().chapters.remove(0);
            let (a, b) = (
                import_support::unplaced(&loaded),
                import_support::unplaced(&want),
            );
            prop_assert!(
                a == b,
                "{}\n---\n{}",
                import_support::first_difference(&a, &b),
                imp.files()[1].1
            );
        }
        Err(d) => {
            prop_assert!(d.has_errors());
            for d in &d {
                prop_assert!(d.code.starts_with("import-"), "{}", d);
                prop_assert!(!d.message.is_empty());
            }
        }
    }
    Ok(())
}

/// Words with every character Markdown, YAML or the importer might trip on.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z]{1,9}",
        1 => "[0-9]{1,5}",
        1 => prop::sample::select(vec![
            "*", "**", "_", "__", "[", "]", "[^1]", "[1]", "^", "^x^", "~", "~y~", "<", ">", "<b>", "&amp;", "&", "#", "##", "\\", "`", "``",
            "\"", "'", "--", "---", "...", "1.", "2)", "-", "+", "|", "{", "}", "{#id}", "!", "![", "](", ")", ":", ": ", "—", "«", "»", "“", "”",
            "’", "é", "Қазақ", "http://a.example/x", "https://b.example/(y)", "www.c.example", "events2", "”.1", "10th", "12,000",
            "2014", "COVID-19", "\u{a0}", "\t", "?", "?”", "Q:", "A:", "Heading", "Item", "Share", "Photo:", "Dr", "is",
        ]).prop_map(str::to_string),
    ]
}

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..14).prop_map(|w| w.join(" "))
}

/// Lines like those of scraped interviews, in any order.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => sentence(),
        2 => sentence().prop_map(|s| format!("{s}?")),
        1 => sentence().prop_map(|s| format!("Q: {s}?")),
        1 => sentence().prop_map(|s| format!("A: {s}.")),
        1 => sentence().prop_map(|s| format!("- {s}")),
        1 => sentence().prop_map(|s| format!("[1] {s}")),
        1 => prop::sample::select(vec![
            "Notes", "Endnotes", "About the author", "Heading 1", "Lorem ipsum dolor sit amet", "- Item 1", "Related articles",
            "Share on Facebook", "***", "", "", "Jane Roe: Hello.", "Dr Jane Roe is a writer.",
        ]).prop_map(str::to_string),
    ]
}

/// Inline HTML with formatting in awkward places (next to punctuation,
/// spaces inside, nested, empty).
fn inline_html() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => word(),
        1 => word().prop_map(|w| format!("<em>{w}</em>")),
        1 => word().prop_map(|w| format!("<strong> {w} </strong>")),
        1 => word().prop_map(|w| format!("<b><i>{w}</i></b>")),
        1 => word().prop_map(|w| format!("<em>“{w}”</em>")),
        1 => word().prop_map(|w| format!("<a href=\"https://example.org/{w}\">{w}</a>")),
        1 => word().prop_map(|w| format!("<a href=\"/rel/{w}\">{w}</a>")),
        1 => word().prop_map(|w| format!("<code>{w}</code>")),
        1 => word().prop_map(|w| format!("<sup>{w}</sup>")),
        1 => word().prop_map(|w| format!("<sub>{w}</sub>")),
        1 => word().prop_map(|w| format!("<span lang=\"ru\">{w}</span>")),
        1 => Just("<br>".to_string()),
        1 => Just("<em></em>".to_string()),
        1 => word().prop_map(|w| format!("<q>{w}</q>")),
    ];
    prop::collection::vec((piece, prop::bool::ANY), 1..12).prop_map(|v| {
        v.into_iter()
            .map(|(p, space)| if space { format!("{p} ") } else { p })
            .collect::<String>()
    })
}

fn html_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => sentence().prop_map(|s| format!("<p>{}</p>", s.replace('<', "&lt;"))),
        3 => inline_html().prop_map(|s| format!("<p>{s}</p>")),
        1 => inline_html().prop_map(|s| format!("<blockquote><p>{s}</p></blockquote>")),
        1 => inline_html().prop_map(|s| format!("<ul><li>{s}</li><li>{s}</li></ul>")),
        1 => sentence().prop_map(|s| format!("<h2>{s}?</h2>")),
        1 => sentence().prop_map(|s| format!("<p><strong>{s}?</strong></p>")),
        1 => sentence().prop_map(|s| format!("<blockquote class=\"pullquote\"><p>{s}</p></blockquote>")),
        1 => sentence().prop_map(|s| format!("<p>{s}<sup><a href=\"#fn1\">1</a></sup></p>")),
        1 => sentence().prop_map(|s| format!("<ol class=\"footnotes\"><li id=\"fn1\">{s}</li></ol>")),
        1 => sentence().prop_map(|s| format!("<ul><li>{s}<ul><li>{s}</li></ul></li></ul>")),
        1 => sentence().prop_map(|s| format!("<figure><img src=\"x.jpg\" alt=\"{s}\"><figcaption>{s}</figcaption></figure>")),
        1 => prop::sample::select(vec![
            "<article>", "</article>", "<h1>", "</h1>", "<div class=\"share\">Share</div>", "<nav>Home</nav>", "<script>x()</script>",
            "<em>", "</em>", "<b>", "</i>", "<table><tr><td>a</td><td>b</td></tr></table>", "<br><br>", "<pre>code</pre>", "<hr>",
            "<blockquote><blockquote><blockquote>", "<div class=\"author-bio\"><p>Jane Roe is a writer.</p></div>",
        ]).prop_map(str::to_string),
    ]
}

proptest! {
    // PROPTEST_CASES=5000 for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(96),
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_text_never_fails_badly(s in "\\PC{0,400}") {
        check(s.as_bytes(), "x.txt")?;
    }

    #[test]
    fn arbitrary_bytes_never_fail_badly(b in prop::collection::vec(any::<u8>(), 0..600)) {
        check(&b, "x.bin")?;
    }

    #[test]
    fn scraped_text_lines(lines in prop::collection::vec(line(), 0..30)) {
        check(lines.join("\n").as_bytes(), "x.txt")?;
    }

    #[test]
    fn html_soup(parts in prop::collection::vec(html_piece(), 0..40)) {
        let page = format!("<!doctype html><html><body>{}</body></html>", parts.join("\n"));
        check(page.as_bytes(), "x.html")?;
    }

    #[test]
    fn deeply_nested_html(depth in 1usize..400, tag in prop::sample::select(vec!["div", "blockquote", "ul><li", "em", "section"])) {
        let close = tag.split('>').next().unwrap();
        let page = format!(
            "<h1>Title</h1><p>Why?</p>{}<p>deep text</p>{}",
            format!("<{tag}>").repeat(depth),
            format!("</{close}>").repeat(depth)
        );
        check(page.as_bytes(), "x.html")?;
    }

    /// A Q/A interview of arbitrary sentences reads back as imported:
    /// what the writer escapes, the reader unescapes.
    #[test]
    fn written_markdown_reads_back_as_imported(
        title in sentence(),
        qa in prop::collection::vec((sentence(), prop::collection::vec(sentence(), 1..3)), 1..5),
    ) {
        let mut text = format!("{title}\n");
        for (q, answers) in &qa {
            text.push_str(&format!("Q: {q}?\n"));
            for (k, a) in answers.iter().enumerate() {
                text.push_str(&if k == 0 { format!("A: {a}\n") } else { format!("{a}\n") });
            }
        }
        let imp = match import_bytes(text.as_bytes(), Path::new("x.txt"), None, &Options::default()) {
            Ok(i) => i,
            Err(_) => return Ok(()),
        };
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("b");
        write_project(&imp, &dir, false).map_err(|d| TestCaseError::fail(d.to_string()))?;
        let loaded = qalam::internals::source::load(&dir).book.unwrap().chapters.remove(0);
        let want = imp.book().chapters.remove(0);
        prop_assert_eq!(&loaded.title, &want.title, "{}", imp.files()[1].1);
        prop_assert_eq!(loaded.exchanges.len(), want.exchanges.len());
        for (a, b) in loaded.exchanges.iter().zip(&want.exchanges) {
            prop_assert_eq!(&a.question.content, &b.question.content, "{}", imp.files()[1].1);
            let strip = |bl: &[qalam::model::Block]| qalam::model::plain_text_blocks(bl);
            prop_assert_eq!(strip(&a.answer), strip(&b.answer), "{}", imp.files()[1].1);
        }
    }
}
