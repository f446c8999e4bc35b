//! The print variant checked as a printer would (issue 21): pictures at
//! their printed resolution, and `qalam check --print`'s preflight of the
//! built PDF.

mod common;

use common::{copy_book, qalam, stderr, stdout};
use std::path::Path;

/// A picture of `w` x `h` pixels (a gradient, so that it is not one flat
/// colour a writer could shortcut).
fn picture(path: &Path, w: u32, h: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 128])
    })
    .save(path)
    .unwrap();
}

fn check(dir: &Path) -> std::process::Output {
    qalam().arg("check").arg(dir).output().unwrap()
}

/// What a command said, on either stream.
fn said(out: &std::process::Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

/// The anthology with a portrait of `w` x `h` px beside its first
/// interview, printed 2.09 in wide (0.45 of the 4.65 in measure).
fn anthology_with_portrait(tmp: &Path, w: u32, h: u32, print: bool) -> std::path::PathBuf {
    let dir = copy_book("tests/fixtures/anthology", tmp);
    picture(&dir.join("images/portrait.png"), w, h);
    let first = std::fs::read_to_string(dir.join("first.md")).unwrap();
    let first = first.replacen(
        "interviewer: Aigerim Sadykova\n",
        "interviewer: Aigerim Sadykova\nbio: A civil servant since 1998.\n\
         portrait: images/portrait.png\nportrait-alt: Nurlan Abenov at his desk\n",
        1,
    );
    std::fs::write(dir.join("first.md"), first).unwrap();
    if print {
        let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
        std::fs::write(
            dir.join("book.toml"),
            format!("{toml}\n[pdf]\nvariants = [\"screen\", \"print\"]\n"),
        )
        .unwrap();
    }
    dir
}

/// The anthology's portrait at 115 ppi (241 px over 2.09 in): a note on
/// screen, an error naming its ppi for print (under the 150 ppi floor);
/// at 200 ppi, a print warning naming its ppi.
#[test]
fn the_anthologys_portrait_is_judged_by_its_ppi() {
    let tmp = tempfile::tempdir().unwrap();

    // Screen only: a note, no warning, no error.
    let dir = anthology_with_portrait(&tmp.path().join("screen"), 241, 301, false);
    let out = check(&dir);
    let said_ = said(&out);
    assert!(out.status.success(), "{said_}");
    assert!(
        said_.contains(
            "note: picture `images/portrait.png` is 241 x 301 px printed at 2.09 x 2.61 in \
             (53.1 x 66.4 mm): 115 ppi, fine on screen"
        ),
        "{said_}"
    );
    assert!(
        said_.contains("under the 150 ppi a print variant would need"),
        "{said_}"
    );
    assert!(said_.contains("0 error(s), 0 warning(s)"), "{said_}");

    // Print: an error that names the file, its pixels, its size and ppi.
    let dir = anthology_with_portrait(&tmp.path().join("print"), 241, 301, true);
    let out = check(&dir);
    let err = said(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("error[print-ppi-too-low]"), "{err}");
    assert!(
        err.contains("picture `images/portrait.png` is 241 x 301 px printed at 2.09 x 2.61 in (53.1 x 66.4 mm): 115 ppi, under the 150 ppi"),
        "{err}"
    );
    assert!(err.contains("first.md"), "{err}");

    // 200 ppi: a warning; `build` says it too and writes both PDFs.
    let dir = anthology_with_portrait(&tmp.path().join("fair"), 419, 524, true);
    let out = check(&dir);
    let err = said(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("warning[print-ppi-low]"), "{err}");
    assert!(err.contains(": 200 ppi, under the 300 ppi"), "{err}");
    assert!(err.contains("0 error(s), 1 warning(s)"), "{err}");
    let out = qalam()
        .args(["-q", "build"])
        .arg(&dir)
        .arg("-o")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("out/voices-of-the-steppe-print.pdf").is_file());
}

