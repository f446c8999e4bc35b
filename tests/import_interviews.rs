//! Interview pages as publishers' sites set them, built here with the
//! furniture of a real theme around them (menus, a sidebar of widgets,
//! share buttons, a footer of links): the importer must find the article
//! with Readability and then read the interview in it — who asks, who
//! answers, the questions whatever their markup, the bio — in English,
//! German, Spanish and Russian.

use qalam::import::{Imported, Options, import_bytes};
use qalam::model::plain_text;
use std::path::Path;

/// A theme around `article`: the article sits in an Elementor widget,
/// beside a sidebar, under a menu, above a footer of links.
fn themed(title: &str, site: &str, article: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
</head><body>
<header class="site-header"><a class="logo" href="/">{site}</a>
<nav class="main-menu"><ul><li><a href="/news">News</a></li><li><a href="/culture">Culture</a></li><li><a href="/about">About us</a></li></ul></nav></header>
<div class="elementor-section"><div class="elementor-widget-wrap">
<div class="elementor-element elementor-widget elementor-widget-theme-post-content">
<article class="post">
<h1 class="entry-title">{title}</h1>
{article}
<div class="sharedaddy"><h3>Share this:</h3><a href="https://x.example/share">X</a> <a href="https://fb.example/share">Facebook</a></div>
</article></div></div></div>
<aside class="sidebar widget-area"><section class="widget"><h3>Most read</h3><ul>
<li><a href="/1">Ten cheap flights to the sea</a></li><li><a href="/2">A cat was elected mayor</a></li></ul></section>
<section class="widget"><h3>Follow us</h3><a href="https://fb.example/site">Facebook</a> <a href="https://ig.example/site">Instagram</a></section></aside>
<footer class="site-footer"><ul><li><a href="/imprint">Imprint</a></li><li><a href="/privacy">Privacy</a></li></ul>© {site}</footer>
</body></html>"#
    )
}

fn import(html: &str) -> Imported {
    import_bytes(
        html.as_bytes(),
        Path::new("page.html"),
        None,
        &Options::default(),
    )
    .unwrap_or_else(|d| panic!("{d}"))
}

fn questions(imp: &Imported) -> Vec<String> {
    imp.chapter
        .exchanges
        .iter()
        .map(|e| plain_text(&e.question.content))
        .collect()
}

fn all_text(imp: &Imported) -> String {
    imp.files().into_iter().map(|(_, s)| s).collect()
}

/// Nothing of the theme reaches the chapter.
fn no_furniture(imp: &Imported) {
    let text = all_text(imp);
    for junk in [
        "Most read",
        "cheap flights",
        "Follow us",
        "Instagram",
        "Imprint",
        "Share this",
        "About us",
    ] {
        assert!(!text.contains(junk), "{junk:?} in:\n{text}");
    }
}

#[test]
fn german_speaker_turns_with_an_interview_line() {
    let turns = [
        (
            "Zentner",
            "Frau Silberhorn, Sie schreiben seit zwanzig Jahren über Dörfer.",
        ),
        (
            "Silberhorn",
            "Ja, und jedes Dorf erzählt eine andere Geschichte über das Land.",
        ),
        ("Zentner", "Was hat sich in dieser Zeit verändert?"),
        (
            "Silberhorn",
            "Die Jungen gehen weg, aber manche kommen mit neuen Ideen zurück.",
        ),
        ("Zentner", "Woran arbeiten Sie gerade?"),
        (
            "Silberhorn",
            "An einem Buch über die Mühlen an der Donau und ihre Besitzer.",
        ),
    ];
    let mut body = String::from(
        "<p class=\"intro\"><em>Ein Interview von Eugen Zentner mit Sonja Silberhorn.</em></p>\n",
    );
    for (who, said) in turns {
        body.push_str(&format!("<p><strong>{who}:</strong> {said}</p>\n"));
    }
    let imp = import(&themed("Die Dörfer und das Land", "Kulturblog", &body));
    assert_eq!(
        questions(&imp),
        [
            "Frau Silberhorn, Sie schreiben seit zwanzig Jahren über Dörfer.",
            "Was hat sich in dieser Zeit verändert?",
            "Woran arbeiten Sie gerade?",
        ]
    );
    assert_eq!(imp.chapter.interviewees, ["Sonja Silberhorn"]);
    assert_eq!(imp.chapter.interviewer.as_deref(), Some("Eugen Zentner"));
    assert_eq!(plain_text(&imp.chapter.title), "Die Dörfer und das Land");
    no_furniture(&imp);
}

#[test]
fn spanish_p_and_r_labels() {
    let mut body =
        String::from("<p>Entrevista con María López, directora del archivo de la ciudad.</p>\n");
    for (q, a) in [
        (
            "¿Cuándo empezó a trabajar en el archivo?",
            "Hace quince años, cuando todavía era un sótano húmedo.",
        ),
        (
            "¿Qué documento le sorprendió más?",
            "Un libro de cuentas de 1890 con los nombres de todos los aguadores.",
        ),
        (
            "Háblenos del futuro",
            "Queremos digitalizar todo antes de que el papel se pierda.",
        ),
    ] {
        body.push_str(&format!("<p><b>P:</b> {q}</p>\n<p><b>R:</b> {a}</p>\n"));
    }
    let imp = import(&themed("El archivo que respira", "Diario Sur", &body));
    assert_eq!(
        questions(&imp),
        [
            "¿Cuándo empezó a trabajar en el archivo?",
            "¿Qué documento le sorprendió más?",
            "Háblenos del futuro",
        ]
    );
    assert_eq!(imp.chapter.interviewees, ["María López"]);
    no_furniture(&imp);
}

