//! Tests of the whole engine: real fonts, real text.

use super::*;
use crate::model::{Inline, Lang};
use std::sync::{Arc, OnceLock};

const MEASURE: f32 = 334.8;

fn fonts() -> Arc<FontBook> {
    static BOOK: OnceLock<Arc<FontBook>> = OnceLock::new();
    BOOK.get_or_init(|| Arc::new(FontBook::bundled())).clone()
}

fn set(text: &str, measure: f32, lang: &str) -> SetParagraph {
    let st = StyledText::plain(text, &TextStyle::body(10.5));
    let lang = Lang::parse(lang).unwrap();
    let mut ts = Typesetter::new(fonts());
    ts.set_paragraph(&ParagraphSpec::justified(&st, measure, 0.0, &lang))
}

/// Right edge of the line's last glyph with advance, ignoring a trailing
/// protruding character's allowed hang.
fn right_edge(line: &Line) -> f32 {
    line.runs.last().map_or(0.0, |r| r.x + r.width)
}

/// Invariants every set paragraph must keep.
fn check(sp: &SetParagraph, measure: f32) {
    let text = sp.source_text();
    // Lines tile the text.
    let mut pos = 0;
    for l in &sp.lines {
        assert_eq!(l.text_range.start, pos, "lines must tile the text");
        pos = l.text_range.end;
    }
    assert_eq!(pos, text.len());
    for (i, l) in sp.lines.iter().enumerate() {
        // Never overfull: at most a protruding glyph's hang (< 0.7 em) over.
        assert!(
            right_edge(l) <= measure + 0.7 * 10.5 + 0.01,
            "line {i} overflows: {} > {measure}: {:?}",
            right_edge(l),
            &text[l.text_range.clone()]
        );
        for r in &l.runs {
            for g in &r.glyphs {
                assert!(g.text.end as usize <= sp.text().len());
                assert!(g.text.start <= g.text.end);
                assert!(sp.text().is_char_boundary(g.text.start as usize));
            }
        }
    }
}

const PARA: &str = "Consequently, we developed a groundbreaking law for the Commonwealth of \
Independent States (CIS), which distinguished political appointees from career civil servants \
for the first time. Career civil servants were granted protection from dismissal during \
leadership changes. This was a crucial development: previously, up to half the staff could be \
replaced within several months of a new minister or governor taking office.";

#[test]
fn justified_paragraph_fills_the_measure() {
    let sp = set(PARA, MEASURE, "en");
    check(&sp, MEASURE);
    assert!(sp.lines.len() >= 4);
    assert!(!sp.emergency);
    let n = sp.lines.len();
    for l in &sp.lines[..n - 1] {
        assert!(l.ratio >= -1.0 && l.ratio <= 1.0, "ratio {}", l.ratio);
        // Justified lines end at the measure (plus any hang).
        assert!(right_edge(l) >= MEASURE - 0.05, "{}", right_edge(l));
    }
    assert!(right_edge(&sp.lines[n - 1]) < MEASURE);
}

#[test]
fn optimum_beats_first_fit_on_real_text() {
    // Same text, the engine's demerits vs first-fit breaks of the same items
    // are compared inside linebreak's tests; here: the set paragraph's
    // demerits are finite and lines are not loose.
    let sp = set(PARA, MEASURE, "en");
    check(&sp, MEASURE);
    assert!(sp.demerits.is_finite());
    assert!(sp.lines.iter().all(|l| l.ratio <= 1.0 && l.ratio >= -1.3));
}

#[test]
fn hyphen_glyphs_extract_as_soft_hyphens() {
    // A narrow measure forces hyphenation.
    let sp = set(PARA, 120.0, "en");
    check(&sp, 120.0);
    let hy: Vec<&Line> = sp.lines.iter().filter(|l| l.hyphenated).collect();
    assert!(!hy.is_empty());
    let n = sp.source_len() as u32;
    let inserted = sp
        .lines
        .iter()
        .flat_map(|l| l.runs.iter().flat_map(|r| r.glyphs.iter()))
        .filter(|g| g.text.start == n)
        .count();
    assert!(inserted > 0);
    assert_eq!(&sp.text()[sp.source_len()..], "\u{AD}");
}