/// A one-chapter book with one figure of `w` x `h` px, printed across the
/// 4.65 in measure.
fn figure_book(dir: &Path, w: u32, h: u32, variants: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        format!(
            "[book]\ntitle = \"Figures\"\nauthors = [\"A. Author\"]\nlanguage = \"en\"\n\
             date = \"2025-01-01\"\nchapters = [\"c.md\"]\n[pdf]\nvariants = {variants}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("c.md"),
        "---\ntitle: A chapter\ninterviewee: B. Person\n---\n\n## What is this?\n\n\
         A figure.\n\n![A gradient](images/fig.png \"The figure\")\n",
    )
    .unwrap();
    picture(&dir.join("images/fig.png"), w, h);
}

#[test]
fn a_72_ppi_figure_is_an_error_for_print_and_300_ppi_passes() {
    let tmp = tempfile::tempdir().unwrap();
    let both = "[\"screen\", \"print\"]";

    // 335 px over 4.65 in: 72 ppi.
    let low = tmp.path().join("low");
    figure_book(&low, 335, 251, both);
    let out = check(&low);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("error[print-ppi-too-low]"), "{err}");
    assert!(
        err.contains("picture `images/fig.png` is 335 x 251 px printed at 4.65 x 3.48 in (118.1 x 88.5 mm): 72 ppi, under the 150 ppi"),
        "{err}"
    );
    let out = qalam()
        .args(["-q", "build"])
        .arg(&low)
        .arg("-o")
        .arg(low.join("out"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("72 ppi"), "{}", stderr(&out));
    assert!(!low.join("out/figures-print.pdf").exists());

    // The same figure for the screen only passes silently.
    let screen = tmp.path().join("screen");
    figure_book(&screen, 335, 251, "[\"screen\"]");
    let out = check(&screen);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(said(&out).contains("0 warning(s)"), "{}", said(&out));

    // A threshold set lower lets it through.
    std::fs::write(
        low.join("book.toml"),
        std::fs::read_to_string(low.join("book.toml")).unwrap() + "min-ppi = 72\nwarn-ppi = 72\n",
    )
    .unwrap();
    let out = check(&low);
    assert!(out.status.success(), "{}", stderr(&out));

    // 1400 px over 4.65 in: 301 ppi, silent.
    let high = tmp.path().join("high");
    figure_book(&high, 1400, 1050, both);
    let out = check(&high);
    let err = said(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("ppi"), "{err}");
    assert!(err.contains("0 error(s), 0 warning(s)"), "{err}");
}