#[test]
fn english_questions_in_headings_and_bold_with_a_bio_and_a_byline() {
    let body = r#"<p class="byline">By Tom Reyes</p>
<p>Q&amp;A: Dana Okafor on rivers, maps and the people who draw them.</p>
<h4><span class="q">What drew you to maps?</span></h4>
<p>My father kept a drawer of old survey sheets, and I read them like novels.</p>
<p><strong>Which map do you return to most often?</strong></p>
<p>A 1911 sheet of the delta, because half of what it shows is gone.</p>
<h4><span class="q">Tell us about the new atlas</span></h4>
<p>It puts the rivers first and the borders second, for once.</p>
<p>We spent four years walking the banks with a GPS and a notebook.</p>
<h3>About Dana Okafor</h3>
<p>Dana Okafor is a cartographer in Lagos and the author of two atlases of West African rivers.</p>
"#;
    let imp = import(&themed("Drawing the Rivers", "Map Review", body));
    assert_eq!(
        questions(&imp),
        [
            "What drew you to maps?",
            "Which map do you return to most often?",
            "Tell us about the new atlas",
        ]
    );
    assert_eq!(imp.chapter.interviewees, ["Dana Okafor"]);
    assert_eq!(imp.chapter.interviewer.as_deref(), Some("Tom Reyes"));
    let bio = imp.chapter.bio.as_ref().expect("a bio");
    assert!(
        qalam::model::plain_text_blocks(&bio.content).starts_with("Dana Okafor is a cartographer")
    );
    assert!(
        !plain_text(&imp.chapter.title).contains("Map Review"),
        "the site's name in the title"
    );
    no_furniture(&imp);
}

#[test]
fn russian_bold_questions() {
    let mut body = String::from("<p>Интервью с Анной Петровой, реставратором плёнок.</p>\n");
    for (q, a) in [
        (
            "Как вы пришли в реставрацию?",
            "Случайно: в архиве нужен был человек, который не боится плесени.",
        ),
        (
            "Что труднее всего спасти?",
            "Звук. Изображение можно восстановить по кадрам, звук уходит навсегда.",
        ),
        (
            "Над чем вы работаете сейчас?",
            "Над хроникой тридцатых годов, найденной в подвале школы.",
        ),
    ] {
        body.push_str(&format!("<p><strong>{q}</strong></p>\n<p>{a}</p>\n"));
    }
    let imp = import(&themed("Плёнки, которые помнят", "Культура", &body));
    assert_eq!(questions(&imp).len(), 3, "{:?}", questions(&imp));
    assert_eq!(imp.chapter.interviewees, ["Анна Петрова"]);
    no_furniture(&imp);
}

/// The same three questions asked of several people: questions every
/// time, never pull quotes.
#[test]
fn mini_interviews_ask_the_same_questions_of_many() {
    let mut body =
        String::from("<p>We asked four readers the same three questions about their summer.</p>\n");
    for (name, place) in [
        ("Aida", "Almaty"),
        ("Boris", "Omsk"),
        ("Chen", "Urumqi"),
        ("Dilnaz", "Shymkent"),
    ] {
        body.push_str(&format!("<h3>{name}, {place}</h3>\n"));
        for (q, a) in [
            ("Where did you go?", "To the mountains above"),
            (
                "What did you read?",
                "A novel about the sea, of all things, in",
            ),
            (
                "What will you remember?",
                "The cold lake in the morning near",
            ),
        ] {
            body.push_str(&format!(
                "<p><strong>{q}</strong></p>\n<p>{a} {place}, with friends from school.</p>\n"
            ));
        }
    }
    let imp = import(&themed("Four summers", "Steppe Review", &body));
    assert_eq!(questions(&imp).len(), 12, "{:?}", questions(&imp));
    assert_eq!(imp.chapter.pull_quote_count(), 0);
    no_furniture(&imp);
}

/// A news report is not an interview: no questions invented, nobody made
/// an interviewee, the dateline not taken for a name.
#[test]
fn a_news_report_is_a_chapter_of_text() {
    let body = r#"<p class="byline">By Jane Roe</p>
<p>SIOUX FALLS — The city council voted on Tuesday to close the old bridge.</p>
<p>What happens next? Engineers will inspect it over the winter.</p>
<p>The bridge carried ten thousand cars a day before the cracks were found.</p>
<p>Residents asked for a ferry in the meantime; the council said it would look at costs.</p>
"#;
    let imp = import(&themed(
        "Council closes the old bridge",
        "Daily Argus",
        body,
    ));
    assert!(questions(&imp).is_empty(), "{:?}", questions(&imp));
    assert!(imp.chapter.interviewees.is_empty());
    assert!(all_text(&imp).contains("Engineers will inspect it"));
    no_furniture(&imp);
}
