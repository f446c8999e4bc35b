//! The bio: an HTML author box about the interviewee, paragraphs after an
//! "About …" heading, or the last paragraph when it reads as one ("Dr Jane
//! Roe is …").

use super::speakers::qa_label;
use super::wording::{QEnd, ends_question};
use super::{Ctx, Nothing, Role};
use crate::import::junk;
use crate::import::textutil::word_count;
use crate::import::unit::Hint;
use crate::import::words;

pub fn run(cx: &mut Ctx<'_>) -> Result<(), Nothing> {
    let notes_head = cx.notes.as_ref().map(|(h, _)| *h);
    let title = cx.title;
    // An author box that is no bio is furniture; another may still be found.
    reject_furniture(cx);
    bio_section(cx, title, notes_head);
    reject_furniture(cx);
    Ok(())
}

/// Bio units that are no bio about the interviewee: a social-media widget
/// ("Follow Us"), a list of links (a footer), the site's staff box (about
/// the writer of the byline). They are dropped, with the reason.
fn reject_furniture(cx: &mut Ctx<'_>) {
    let units: Vec<usize> = (0..cx.units.len())
        .filter(|&i| cx.role[i] == Role::Bio)
        .collect();
    if units.is_empty() {
        return;
    }
    let text: String = units
        .iter()
        .map(|&i| cx.texts[i].as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let all = text.chars().filter(|c| !c.is_whitespace()).count().max(1);
    let linked: usize = units.iter().map(|&i| link_chars(&cx.units[i])).sum();
    let lower = text.to_lowercase();
    let writers: Vec<String> = cx
        .parts
        .interviewer
        .iter()
        .cloned()
        .chain(cx.meta.authors.iter().cloned())
        .chain(cx.meta.byline.iter().cloned())
        .collect();
    let reason = if let Some(w) = words::list("social-words").find(|w| lower.contains(*w)) {
        format!("not a bio: a social-media or footer box (\"{w}\")")
    } else if linked * 2 > all {
        "not a bio: mostly links (a footer or link list)".to_string()
    } else if let Some(name) = bio_name(&text)
        && writers.iter().any(|w| {
            let key = super::speakers::speaker_key(&name);
            w.split_whitespace()
                .any(|x| x.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase() == key)
        })
    {
        format!("not a bio of the interviewee: the site's box about its writer ({name})")
    } else {
        return;
    };
    for i in units {
        cx.role[i] = Role::Open;
        if cx.units[i].hint == Some(Hint::Bio) {
            // The page's author box: furniture.
            cx.drop(i, &reason);
        } else {
            // Text found by its place: it stays text.
            cx.unsure(i, format!("{reason}; kept as text"));
        }
    }
    // Its heading goes back to the text too.
    for h in 0..cx.units.len() {
        if cx.role[h] == Role::BioHeading && cx.units[h].hint.is_none() {
            cx.role[h] = Role::Open;
            let line = cx.units[h].line;
            cx.report
                .dropped
                .retain(|e| !(e.line == line && e.reason == "bio heading (the book sets its own)"));
        }
    }
}

/// Characters of a unit's text inside links.
fn link_chars(u: &crate::import::unit::Unit) -> usize {
    use crate::import::unit::Kind;
    use crate::model::{Block, Inline, Span, plain_text};
    let mut blocks = match &u.kind {
        Kind::Para(c) | Kind::Heading(_, c) | Kind::ListItem { content: c, .. } => {
            vec![Block::Paragraph {
                content: c.clone(),
                span: Span::default(),
            }]
        }
        Kind::Quote { blocks, .. } | Kind::Note { blocks, .. } => blocks.clone(),
        Kind::Block(b) => vec![b.clone()],
    };
    let mut n = 0;
    crate::model::visit_inlines_mut(&mut blocks, &mut |v: &mut Vec<Inline>| {
        for x in v.iter() {
            if let Inline::Link { content, .. } = x {
                n += plain_text(content)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .count();
            }
        }
    });
    n
}

/// The bio: an HTML bio block, paragraphs after "About the author", or the
/// last paragraph when it reads as one ("Dr Jane Roe is …").
fn bio_section(cx: &mut Ctx<'_>, title: usize, notes_head: Option<usize>) {
    let n = cx.units.len();
    if let Some(first) = cx.role.iter().position(|&r| r == Role::Bio) {
        if let Some(h) = (0..first).rev().find(|&i| cx.role[i] != Role::Dropped)
            && cx.open(h)
            && cx.textual(h)
            && junk::is_bio_heading(&cx.texts[h])
        {
            cx.role[h] = Role::BioHeading;
            cx.report.drop(
                cx.units[h].line,
                cx.texts[h].clone(),
                "bio heading (the book sets its own)",
            );
        }
        return;
    }
    if let Some(h) = (title + 1..n).rev().find(|&i| {
        cx.open(i) && cx.textual(i) && cx.words[i] <= 5 && junk::is_bio_heading(&cx.texts[i])
    }) {
        let mut paras = Vec::new();
        for j in h + 1..n {
            match cx.role[j] {
                Role::Dropped => continue,
                Role::Open if cx.is_para(j) && qa_label(&cx.texts[j]).is_none() => paras.push(j),
                _ => break,
            }
        }
        if paras.is_empty() {
            cx.unsure(h, "a bio heading with no paragraph after it; kept as text");
        } else {
            cx.role[h] = Role::BioHeading;
            cx.report.drop(
                cx.units[h].line,
                cx.texts[h].clone(),
                "bio heading (the book sets its own)",
            );
            for j in paras {
                cx.role[j] = Role::Bio;
            }
            return;
        }
    }
    // The last paragraph, if it is about someone.
    let Some(last) = (title + 1..n).rev().find(|&i| {
        cx.role[i] != Role::Dropped && cx.role[i] != Role::Note && cx.role[i] != Role::NotesHeading
    }) else {
        return;
    };
    if !cx.open(last) || !cx.is_para(last) {
        return;
    }
    let t = &cx.texts[last];
    let named = bio_name(t).is_some();
    let after_notes = notes_head.is_some_and(|h| last > h);
    if after_notes && !named {
        cx.unsure(last, "a paragraph after the endnotes that does not read as a bio; kept at the end of the text");
        return;
    }
    if !named || ends_question(t) != QEnd::No || word_count(t) < 10 {
        return;
    }
    // Before the notes (or with none), the bio must leave an answer before it.
    let prev = (title + 1..last).rev().find(|&i| cx.open(i));
    let prev_ok = prev.is_some_and(|p| cx.is_para(p) && ends_question(&cx.texts[p]) == QEnd::No);
    if after_notes || prev_ok {
        cx.role[last] = Role::Bio;
        if !after_notes {
            cx.unsure(
                last,
                "taken as the bio: the last paragraph, about the interviewee",
            );
        }
    }
}

/// The person a paragraph is about, when it opens like a bio: "Dr Jane Roe
/// is …", "Jane Roe, a professor at …, has …", "Жанна Роева — …".
pub fn bio_name(t: &str) -> Option<String> {
    let toks: Vec<&str> = t.split_whitespace().take(40).collect();
    let mut k = 0;
    let honorific = |w: &str| words::has("honorifics", w) || words::has("titles", w);
    // Lower-case words inside a name ("Ursula von der Leyen").
    let is_particle = |w: &str| {
        words::has("name-particles", w)
            || words::has("more-name-particles", w)
            || words::has("rare-name-particles", w)
    };
    while k < toks.len() && honorific(&toks[k].to_lowercase()) {
        k += 1;
    }
    let start = k;
    let mut name: Vec<&str> = Vec::new();
    let mut ended_by_comma = false;
    while k < toks.len() && name.len() < 5 {
        let w = toks[k];
        let bare = w.trim_end_matches([',', ';']);
        let cap = bare.chars().next().is_some_and(char::is_uppercase)
            && bare
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
            && bare.chars().any(char::is_alphabetic);
        let particle = is_particle(bare) && !name.is_empty();
        if !(cap || particle) {
            break;
        }
        name.push(bare);
        k += 1;
        if bare.len() < w.len() {
            ended_by_comma = true;
            break;
        }
    }
    while name.last().is_some_and(|w| is_particle(w)) {
        name.pop();
        k -= 1;
    }
    if name.len() < 2 || (start == 0 && name.len() > 4) {
        return None;
    }
    let next = toks.get(k).map(|w| w.to_lowercase()).unwrap_or_default();
    let verb_next = words::has("bio-verbs", &next)
        || next.starts_with("(born")
        || next.starts_with("(b.")
        || matches!(next.as_str(), "—" | "–");
    let verb_later = ended_by_comma
        && toks[k..]
            .iter()
            .take(30)
            .any(|w| words::has("bio-verbs-later", &w.trim_end_matches(',').to_lowercase()));
    (verb_next || verb_later).then(|| name.join(" "))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::import::unit::{Kind, PageMeta, Unit};
    use crate::model::Inline;

    fn boxed(mut u: Unit) -> Unit {
        u.hint = Some(Hint::Bio);
        u
    }

    fn interview(
        tail: Vec<Unit>,
        meta: &PageMeta,
    ) -> (crate::import::passes::Parts, crate::import::report::Report) {
        let mut units = vec![
            h1("On rivers"),
            bold("What drew you to water?"),
            para("My grandfather was a fisherman on the Aral."),
            bold("And now?"),
            para("Now I measure what is left of it, every spring."),
        ];
        units.extend(tail);
        page(units, meta, true)
    }

    #[test]
    fn an_about_section_is_the_bio() {
        let (parts, report) = interview(
            vec![
                heading(2, "About Aigerim Sadykova"),
                para("Aigerim Sadykova is a hydrologist at the Institute of Geography in Almaty."),
            ],
            &PageMeta::default(),
        );
        assert!(parts.bio.is_some(), "{:?}", report.dropped);
        assert_eq!(parts.interviewees, ["Aigerim Sadykova"]);
    }

    #[test]
    fn a_follow_us_box_is_no_bio() {
        let (parts, report) = interview(
            vec![boxed(para(
                "Follow us on Twitter, Facebook and Instagram for more stories.",
            ))],
            &PageMeta::default(),
        );
        assert!(parts.bio.is_none());
        assert!(
            report
                .dropped
                .iter()
                .any(|e| e.reason.contains("social-media"))
        );
    }

    #[test]
    fn a_list_of_links_is_no_bio() {
        let link = |t: &str| Inline::Link {
            url: format!("https://example.org/{t}"),
            content: vec![Inline::Text(t.into())],
        };
        let mut u = para("");
        u.kind = Kind::Para(vec![
            link("Home"),
            Inline::Text(" ".into()),
            link("Archive of all our past issues"),
            Inline::Text(" ".into()),
            link("Imprint and legal notice"),
        ]);
        let (parts, report) = interview(vec![boxed(u)], &PageMeta::default());
        assert!(parts.bio.is_none());
        assert!(
            report
                .dropped
                .iter()
                .any(|e| e.reason.contains("mostly links"))
        );
    }

    #[test]
    fn the_writers_staff_box_is_no_bio() {
        let meta = PageMeta {
            byline: Some("By Jane Roe".into()),
            ..PageMeta::default()
        };
        let (parts, report) = interview(
            vec![boxed(para(
                "Jane Roe is a staff writer who covers water and climate for the paper.",
            ))],
            &meta,
        );
        assert!(parts.bio.is_none());
        assert!(
            report
                .dropped
                .iter()
                .any(|e| e.reason.contains("about its writer"))
        );
        assert!(!parts.interviewees.iter().any(|n| n == "Jane Roe"));
    }

    #[test]
    fn bio_names() {
        assert_eq!(
            bio_name("Dr Alikhan Baimenov is Chairman of the Hub."),
            Some("Alikhan Baimenov".into())
        );
        assert_eq!(
            bio_name(
                "Aigerim van der Berg, a hydrologist at the institute, has written two books."
            ),
            Some("Aigerim van der Berg".into())
        );
        assert_eq!(
            bio_name("However, pride in our past should not lead to isolation."),
            None
        );
        assert_eq!(bio_name("The Soviet regime did not allow it."), None);
    }
}