#[test]
fn ligature_clusters_cover_their_letters() {
    let sp = set("The office staff were efficient.", MEASURE, "en");
    let glyphs: Vec<&PositionedGlyph> = sp.lines[0].runs.iter().flat_map(|r| &r.glyphs).collect();
    // Every source byte is covered by some glyph's cluster except spaces' own.
    let covered: usize = {
        let mut v: Vec<std::ops::Range<u32>> = glyphs.iter().map(|g| g.text.clone()).collect();
        v.dedup();
        v.iter().map(|r| r.len()).sum()
    };
    assert_eq!(covered, sp.source_len());
    // A ligature: one glyph covering two or more letters.
    assert!(glyphs.iter().any(|g| g.text.len() >= 2
        && sp.text()[g.text.start as usize..g.text.end as usize].starts_with('f')));
}

#[test]
fn protrusion_hangs_punctuation_into_the_margins() {
    let text = "“Quoted words at the start of the paragraph hang into the left margin, and \
        full stops, commas, and hyphens hang into the right margin. Many short words fill \
        this line, and this one too, and the ones after it, until the end of the text.";
    let sp = set(text, 200.0, "en");
    check(&sp, 200.0);
    // The opening quote protrudes into the left margin.
    assert!(sp.lines[0].runs[0].x < 0.0, "x = {}", sp.lines[0].runs[0].x);
    // A justified line ending in punctuation or a hyphen reaches past the measure.
    let n = sp.lines.len();
    let hanging = sp.lines[..n - 1].iter().filter(|l| {
        let t = &sp.source_text()[l.text_range.clone()];
        l.hyphenated || t.trim_end().ends_with([',', '.'])
    });
    let mut seen = 0;
    for l in hanging {
        seen += 1;
        assert!(
            right_edge(l) > 200.0 + 0.1,
            "{} {:?}",
            right_edge(l),
            l.text_range
        );
    }
    assert!(seen > 0);
    // Without microtype nothing protrudes.
    let st = StyledText::plain(text, &TextStyle::body(10.5));
    let lang = Lang::english();
    let mut ts = Typesetter::new(fonts());
    let spec = ParagraphSpec {
        microtype: false,
        expansion: super::microtype::Expansion::NONE,
        ..ParagraphSpec::justified(&st, 200.0, 0.0, &lang)
    };
    let plain = ts.set_paragraph(&spec);
    assert_eq!(plain.lines[0].runs[0].x, 0.0);
    for l in &plain.lines[..plain.lines.len() - 1] {
        assert!((right_edge(l) - 200.0).abs() < 0.05);
    }
}

#[test]
fn a_sorani_paragraph_runs_right_to_left() {
    // A Latin word first in the text: in a right-to-left paragraph it is
    // drawn right of the Kurdish that follows it, in a left-to-right one left.
    let x_of = |lang: &str, want_rtl: bool| {
        let sp = set("Qalam کوردی", MEASURE, lang);
        assert_eq!(sp.lines.len(), 1);
        let runs = &sp.lines[0].runs;
        runs.iter()
            .find(|r| r.rtl == want_rtl)
            .map(|r| r.x)
            .unwrap()
    };
    for lang in ["ckb", "ar"] {
        assert!(x_of(lang, false) > x_of(lang, true), "{lang}");
    }
    assert!(x_of("en", false) < x_of("en", true));
}

