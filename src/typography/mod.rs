//! The typography pass: model → model, by the rules of each chapter's language.
//!
//! Authors type straight quotes, hyphens and plain spaces; the book needs the
//! language's quotation marks, dashes and no-break spaces. pulldown-cmark's
//! smart punctuation has already curled quotes the English way in Markdown
//! text; this pass re-maps them per language (Russian and Kazakh use « » with
//! „ “ inside), curls the quotes in plain metadata strings, and adds the
//! no-break spaces each language wants.

pub mod labels;
mod rules;

pub use labels::{Labels, join_names, labels};

use crate::model::{Block, Book, Inline};
use rules::Rules;

/// Applies the rules to every text of the book.
pub fn apply(book: &mut Book) {
    let book_lang = book.meta.language.primary();
    let m = &mut book.meta;
    for s in [&mut m.title]
        .into_iter()
        .chain(m.subtitle.as_mut())
        .chain(m.description.as_mut())
        .chain(m.rights.as_mut())
        .chain(m.publisher.as_mut())
        .chain(m.subject.as_mut())
    {
        *s = smarten(s, &book_lang);
    }
    for a in m.authors.iter_mut().chain(&mut m.authors_sort) {
        *a = smarten(a, &book_lang);
    }
    for c in &mut m.contributors {
        c.name = smarten(&c.name, &book_lang);
    }
    if let Some(cover) = &mut book.cover {
        drop_controls(&mut cover.alt);
    }
    use rayon::prelude::*;
    book.chapters.par_iter_mut().for_each(|ch| {
        let lang = ch.lang.primary();
        inlines(&mut ch.title, &lang);
        if let Some(s) = &mut ch.standfirst {
            inlines(s, &lang);
        }
        if let Some(h) = &mut ch.running_head {
            *h = smarten(h, &lang);
        }
        for n in ch.interviewees.iter_mut().chain(ch.interviewer.as_mut()) {
            *n = smarten(n, &lang);
        }
        blocks(&mut ch.intro, &lang);
        for e in &mut ch.exchanges {
            inlines(&mut e.question.content, &lang);
            blocks(&mut e.answer, &lang);
        }
        for n in &mut ch.notes {
            blocks(&mut n.content, &lang);
        }
        if let Some(bio) = &mut ch.bio {
            bio.name = smarten(&bio.name, &lang);
            blocks(&mut bio.content, &lang);
            if let Some(p) = &mut bio.portrait {
                drop_controls(&mut p.alt);
            }
        }
    });
}

/// Control characters other than tab and line ends (C0, DEL, C1) are not
/// text: no font draws them, XML forbids most, and PDF/UA forbids glyphs
/// for them. The chapter reader reads raw ones as spaces (with a warning);
/// those written as escapes (`"\x01"` in YAML, `"\u0000"` in TOML) reach the
/// model as characters, and are dropped here, before any writer.
fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

fn drop_controls(s: &mut String) {
    if s.chars().any(is_stray_control) {
        s.retain(|c| !is_stray_control(c));
    }
}

/// Applies the rules of language `primary` to a plain string.
pub fn smarten(text: &str, primary: &str) -> String {
    let mut st = State::new(primary);
    st.run(text)
}

fn blocks(blocks: &mut [Block], lang: &str) {
    for b in blocks {
        match b {
            Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
                inlines(content, lang)
            }
            Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                self::blocks(content, lang)
            }
            Block::List { items, .. } => {
                for i in items {
                    self::blocks(&mut i.blocks, lang);
                }
            }
            Block::Figure { caption, image, .. } => {
                drop_controls(&mut image.alt);
                inlines(caption, lang)
            }
            Block::Table { head, rows, .. } => {
                for cell in head.iter_mut().chain(rows.iter_mut().flatten()) {
                    inlines(cell, lang);
                }
            }
            Block::CodeBlock { text, .. } => drop_controls(text),
            Block::SectionBreak { .. } => {}
        }
    }
}

/// One paragraph's inlines, in reading order, with quote state carried from
/// one text run to the next (a quotation may open in plain text and close
/// inside emphasis).
fn inlines(v: &mut [Inline], lang: &str) {
    let mut st = State::new(lang);
    walk(v, &mut st);
}

