//! Property tests: the reader never panics, whatever the chapter holds, and
//! it either gives a book or says why not.

mod common;

use proptest::prelude::*;

/// Pieces that exercise the Markdown reader's paths; joined at random they
/// make mostly-broken, sometimes-valid chapters.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("## Question?\n\n".to_string()),
        Just("# Title\n\n".to_string()),
        Just("#### Deep heading\n\n".to_string()),
        Just("> ".to_string()),
        Just("> [!pull] ".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("   ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("***\n".to_string()),
        Just("[^a]".to_string()),
        Just("[^b]: note text\n".to_string()),
        Just("![alt](images/x.png \"cap\")".to_string()),
        Just("![](missing.jpg)".to_string()),
        Just("<span lang=\"ar\">".to_string()),
        Just("</span>".to_string()),
        Just("<script>x</script>".to_string()),
        Just("<div>".to_string()),
        Just("`code`".to_string()),
        Just("```\nblock\n".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
        Just("*em* **strong** ^sup^ ~sub~ ".to_string()),
        Just("[link](javascript:alert(1)) ".to_string()),
        Just("<https://example.org/a/b> ".to_string()),
        Just("\"quote\" 'single' -- --- ... ".to_string()),
        Just("---\n".to_string()),
        "[a-zA-Zа-яӘәҚқ0-9 .,?!:;()\u{0600}-\u{0620}]{0,40}",
    ]
}

fn chapter() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(piece(), 0..40),
        prop::bool::ANY,
        "[a-z: \"'\\[\\]{}&*!|>-]{0,30}",
    )
        .prop_map(|(pieces, with_fm, junk_fm)| {
            let body: String = pieces.concat();
            if with_fm {
                format!("---\ntitle: T\n{junk_fm}\n---\n\n{body}")
            } else {
                body
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("QALAM_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96),
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_chapters_never_panic(text in chapter(), lang in prop_oneof![Just("en"), Just("ru"), Just("kk")]) {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("book.toml"), format!("[book]\ntitle = \"P\"\nlanguage = \"{lang}\"\n")).unwrap();
        std::fs::write(tmp.path().join("ch.md"), &text).unwrap();
        std::fs::create_dir_all(tmp.path().join("images")).unwrap();
        std::fs::copy(common::root().join("tests/fixtures/specimen/images/steppe.png"), tmp.path().join("images/x.png")).unwrap();
        let l = qalam::internals::source::load(tmp.path());
        // A book exactly when there is no error, and every error is located.
        prop_assert_eq!(l.book.is_some(), !l.diagnostics.has_errors());
        for d in &l.diagnostics {
            prop_assert!(d.file.is_some(), "{:?}", d);
            prop_assert!(d.help.is_some(), "{:?}", d);
            let _ = d.render(&l.sources, false);
        }
    }

    #[test]
    fn arbitrary_book_toml_never_panics(text in "[\\[\\]a-z=\" \\n.0-9#-]{0,120}") {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("book.toml"), &text).unwrap();
        std::fs::write(tmp.path().join("ch.md"), "---\ntitle: T\n---\n\nText.\n").unwrap();
        let l = qalam::internals::source::load(tmp.path());
        prop_assert_eq!(l.book.is_some(), !l.diagnostics.has_errors());
        for d in &l.diagnostics {
            let _ = d.render(&l.sources, false);
        }
    }
}