#[test]
fn arabic_inside_english_is_reordered() {
    let inl = vec![
        Inline::Text("The word ".into()),
        Inline::Foreign {
            lang: Lang::parse("ar").unwrap(),
            content: vec![Inline::Text("الخدمة المدنية".into())],
        },
        Inline::Text(" means civil service.".into()),
    ];
    let st = StyledText::from_inlines(&inl, &TextStyle::body(10.5));
    let lang = Lang::english();
    let mut ts = Typesetter::new(fonts());
    let sp = ts.set_paragraph(&ParagraphSpec::justified(&st, MEASURE, 0.0, &lang));
    check(&sp, MEASURE);
    assert_eq!(sp.lines.len(), 1);
    let runs = &sp.lines[0].runs;
    let ar: Vec<&GlyphRun> = runs.iter().filter(|r| r.rtl).collect();
    assert!(!ar.is_empty());
    let fonts = fonts();
    assert!(
        ar.iter()
            .all(|r| fonts.face(r.font).family == "Noto Naskh Arabic")
    );
    // Visual order: the second Arabic word (later in the text) is drawn left
    // of the first; glyph clusters decrease from left to right.
    let ar_glyphs: Vec<&PositionedGlyph> = ar.iter().flat_map(|r| &r.glyphs).collect();
    assert!(ar_glyphs.first().unwrap().text.start > ar_glyphs.last().unwrap().text.start);
    // English before and after, left to right around it.
    let first = runs.first().unwrap();
    assert!(!first.rtl);
    assert!(sp.text()[first.text_range.clone()].starts_with("The word"));
    assert!(sp.text()[runs.last().unwrap().text_range.clone()].contains("service"));
    // Runs advance left to right without overlap.
    for w in runs.windows(2) {
        assert!(w[1].x >= w[0].x + w[0].width - 0.01);
    }
}

#[test]
fn urls_break_after_slashes_and_dots_without_hyphens() {
    let text = "See https://www.example.org/reports/civil-service/2024/annual_review?lang=en&page=12 for details of the programme.";
    let sp = set(text, 150.0, "en");
    check(&sp, 150.0);
    let n = sp.source_len() as u32;
    let url = 4..text.find(" for").unwrap();
    let url_lines: Vec<&Line> = sp
        .lines
        .iter()
        .filter(|l| l.text_range.start < url.end && l.text_range.end > url.start)
        .collect();
    assert!(url_lines.len() >= 2, "the URL is broken across lines");
    for l in &url_lines[..url_lines.len() - 1] {
        let t = &text[l.text_range.clone()];
        if l.text_range.end < url.end {
            assert!(t.ends_with(['/', '.', '-', '_', '?', '&']), "{t:?}");
            // No inserted hyphen in a URL.
            assert!(
                l.runs
                    .iter()
                    .flat_map(|r| &r.glyphs)
                    .all(|g| g.text.start < n)
            );
        }
    }
}

#[test]
fn fallback_per_character() {
    let text = "Astana — Астана — أستانا — ★ → ∑ done.";
    let sp = set(text, MEASURE, "en");
    check(&sp, MEASURE);
    let fonts = fonts();
    let fam = |c: char| -> String {
        let off = text.find(c).unwrap() as u32;
        for r in sp.lines.iter().flat_map(|l| &l.runs) {
            if r.glyphs
                .iter()
                .any(|g| g.text.start <= off && off < g.text.end)
            {
                return fonts.face(r.font).family.clone();
            }
        }
        panic!("no glyph for {c}");
    };
    assert_eq!(fam('А'), "Vollkorn");
    assert_eq!(fam('أ'), "Noto Naskh Arabic");
    let star = fam('∑');
    assert!(
        fonts
            .faces()
            .any(|(_, f)| f.family == star && f.covers('∑'))
    );
    assert!(sp.missing.iter().all(|m| m.ch == '★' || m.ch == '→') || sp.missing.is_empty());
}

#[test]
fn uncovered_characters_are_diagnostics() {
    let sp = set(
        "A smile 😀 and an unassigned \u{0870}x glyph.",
        MEASURE,
        "en",
    );
    let diags = sp.diagnostics(None);
    let emoji = diags
        .iter()
        .find(|d| d.message.contains("U+1F600"))
        .expect("emoji reported");
    assert!(!emoji.is_error(), "emoji only warn");
    assert_eq!(emoji.code, "no-glyph");
    // The emoji is still drawn (a visible box), and text extraction keeps it.
    let off = sp.source_text().find('😀').unwrap() as u32;
    assert!(
        sp.lines
            .iter()
            .flat_map(|l| &l.runs)
            .flat_map(|r| &r.glyphs)
            .any(|g| g.text.start == off)
    );
    let other = diags.iter().find(|d| d.message.contains("U+0870"));
    if let Some(o) = other {
        assert!(o.is_error());
    }
}