/// `qalam check --print` builds the print PDF, reads it back and lists a
/// printer's preflight; the figures are read from its JSON report.
#[test]
fn check_print_lists_the_preflight_of_the_sample() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_book("book", tmp.path());
    let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        toml.replacen("[pdf]\n", "[pdf]\ncrop-marks = true\n", 1),
    )
    .unwrap();
    let out = qalam()
        .args(["check", "--print", "--report", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    let figures = &report["figures"];
    let pages = figures["pages"].as_array().unwrap();
    assert!(pages.len() > 4, "{}", pages.len());
    let num = |v: &serde_json::Value| v.as_f64().unwrap();
    // Crop marks take 18 pt beyond the 0.125 in (9 pt) bleed.
    let off = 9.0 + 18.0;
    for (i, p) in pages.iter().enumerate() {
        let b: Vec<f64> = p["trim"].as_array().unwrap().iter().map(num).collect();
        assert_eq!(
            b,
            [off, off, off + 432.0, off + 648.0],
            "TrimBox of page {}",
            i + 1
        );
        let bl: Vec<f64> = p["bleed"].as_array().unwrap().iter().map(num).collect();
        assert_eq!(
            bl,
            [18.0, 18.0, 18.0 + 450.0, 18.0 + 666.0],
            "BleedBox of page {}",
            i + 1
        );
        let m: Vec<f64> = p["media"].as_array().unwrap().iter().map(num).collect();
        assert_eq!(m, [0.0, 0.0, 486.0, 702.0]);
        // Eight lines, two at each corner, outside the bleed.
        assert_eq!(p["marks"], 8, "page {}", i + 1);
    }
    // The cover bleeds on all four sides, to the BleedBox.
    let cover = pages[0]["overhang"].as_array().unwrap();
    assert!(cover.iter().all(|o| num(o) >= 9.0 - 0.01), "{cover:?}");
    // The text pages keep their text inside the safe area.
    for p in &pages[1..] {
        if let Some(d) = p["text_to_trim"].as_f64() {
            assert!(d >= 18.0, "text {d} pt from the trim");
        }
        assert!(
            p["overhang"]
                .as_array()
                .unwrap()
                .iter()
                .all(|o| num(o) < 0.01)
        );
    }
    let fonts = figures["fonts"].as_array().unwrap();
    assert!(!fonts.is_empty());
    for f in fonts {
        assert_eq!(f["embedded"], true, "{f}");
        assert_eq!(f["subset"], true, "{f}");
    }
    let spaces: Vec<&str> = figures["colour_spaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(spaces.contains(&"Separation /All"), "{spaces:?}");
    assert!(!spaces.contains(&"DeviceCMYK"), "{spaces:?}");
    let oi = &figures["output_intent"];
    assert_eq!(oi["subtype"], "GTS_PDFA1", "{oi}");
    assert_eq!(oi["condition"], "sRGB", "{oi}");
    assert_eq!(oi["profile"], true, "{oi}");
    assert_eq!(figures["pdfa"], "2B");

    // The rows say the same in words.
    let rows = report["rows"].as_array().unwrap();
    let row = |item: &str| {
        rows.iter()
            .find(|r| r["item"] == item)
            .unwrap_or_else(|| panic!("no row {item}: {rows:?}"))
    };
    assert!(
        row("TrimBox (page size)")["figure"]
            .as_str()
            .unwrap()
            .starts_with("6.00 x 9.00 in (152.4 x 228.6 mm) on all"),
        "{rows:?}"
    );
    assert!(
        row("BleedBox (bleed)")["figure"]
            .as_str()
            .unwrap()
            .starts_with("0.125 in (3.2 mm) past the trim on every side"),
    );
    assert_eq!(row("fonts")["status"], "ok");
    assert_eq!(row("crop marks")["status"], "ok");
    assert_eq!(row("output intent")["status"], "ok");
    assert!(
        row("pages that bleed")["figure"]
            .as_str()
            .unwrap()
            .contains("(page 1)")
    );

    // The table, for people.
    let out = qalam()
        .args(["check", "--print"])
        .arg(&dir)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        text.contains("preflight of kazakhstans-new-national-story-print.pdf:"),
        "{text}"
    );
    assert!(text.contains("ok       TrimBox (page size)"), "{text}");
    assert!(
        text.contains("in registration colour (Separation /All)"),
        "{text}"
    );
}

/// PDF/A needs a date, and krilla states an output intent only for PDF/A:
/// an undated book's print PDF is still made, without one, and the
/// preflight says so.
#[test]
fn an_undated_books_print_pdf_has_no_output_intent_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("undated");
    figure_book(&dir, 1400, 1050, "[\"print\"]");
    let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        toml.replace("date = \"2025-01-01\"\n", ""),
    )
    .unwrap();
    let out = qalam()
        .args(["check", "--print", "--report", "json"])
        .arg(&dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(report["figures"]["output_intent"].is_null());
    assert!(report["figures"]["pdfa"].is_null());
    let row = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["item"] == "output intent")
        .unwrap();
    assert_eq!(row["status"], "warning", "{row}");
    // The figure itself: 1400 px over 4.65 in.
    let img = &report["figures"]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|p| p["images"].as_array().and_then(|i| i.first().cloned()))
        .unwrap();
    assert_eq!(img["pixels"], serde_json::json!([1400, 1050]));
    let ppi = img["ppi"].as_f64().unwrap();
    assert!((ppi - 301.1).abs() < 0.1, "{ppi}");
}
