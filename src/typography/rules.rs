//! The no-break rules of each language, read from the tables in `rules/`
//! (one file per language): which words a line must not end with, which
//! short words stay with the next after an opening dash, which units stay
//! with their number. Data, so a language is added by adding a file.

/// One language's table.
pub(super) struct Rules {
    tie: &'static str,
    after_dash: &'static str,
    units: &'static str,
    titles: &'static str,
}

impl Rules {
    /// The table for a primary language subtag (lower case).
    pub fn of(primary: &str) -> Rules {
        Rules::parse(match primary {
            "ru" => include_str!("rules/ru.txt"),
            "uk" => include_str!("rules/uk.txt"),
            "be" => include_str!("rules/be.txt"),
            "kk" => include_str!("rules/kk.txt"),
            "en" => include_str!("rules/en.txt"),
            _ => include_str!("rules/default.txt"),
        })
    }

    fn parse(table: &'static str) -> Rules {
        let mut r = Rules {
            tie: "",
            after_dash: "",
            units: "",
            titles: "",
        };
        for line in table.lines() {
            let Some((key, words)) = line.split_once('=') else {
                continue;
            };
            let slot = match key.trim() {
                "tie" => &mut r.tie,
                "after-dash" => &mut r.after_dash,
                "units" => &mut r.units,
                "titles" => &mut r.titles,
                _ => continue,
            };
            *slot = words.trim();
        }
        r
    }

    /// A one-letter (or listed) word a line must not end with.
    pub fn ties(&self, word: &str) -> bool {
        has(self.tie, word)
    }

    /// A short word kept with the next one after a paragraph's opening dash.
    pub fn ties_after_dash(&self, word: &str) -> bool {
        has(self.after_dash, word) || has(self.tie, word)
    }

    /// Whether the rules know words after an opening dash at all.
    pub fn has_dash_rule(&self) -> bool {
        !self.after_dash.is_empty()
    }

    /// A unit kept with the number before it.
    pub fn is_unit(&self, word: &str) -> bool {
        has(self.units, word)
    }

    /// A short title kept with the name after it.
    pub fn is_title(&self, word: &str) -> bool {
        has(self.titles, word)
    }
}

/// `word` (any case) among the space-separated lower-case `list`.
fn has(list: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    if word.chars().all(|c| !c.is_uppercase()) {
        return list.split(' ').any(|w| w == word);
    }
    let lower = word.to_lowercase();
    list.split(' ').any(|w| w == lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_reads() {
        for lang in ["ru", "uk", "be", "kk", "en", "xx"] {
            let r = Rules::of(lang);
            assert!(r.is_unit("%"), "{lang}");
        }
        assert!(Rules::of("ru").ties("В"));
        assert!(!Rules::of("ru").ties("ж"));
        assert!(Rules::of("uk").ties("і"));
        assert!(Rules::of("be").ties("ў"));
        assert!(Rules::of("en").is_title("Dr"));
        assert!(!Rules::of("en").ties("a"));
    }
}
