//! Hyphenation points of words, by language.
//!
//! Languages with TeX patterns in `hypher` (English, Russian and some thirty
//! more) use them. Kazakh has no patterns there (nor in the `hyphenation`
//! crate, nor in TeX's hyph-utf8), so it gets a rule-based fallback:
//! Kazakh orthography hyphenates by syllable, and a Kazakh (Turkic)
//! syllable starts with at most one consonant, so between two vowels the
//! break goes before the last consonant (V-CV, VC-CV, VCC-CV). Kyrgyz and
//! Tatar share the rule and use it too. Other languages without patterns are
//! not hyphenated (the breaker then relies on spacing alone).

use crate::model::Lang;

/// How words of one language are hyphenated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hyphenator {
    Patterns(hypher::Lang),
    /// The Turkic syllable rule (see the module comment).
    TurkicSyllables,
    None,
}

impl Hyphenator {
    pub fn for_lang(lang: &Lang) -> Hyphenator {
        let p = lang.primary();
        match p.as_str() {
            "kk" | "ky" | "tt" => Hyphenator::TurkicSyllables,
            _ => {
                let b = p.as_bytes();
                if b.len() == 2
                    && let Some(l) = hypher::Lang::from_iso([b[0], b[1]])
                {
                    return Hyphenator::Patterns(l);
                }
                Hyphenator::None
            }
        }
    }

    /// Byte offsets inside `word` where it may be hyphenated, ascending.
    /// `word` should be letters only (the caller strips punctuation).
    pub fn points(&self, word: &str, out: &mut Vec<usize>) {
        out.clear();
        match *self {
            Hyphenator::None => {}
            Hyphenator::Patterns(lang) => {
                let (l, r) = min_fragments(lang);
                let syllabic = cyrillic(lang);
                let mut pos = 0;
                let mut syl = hypher::hyphenate_bounded(word, lang, l, r).peekable();
                while let Some(s) = syl.next() {
                    pos += s.len();
                    if syl.peek().is_some() {
                        // Russian practice: every fragment keeps a vowel
                        // (no "вз-", no "-ств").
                        if syllabic
                            && !(word[..pos].chars().any(is_vowel)
                                && word[pos..].chars().any(is_vowel))
                        {
                            continue;
                        }
                        out.push(pos);
                    }
                }
            }
            Hyphenator::TurkicSyllables => turkic_points(word, out),
        }
    }
}

/// Fewest letters before and after a hyphen (TeX's \lefthyphenmin and
/// \righthyphenmin): 2 and 3 in English, as TeX's; 2 and 2 in Russian,
/// German and most others, as their typesetting rules ask; hypher's own
/// bounds where they are stricter.
fn min_fragments(lang: hypher::Lang) -> (usize, usize) {
    let (l, r) = lang.bounds();
    let right = if lang == hypher::Lang::English { 3 } else { 2 };
    (l.max(2), r.max(right))
}

/// Languages written in Cyrillic, whose fragments must each hold a vowel.
fn cyrillic(lang: hypher::Lang) -> bool {
    matches!(
        lang,
        hypher::Lang::Russian
            | hypher::Lang::Ukrainian
            | hypher::Lang::Belarusian
            | hypher::Lang::Bulgarian
    )
}

fn is_vowel(c: char) -> bool {
    matches!(
        c.to_lowercase().next().unwrap_or(c),
        'а' | 'ә'
            | 'е'
            | 'ё'
            | 'и'
            | 'о'
            | 'ө'
            | 'у'
            | 'ұ'
            | 'ү'
            | 'ы'
            | 'і'
            | 'э'
            | 'ю'
            | 'я'
            | 'a'
            | 'ä'
            | 'e'
            | 'i'
            | 'ı'
            | 'o'
            | 'ö'
            | 'u'
            | 'ü'
            | 'ū'
            | 'y'
    )
}

/// Syllable breaks: before the last consonant between two vowels; never
/// leaving fewer than two letters on the first line or three on the next, and
/// never before a soft or hard sign.
fn turkic_points(word: &str, out: &mut Vec<usize>) {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let n = chars.len();
    if n < 5 {
        return;
    }
    let vowels: Vec<usize> = (0..n).filter(|&i| is_vowel(chars[i].1)).collect();
    for w in vowels.windows(2) {
        let (a, b) = (w[0], w[1]);
        // Break before the consonant right before the second vowel, or
        // between two vowels that touch.
        let at = if b == a + 1 { b } else { b - 1 };
        if at < 2 || n - at < 3 {
            continue;
        }
        if matches!(chars[at].1, 'ь' | 'ъ' | 'Ь' | 'Ъ') {
            continue;
        }
        out.push(chars[at].0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hy(lang: &str, word: &str) -> String {
        let h = Hyphenator::for_lang(&Lang::parse(lang).unwrap());
        let mut pts = Vec::new();
        h.points(word, &mut pts);
        let mut s = String::new();
        let mut last = 0;
        for p in pts {
            s.push_str(&word[last..p]);
            s.push('-');
            last = p;
        }
        s.push_str(&word[last..]);
        s
    }

    #[test]
    fn english_patterns() {
        assert_eq!(hy("en", "professionalise"), "pro-fes-sion-alise");
        assert_eq!(hy("en-GB", "extensive"), "ex-ten-sive");
        // right min 3: no "wel-come"-style break leaving two letters
        assert!(!hy("en", "reformer").ends_with("-er"));
    }

    #[test]
    fn russian_patterns() {
        let r = hy("ru", "государственной");
        assert!(r.contains('-'), "{r}");
        assert_eq!(r.replace('-', ""), "государственной");
    }

    #[test]
    fn fragments_by_language() {
        // English keeps three letters after a hyphen; Russian and German two.
        for w in ["reformer", "professionalise", "extensive", "recorded"] {
            let r = hy("en", w);
            let tail = r.rsplit('-').next().unwrap();
            let head = r.split('-').next().unwrap();
            assert!(
                tail.chars().count() >= 3 && head.chars().count() >= 2,
                "{r}"
            );
        }
        for (lang, w) in [
            ("ru", "государственной"),
            ("ru", "катушек"),
            ("ru", "разговаривали"),
            ("de", "Richtlinienumsetzungsgesetz"),
        ] {
            let r = hy(lang, w);
            for frag in r.split('-') {
                assert!(frag.chars().count() >= 2, "{r}");
                if lang == "ru" {
                    assert!(frag.chars().any(is_vowel), "{r}: {frag} has no vowel");
                }
            }
        }
        // Two letters may end a Russian word after a hyphen, where English
        // would need three.
        let r = hy("ru", "государственной");
        assert!(r.contains('-'), "{r}");
        assert!(hy("de", "Richtlinienumsetzungsgesetz").matches('-').count() >= 4);
    }

    #[test]
    fn kazakh_fallback_is_syllabic() {
        // мем-ле-кет-тік: "мемлекеттік" (state)
        assert_eq!(hy("kk", "мемлекеттік"), "мем-ле-кет-тік");
        assert_eq!(hy("kk-Cyrl", "қызметшілер"), "қыз-мет-ші-лер");
        assert_eq!(hy("kk", "ана"), "ана");
    }

    #[test]
    fn unknown_language_is_not_hyphenated() {
        assert_eq!(hy("ja", "professionalise"), "professionalise");
    }
}
