//! People: who is interviewed and who asks.
//!
//! The interviewee, in order of trust: a phrase of the title, standfirst or
//! introduction ("interview with X", "X im Gespräch mit Y", "Ein Interview
//! von A mit B", "X talks to Y", "Q&A: X on …", "entrevista con X",
//! "интервью с X"), the bio, the speaker labels, the start of the
//! standfirst. The interviewer: the same phrases, the byline (the junk
//! pass and the page's metadata), the asker's label. Never a dateline in
//! capitals, a company or a place; when unsure the field stays empty and
//! the report says why. A page without questions is no interview and has
//! no interviewee.

use super::bio::bio_name;
use super::speakers::speaker_key;
use super::{Ctx, Nothing, Role};
use crate::import::report::Entry;
use crate::import::words;

pub fn run(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    if cx.parts.exchanges.is_empty() {
        // A page that is no interview has no interviewee: its author box is
        // about the writer (a news site's staff box), not a bio for the book.
        if cx.parts.bio.take().is_some()
            && let Some(b) = cx.report.bio.take()
        {
            cx.report.drop(
                b.line,
                b.text,
                "author box of a page that is not an interview: about the writer, not an interviewee",
            );
        }
        return Ok(());
    }
    let phrase = from_phrases(cx);
    let mut who: Option<(String, String)> = None; // (name, where from)
    if let Some((Some(name), _, line)) = &phrase {
        who = Some((name.clone(), format!("from the words at line {line}")));
    }
    if who.is_none()
        && let Some(b) = &cx.report.bio
        && let Some(name) = bio_name(&b.text)
    {
        who = Some((name, String::new()));
    }
    if who.is_none()
        && let Some(s) = cx.speaker.clone()
    {
        who = Some((full_name(cx, &s).unwrap_or(s), String::new()));
    }
    if who.is_none()
        && let Some(s) = &cx.report.standfirst
        && let Some(name) = standfirst_name(s)
    {
        cx.report.unsure.push(Entry {
            line: cx
                .role
                .iter()
                .position(|&r| r == Role::Standfirst)
                .map_or(0, |i| cx.units[i].line),
            text: name.clone(),
            reason: "interviewee's name taken from the start of the standfirst".into(),
        });
        who = Some((name, String::new()));
    }
    if let Some((name, _)) = who {
        cx.parts.interviewees = vec![name];
    }

    // The interviewer.
    if let Some((_, Some(asker), _)) = &phrase
        && cx.parts.interviewer.is_none()
    {
        cx.parts.interviewer = Some(asker.clone());
    }
    if cx.parts.interviewer.is_none() {
        let from_meta = cx
            .meta
            .authors
            .iter()
            .map(String::as_str)
            .chain(cx.meta.byline.as_deref())
            .filter_map(byline_name)
            .find(|n| !cx.parts.interviewees.iter().any(|i| same_person(i, n)));
        if let Some(n) = from_meta {
            cx.parts.interviewer = Some(n);
        }
    }
    if cx.parts.interviewer.is_none()
        && let Some(a) = cx.asker.clone()
    {
        let a = full_name(cx, &a).unwrap_or(a);
        if person_like(&a) {
            cx.parts.interviewer = Some(a);
        }
    }
    Ok(())
}