#[test]
fn a_400_word_sentence() {
    let words = [
        "reform",
        "of",
        "the",
        "civil",
        "service",
        "requires",
        "institutional",
        "certainty",
        "and",
        "professional",
        "responsibility",
        "across",
        "government",
        "agencies",
    ];
    let mut text = String::new();
    for i in 0..400 {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(words[(i * 7 + i / 3) % words.len()]);
    }
    text.push('.');
    let sp = set(&text, MEASURE, "en");
    check(&sp, MEASURE);
    assert!(sp.lines.len() > 30);
    assert!(!sp.emergency);
    let n = sp.lines.len();
    assert!(sp.lines[..n - 1].iter().all(|l| l.ratio.abs() <= 1.0));
}

#[test]
fn a_120_letter_word_is_broken_never_overflows() {
    let long: String = "abcdefghij".repeat(12);
    assert_eq!(long.len(), 120);
    let text = format!("Before {long} after the word.");
    for measure in [MEASURE, 150.0, 60.0] {
        let sp = set(&text, measure, "en");
        check(&sp, measure);
        let start = text.find(&long).unwrap();
        let pieces = sp
            .lines
            .iter()
            .filter(|l| l.text_range.start < start + 120 && l.text_range.end > start)
            .count();
        assert!(pieces >= 2, "the word spans lines at {measure}");
        for l in &sp.lines {
            assert!(
                right_edge(l) <= measure + 4.0,
                "{} > {measure}",
                right_edge(l)
            );
        }
    }
}

#[test]
fn note_refs_and_links_keep_their_ranges() {
    let inl = vec![
        Inline::Text("As reported".into()),
        Inline::NoteRef(7),
        Inline::Text(" by ".into()),
        Inline::Link {
            url: "https://example.org".into(),
            content: vec![Inline::Text("the agency".into())],
        },
        Inline::Text(".".into()),
    ];
    let st = StyledText::from_inlines(&inl, &TextStyle::body(10.5));
    let lang = Lang::english();
    let mut ts = Typesetter::new(fonts());
    let sp = ts.set_paragraph(&ParagraphSpec::justified(&st, MEASURE, 10.5, &lang));
    let runs: Vec<&GlyphRun> = sp.lines.iter().flat_map(|l| &l.runs).collect();
    let note = runs.iter().find(|r| r.note == Some(7)).expect("note run");
    assert!(note.baseline_shift > 0.0 && note.size < 10.5);
    assert_eq!(&sp.text()[note.text_range.clone()], "7");
    let link = runs.iter().find(|r| r.link == Some(0)).expect("link run");
    assert_eq!(&sp.text()[link.text_range.clone()], "the agency");
    assert_eq!(sp.links[0].url, "https://example.org");
    // The first line is indented.
    assert!((sp.lines[0].runs[0].x - 10.5).abs() < 0.01);
}

#[test]
fn small_caps_for_acronyms() {
    let fonts = fonts();
    let body = fonts.select(Family::Body, false, false);
    let sp = set("The UNDP and ACSH met.", MEASURE, "en");
    let plain = {
        let st = StyledText::plain(
            "The UNDP and ACSH met.",
            &TextStyle {
                acronym_small_caps: false,
                ..TextStyle::body(10.5)
            },
        );
        let lang = Lang::english();
        Typesetter::new(fonts.clone())
            .set_paragraph(&ParagraphSpec::justified(&st, MEASURE, 0.0, &lang))
    };
    let ids = |s: &SetParagraph| -> Vec<u16> {
        s.lines[0]
            .runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| g.id))
            .collect()
    };
    if fonts.face(body).metrics().features.c2sc {
        assert_ne!(ids(&sp), ids(&plain), "acronyms use small-cap glyphs");
    }
}

#[test]
fn ragged_lines_are_balanced() {
    let text = "In your tenure as Chairman of the Agency for Civil Service Affairs, you introduced a number of reforms. What motivated them?";
    let st = StyledText::plain(text, &TextStyle::heading(10.5, true));
    let lang = Lang::english();
    let mut ts = Typesetter::new(fonts());
    let sp = ts.set_paragraph(&ParagraphSpec::ragged(&st, MEASURE, &lang));
    check(&sp, MEASURE);
    assert!(sp.lines.len() >= 2);
    let widths: Vec<f32> = sp.lines.iter().map(right_edge).collect();
    let max = widths.iter().cloned().fold(0.0, f32::max);
    let min = widths.iter().cloned().fold(f32::MAX, f32::min);
    // Balanced: the shortest line is not a stub.
    assert!(min > 0.6 * max, "{widths:?}");
    assert!(!sp.lines.iter().any(|l| l.hyphenated));
}

