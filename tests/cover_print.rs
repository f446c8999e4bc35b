//! Covers for print: the supplied cover of the print variant stays at trim
//! size with its edge pixels repeated into the bleed, print art made at
//! bleed size is checked for its shape, and `qalam cover --wrap` makes a
//! full-wrap cover whose spine follows the page count and the paper.
//!
//! Pages are rendered in-process with hayro (as `qalam serve` does) and
//! measured in pixels; qpdf checks the files when it is installed.

mod common;

use common::pdf::Pdf;
use common::{copy_book, qalam, stderr, stdout, tool};
use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf as HayroPdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

const SLUG: &str = "kazakhstans-new-national-story";
/// Pixels per point of the renders.
const SCALE: f32 = 2.0;
/// A channel difference (of 255) that is ink, not JPEG noise or the
/// renderer's rounding.
const INK: u8 = 40;

/// A rendered page: width, height, RGB.
struct Picture {
    w: usize,
    h: usize,
    rgb: Vec<u8>,
}

impl Picture {
    fn px(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.w + x) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }
}

fn differs(a: [u8; 3], b: [u8; 3], by: u8) -> bool {
    a.iter().zip(b).any(|(x, y)| x.abs_diff(y) > by)
}

fn render(pdf: &Path, page: usize) -> Picture {
    let doc = HayroPdf::new(std::fs::read(pdf).unwrap()).expect("hayro opens the PDF");
    let pixmap = hayro::render(
        &doc.pages()[page],
        &RenderCache::new(),
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &PixmapSettings {
            x_scale: SCALE,
            y_scale: SCALE,
            bg_color: WHITE,
        },
    );
    let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
    // Opaque pages: the premultiplied RGBA is plain RGBA.
    let rgb = pixmap
        .data_as_u8_slice()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    Picture { w, h, rgb }
}

fn set_in_table(toml: &Path, table: &str, lines: &str) {
    let s = std::fs::read_to_string(toml).unwrap();
    let head = format!("[{table}]\n");
    let s = if s.contains(&head) {
        s.replacen(&head, &format!("{head}{lines}"), 1)
    } else {
        format!("{s}\n{head}{lines}")
    };
    std::fs::write(toml, s).unwrap();
}

fn build(book: &Path, out: &Path) -> std::process::Output {
    qalam()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args([
            OsStr::new("build"),
            book.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ])
        .output()
        .unwrap()
}

fn qpdf_check(pdf: &Path) {
    if let Some(o) = tool("qpdf", &["--check".as_ref(), pdf.as_os_str()]) {
        assert!(
            o.status.success(),
            "qpdf --check {}: {}",
            pdf.display(),
            stdout(&o)
        );
    }
}