fn walk(v: &mut [Inline], st: &mut State) {
    for i in v {
        match i {
            Inline::Text(t) => *t = st.run(t),
            Inline::Foreign { lang, content } => {
                // A foreign span follows its own language's rules.
                let mut inner = State::new(&lang.primary());
                inner.prev = st.prev;
                inner.emitted = st.emitted;
                walk(content, &mut inner);
                st.prev = inner.prev;
                st.emitted = inner.emitted;
            }
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Link { content: c, .. } => walk(c, st),
            Inline::Code(c) => {
                drop_controls(c);
                st.prev = 'x'
            }
            Inline::LineBreak => st.prev = ' ',
            Inline::NoteRef(_) => {}
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    Double,
    Single,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// “ ” and ‘ ’ as the author chose them (English and the default).
    English,
    /// « » outside, „ “ inside (Russian, Kazakh).
    Guillemets,
}

struct State {
    style: Style,
    /// Spaced dashes with a no-break space before them.
    spaced_dash: bool,
    stack: Vec<Quote>,
    prev: char,
    /// The characters of the text being run, kept between runs.
    chars: Vec<char>,
    rules: Rules,
    /// `prev` when the current run began: whether its first word follows a
    /// letter of the run before.
    run_prev: char,
    /// Whether anything but spaces has been written: a dash before that
    /// opens the paragraph (a reply) rather than joining two phrases.
    emitted: bool,
    /// After an opening dash: 1 while the space after the dash is due, 2
    /// while the space after the first word is due.
    dash: u8,
}

impl State {
    fn new(primary: &str) -> Self {
        let cyr = crate::model::Lang::primary_uses_guillemets(primary);
        State {
            style: if cyr {
                Style::Guillemets
            } else {
                Style::English
            },
            spaced_dash: cyr,
            stack: Vec::new(),
            prev: ' ',
            chars: Vec::new(),
            rules: Rules::of(primary),
            run_prev: ' ',
            emitted: false,
            dash: 0,
        }
    }

    fn open(&mut self, q: Quote, out: &mut String) {
        let depth = self.stack.len();
        self.stack.push(q);
        out.push(match (self.style, q) {
            (Style::English, Quote::Double) => '“',
            (Style::English, Quote::Single) => '‘',
            (Style::Guillemets, _) if depth == 0 => '«',
            (Style::Guillemets, _) => '„',
        });
    }

    fn close(&mut self, q: Quote, out: &mut String) {
        // Close the innermost quote of this kind; with none open, the mark
        // is a closing quote (double) or an apostrophe (single).
        let pos = self.stack.iter().rposition(|&k| k == q);
        let depth = match pos {
            Some(p) => {
                self.stack.truncate(p);
                Some(p)
            }
            None => None,
        };
        out.push(match (self.style, q, depth) {
            (_, Quote::Single, None) => '’',
            (Style::English, Quote::Double, _) => '”',
            (Style::English, Quote::Single, _) => '’',
            (Style::Guillemets, _, Some(0)) | (Style::Guillemets, Quote::Double, None) => '»',
            (Style::Guillemets, _, Some(_)) => '“',
        });
    }

    fn run(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 8);
        let mut chars = std::mem::take(&mut self.chars);
        chars.clear();
        chars.extend(text.chars().filter(|&c| !is_stray_control(c)));
        self.run_prev = self.prev;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            // Only quotes ask for it: most characters are letters.
            let opening_context = || {
                self.prev.is_whitespace()
                    || matches!(
                        self.prev,
                        '(' | '[' | '{' | '—' | '–' | '-' | '/' | '\u{a0}' | '«' | '„' | '“' | '‘'
                    )
            };
            match c {
                // Curly quotes from the Markdown reader are re-decided too:
                // its pairing goes wrong with nested quotes of one kind
                // ("Это "Капитал" Маркса"), while the context rule does not.
                '"' | '“' | '”' => {
                    // At the end of a text run the next character is unknown
                    // (it may start an emphasis): decide by what precedes.
                    if opening_context() && next.is_none_or(|n| !n.is_whitespace()) {
                        self.open(Quote::Double, &mut out)
                    } else {
                        self.close(Quote::Double, &mut out)
                    }
                }
                '\'' | '‘' | '’' => {
                    // An apostrophe before digits ('90s) is an elision, not a quotation.
                    if opening_context() && next.is_some_and(|n| n.is_alphabetic()) {
                        self.open(Quote::Single, &mut out)
                    } else {
                        self.close(Quote::Single, &mut out)
                    }
                }
                // Marks typed explicitly in another style are taken as given.
                '«' | '„' => self.open(Quote::Double, &mut out),
                '»' => self.close(Quote::Double, &mut out),
                '.' if chars.get(i + 1..i + 3) == Some(&['.', '.']) => {
                    out.push('…');
                    i += 2;
                }
                '-' | '–' | '—' if self.spaced_dash && !self.emitted && next == Some(' ') => {
                    // A dash opening the paragraph (a reply): kept with
                    // the words after it, see `keeps_next`.
                    out.push('—');
                    if self.rules.has_dash_rule() {
                        self.dash = 1;
                    }
                }
                '-' | '–' | '—' if self.spaced_dash && self.prev == ' ' && next == Some(' ') => {
                    // "слово - слово" → "слово — слово", the space before
                    // unbreakable so a line never starts with the dash.
                    if out.ends_with(' ') {
                        out.pop();
                    }
                    out.push('\u{a0}');
                    out.push('—');
                }
                ' ' => {
                    if self.keeps_next(&out, &chars[i + 1..]) {
                        out.push('\u{a0}');
                    } else {
                        out.push(' ');
                    }
                }
                _ => {
                    out.push(c);
                    self.prev = c;
                    self.emitted |= !c.is_whitespace();
                    i += 1;
                    continue;
                }
            }
            self.prev = out.chars().next_back().unwrap_or(c);
            self.emitted |= !c.is_whitespace();
            i += 1;
        }
        self.chars = chars;
        out
    }

    /// Whether the space now being written should not break: after №,
    /// before a spaced dash, after a paragraph's opening dash and a short
    /// word after it, after a word the language's table ties ("в", "и"),
    /// between a number and its unit, after an initial before a name
    /// ("А. С. Пушкин") and after a short title ("Dr Baimenov").
    fn keeps_next(&mut self, out: &str, rest: &[char]) -> bool {
        let next = rest.first().copied();
        if next.is_some_and(|n| n.is_whitespace()) {
            return false;
        }
        // The word just written, and whether it stands alone (not the
        // tail of a word begun in the run before).
        let word_start = out
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_alphabetic())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &out[word_start..];
        let alone = word_start > 0 || !self.run_prev.is_alphabetic();
        match std::mem::take(&mut self.dash) {
            1 => {
                self.dash = 2;
                return next.is_some();
            }
            2 if alone && self.rules.ties_after_dash(word) => return next.is_some(),
            _ => {}
        }
        // At the end of a run the next word is in the next inline (an
        // emphasis, a link): a tied word is still followed by one.
        if alone && self.rules.ties(word) {
            return true;
        }
        let Some(next) = next else { return false };
        if out.ends_with('№') {
            return true;
        }
        if self.spaced_dash && next == '—' {
            return true;
        }
        if self.spaced_dash && matches!(next, '-' | '–') && rest.get(1) == Some(&' ') {
            return false; // handled as a dash next round
        }
        if ends_in_number(out) && self.rules.is_unit(&next_token(rest)) {
            return true;
        }
        if !next.is_uppercase() {
            return false;
        }
        let mut rev = out.chars().rev();
        // An initial: "X." preceded by a non-letter.
        if let (Some('.'), Some(l)) = (rev.next(), rev.next())
            && l.is_uppercase()
            && rev.next().is_none_or(|c| !c.is_alphabetic())
        {
            return true;
        }
        // A short title before a name: "Dr Baimenov", "Mr. Smith".
        let trimmed = out.strip_suffix('.').unwrap_or(out);
        let title_start = trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_alphabetic())
            .map_or(0, |(i, c)| i + c.len_utf8());
        self.rules.is_title(&trimmed[title_start..])
    }
}

