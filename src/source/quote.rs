//! One string as a value of the source formats, for the programs that write
//! sources (`qalam new`, the importer): a `book.toml` value and a front
//! matter value. Each is serialised by the library that also reads it back,
//! so whatever a title holds (quotes, backslashes, line breaks, control
//! characters, `:`, `#`, a leading `-`, a word YAML would read as a boolean
//! or a date) is read as the same string.

/// `s` as a TOML string value (basic, literal or multi-line, whichever
/// holds it without loss).
pub fn toml_value(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// `s` as a YAML scalar on one line: plain when it reads back as the same
/// string, else quoted.
pub fn yaml_value(s: &str) -> String {
    let mut options = serde_saphyr::SerializerOptions::default();
    // Block scalars (`|`, `>`) would span lines; the callers write the value
    // after a key or a list dash on one line.
    options.prefer_block_scalars = false;
    match serde_saphyr::to_string_with_options(&s, options) {
        Ok(yaml) => yaml.trim_end_matches('\n').to_owned(),
        // The serialiser only fails on block-scalar indentation, turned off
        // above; a JSON string is a YAML double-quoted scalar all the same.
        Err(_) => serde_json::Value::String(s.to_owned()).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HARD: &[&str] = &[
        "Plain title",
        "He said \"no\"",
        "It's",
        "'single' and \"double\"",
        "back\\slash \\n not a newline",
        "line\nbreak\n",
        "\n leading break",
        "tab\there",
        "bell\u{7} nul\u{0} esc\u{1b} del\u{7f}",
        "key: value",
        "ends with colon:",
        "a # comment?",
        "#hash",
        "- leading dash",
        "-dash",
        "---",
        "? question",
        "[bracket]",
        "{brace}",
        "&anchor *alias !tag |pipe >fold %pct @at `tick",
        "yes",
        "No",
        "null",
        "~",
        "2024-01-31",
        "1.5",
        "0x1F",
        "",
        " padded ",
        "“Curly” — and «guillemets»",
        "Степь помнит всё",
        "bom\u{feff} nel\u{85} ls\u{2028} ps\u{2029}",
        "'''\"\"\"",
    ];

    fn toml_round_trip(s: &str) -> Result<String, String> {
        #[derive(serde::Deserialize)]
        struct Doc {
            title: String,
        }
        let doc = format!("title = {}\n", toml_value(s));
        toml::from_str::<Doc>(&doc)
            .map(|d| d.title)
            .map_err(|e| format!("{doc}: {e}"))
    }

    /// Through the chapter reader's own front matter parser, as a key's
    /// value, and as an entry of a block list.
    fn yaml_round_trip(s: &str) -> Result<String, String> {
        let v = yaml_value(s);
        if v.contains('\n') {
            return Err(format!("{v:?} spans lines"));
        }
        let doc = format!("title: {v}\ninterviewer: x\n");
        let mut sources = crate::diag::SourceMap::new();
        let file = sources.add("ch.md", doc.clone());
        let mut diags = crate::diag::Diagnostics::new();
        let title = crate::source::frontmatter::parse(&sources, file, 0..doc.len(), &mut diags)
            .and_then(|f| f.title)
            .map(|(t, _)| t)
            .ok_or_else(|| format!("{doc}: {:?}", diags.iter().next()))?;
        let list = format!("- {v}\n- x\n");
        let names: Vec<String> =
            serde_saphyr::from_str(&list).map_err(|e| format!("{list}: {e}"))?;
        if names != [title.clone(), "x".to_owned()] {
            return Err(format!("{list}: the list read {names:?}"));
        }
        Ok(title)
    }

    #[test]
    fn hard_strings_survive_toml() {
        for s in HARD {
            assert_eq!(toml_round_trip(s).as_deref(), Ok(*s));
        }
    }

    #[test]
    fn hard_strings_survive_yaml() {
        for s in HARD {
            assert_eq!(yaml_round_trip(s).as_deref(), Ok(*s));
        }
    }

    #[test]
    fn plain_when_plain_is_safe() {
        assert_eq!(yaml_value("Степь помнит всё"), "Степь помнит всё");
        assert_eq!(yaml_value("yes"), "\"yes\"");
        assert_eq!(yaml_value("key: value"), "\"key: value\"");
        assert_eq!(toml_value("Plain title"), "\"Plain title\"");
    }

    proptest! {
        #[test]
        fn any_string_survives_both(s in any::<String>()) {
            prop_assert_eq!(toml_round_trip(&s), Ok(s.clone()));
            prop_assert_eq!(yaml_round_trip(&s), Ok(s));
        }
    }
}
