//! Covers: supplied files (formats, colour models, sizes, broken and hostile
//! files) and generated designs (type inside the margins, determinism), and
//! the `qalam cover` command.

mod common;

use common::{qalam, run, stderr, stdout};
use qalam::cover::{self, Canvas, PdfCover, Style};
use qalam::diag::Diagnostics;
use qalam::model::Book;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/covers").join(name)
}

/// A project in a temporary folder: `book/` (made by `qalam new`) and
/// `covers/`. `cover` is a file to copy into `covers/` and name in
/// book.toml; `title` and `lang` replace the template's.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(title: &str, lang: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("book");
        let o = run(&[
            "new",
            book.to_str().unwrap(),
            "--title",
            title,
            "--lang",
            lang,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::create_dir_all(dir.path().join("covers")).unwrap();
        Project { dir }
    }

    fn book_dir(&self) -> PathBuf {
        self.dir.path().join("book")
    }

    fn toml(&self) -> PathBuf {
        self.book_dir().join("book.toml")
    }

    /// Adds `line` right after `[book]`.
    fn add_to_book_table(&self, line: &str) {
        let text = std::fs::read_to_string(self.toml()).unwrap();
        let text = text.replacen("[book]\n", &format!("[book]\n{line}\n"), 1);
        std::fs::write(self.toml(), text).unwrap();
    }

    fn with_cover_file(self, name: &str, bytes: &[u8]) -> Project {
        std::fs::write(self.dir.path().join("covers").join(name), bytes).unwrap();
        self.add_to_book_table(&format!("cover = \"../covers/{name}\""));
        self
    }

    fn with_fixture(self, name: &str) -> Project {
        let bytes = std::fs::read(fixture(name)).unwrap();
        self.with_cover_file(name, &bytes)
    }

    fn load(&self) -> (Option<Book>, Diagnostics) {
        let l = qalam::internals::source::load(&self.book_dir());
        (l.book, l.diagnostics)
    }

    fn book(&self) -> Book {
        let (book, diags) = self.load();
        book.unwrap_or_else(|| panic!("book does not load: {diags:?}"))
    }

    fn check(&self) -> std::process::Output {
        run(&["check", self.book_dir().to_str().unwrap()])
    }
}

fn codes(d: &Diagnostics) -> Vec<&'static str> {
    d.iter().map(|d| d.code).collect()
}

/// A plain RGB JPEG of `w` x `h` pixels.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([40, 60, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn decode(bytes: &[u8]) -> image::RgbImage {
    image::load_from_memory(bytes).unwrap().into_rgb8()
}

fn prepare(book: &Book) -> cover::CoverArt {
    let mut diags = Diagnostics::new();
    let art = cover::prepare(&qalam::Engine::new(), book, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    art.expect("a cover")
}

fn near(a: [u8; 3], b: [u8; 3], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= tolerance)
}

// ---- Supplied covers --------------------------------------------------