/// Whether `out` ends in a number ("5", "1990", "2,5"): its last
/// space-separated token is digits with separators, ending in a digit.
fn ends_in_number(out: &str) -> bool {
    let token = out.rsplit(char::is_whitespace).next().unwrap_or(out);
    token.ends_with(|c: char| c.is_ascii_digit())
        && token
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '\u{a0}' | '\u{202f}'))
}

/// The word or sign at the start of `rest`, without the punctuation after
/// it ("г." → "г", "км," → "км").
fn next_token(rest: &[char]) -> String {
    let mut t: String = rest.iter().take_while(|c| !c.is_whitespace()).collect();
    while t.ends_with(['.', ',', ';', ':', '!', '?', ')', '»', '”', '’', '…']) {
        t.pop();
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_leave_cover_and_portrait_alt_texts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
        let mut book = crate::source::load(&dir).book.expect("the sample book");
        let image = book.cover.clone().expect("the sample's cover");
        book.cover.as_mut().unwrap().alt = "Cover\u{1} of\u{85} the book".into();
        let bio = book.chapters[0].bio.as_mut().expect("the sample's bio");
        bio.portrait = Some(crate::model::Image {
            alt: "A\u{7} portrait".into(),
            ..image
        });
        apply(&mut book);
        assert_eq!(book.cover.unwrap().alt, "Cover of the book");
        let bio = book.chapters[0].bio.as_ref().unwrap();
        assert_eq!(bio.portrait.as_ref().unwrap().alt, "A portrait");
    }

    #[test]
    fn english_quotes_and_apostrophes() {
        assert_eq!(
            smarten("\"Hello,\" she said. It's 'fine'.", "en"),
            "“Hello,” she said. It’s ‘fine’."
        );
        assert_eq!(smarten("the '90s", "en"), "the ’90s");
    }

    #[test]
    fn russian_quotes_nest_as_guillemets_then_low_high() {
        assert_eq!(
            smarten("Он сказал: \"Это \"Капитал\" Маркса\".", "ru"),
            "Он сказал: «Это „Капитал“ Маркса»."
        );
        // Quotes already curled the English way (by the Markdown reader).
        assert_eq!(smarten("книга “Путь” вышла", "ru"), "книга «Путь» вышла");
    }

    #[test]
    fn kazakh_uses_guillemets() {
        assert_eq!(
            smarten("\"Qandy Qantar\" оқиғасы", "kk"),
            "«Qandy Qantar» оқиғасы"
        );
    }

    #[test]
    fn russian_dashes_and_no_break_spaces() {
        assert_eq!(smarten("Москва - столица", "ru"), "Москва\u{a0}— столица");
        assert_eq!(smarten("Москва — столица", "ru"), "Москва\u{a0}— столица");
        assert_eq!(smarten("приказ № 5", "ru"), "приказ №\u{a0}5");
        assert_eq!(
            smarten("поэт А. С. Пушкин", "ru"),
            "поэт А.\u{a0}С.\u{a0}Пушкин"
        );
    }

    #[test]
    fn one_letter_words_keep_the_next() {
        assert_eq!(
            smarten("Я был в работе с плёнками и кассетами", "ru"),
            "Я\u{a0}был в\u{a0}работе с\u{a0}плёнками и\u{a0}кассетами"
        );
        // Not a word's tail: "рабочих" is no "х".
        assert_eq!(smarten("вход в зал", "ru"), "вход в\u{a0}зал");
        assert_eq!(smarten("він і вона", "uk"), "він і\u{a0}вона");
        assert_eq!(smarten("ён ў горадзе", "be"), "ён ў\u{a0}горадзе");
        assert_eq!(smarten("a restless island", "en"), "a restless island");
        // A tied word at the end of a run: the next word is in an emphasis.
        let mut v = vec![
            Inline::Text("работал с ".into()),
            Inline::Emphasis(vec![Inline::Text("плёнками".into())]),
        ];
        inlines(&mut v, "ru");
        assert_eq!(v[0], Inline::Text("работал с\u{a0}".into()));
    }

    #[test]
    fn an_opening_dash_keeps_its_words() {
        assert_eq!(
            smarten("— Да это было давно", "ru"),
            "—\u{a0}Да\u{a0}это было давно"
        );
        assert_eq!(
            smarten("- с катушек всё и началось", "ru"),
            "—\u{a0}с\u{a0}катушек всё и\u{a0}началось"
        );
        // Within a sentence a dash stays with the word before it.
        assert_eq!(smarten("Москва - столица", "ru"), "Москва\u{a0}— столица");
    }

    #[test]
    fn numbers_keep_their_units() {
        assert_eq!(
            smarten("в 1990 г. было 5 км", "ru"),
            "в\u{a0}1990\u{a0}г. было 5\u{a0}км"
        );
        assert_eq!(
            smarten("up 10 % in 5 km.", "en"),
            "up 10\u{a0}% in 5\u{a0}km."
        );
        assert_eq!(smarten("5 apples", "en"), "5 apples");
        assert_eq!(smarten("10 % бол", "de"), "10\u{a0}% бол");
    }

    #[test]
    fn english_titles_and_ellipses() {
        assert_eq!(
            smarten("Dr Alikhan Baimenov", "en"),
            "Dr\u{a0}Alikhan Baimenov"
        );
        assert_eq!(smarten("wait...", "en"), "wait…");
        // English em dashes stay as written.
        assert_eq!(smarten("a teacher—we", "en"), "a teacher—we");
        assert_eq!(smarten("read more - now", "en"), "read more - now");
    }

    #[test]
    fn quotes_span_inline_boundaries() {
        let mut v = vec![
            Inline::Text("Он назвал \"".into()),
            Inline::Emphasis(vec![Inline::Text("Путь".into())]),
            Inline::Text("\" книгой".into()),
        ];
        inlines(&mut v, "ru");
        assert_eq!(v[0], Inline::Text("Он назвал «".into()));
        assert_eq!(v[2], Inline::Text("» книгой".into()));
    }
}