/// The phrases that name the interviewee (and perhaps the interviewer),
/// searched in the title, the standfirst, the page's description and the
/// paragraphs before the first question. Returns (interviewee,
/// interviewer, line).
fn from_phrases(cx: &mut Ctx<'_>) -> Option<(Option<String>, Option<String>, u32)> {
    let first_q = cx
        .role
        .iter()
        .position(|&r| r == Role::Question)
        .unwrap_or(cx.units.len());
    let mut places: Vec<(u32, String)> = Vec::new();
    for i in 0..first_q.min(cx.units.len()) {
        if matches!(cx.role[i], Role::Title | Role::Standfirst | Role::Body) && cx.words[i] <= 120 {
            places.push((cx.line(i), cx.texts[i].clone()));
        }
    }
    if let Some(d) = &cx.meta.description {
        places.push((cx.units.get(cx.title).map_or(0, |u| u.line), d.clone()));
    }
    let mut rejected: Vec<(u32, String, &'static str)> = Vec::new();
    for (line, t) in &places {
        if let Some((who, asker)) = phrase(t, &mut |name, why| {
            rejected.push((*line, name.to_string(), why));
        }) && (who.is_some() || asker.is_some())
        {
            return Some((who, asker, *line));
        }
    }
    for (line, name, why) in rejected {
        cx.report
            .unsure(line, name, format!("not taken as the interviewee: {why}"));
    }
    None
}

/// A Russian name in the instrumental case ("с Анной Петровой", "с
/// Алиханом Баименовым") in the nominative, by the endings of first names
/// and surnames; a word with no such ending stays as written.
fn nominative_ru(name: &str) -> String {
    const ENDINGS: &[(&str, &str)] = &[
        ("ской", "ская"),
        ("цкой", "цкая"),
        ("ским", "ский"),
        ("цким", "цкий"),
        ("ией", "ия"),
        ("ьей", "ья"),
        ("еем", "ей"),
        ("ием", "ий"),
        ("ой", "а"),
        ("ей", "я"),
        ("ым", ""),
        ("им", ""),
        ("ом", ""),
        ("ем", "ь"),
    ];
    name.split(' ')
        .map(|w| {
            for (from, to) in ENDINGS {
                if let Some(stem) = w.strip_suffix(from)
                    && stem.chars().count() >= 2
                {
                    return format!("{stem}{to}");
                }
            }
            w.to_string()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One text's phrase: (interviewee, interviewer). `reject` hears of names
/// refused (a dateline, a company).
fn phrase(
    t: &str,
    reject: &mut dyn FnMut(&str, &'static str),
) -> Option<(Option<String>, Option<String>)> {
    let lower = t.to_lowercase();
    // Lower-casing can change byte lengths; work on the text only when
    // it does not.
    if lower.len() != t.len() {
        return None;
    }
    // "Ein Interview von A mit B": A asks B.
    for lead in ["ein interview von ", "interview von ", "ein gespräch von "] {
        if let Some(at) = lower.find(lead) {
            let rest = &t[at + lead.len()..];
            if let Some((a, after)) = name_at(rest, reject)
                && let Some(mit) = after.trim_start().strip_prefix("mit ")
                && let Some((b, _)) = name_at(mit, reject)
            {
                return Some((Some(b), Some(a)));
            }
        }
    }
    // "Q&A: X on …".
    for lead in ["q&a: ", "q & a: ", "q+a: "] {
        if lower.starts_with(lead)
            && let Some((x, after)) = name_at(&t[lead.len()..], reject)
            && after.trim_start().starts_with("on ")
        {
            return Some((Some(x), None));
        }
    }
    // "X im Gespräch mit Y": X is interviewed (by Y, when Y is a person).
    for mid in [" im gespräch mit ", " im interview mit "] {
        if let Some(at) = lower.find(mid)
            && let Some(x) = name_before(&t[..at])
        {
            let y = name_at(&t[at + mid.len()..], reject).map(|(y, _)| y);
            return Some((Some(x), y));
        }
    }
    // "X talks to Y", "X speaks to Y": X asks Y.
    for mid in [
        " talks to ",
        " speaks to ",
        " talks with ",
        " speaks with ",
        " sits down with ",
    ] {
        if let Some(at) = lower.find(mid)
            && let Some((y, _)) = name_at(&t[at + mid.len()..], reject)
        {
            return Some((Some(y), name_before(&t[..at])));
        }
    }
    for lead in words::list("interview-with") {
        let mut from = 0;
        while let Some(k) = lower[from..].find(lead) {
            let at = from + k;
            from = at + lead.len();
            // A whole word before the phrase.
            if at > 0
                && lower[..at]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let rest = &t[at + lead.len()..];
            if !rest.starts_with(' ') {
                continue;
            }
            if let Some((x, _)) = name_at(rest, reject) {
                // Russian puts the name after "с" in the instrumental case.
                let x = if lead.ends_with(" с") || lead.ends_with(" со") {
                    nominative_ru(&x)
                } else {
                    x
                };
                return Some((Some(x), None));
            }
        }
    }
    None
}

/// A word that ends a name's run or shows it is no person: an
/// organisation's or a place's.
fn not_name(lower: &str) -> bool {
    words::has("organisation-words", lower) || words::has("place-words", lower)
}

/// The name a text begins with (after articles, honorifics and a
/// descriptor such as "the philosopher"), and the text after it.
fn name_at<'t>(
    t: &'t str,
    reject: &mut dyn FnMut(&str, &'static str),
) -> Option<(String, &'t str)> {
    let mut rest = t.trim_start();
    // Lower-case words before the name ("the author and philosopher").
    let mut skipped = 0;
    let mut after_article = false;
    loop {
        let w = rest.split_whitespace().next()?;
        let bare = w.trim_end_matches([',', ':']);
        let lw = bare.to_lowercase();
        if words::has("articles", &lw) {
            after_article = true;
        } else if words::has("honorifics", &lw) || words::has("forms-of-address", &lw) {
        } else if bare.chars().next().is_some_and(char::is_lowercase)
            && skipped < 4
            && bare.len() == w.len()
        {
            skipped += 1;
        } else {
            break;
        }
        rest = rest[w.len()..].trim_start();
    }
    let mut words: Vec<&str> = Vec::new();
    let mut end = 0;
    let mut cut = false;
    for w in rest.split_whitespace() {
        let bare = w.trim_end_matches([',', ':', ';', '.', '!', '?', ')', '»', '”', '"', '’']);
        let bare = bare.trim_end_matches("'s").trim_end_matches("’s");
        let cap = bare.chars().next().is_some_and(char::is_uppercase)
            && bare
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
            && bare.chars().any(char::is_alphabetic);
        let particle = !words.is_empty()
            && (words::has("name-particles", bare) || words::has("more-name-particles", bare));
        if !(cap || particle) || words.len() >= 5 {
            break;
        }
        words.push(bare);
        end = rest.find(w).map_or(end, |p| p + w.len());
        // "Precht," or "Precht." ends the name (an initial "J." does not).
        if bare.len() < w.len() && !(bare.len() <= 2 && w.ends_with('.')) {
            cut = true;
            break;
        }
    }
    let _ = cut;
    while words
        .last()
        .is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase))
    {
        words.pop();
    }
    // "mit dem Philosophen Richard David Precht": the first word after an
    // article, before two more, is the descriptor.
    if after_article && words.len() >= 3 {
        words.remove(0);
    }
    let name = words.join(" ");
    if words.is_empty() {
        return None;
    }
    if shouting(&words) {
        reject(&name, "written in capitals, like a dateline or a place");
        return None;
    }
    if let Some(w) = words.iter().find(|w| not_name(&w.to_lowercase())) {
        reject(
            &name,
            if words::has("place-words", &w.to_lowercase()) {
                "a place, not a person"
            } else {
                "an organisation, not a person"
            },
        );
        return None;
    }
    if words
        .iter()
        .any(|w| words::has("not-persons", &w.to_lowercase()))
        || words.len() < 2
    {
        return None;
    }
    Some((name, &rest[end.min(rest.len())..]))
}

/// The name a text ends with ("… der Philosoph Richard David Precht").
fn name_before(t: &str) -> Option<String> {
    let toks: Vec<&str> = t.split_whitespace().collect();
    let mut name: Vec<&str> = Vec::new();
    for w in toks.iter().rev() {
        let cap = w.chars().next().is_some_and(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'));
        if !cap || name.len() >= 4 {
            break;
        }
        name.push(w);
    }
    name.reverse();
    // A descriptor noun before the name ("Philosoph Richard David Precht").
    if name.len() >= 4 {
        name.remove(0);
    }
    let ok = name.len() >= 2
        && !shouting(&name)
        && !name.iter().any(|w| {
            let l = w.to_lowercase();
            not_name(&l) || words::has("not-persons", &l)
        });
    ok.then(|| name.join(" "))
}

/// Every word in capitals: a dateline ("SIOUX FALLS"), an acronym, a
/// shout; no name as the page writes names.
fn shouting(words: &[&str]) -> bool {
    words.iter().all(|w| {
        w.chars().filter(|c| c.is_alphabetic()).count() > 1 && !w.chars().any(char::is_lowercase)
    })
}

/// A name from a byline: "By Jane Roe", "Jane Roe, Staff Writer", "Von
/// Jane Roe".
fn byline_name(t: &str) -> Option<String> {
    let t = t.trim();
    let lower = t.to_lowercase();
    let t = ["by ", "von ", "por ", "автор: ", "автор "]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map_or(t, |p| &t[p.len()..]);
    let head = t.split([',', '|', '(', '/']).next().unwrap_or("").trim();
    let head = head
        .split(" and ")
        .next()
        .unwrap_or(head)
        .split(" und ")
        .next()
        .unwrap_or(head);
    person_like(head).then(|| head.to_string())
}

/// Two to four capitalised words, no organisation, not in capitals.
fn person_like(t: &str) -> bool {
    let ws: Vec<&str> = t.split_whitespace().collect();
    (2..=4).contains(&ws.len())
        && ws.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
        })
        && !shouting(&ws)
        && !ws.iter().any(|w| {
            let l = w.to_lowercase();
            not_name(&l) || words::has("not-persons", &l)
        })
}

fn same_person(a: &str, b: &str) -> bool {
    speaker_key(a) == speaker_key(b)
}

/// The full form of a surname the speaker labels use ("Precht" → "Richard
/// David Precht"), from the text before the first question.
fn full_name(cx: &Ctx<'_>, short: &str) -> Option<String> {
    if short.split_whitespace().count() > 1 {
        return None;
    }
    for i in 0..cx.units.len() {
        if !matches!(
            cx.role[i],
            Role::Title | Role::Standfirst | Role::Body | Role::Bio
        ) {
            continue;
        }
        let t = &cx.texts[i];
        let mut from = 0;
        while let Some(k) = t[from..].find(short) {
            let at = from + k;
            from = at + short.len();
            let after = t[at + short.len()..].chars().next();
            if after.is_some_and(char::is_alphabetic) {
                continue;
            }
            if let Some(n) = name_before(&t[..at + short.len()])
                && n.split_whitespace().count() >= 2
            {
                return Some(n);
            }
        }
    }
    None
}

/// "Jane Roe, the republic’s …": a name that opens a standfirst.
fn standfirst_name(t: &str) -> Option<String> {
    let toks: Vec<&str> = t.split_whitespace().take(6).collect();
    let mut name = Vec::new();
    for w in toks {
        let bare = w.trim_end_matches(',');
        if !bare.chars().next().is_some_and(char::is_uppercase)
            || !bare
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
        {
            return None;
        }
        name.push(bare);
        if bare.len() < w.len() {
            return ((2..=4).contains(&name.len()) && !shouting(&name)).then(|| name.join(" "));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::import::unit::PageMeta;

    fn who(t: &str) -> (Option<String>, Option<String>) {
        phrase(t, &mut |_, _| {}).unwrap_or((None, None))
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn phrases_that_name_people() {
        assert_eq!(
            who("An interview with Jane Roe about rivers"),
            (s("Jane Roe"), None)
        );
        assert_eq!(
            who("Ein Interview von Eugen Zentner mit Sonja Silberhorn"),
            (s("Sonja Silberhorn"), s("Eugen Zentner"))
        );
        assert_eq!(
            who("Richard David Precht im Gespräch mit Markus Lanz"),
            (s("Richard David Precht"), s("Markus Lanz"))
        );
        assert_eq!(
            who("Der Philosoph Richard David Precht im Gespräch mit der ZEIT"),
            (s("Richard David Precht"), None)
        );
        assert_eq!(
            who("Ein Gespräch mit dem Philosophen Richard David Precht über Arbeit"),
            (s("Richard David Precht"), None)
        );
        assert_eq!(
            who("Jane Roe talks to Aigerim Sadykova about the river"),
            (s("Aigerim Sadykova"), s("Jane Roe"))
        );
        assert_eq!(
            who("Q&A: Aigerim Sadykova on water and war"),
            (s("Aigerim Sadykova"), None)
        );
        assert_eq!(
            who("Una entrevista con Gabriel García Márquez"),
            (s("Gabriel García Márquez"), None)
        );
        assert_eq!(
            who("Эксклюзивное интервью с Алиханом Баймено\u{AD}вым"),
            (None, None),
            "a soft hyphen is no letter: no name"
        );
        assert_eq!(
            who("Эксклюзивное интервью с Алиханом Баименовым о реформах"),
            (s("Алихан Баименов"), None)
        );
        assert_eq!(
            who("An interview with the author and philosopher Jane Roe."),
            (s("Jane Roe"), None)
        );
    }

    #[test]
    fn no_datelines_companies_or_places() {
        let mut rejected = Vec::new();
        let r = phrase("An interview with SIOUX FALLS officials", &mut |n, why| {
            rejected.push((n.to_string(), why))
        });
        assert_eq!(r, None);
        assert_eq!(rejected[0].0, "SIOUX FALLS");
        assert_eq!(
            who("An interview with Acme Holdings Inc. on prices"),
            (None, None)
        );
        assert_eq!(
            who("A conversation with New York City about trains"),
            (None, None)
        );
        assert_eq!(who("We spoke with readers about rivers"), (None, None));
        assert_eq!(standfirst_name("SIOUX FALLS, S.D. (AP) — A man was"), None);
        assert_eq!(byline_name("By Jane Roe, Staff Writer"), s("Jane Roe"));
        assert_eq!(byline_name("By THE ASSOCIATED PRESS"), None);
    }

    #[test]
    fn people_of_a_page() {
        let meta = PageMeta {
            byline: Some("Von Eugen Zentner".into()),
            ..PageMeta::default()
        };
        let (parts, _) = page(
            vec![
                h1("Schreiben als Handwerk"),
                para("Ein Interview von Eugen Zentner mit Sonja Silberhorn über ihr neues Buch."),
                bold("Frau Silberhorn, wie kamen Sie zum Schreiben?"),
                para("Durch meine Großmutter."),
            ],
            &meta,
            true,
        );
        assert_eq!(parts.interviewees, ["Sonja Silberhorn"]);
        assert_eq!(parts.interviewer.as_deref(), Some("Eugen Zentner"));
    }

    #[test]
    fn surnames_of_the_labels_in_full() {
        let (parts, _) = page(
            vec![
                h1("Die Arbeit der Zukunft"),
                para(
                    "Der Philosoph Richard David Precht über Maschinen, mit Fragen von Anna Fischer.",
                ),
                para("Fischer: Herr Precht, was bleibt von der Arbeit?"),
                para("Precht: Mehr, als wir fürchten."),
                para("Fischer: Und für wen?"),
                para("Precht: Für die, die lernen wollen."),
            ],
            &PageMeta::default(),
            false,
        );
        assert_eq!(parts.interviewees, ["Richard David Precht"]);
        assert_eq!(parts.interviewer.as_deref(), Some("Anna Fischer"));
    }

    #[test]
    fn a_news_page_has_no_interviewee() {
        let (parts, _) = page(
            vec![
                h1("Storm closes schools"),
                para(
                    "SIOUX FALLS, S.D. (AP) — A spring storm closed schools across the state on Tuesday.",
                ),
                para("Officials said the roads would reopen by Wednesday."),
            ],
            &PageMeta::default(),
            true,
        );
        assert!(parts.interviewees.is_empty());
    }

    #[test]
    fn standfirst_names() {
        assert_eq!(
            standfirst_name("Alikhan Baimenov, the Central Asian republic’s reformer"),
            Some("Alikhan Baimenov".into())
        );
    }

    /// A news article's author box is the writer's, not an interviewee's:
    /// no bio for the book (the Washington Post and Medium pages of the dev
    /// set).
    #[test]
    fn a_writers_box_on_a_page_that_is_no_interview_is_no_bio() {
        let (parts, report) = page(
            vec![
                h1("Where do relations go after the election?"),
                para("The prime minister won a fourth term on Tuesday."),
                para("Officials in Washington said little in public."),
                para("Analysts expect a cool period, then a thaw."),
                heading(3, "About the author"),
                para("Steven Mufson covers the White House for the paper."),
            ],
            &crate::import::unit::PageMeta::default(),
            true,
        );
        assert!(parts.bio.is_none(), "{:?}", parts.bio);
        assert!(report.bio.is_none());
        assert!(report.dropped.iter().any(|e| {
            e.reason
                .starts_with("author box of a page that is not an interview")
        }));
    }

    #[test]
    fn russian_names_after_s_are_put_in_the_nominative() {
        for (was, is) in [
            ("Анной Петровой", "Анна Петрова"),
            ("Алиханом Баименовым", "Алихан Баименов"),
            ("Марией Ивановой", "Мария Иванова"),
            ("Сергеем Достоевским", "Сергей Достоевский"),
            ("Натальей Ильиной", "Наталья Ильина"),
            ("Игорем Ким", "Игорь Ким"),
        ] {
            assert_eq!(nominative_ru(was), is);
        }
    }
}