#[test]
fn an_rgb_jpeg_within_bounds_passes_through_untouched() {
    let p = Project::new("Passing Through", "en").with_fixture("rgb.jpg");
    let (book, diags) = p.load();
    assert!(diags.is_empty(), "{diags:?}");
    let art = prepare(&book.unwrap());
    let original = std::fs::read(fixture("rgb.jpg")).unwrap();
    assert_eq!(art.media_type, "image/jpeg");
    assert_eq!((art.width, art.height), (1400, 2240));
    assert!(art.raster == original, "the JPEG was re-encoded");
    assert_eq!(art.alt, "Cover of Passing Through");
    match &art.pdf {
        PdfCover::Supplied {
            bytes,
            width,
            height,
            ..
        } => {
            assert!(**bytes == original);
            assert_eq!((*width, *height), (1400, 2240));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_large_png_with_alpha_is_scaled_to_1600_by_2560_on_white() {
    let p = Project::new("Alpha", "en").with_fixture("alpha.png");
    let art = prepare(&p.book());
    assert_eq!(art.media_type, "image/jpeg");
    assert_eq!((art.width, art.height), (1600, 2560));
    let img = decode(&art.raster);
    assert_eq!(img.dimensions(), (1600, 2560));
    // Fully transparent field: white. Opaque band: its colour.
    assert!(near(img.get_pixel(1500, 100).0, [255, 255, 255], 3));
    assert!(near(img.get_pixel(800, 1800).0, [29, 53, 87], 6));
    // Half-transparent red block over white.
    assert!(
        near(img.get_pixel(400, 500).0, [242, 155, 162], 8),
        "{:?}",
        img.get_pixel(400, 500)
    );
    // The PDF gets the original file, not the JPEG.
    match &art.pdf {
        PdfCover::Supplied { bytes, width, .. } => {
            assert!(**bytes == std::fs::read(fixture("alpha.png")).unwrap());
            assert_eq!(*width, 1800);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_webp_cover_becomes_a_jpeg() {
    let p = Project::new("WebP", "en").with_fixture("cover.webp");
    let art = prepare(&p.book());
    assert_eq!(art.media_type, "image/jpeg");
    let img = decode(&art.raster);
    assert_eq!(img.dimensions(), (1400, 2240));
    assert!(near(img.get_pixel(700, 100).0, [40, 90, 60], 6));
}

#[test]
fn a_cmyk_jpeg_is_converted_with_inverted_samples() {
    let p = Project::new("Process Colour", "en").with_fixture("cmyk.jpg");
    let (book, diags) = p.load();
    // 700 px wide: usable, with a warning.
    assert_eq!(codes(&diags), ["cover-small"]);
    let art = prepare(&book.unwrap());
    assert_eq!(art.media_type, "image/jpeg");
    let img = decode(&art.raster);
    assert_eq!(img.dimensions(), (700, 1120));
    // Cyan ink field, black band, un-inked block (white).
    let field = img.get_pixel(600, 30).0;
    assert!(
        field[0] < 40 && field[1] > 215 && field[2] > 215,
        "{field:?}"
    );
    assert!(near(img.get_pixel(350, 780).0, [0, 0, 0], 12));
    assert!(near(img.get_pixel(150, 200).0, [255, 255, 255], 12));
    assert!(art.raster.starts_with(&[0xFF, 0xD8]));
}

#[test]
fn a_cmyk_jpeg_is_converted_through_its_icc_profile() {
    // The fixture's profile maps every ink to L* 50 grey (see
    // make_fixtures.py); the bare formula would give cyan, black, white.
    let p = Project::new("Profiled", "en").with_fixture("cmyk-icc.jpg");
    let art = prepare(&p.book());
    let img = decode(&art.raster);
    for (x, y) in [(600, 30), (350, 780), (150, 200)] {
        let px = img.get_pixel(x, y).0;
        assert!(near(px, [119, 119, 119], 10), "({x}, {y}): {px:?}");
    }
}

#[test]
fn a_cover_stored_on_its_side_is_turned_upright_for_both_writers() {
    // 2240 x 1400 stored, EXIF orientation 6: a 1400 x 2240 portrait.
    let p = Project::new("Sideways", "en").with_fixture("rotated.jpg");
    let (book, diags) = p.load();
    assert!(
        diags.is_empty(),
        "no ratio warning for a portrait: {diags:?}"
    );
    let art = prepare(&book.unwrap());
    assert_eq!((art.width, art.height), (1400, 2240));
    let img = decode(&art.raster);
    assert!(near(img.get_pixel(700, 100).0, [29, 53, 87], 8));
    assert!(near(img.get_pixel(200, 300).0, [241, 250, 238], 8));
    match &art.pdf {
        PdfCover::Supplied {
            bytes,
            format,
            width,
            height,
            ..
        } => {
            assert_eq!(*format, qalam::model::ImageFormat::Png);
            assert_eq!((*width, *height), (1400, 2240));
            let upright = decode(bytes);
            assert!(near(upright.get_pixel(700, 100).0, [29, 53, 87], 8));
            assert!(near(upright.get_pixel(200, 300).0, [241, 250, 238], 8));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_500_px_cover_is_an_error_and_a_1000_px_one_a_warning() {
    let p = Project::new("Tiny", "en").with_cover_file("tiny.jpg", &jpeg(500, 800));
    let o = p.check();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("error[cover-too-small]"), "{err}");
    assert!(err.contains("500 x 800"), "{err}");
    // Points at the `cover =` value: line 5 (after the comments and [book]).
    let line = std::fs::read_to_string(p.toml())
        .unwrap()
        .lines()
        .position(|l| l.starts_with("cover ="))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("book.toml:{line}:9")), "{err}");

    let p = Project::new("Small", "en").with_cover_file("small.jpg", &jpeg(1000, 1600));
    let o = p.check();
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning[cover-small]"), "{err}");
    assert!(err.contains(&format!("book.toml:{line}:9")), "{err}");
}

#[test]
fn a_square_cover_warns_about_its_shape() {
    let p = Project::new("Square", "en").with_cover_file("square.jpg", &jpeg(1600, 1600));
    let (book, diags) = p.load();
    assert!(book.is_some());
    assert_eq!(codes(&diags), ["cover-ratio"]);
}

/// Runs `qalam check` on a project under a 512 MB address-space limit, so
/// that any attempt to allocate the pixels a hostile header claims fails
/// loudly instead of passing unnoticed.
fn check_limited(p: &Project) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 524288 && exec \"$0\" check \"$1\"")
        .arg(env!("CARGO_BIN_EXE_qalam"))
        .arg(p.book_dir())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn a_header_claiming_100000_by_100000_pixels_fails_without_allocating_them() {
    let p = Project::new("Bomb", "en").with_fixture("bomb.png");
    let o = check_limited(&p);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("100000 x 100000"), "{err}");
}

#[test]
fn a_header_over_the_memory_limit_is_refused_before_decoding() {
    // 16000 x 16000 passes the side limit; its 768 MB of pixels do not.
    let p = Project::new("Big Header", "en").with_fixture("huge-header.png");
    let o = check_limited(&p);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[bad-cover]"), "{err}");
    assert!(err.contains("more than a cover may decode to"), "{err}");
}

#[test]
fn corrupt_covers_are_clear_errors() {
    for (name, expect) in [("corrupt.jpg", "corrupt"), ("truncated.png", "corrupt")] {
        let p = Project::new("Broken", "en").with_fixture(name);
        let o = check_limited(&p);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains(expect), "{name}: {err}");
        assert!(err.contains("help:"), "{name}: {err}");
    }
    // Not an image at all (the reader's header check catches it).
    let p = Project::new("Text", "en").with_cover_file("cover.jpg", b"this is not a picture");
    let o = p.check();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("corrupt"), "{}", stderr(&o));
}

// ---- Generated covers -------------------------------------------------

const TWENTY_WORDS: &str = "The Long Road from the Steppe to the Ministry: Twenty Years of Reform, Resistance and Renewal in Kazakhstan’s Civil Service";

fn titled(title: &str, lang: &str, subtitle: Option<&str>) -> Book {
    let p = Project::new(title, lang);
    if let Some(s) = subtitle {
        p.add_to_book_table(&format!(
            "subtitle = \"{s}\"\npublisher = \"Qalam Test Editions\""
        ));
    }
    p.book()
}

/// Every line of type, and every non-background pixel of a rendering of
/// the type alone, lies inside the margins.
fn assert_type_inside_margins(book: &Book, style: Style, canvas: Canvas) {
    let layout = cover::design(&qalam::Engine::new(), book, style, canvas);
    let (w, h) = (canvas.width, canvas.height);
    let safe = layout.safe;
    assert!(safe.x0 > 0.0 && safe.y0 > 0.0 && safe.x1 < w && safe.y1 < h);
    assert!(!layout.text_boxes.is_empty());
    for b in &layout.text_boxes {
        assert!(
            b.within(&safe),
            "{:?} {}: line {b:?} outside {safe:?}",
            style,
            book.meta.title
        );
    }
    // Pixels: rasterise background + type only and look outside the margins.
    let (pw, ph, rgb) = cover::render_rgb(&layout, false).unwrap();
    let bleed = canvas.bleed;
    let bg = [rgb[0], rgb[1], rgb[2]];
    let mut inked = 0;
    for y in 0..ph {
        for x in 0..pw {
            // Trim coordinates of the pixel's edges; 1 px of slack for
            // antialiasing at the margin.
            let (tx, ty) = (x as f32 - bleed, y as f32 - bleed);
            let inside = tx + 1.0 >= safe.x0 - 1.0
                && tx <= safe.x1 + 1.0
                && ty + 1.0 >= safe.y0 - 1.0
                && ty <= safe.y1 + 1.0;
            let i = (y * pw + x) as usize * 3;
            let px = [rgb[i], rgb[i + 1], rgb[i + 2]];
            if px != bg {
                inked += 1;
                assert!(inside, "{style:?}: ink at ({x}, {y}) outside {safe:?}");
            }
        }
    }
    assert!(inked > 100, "{style:?}: no type was drawn");
}

#[test]
fn generated_covers_keep_type_inside_the_margins() {
    // A small canvas keeps the debug-build rasterising quick; the design
    // is the same at every size.
    let small = Canvas {
        width: 400.0,
        height: 640.0,
        bleed: 0.0,
    };
    let print = Canvas {
        width: 432.0,
        height: 648.0,
        bleed: 9.0,
    };
    let books = [
        titled("Short", "en", None),
        titled(
            TWENTY_WORDS,
            "en",
            Some("Conversations on public service reform"),
        ),
        titled(
            "Новая национальная история Казахстана: беседы о реформе государственной службы",
            "ru",
            Some("Беседы о реформе"),
        ),
        titled(
            "Қазақстанның жаңа ұлттық тарихы",
            "kk",
            Some("Мемлекеттік қызмет реформасы туралы әңгімелер"),
        ),
    ];
    assert!(TWENTY_WORDS.split_whitespace().count() >= 20);
    for book in &books {
        for style in Style::ALL {
            assert_type_inside_margins(book, style, small);
        }
    }
    assert_type_inside_margins(&books[1], Style::Band, print);
    // Full size, once: the boxes alone.
    for style in Style::ALL {
        let l = cover::design(&qalam::Engine::new(), &books[1], style, Canvas::EPUB);
        assert!(l.text_boxes.iter().all(|b| b.within(&l.safe)));
    }
}

#[test]
fn a_book_without_a_cover_gets_a_generated_one() {
    let book = titled("Voices of the Steppe", "en", Some("Interviews"));
    let art = prepare(&book);
    assert_eq!(art.media_type, "image/png");
    assert_eq!((art.width, art.height), (1600, 2560));
    assert_eq!(decode(&art.raster).dimensions(), (1600, 2560));
    assert!(art.alt.contains("Voices of the Steppe"), "{}", art.alt);
    match &art.pdf {
        PdfCover::Generated {
            screen,
            print,
            width_pt,
            height_pt,
            bleed_pt,
        } => {
            assert_eq!((*width_pt, *height_pt, *bleed_pt), (432.0, 648.0, 9.0));
            assert_eq!(screen.canvas.outer(), (432.0, 648.0));
            assert!(print.is_none(), "the book asks for no print variant");
            let print = cover::design(
                &qalam::Engine::new(),
                &book,
                cover::style_of(&book),
                Canvas::pdf(&book, true),
            );
            assert_eq!(print.canvas.outer(), (450.0, 666.0));
            assert!(screen.svg().contains("viewBox=\"0 0 432 648\""));
            let print_svg = print.svg();
            assert!(print_svg.contains("viewBox=\"0 0 450 666\""));
            assert!(!print_svg.contains("<text"), "type must be outlines");
            // The type is there, as outlines, on both canvases.
            assert!(!screen.text.is_empty() && screen.text.len() == print.text.len());
        }
        other => panic!("{other:?}"),
    }
    // Same book, same bytes.
    assert!(prepare(&book).raster == art.raster);
}

#[test]
fn the_title_decides_the_colours_and_book_toml_overrides_them() {
    let a = cover::design(
        &qalam::Engine::new(),
        &titled("First Title", "en", None),
        Style::Field,
        Canvas::EPUB,
    )
    .svg();
    let b = cover::design(
        &qalam::Engine::new(),
        &titled("Second Title, Other Colours", "en", None),
        Style::Field,
        Canvas::EPUB,
    )
    .svg();
    let field = |svg: &str| svg.split("fill=\"").nth(1).unwrap()[..7].to_string();
    assert_ne!(field(&a), field(&b));
    let p = Project::new("Set Colours", "en");
    std::fs::write(
        p.toml(),
        std::fs::read_to_string(p.toml()).unwrap()
            + "\n[cover]\nbackground = \"#102030\"\nstyle = \"frame\"\n",
    )
    .unwrap();
    let book = p.book();
    assert_eq!(cover::style_of(&book), Style::Frame);
    assert_eq!(
        field(&cover::design(&qalam::Engine::new(), &book, Style::Frame, Canvas::EPUB).svg()),
        "#102030"
    );
}

#[test]
fn an_unknown_style_in_book_toml_is_an_error() {
    let p = Project::new("Styled", "en");
    std::fs::write(
        p.toml(),
        std::fs::read_to_string(p.toml()).unwrap() + "\n[cover]\nstyle = \"swirly\"\n",
    )
    .unwrap();
    let o = p.check();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("bad-cover-style") && err.contains("field, band, frame"),
        "{err}"
    );
}

// ---- The command ------------------------------------------------------

#[test]
fn cover_command_writes_png_jpeg_and_svg() {
    let p = Project::new("Command Line", "en");
    let book = p.book_dir();
    let o = run(&["cover", book.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let default = p.dir.path().join("covers/command-line.png");
    assert!(stdout(&o).contains("field style"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("cover = \"../covers/command-line.png\""),
        "{}",
        stdout(&o)
    );
    let png = std::fs::read(&default).unwrap();
    assert_eq!(decode(&png).dimensions(), (1600, 2560));

    // No silent overwrite.
    let o = run(&["cover", book.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = run(&[
        "cover",
        book.to_str().unwrap(),
        "--style",
        "band",
        "--force",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read(&default).unwrap() != png,
        "band differs from field"
    );

    for name in ["c.jpg", "c.svg"] {
        let out = p.dir.path().join(name);
        let o = qalam()
            .args(["cover", book.to_str().unwrap(), "--style", "frame", "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let bytes = std::fs::read(&out).unwrap();
        if name.ends_with(".jpg") {
            assert_eq!(decode(&bytes).dimensions(), (1600, 2560));
        } else {
            assert!(bytes.starts_with(b"<svg"));
        }
    }
    let o = run(&["cover", book.to_str().unwrap(), "--style", "swirly"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["cover", book.to_str().unwrap(), "-o", "x.gif"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_sample_book_shows_its_checked_in_cover() {
    let root = common::root();
    let l = qalam::internals::source::load(&root.join("book"));
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let book = l.book.unwrap();
    let cover = book.cover.as_ref().expect("book.toml names a cover");
    assert!(
        cover
            .path
            .starts_with(root.join("covers").canonicalize().unwrap())
    );
    assert_eq!((cover.width, cover.height), (1600, 2560));
    // It is what `qalam cover` makes today, within what JPEG compression
    // changes (small errors along edges; rasterisers may also differ in
    // the last bit between CPUs). A stale design moves whole letters.
    let (w, h, fresh) = cover::render_rgb(
        &cover::design(
            &qalam::Engine::new(),
            &book,
            cover::style_of(&book),
            Canvas::EPUB,
        ),
        true,
    )
    .unwrap();
    let stored = decode(&std::fs::read(&cover.path).unwrap());
    assert_eq!(stored.dimensions(), (w, h));
    let off = stored
        .as_raw()
        .iter()
        .zip(&fresh)
        .filter(|(a, b)| a.abs_diff(**b) > 48)
        .count();
    assert!(
        off < fresh.len() / 1000,
        "covers/ is stale ({off} samples differ): run `qalam cover book --force -o covers/kazakhstans-new-national-story.jpg`"
    );
}
