//! Who made a book besides its authors, and how names are filed.

/// What a contributor did, named by a `[book]` key; each has its MARC
/// relator code, which the EPUB's `dc:contributor` carries as its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Editor,
    Translator,
    Photographer,
    Illustrator,
}

impl Role {
    /// Every role, in the order contributors are listed.
    pub const ALL: [Role; 4] = [
        Role::Editor,
        Role::Translator,
        Role::Photographer,
        Role::Illustrator,
    ];

    /// The `[book]` key that names people in this role.
    pub fn key(self) -> &'static str {
        match self {
            Role::Editor => "editors",
            Role::Translator => "translators",
            Role::Photographer => "photographers",
            Role::Illustrator => "illustrators",
        }
    }

    /// The MARC relator code (<https://id.loc.gov/vocabulary/relators>).
    pub fn marc(self) -> &'static str {
        match self {
            Role::Editor => "edt",
            Role::Translator => "trl",
            Role::Photographer => "pht",
            Role::Illustrator => "ill",
        }
    }
}

/// A person named in `[book]` for what they did, other than writing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contributor {
    pub name: String,
    pub role: Role,
}

/// Name suffixes that stay after the given names when a name is filed.
const SUFFIXES: &[&str] = &["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"];

/// How a name is filed when nobody said: "Last, First" ("Alikhan Baimenov"
/// is filed as "Baimenov, Alikhan"; "Martin Luther King Jr." as "King,
/// Martin Luther, Jr."). A single word, or a name already holding a comma,
/// is filed as it is. Family-name-first names and organisations need
/// `authors-sort`.
pub fn file_as(name: &str) -> String {
    let name = name.trim();
    if name.contains(',') {
        return name.to_string();
    }
    let mut words: Vec<&str> = name.split_whitespace().collect();
    let suffix = match words.last() {
        Some(w) if words.len() > 2 && SUFFIXES.contains(&w.to_lowercase().as_str()) => words.pop(),
        _ => None,
    };
    let Some((last, given)) = words.split_last() else {
        return String::new();
    };
    if given.is_empty() {
        return last.to_string();
    }
    let mut out = format!("{last}, {}", given.join(" "));
    if let Some(s) = suffix {
        out.push_str(", ");
        out.push_str(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_filed_last_name_first() {
        assert_eq!(file_as("Alikhan Baimenov"), "Baimenov, Alikhan");
        assert_eq!(file_as("  Jane  Q.   Editor "), "Editor, Jane Q.");
        assert_eq!(
            file_as("Martin Luther King Jr."),
            "King, Martin Luther, Jr."
        );
        assert_eq!(file_as("Plato"), "Plato");
        assert_eq!(file_as("Baimenov, Alikhan"), "Baimenov, Alikhan");
        assert_eq!(file_as(""), "");
    }

    #[test]
    fn roles_have_distinct_keys_and_codes() {
        let keys: std::collections::HashSet<_> = Role::ALL.iter().map(|r| r.key()).collect();
        let codes: std::collections::HashSet<_> = Role::ALL.iter().map(|r| r.marc()).collect();
        assert_eq!((keys.len(), codes.len()), (4, 4));
        assert_eq!(Role::Translator.marc(), "trl");
    }
}