#[test]
fn kazakh_and_russian_paragraphs_hyphenate() {
    let kk = "Мемлекеттік қызметшілердің кәсібилігін арттыру және мемлекеттік басқарудың тиімділігін көтеру мақсатында реформалар жүргізілді.";
    let sp = set(kk, 100.0, "kk");
    check(&sp, 100.0);
    assert!(sp.lines.iter().any(|l| l.hyphenated));
    let ru = "Государственная служба Республики Казахстан прошла через несколько этапов профессионализации.";
    let sp = set(ru, 100.0, "ru");
    check(&sp, 100.0);
    assert!(sp.lines.iter().any(|l| l.hyphenated));
}

/// What any paragraph, at any width, must give: lines that tile the text
/// from its start to its end, glyphs that point into it, and a glyph for
/// every letter and digit of it (none dropped, however narrow the measure).
fn check_covers(sp: &SetParagraph, input: &str) {
    let text = sp.source_text();
    assert_eq!(
        text.chars().filter(|c| c.is_alphanumeric()).count(),
        input.chars().filter(|c| c.is_alphanumeric()).count(),
        "{input:?}: the paragraph's text keeps the input's letters"
    );
    let mut pos = 0;
    for l in &sp.lines {
        assert_eq!(
            l.text_range.start, pos,
            "{input:?}: lines must tile the text"
        );
        assert!(l.text_range.end >= pos, "{input:?}");
        pos = l.text_range.end;
    }
    assert_eq!(
        pos,
        text.len(),
        "{input:?}: the lines end where the text does"
    );
    let mut covered = vec![false; sp.text().len()];
    for g in sp
        .lines
        .iter()
        .flat_map(|l| &l.runs)
        .flat_map(|r| &r.glyphs)
    {
        let (a, b) = (g.text.start as usize, g.text.end as usize);
        assert!(
            a <= b && b <= sp.text().len(),
            "{input:?}: glyph range {a}..{b}"
        );
        assert!(
            sp.text().is_char_boundary(a) && sp.text().is_char_boundary(b),
            "{input:?}"
        );
        covered[a..b].iter_mut().for_each(|c| *c = true);
    }
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            assert!(covered[i], "{input:?}: no glyph for {c:?} at {i}");
        }
    }
}

#[test]
fn odd_input_is_set_whole_at_any_width() {
    for t in [
        "",
        " ",
        "\n",
        "  a  ",
        "\u{AD}\u{AD}",
        "a\nb\n",
        "\u{200D}\u{FE0F}",
        "٣٤٥ 12 \u{200F}x",
        "ﷺ ﷽",
    ] {
        for (lang, w) in [
            ("en", MEASURE),
            ("en", 0.0),
            ("ar", 0.0),
            ("ar", 1.0),
            ("ar", 5.0),
        ] {
            let sp = set(t, w, lang);
            check_covers(&sp, t);
            // Every character here is one the bundled fonts have (or one
            // that needs no glyph): nothing to report.
            assert!(
                sp.diagnostics(None).is_empty(),
                "{t:?} in {lang}: {:?}",
                sp.diagnostics(None)
            );
        }
    }
    let narrow = set(PARA, 1.0, "en");
    check_covers(&narrow, PARA);
    // A line wider than the measure holds one unbreakable piece: no space
    // inside it where the breaker could have broken instead.
    for l in &narrow.lines {
        let t = narrow.source_text()[l.text_range.clone()].trim();
        assert!(
            right_edge(l) <= 1.0 || !t.contains(' '),
            "an overfull line holds a break opportunity: {t:?}"
        );
    }
    // One word or less on a line: as many lines as words at the least.
    assert!(narrow.lines.len() >= PARA.split_whitespace().count());
}