/// The sample with both PDF variants, built; the print and screen PDFs.
fn sample_print(tmp: &Path) -> (PathBuf, PathBuf, String) {
    let book = copy_book("book", tmp);
    set_in_table(
        &book.join("book.toml"),
        "pdf",
        "variants = [\"screen\", \"print\"]\n",
    );
    let out = tmp.join("out");
    let o = build(&book, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    (
        out.join(format!("{SLUG}-print.pdf")),
        out.join(format!("{SLUG}.pdf")),
        stderr(&o),
    )
}

/// How far inside the trim, in points, the nearest ink lies on each side
/// (head, foot, left, right) of a page rendered with its trim at `off`
/// px and `tw` x `th` px large: ink is a pixel that differs from the
/// trim line's pixel of its column (or row), two or more in a row.
fn nearest_ink(p: &Picture, off: usize, tw: usize, th: usize) -> [Option<f32>; 4] {
    let (x0, x1, y0, y1) = (off, off + tw, off, off + th);
    let row_ink = |y: usize, edge: usize| {
        (x0..x1)
            .filter(|&x| differs(p.px(x, y), p.px(x, edge), INK))
            .count()
            >= 2
    };
    let col_ink = |x: usize, edge: usize| {
        (y0..y1)
            .filter(|&y| differs(p.px(x, y), p.px(edge, y), INK))
            .count()
            >= 2
    };
    let pt = |k: usize| k as f32 / SCALE;
    [
        (0..th).find(|&k| row_ink(y0 + k, y0)).map(pt),
        (0..th).find(|&k| row_ink(y1 - 1 - k, y1 - 1)).map(pt),
        (0..tw).find(|&k| col_ink(x0 + k, x0)).map(pt),
        (0..tw).find(|&k| col_ink(x1 - 1 - k, x1 - 1)).map(pt),
    ]
}

/// Runs `qalam cover BOOK --wrap EXTRA… -o OUT`.
fn wrap_cover(book: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    qalam()
        .args([OsStr::new("cover"), book.as_os_str(), "--wrap".as_ref()])
        .args(extra)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn the_sample_print_cover_keeps_every_letter_inside_the_trim() {
    let tmp = tempfile::tempdir().unwrap();
    let (print, screen, log) = sample_print(tmp.path());
    let doc = Pdf::open(&print);
    assert_eq!(doc.page_box(0, "TrimBox"), Some([9.0, 9.0, 441.0, 657.0]));
    assert_eq!(doc.page_box(0, "BleedBox"), Some([0.0, 0.0, 450.0, 666.0]));
    let p = render(&print, 0);
    let s = render(&screen, 0);
    let off = (9.0 * SCALE) as usize;
    let (tw, th) = ((432.0 * SCALE) as usize, (648.0 * SCALE) as usize);
    assert_eq!((p.w, p.h), (tw + 2 * off, th + 2 * off));
    assert_eq!((s.w, s.h), (tw, th));

    // Inside the trim the print page shows what the screen page shows:
    // the picture placed at trim size, not enlarged into the bleed.
    let mut far = 0usize;
    let mut total = 0u64;
    for y in 0..th {
        for x in 0..tw {
            let (a, b) = (p.px(x + off, y + off), s.px(x, y));
            total += a
                .iter()
                .zip(b)
                .map(|(u, v)| u64::from(u.abs_diff(v)))
                .sum::<u64>();
            if differs(a, b, 24) {
                far += 1;
            }
        }
    }
    let mean = total as f64 / (tw * th * 3) as f64;
    assert!(
        mean < 1.5,
        "the trim differs from the screen page by {mean:.2} a channel"
    );
    assert!(
        far < tw * th / 500,
        "{far} pixels differ from the screen page"
    );

    // The bleed repeats the pixels on the trim line: every column of the
    // head and foot bands, every row of the side bands (the band's
    // outer pixel and the one next to the trim, corners aside).
    let repeats = |a: [u8; 3], b: [u8; 3]| !differs(a, b, 12);
    for x in off..off + tw {
        for y in [0, off - 2] {
            assert!(
                repeats(p.px(x, y), p.px(x, off)),
                "head bleed at x {x}, y {y}"
            );
        }
        for y in [off + th + 1, 2 * off + th - 1] {
            assert!(
                repeats(p.px(x, y), p.px(x, off + th - 1)),
                "foot bleed at x {x}, y {y}"
            );
        }
    }
    for y in off..off + th {
        for x in [0, off - 2] {
            assert!(repeats(p.px(x, y), p.px(off, y)), "left bleed at y {y}");
        }
        for x in [off + tw + 1, 2 * off + tw - 1] {
            assert!(
                repeats(p.px(x, y), p.px(off + tw - 1, y)),
                "right bleed at y {y}"
            );
        }
    }

    // Every letter at least 0.125 in inside the trim; the nearest is the
    // publisher's line at the foot, 0.20 in up, as on the screen page.
    let ink = nearest_ink(&p, off, tw, th);
    for (side, d) in ["head", "foot", "left", "right"].iter().zip(ink) {
        let d = d.unwrap_or_else(|| panic!("no ink found from the {side}"));
        assert!(d >= 9.0, "ink {d} pt inside the trim at the {side}");
    }
    let foot = ink[1].unwrap();
    assert!(
        (13.0..16.0).contains(&foot),
        "the publisher's line is {foot} pt up"
    );
    // Inside 0.25 in: the build says so.
    assert!(
        log.contains("cover-safe-area") && log.contains("0.20 in inside the trim at the foot"),
        "{log}"
    );
    qpdf_check(&print);
}

#[test]
fn print_art_must_have_the_shape_of_trim_and_bleed() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    let toml = book.join("book.toml");
    set_in_table(&toml, "pdf", "variants = [\"screen\", \"print\"]\n");
    // The screen cover's shape (1:1.6), not 6.25 x 9.25 in.
    image::RgbImage::from_pixel(500, 800, image::Rgb([200, 40, 40]))
        .save(book.join("wrong.jpg"))
        .unwrap();
    set_in_table(&toml, "cover", "print = \"wrong.jpg\"\n");
    let out = tmp.path().join("out");
    let o = build(&book, &out);
    assert!(!o.status.success());
    let e = stderr(&o);
    let line = std::fs::read_to_string(&toml)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("print ="))
        .unwrap()
        + 1;
    assert!(e.contains("error[bad-print-cover]"), "{e}");
    assert!(e.contains("500 x 800 px"), "{e}");
    assert!(e.contains("6.250 x 9.250 in"), "{e}");
    assert!(
        e.contains(&format!("book.toml:{line}:9")),
        "the key's place, line {line}: {e}"
    );

    // Art of the right shape (1875 x 2775 px is 6.25 x 9.25 in at 300
    // ppi; here a tenth of it) fills the print page's bleed box; the
    // screen PDF keeps the cover.
    let art = image::RgbImage::from_fn(625, 925, |x, y| {
        image::Rgb([(x / 3) as u8, (y / 4) as u8, 90])
    });
    art.save(book.join("bleed.png")).unwrap();
    let t = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("print = \"wrong.jpg\"", "print = \"bleed.png\"");
    std::fs::write(&toml, t).unwrap();
    let o = build(&book, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let print = Pdf::open(&out.join(format!("{SLUG}-print.pdf")));
    let sizes: Vec<_> = print
        .images(0)
        .iter()
        .map(|i| (i.width, i.height))
        .collect();
    assert!(sizes.contains(&(625, 925)), "{sizes:?}");
    let screen = Pdf::open(&out.join(format!("{SLUG}.pdf")));
    let sizes: Vec<_> = screen
        .images(0)
        .iter()
        .map(|i| (i.width, i.height))
        .collect();
    assert!(
        sizes.contains(&(1600, 2560)) && !sizes.contains(&(625, 925)),
        "{sizes:?}"
    );
    // The art's pixels reach the bleed box's corners.
    let p = render(&out.join(format!("{SLUG}-print.pdf")), 0);
    let top_left = p.px(1, 1);
    assert!(!differs(top_left, [0, 0, 90], 12), "{top_left:?}");

    // On a full-wrap cover the spine takes the colour of the art's trim
    // line beside it: red 12 / 3 = 4 and blue 90, green the average of
    // the column's rows.
    let wrap = tmp.path().join("wrap.pdf");
    let o = wrap_cover(&book, &wrap, &["--pages", "300"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p = render(&wrap, 0);
    let spine = p.px(((9.0 + 432.0 + 3.0) * SCALE) as usize, p.h / 2);
    assert!(!differs(spine, [4, 115, 90], 12), "{spine:?}");
}

/// A book of about two hundred pages: the sample interview nineteen
/// times over.
fn long_book(tmp: &Path) -> PathBuf {
    let book = copy_book("book", tmp);
    let interview = std::fs::read_to_string(book.join("interview.md")).unwrap();
    let mut names = Vec::new();
    for i in 1..=19 {
        let name = format!("part-{i:02}.md");
        std::fs::write(book.join(&name), &interview).unwrap();
        names.push(format!("\"{name}\""));
    }
    let toml = std::fs::read_to_string(book.join("book.toml"))
        .unwrap()
        .replace(
            "chapters = [\"interview.md\"]",
            &format!("chapters = [{}]", names.join(", ")),
        );
    std::fs::write(book.join("book.toml"), toml).unwrap();
    book
}

#[test]
fn wrap_spine_is_the_page_count_over_the_papers_pages_per_inch() {
    let tmp = tempfile::tempdir().unwrap();
    let book = long_book(tmp.path());
    set_in_table(&book.join("book.toml"), "cover", "paper = \"cream\"\n");

    // The page count, from the layout the print PDF is written from.
    let loaded = qalam::internals::source::load(&book);
    let b = loaded.book.as_ref().unwrap();
    let (layout, diags) =
        qalam::internals::pdf::layout(&qalam::Engine::new(), b, None, &loaded.sources, None);
    assert!(!diags.has_errors(), "{diags:?}");
    let pages = layout.unwrap().pages.len();
    let pages = pages + pages % 2;
    assert!((180..=220).contains(&pages), "a 200-page book: {pages}");

    let wrap = tmp.path().join("wrap.pdf");
    let o = wrap_cover(&book, &wrap, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("= {pages} pages / 400.0 pages per inch (cream)")),
        "{}",
        stdout(&o)
    );
    let doc = Pdf::open(&wrap);
    assert_eq!(doc.page_count(), 1);
    let trim = doc.page_box(0, "TrimBox").unwrap();
    let media = doc.page_box(0, "MediaBox").unwrap();
    // Cream: 0.0025 in a page, 400 pages per inch.
    let spine = (trim[2] - trim[0]) - 2.0 * 432.0;
    let want = pages as f32 / 400.0 * 72.0;
    assert!(
        (spine - want).abs() < 0.01,
        "spine {spine} pt, {want} pt by the formula"
    );
    assert!((trim[3] - trim[1] - 648.0).abs() < 0.01);
    // The bleed on every side of the sheet.
    assert_eq!([media[0], media[1]], [0.0, 0.0]);
    assert!((media[2] - trim[2] - 9.0).abs() < 0.01 && (trim[0] - 9.0).abs() < 0.01);
    assert!((media[3] - trim[3] - 9.0).abs() < 0.01 && (trim[1] - 9.0).abs() < 0.01);
    // The title is on the spine, as text.
    let text = doc.page_text(0);
    assert!(text.contains("Kazakhstan’s New National Story"), "{text}");
    assert!(text.contains("Alikhan Baimenov"), "{text}");
    if let Some(o) = tool("pdftotext", &[wrap.as_os_str(), "-".as_ref()]) {
        assert!(
            stdout(&o).contains("Kazakhstan’s New National Story"),
            "{}",
            stdout(&o)
        );
    }
    qpdf_check(&wrap);

    // The spine's type lies between its folds: the spine's columns of the
    // rendered sheet carry ink, the columns just outside its type do not.
    let p = render(&wrap, 0);
    let x = |pt: f32| (pt * SCALE) as usize;
    let (s0, s1) = (x(9.0 + 432.0), x(9.0 + 432.0 + spine));
    let ground = p.px(s0 + 2, x(20.0));
    let inked = |c: usize| (0..p.h).any(|y| differs(p.px(c, y), ground, INK));
    assert!((s0..s1).any(inked), "no type on the spine");
    assert!(!inked(s0 + 3) && !inked(s1 - 3), "type touches a fold");

    // Exactly 200 pages: half an inch on cream.
    let o = wrap_cover(&book, &wrap, &["--pages", "200", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let trim = Pdf::open(&wrap).page_box(0, "TrimBox").unwrap();
    assert!(
        ((trim[2] - trim[0]) - 864.0 - 36.0).abs() < 0.01,
        "{trim:?}"
    );
    // The same inputs give the same bytes.
    let first = std::fs::read(&wrap).unwrap();
    let again = tmp.path().join("again.pdf");
    let o = wrap_cover(&book, &again, &["--pages", "200"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(first, std::fs::read(&again).unwrap());
}

#[test]
fn print_art_without_a_cover_is_reported_unused() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    let toml = book.join("book.toml");
    let t = std::fs::read_to_string(&toml)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("cover ="))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&toml, t + "\n").unwrap();
    image::RgbImage::from_pixel(625, 925, image::Rgb([9, 9, 9]))
        .save(book.join("bleed.png"))
        .unwrap();
    set_in_table(&toml, "cover", "print = \"bleed.png\"\n");
    let o = qalam()
        .args([OsStr::new("check"), book.as_os_str()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning[unused-print-cover]"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn paper_settings_are_checked_at_their_place() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    let toml = book.join("book.toml");
    set_in_table(&toml, "cover", "paper = \"glossy\"\n");
    let o = qalam()
        .args([OsStr::new("check"), book.as_os_str()])
        .output()
        .unwrap();
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("error[bad-paper]") && e.contains("unknown paper `glossy`"),
        "{e}"
    );
    assert!(
        e.contains("white, cream, colour") && e.contains("paper-ppi"),
        "{e}"
    );
}
