//! The compositor's craft (issue 19): glyph expansion instead of
//! letter-spacing, and hyphens as few and as well placed as a good
//! compositor sets them. Real fonts, real text.

use super::microtype::{Expansion, TRACK_MAX_EM};
use super::*;
use crate::model::Lang;
use rustc_hash::FxHashMap;
use std::sync::{Arc, OnceLock};

fn fonts() -> Arc<FontBook> {
    static BOOK: OnceLock<Arc<FontBook>> = OnceLock::new();
    BOOK.get_or_init(|| Arc::new(FontBook::bundled())).clone()
}

fn set(text: &str, measure: f32, lang: &str, align: Align) -> SetParagraph {
    let st = StyledText::plain(text, &TextStyle::body(10.5));
    let lang = Lang::parse(lang).unwrap();
    let mut ts = Typesetter::new(fonts());
    let spec = match align {
        Align::Justify => ParagraphSpec::justified(&st, measure, 0.0, &lang),
        _ => ParagraphSpec::ragged(&st, measure, &lang),
    };
    ts.set_paragraph(&spec)
}

const TEXT: &str = "Consequently, we developed a groundbreaking law for the Commonwealth of \
Independent States (CIS), which distinguished political appointees from career civil servants \
for the first time. Career civil servants were granted protection from dismissal during \
leadership changes. This was a crucial development: previously, up to half the staff could be \
replaced within several months of a new minister or governor taking office. The archive kept \
everything: the interviews, the correspondence, the minutes of the meetings, and the recordings \
that nobody had listened to since the tapes were first catalogued, decades ago, by volunteers.";

/// Each glyph inside a word (a letter followed by a letter of the source,
/// so that kerning is the same however the word is set), keyed by its text,
/// its id and the next glyph's text.
fn inner_letters(sp: &SetParagraph, r: &GlyphRun) -> Vec<((u32, u32, u16, u32), f32)> {
    let letter = |g: &PositionedGlyph| {
        (g.text.end as usize) <= sp.source_len()
            && sp.text()[g.text.start as usize..g.text.end as usize]
                .chars()
                .all(char::is_alphabetic)
    };
    r.glyphs
        .windows(2)
        .filter(|w| letter(&w[0]) && letter(&w[1]))
        .map(|w| {
            (
                (w[0].text.start, w[0].text.end, w[0].id, w[1].text.start),
                w[0].x_advance,
            )
        })
        .collect()
}

/// Natural advance (em) of the letters inside words, from the same text
/// set ragged (no expansion, no letter-spacing).
fn natural_advances(text: &str, measure: f32) -> FxHashMap<(u32, u32, u16, u32), f32> {
    let sp = set(text, measure, "en", Align::RaggedRight);
    let mut m = FxHashMap::default();
    for l in &sp.lines {
        for r in &l.runs {
            assert_eq!(r.hscale, 1.0, "ragged text is never expanded");
            m.extend(inner_letters(&sp, r));
        }
    }
    m
}

#[test]
fn justification_expands_glyphs_within_bounds_and_barely_letter_spaces() {
    let bounds = Expansion::default();
    let mut expanded = 0;
    let mut compared = 0;
    for measure in [180.0, 230.0, 290.0, 334.8] {
        let natural = natural_advances(TEXT, measure);
        let sp = set(TEXT, measure, "en", Align::Justify);
        let n = sp.lines.len();
        for (i, l) in sp.lines.iter().enumerate() {
            // The line fills the measure (the last keeps its natural width).
            let right = l.runs.last().map_or(0.0, |r| r.x + r.width);
            if i + 1 < n {
                assert!(
                    (right - measure).abs() < 0.7 * 10.5,
                    "line {i} at {measure}: ends at {right}"
                );
            }
            for r in &l.runs {
                assert!(
                    r.hscale >= 1.0 - bounds.shrink - 1e-4
                        && r.hscale <= 1.0 + bounds.stretch + 1e-4,
                    "scale {} out of bounds",
                    r.hscale
                );
                if r.hscale != 1.0 {
                    expanded += 1;
                }
                // Page width is the scaled sum of the advances.
                let sum: f32 = r.glyphs.iter().map(|g| g.x_advance * r.size).sum();
                assert!((sum * r.hscale - r.width).abs() < 1e-2);
                // Letters keep their natural advance before the scale: no
                // letter-spacing beyond TRACK_MAX_EM.
                for (key, adv) in inner_letters(&sp, r) {
                    if let Some(&nat) = natural.get(&key) {
                        let track = (adv - nat) * r.hscale;
                        assert!(
                            track.abs() <= TRACK_MAX_EM + 1e-4,
                            "line {i} at {measure}: {:?} spaced by {track} em",
                            &sp.text()[key.0 as usize..key.1 as usize]
                        );
                        compared += 1;
                    }
                }
            }
        }
    }
    assert!(expanded > 10, "justified lines should use expansion");
    assert!(compared > 1000, "only {compared} letters compared");
}

#[test]
fn expansion_zero_sets_glyphs_at_their_width() {
    let st = StyledText::plain(TEXT, &TextStyle::body(10.5));
    let lang = Lang::english();
    let mut ts = Typesetter::new(fonts());
    let spec = ParagraphSpec {
        expansion: Expansion::NONE,
        ..ParagraphSpec::justified(&st, 250.0, 0.0, &lang)
    };
    let sp = ts.set_paragraph(&spec);
    assert!(sp.lines.len() > 3);
    for l in &sp.lines {
        for r in &l.runs {
            assert_eq!(r.hscale, 1.0);
        }
    }
}

