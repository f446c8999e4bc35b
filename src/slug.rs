//! File-name slugs from titles: lower-case ASCII words joined by `-`.
//!
//! Cyrillic (Russian and Kazakh letters) is transliterated so that a Russian
//! or Kazakh title still gives a readable, portable file name; other scripts
//! that have no ASCII form are dropped, and an empty result falls back to
//! `book`.

/// Makes a slug of at most 60 characters, cut at a word boundary.
use std::collections::{HashMap, HashSet};

pub fn slugify(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut pending_dash = false;
    for c in title.chars().flat_map(fold_char) {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            // Apostrophes join ("Kazakhstan’s" → "kazakhstans"); everything
            // else separates words.
            pending_dash = true;
        }
    }
    if out.len() > 60 {
        let cut = out[..=60].rfind('-').unwrap_or(60);
        out.truncate(cut);
    }
    if out.is_empty() {
        out.push_str("book");
    }
    out
}

/// One character as zero or more ASCII characters.
fn fold_char(c: char) -> impl Iterator<Item = char> {
    let s: &str = match c {
        '’' | '‘' | 'ʼ' | '\'' => "'",
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => "i",
        'ñ' | 'ń' | 'ň' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' => {
            "o"
        }
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ß' => "ss",
        'š' | 'ś' | 'ş' | 'Š' | 'Ś' | 'Ş' => "s",
        'ž' | 'ź' | 'ż' | 'Ž' | 'Ź' | 'Ż' => "z",
        'ğ' | 'Ğ' => "g",
        'ł' | 'Ł' => "l",
        // Cyrillic, Russian and Kazakh letters (a simple, readable scheme).
        'а' | 'А' => "a",
        'ә' | 'Ә' => "a",
        'б' | 'Б' => "b",
        'в' | 'В' => "v",
        'г' | 'Г' => "g",
        'ғ' | 'Ғ' => "gh",
        'д' | 'Д' => "d",
        'е' | 'Е' | 'ё' | 'Ё' | 'э' | 'Э' => "e",
        'ж' | 'Ж' => "zh",
        'з' | 'З' => "z",
        'и' | 'И' | 'й' | 'Й' | 'і' | 'І' => "i",
        'к' | 'К' => "k",
        'қ' | 'Қ' => "q",
        'л' | 'Л' => "l",
        'м' | 'М' => "m",
        'н' | 'Н' => "n",
        'ң' | 'Ң' => "ng",
        'о' | 'О' => "o",
        'ө' | 'Ө' => "o",
        'п' | 'П' => "p",
        'р' | 'Р' => "r",
        'с' | 'С' => "s",
        'т' | 'Т' => "t",
        'у' | 'У' | 'ұ' | 'Ұ' | 'ү' | 'Ү' => "u",
        'ф' | 'Ф' => "f",
        'х' | 'Х' | 'һ' | 'Һ' => "h",
        'ц' | 'Ц' => "ts",
        'ч' | 'Ч' => "ch",
        'ш' | 'Ш' => "sh",
        'щ' | 'Щ' => "shch",
        'ъ' | 'Ъ' | 'ь' | 'Ь' => "",
        'ы' | 'Ы' => "y",
        'ю' | 'Ю' => "yu",
        'я' | 'Я' => "ya",
        _ => "",
    };
    let single = if s.is_empty() && c.is_ascii() {
        Some(c)
    } else {
        None
    };
    s.chars().chain(single)
}

/// Ids made unique within one document or book: a wanted id that is taken
/// gets `-2`, `-3`, … appended, the first free one.
///
/// The next suffix to try is remembered per wanted id, so claiming the same
/// id n times costs O(n) in all rather than O(n²) (a chapter with thousands of
/// headings that share an explicit id).
#[derive(Default)]
pub struct UniqueIds {
    taken: HashSet<String>,
    next: HashMap<String, u32>,
}

impl UniqueIds {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks `id` as taken (an id made elsewhere); false if it already was.
    pub fn reserve(&mut self, id: &str) -> bool {
        self.taken.insert(id.to_string())
    }

    /// `base` itself if it is free, else `base-N` with the smallest free N ≥ 2.
    pub fn claim(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        // Every suffix below `next` was taken when it was last tried, and
        // ids are never released, so the search can resume there.
        let n = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{UniqueIds, slugify};
    use std::collections::HashSet;

    #[test]
    fn english_title() {
        assert_eq!(
            slugify("Kazakhstan’s New National Story"),
            "kazakhstans-new-national-story"
        );
    }

    #[test]
    fn cyrillic_titles_are_transliterated() {
        assert_eq!(
            slugify("Новая история Казахстана"),
            "novaya-istoriya-kazahstana"
        );
        assert_eq!(
            slugify("Қазақстанның жаңа тарихы"),
            "qazaqstannyng-zhanga-tarihy"
        );
    }

    #[test]
    fn long_and_empty_titles() {
        let s = slugify(&"word ".repeat(40));
        assert!(s.len() <= 60 && !s.ends_with('-'), "{s}");
        assert_eq!(slugify("!!!"), "book");
        assert_eq!(slugify("مرحبا"), "book");
    }

    /// The remembered suffix gives the ids a search from 2 would give,
    /// whatever explicit ids were taken in between.
    #[test]
    fn unique_ids_match_the_plain_search() {
        let wanted = [
            "a", "a", "a-2", "b", "a", "a-3", "a", "a-2", "b", "a-2-2", "a",
        ];
        let mut plain: HashSet<String> = HashSet::new();
        let mut ids = UniqueIds::new();
        ids.reserve("a-4");
        plain.insert("a-4".into());
        for w in wanted {
            let mut expected = w.to_string();
            let mut n = 2;
            while !plain.insert(expected.clone()) {
                expected = format!("{w}-{n}");
                n += 1;
            }
            assert_eq!(ids.claim(w), expected, "claiming {w}");
        }
    }
}
