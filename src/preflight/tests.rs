use super::*;

/// A PDF written by hand, as another tool might: no TrimBox, Helvetica not
/// embedded, a 0.1 pt line and a CMYK fill, no output intent.
fn careless_pdf() -> Vec<u8> {
    let content = b"0.1 w 10 10 m 190 10 l S 0 0 0 1 k 50 50 20 20 re f";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] \
         /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!(
            "<< /Length {} >>\nstream\n{}\nendstream",
            content.len(),
            String::from_utf8_lossy(content)
        ),
    ];
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for at in offsets {
        pdf.extend(format!("{at:010} 00000 n \n").bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    pdf
}

fn status<'a>(rows: &'a [Row], item: &str) -> (&'a str, Status) {
    let r = rows
        .iter()
        .find(|r| r.item == item)
        .unwrap_or_else(|| panic!("no row {item}: {rows:?}"));
    (r.figure.as_str(), r.status)
}

#[test]
fn a_careless_pdf_fails_where_a_printer_would() {
    let found = inspect(&careless_pdf()).unwrap();
    assert_eq!(found.pages.len(), 1);
    let rows = found.rows(300, 150);
    let (fig, st) = status(&rows, "fonts");
    assert_eq!(st, Status::Error);
    assert_eq!(fig, "1 of 1 not embedded: Helvetica");
    let (fig, st) = status(&rows, "TrimBox (page size)");
    assert_eq!((fig, st), ("missing on pages 1", Status::Error));
    let (fig, st) = status(&rows, "hairlines");
    assert_eq!(st, Status::Warning);
    assert!(
        fig.starts_with("1 under 0.25 pt, the thinnest 0.10 pt"),
        "{fig}"
    );
    assert!(found.colour_spaces.contains(&"DeviceCMYK".to_string()));
    assert_eq!(status(&rows, "output intent").1, Status::Warning);
    assert_eq!(status(&rows, "crop marks").1, Status::Info);
}

/// A page drawn with krilla: a TrimBox 20 pt inside the page and a
/// BleedBox 9 pt beyond it; a panel that crosses the trim but stops 4 pt
/// short of the bleed, and a letter 5 pt inside the trim.
#[test]
fn ink_short_of_the_bleed_and_text_near_the_trim_are_found() {
    use krilla::geom::{PathBuilder, Point, Rect as KRect};
    use krilla::page::PageSettings;
    use krilla::text::{Font, GlyphId, KrillaGlyph};

    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fonts/vollkorn/Vollkorn-Regular.ttf"),
    )
    .unwrap();
    let face = ttf_parser::Face::parse(&bytes, 0).unwrap();
    let h = face.glyph_index('H').unwrap().0 as u32;
    let upem = face.units_per_em() as f32;
    let advance = face
        .glyph_hor_advance(ttf_parser::GlyphId(h as u16))
        .unwrap() as f32
        / upem;
    let font = Font::new(krilla::Data::from(bytes.clone()), 0).unwrap();

    let mut doc = krilla::Document::new();
    let settings = PageSettings::from_wh(200.0, 200.0)
        .unwrap()
        .with_trim_box(KRect::from_xywh(20.0, 20.0, 160.0, 160.0))
        .with_bleed_box(KRect::from_xywh(11.0, 11.0, 178.0, 178.0));
    let mut page = doc.start_page_with(settings);
    {
        let mut s = page.surface();
        let mut pb = PathBuilder::new();
        pb.push_rect(KRect::from_xywh(15.0, 60.0, 100.0, 40.0).unwrap());
        s.set_fill(Some(krilla::paint::Fill::default()));
        s.draw_path(&pb.finish().unwrap());
        let glyph = KrillaGlyph::new(GlyphId::new(h), advance, 0.0, 0.0, 0.0, 0..1, None);
        s.draw_glyphs(
            Point::from_xy(25.0, 150.0),
            &[glyph],
            font,
            "H",
            12.0,
            false,
        );
        s.finish();
    }
    page.finish();
    let pdf = doc.finish().unwrap();

    let found = inspect(&pdf).unwrap();
    let p = &found.pages[0];
    // The panel reaches 5 pt past the trim on the left only.
    assert!((p.overhang[0] - 5.0).abs() < 0.01, "{:?}", p.overhang);
    assert!(
        p.overhang[1..].iter().all(|&o| o < 0.01),
        "{:?}",
        p.overhang
    );
    let near = p.text_to_trim.unwrap();
    assert!((5.0..6.5).contains(&near), "{near}");
    let rows = found.rows(300, 150);
    let (fig, st) = status(&rows, "pages that bleed");
    assert_eq!(st, Status::Warning, "{fig}");
    assert!(fig.contains("stops short of the BleedBox"), "{fig}");
    let (fig, st) = status(&rows, "text in the safe area");
    assert_eq!(st, Status::Warning, "{fig}");
    assert!(
        fig.contains("closer than 0.250 in (6.3 mm) on page 1"),
        "{fig}"
    );
    let (fig, st) = status(&rows, "fonts");
    assert_eq!(st, Status::Ok, "{fig}");
    assert!(
        fig.starts_with("1 fonts, all embedded, 1 of them subset"),
        "{fig}"
    );
}