#[test]
fn hyphens_are_rare_and_never_in_runs() {
    let text = [TEXT; 4].join(" ");
    // A book's measure, 50 to 65 characters (narrower columns may need a
    // third hyphen in a row, which the breaker allows only in its last passes).
    for measure in [250.0, 290.0, 334.8] {
        let sp = set(&text, measure, "en", Align::Justify);
        let n = sp.lines.len();
        let hyphenated = sp.lines.iter().filter(|l| l.hyphenated).count();
        assert!(
            hyphenated * 100 <= n * 25,
            "{hyphenated} of {n} lines hyphenated at {measure}"
        );
        for w in sp.lines.windows(3) {
            assert!(
                !w.iter().all(|l| l.hyphenated),
                "three hyphens in a row at {measure}"
            );
        }
        // The last full line of the paragraph does not end in a hyphen.
        if n >= 2 {
            assert!(!sp.lines[n - 2].hyphenated, "final hyphen at {measure}");
        }
    }
}

#[test]
fn ragged_headings_are_never_hyphenated() {
    let heading = "Internationalisation, decentralisation and the responsibilities of \
                   extraordinarily conscientious administrators";
    // Every word fits these measures: nothing needs breaking inside a word.
    for measure in [130.0, 160.0, 200.0] {
        let sp = set(heading, measure, "en", Align::RaggedRight);
        for l in &sp.lines {
            assert!(!l.hyphenated, "{:?}", &heading[l.text_range.clone()]);
            for r in &l.runs {
                assert_eq!(r.hscale, 1.0);
            }
        }
    }
}

#[test]
fn overlong_word_breaks_with_a_hyphen() {
    // The 118-letter compound of the long-words book, ending a sentence (a
    // full stop once made it look like a URL, broken without hyphens). In a
    // language without patterns it breaks where lines are full, with a
    // warning naming it; with patterns, at its syllables.
    let word = "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnungs\
                richtlinienumsetzungsbegleitgesetzesentwurfsvorlage";
    assert!(word.chars().count() >= 118);
    let text = format!("Das {word}. Es ist lang.");
    for lang in ["mt", "de", "en"] {
        let sp = set(&text, 200.0, lang, Align::Justify);
        let src = sp.source_text();
        let start = src.find(word).unwrap();
        let end = start + word.len();
        let mut inside = 0;
        for l in &sp.lines {
            let e = l.text_range.end;
            if e > start && e < end {
                inside += 1;
                assert!(l.hyphenated, "{lang}: broken without a hyphen at {e}");
                let right = l.runs.last().map_or(0.0, |r| r.x + r.width);
                assert!(right <= 200.0 + 0.7 * 10.5, "{lang}: overfull: {right}");
                let before = src[start..e].chars().count();
                let after = src[e..end].chars().count();
                assert!(
                    before >= 2 && after >= 2,
                    "{lang}: fragment of {before}/{after}"
                );
            }
        }
        assert!(inside >= 2, "{lang}: the word spans at least three lines");
        let diags = sp.diagnostics(None);
        let warn = diags.iter().find(|d| d.code == "long-word");
        if lang == "mt" {
            let warn = warn.expect("warned");
            assert!(warn.message.contains(word), "{}", warn.message);
        } else {
            assert!(
                warn.is_none(),
                "{lang}: hyphenated at syllables, no warning"
            );
        }
    }
}

#[test]
fn russian_lines_break_words_into_fragments_of_two_letters_or_more() {
    let text = "По-моему, в работе с плёнками главное — терпение. Потом мы \
                разговаривали с теми, кто их записывал, и теперь государственной \
                архивной службе передано всё, что удалось восстановить: катушки, \
                кассеты, расшифровки и воспоминания участников экспедиций.";
    let mut hyphenated = 0;
    for measure in [120.0, 150.0, 180.0, 220.0] {
        let sp = set(text, measure, "ru", Align::Justify);
        let src = sp.source_text();
        for l in &sp.lines {
            let e = l.text_range.end;
            if !l.hyphenated || e >= src.len() {
                continue;
            }
            // The letters of the word on either side of the break.
            let before = src[..e]
                .chars()
                .rev()
                .take_while(|c| c.is_alphabetic())
                .count();
            let after = src[e..].chars().take_while(|c| c.is_alphabetic()).count();
            if src[..e].ends_with('-') {
                continue; // the word's own hyphen: "По-моему"
            }
            hyphenated += 1;
            assert!(
                before >= 2 && after >= 2,
                "at {measure}: {:?} | {:?}",
                &src[l.text_range.clone()],
                &src[e..]
            );
        }
    }
    assert!(hyphenated > 0, "narrow measures need some hyphens");
}

#[test]
fn letter_spacing_never_passes_its_bound() {
    use super::set::spend;
    // Whatever a line asks for, expansion, spaces and letter-spacing are
    // spent in order, and letter-spacing stops at TRACK_MAX_EM.
    for amount in [0.0, 0.5, 2.0, 6.0, 9.0, 12.0, 20.0, 60.0] {
        for (e, s, gaps_em) in [(6.0, 10.0, 500.0), (0.0, 10.0, 500.0), (6.0, 0.0, 500.0)] {
            let (x, r, t) = spend(amount, e, s, gaps_em, 0.5);
            assert!((0.0..=1.0).contains(&x), "{amount}: expansion {x}");
            assert!((0.0..=TRACK_MAX_EM).contains(&t), "{amount}: tracking {t}");
            // Letter-spacing only once the spaces are at half their stretch.
            if t > 0.0 && s > 0.0 {
                assert!(r >= 0.5 - 1e-6, "{amount}: tracking before spaces");
            }
            // All of it is spent while there is room.
            let spent = x * e + r * s + t * gaps_em;
            if s > 0.0 {
                assert!((spent - amount).abs() < 1e-3, "{amount}: {spent}");
            }
        }
    }
}
