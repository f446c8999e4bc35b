//! The preflight's figures as the rows of a table: what was checked, the
//! figure found, and whether a printer would accept it.

use super::{HAIRLINE, PageFacts, Preflight, SAFE_AREA};
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Worth knowing; no printer refuses it.
    Info,
    Warning,
    /// A printer would refuse the file.
    Error,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Info => "info",
            Status::Warning => "warning",
            Status::Error => "error",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    pub item: String,
    pub figure: String,
    pub status: Status,
}

fn row(item: impl Into<String>, figure: impl Into<String>, status: Status) -> Row {
    Row {
        item: item.into(),
        figure: figure.into(),
        status,
    }
}

/// "6.00 x 9.00 in (152.4 x 228.6 mm)".
fn size(w: f64, h: f64) -> String {
    format!(
        "{:.2} x {:.2} in ({:.1} x {:.1} mm)",
        w / 72.0,
        h / 72.0,
        w / 72.0 * 25.4,
        h / 72.0 * 25.4
    )
}

/// "0.125 in (3.2 mm)".
fn length(v: f64) -> String {
    format!("{:.3} in ({:.1} mm)", v / 72.0, v / 72.0 * 25.4)
}

/// Page numbers (from 1) as "1, 3-5, 9".
fn page_list(pages: &[usize]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < pages.len() {
        let mut j = i;
        while j + 1 < pages.len() && pages[j + 1] == pages[j] + 1 {
            j += 1;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        let _ = if i == j {
            write!(out, "{}", pages[i] + 1)
        } else {
            write!(out, "{}-{}", pages[i] + 1, pages[j] + 1)
        };
        i = j + 1;
    }
    out
}

/// The same figure for every page, or how the pages differ.
fn uniform<T: PartialEq + Clone>(pages: &[PageFacts], f: impl Fn(&PageFacts) -> T) -> Option<T> {
    let first = f(pages.first()?);
    pages.iter().all(|p| f(p) == first).then_some(first)
}

fn round(v: f64) -> i64 {
    (v * 100.0).round() as i64
}

impl Preflight {
    /// The table, judged against the print thresholds (`[pdf] warn-ppi`
    /// and `min-ppi`).
    pub fn rows(&self, warn_ppi: u32, min_ppi: u32) -> Vec<Row> {
        let pages = &self.pages;
        let n = pages.len();
        let mut rows = vec![row("pages", n.to_string(), Status::Ok)];
        rows.extend(self.box_rows());
        rows.push(self.bleed_row());
        rows.push(self.font_row());
        rows.extend(self.image_rows(warn_ppi, min_ppi));
        rows.push(row(
            "colour spaces",
            if self.colour_spaces.is_empty() {
                "none".to_string()
            } else {
                self.colour_spaces.join(", ")
            },
            if self.colour_spaces.iter().any(|s| s == "DeviceCMYK") {
                Status::Info
            } else {
                Status::Ok
            },
        ));
        rows.push(self.hairline_row());
        rows.push(self.safe_area_row());
        rows.push(self.marks_row());
        rows.push(match &self.output_intent {
            Some(oi) => row(
                "output intent",
                format!(
                    "{} {}{}{}",
                    oi.subtype,
                    oi.condition,
                    if oi.info.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", oi.info)
                    },
                    if oi.profile {
                        ", ICC profile embedded"
                    } else {
                        ", no ICC profile"
                    }
                ) + &self
                    .pdfa
                    .as_ref()
                    .map(|a| format!("; PDF/A-{a}"))
                    .unwrap_or_default(),
                if oi.profile {
                    Status::Ok
                } else {
                    Status::Warning
                },
            ),
            None => row(
                "output intent",
                "none (the colours' intended condition is not stated)",
                Status::Warning,
            ),
        });
        rows
    }

    fn box_rows(&self) -> Vec<Row> {
        let pages = &self.pages;
        let n = pages.len();
        let mut rows = Vec::new();
        let media = uniform(pages, |p| {
            (
                round(p.media[2] - p.media[0]),
                round(p.media[3] - p.media[1]),
            )
        });
        rows.push(match (media, pages.first()) {
            (Some(_), Some(p)) => row(
                "MediaBox",
                format!(
                    "{} on all {n} pages",
                    size(p.media[2] - p.media[0], p.media[3] - p.media[1])
                ),
                Status::Ok,
            ),
            _ => row("MediaBox", "differs between pages", Status::Warning),
        });
        let missing: Vec<usize> = (0..n).filter(|&i| pages[i].trim.is_none()).collect();
        let trim = uniform(pages, |p| {
            p.trim.map(|t| (round(t[2] - t[0]), round(t[3] - t[1])))
        });
        rows.push(match (trim.flatten(), pages.first().and_then(|p| p.trim)) {
            (Some(_), Some(t)) => row(
                "TrimBox (page size)",
                format!("{} on all {n} pages", size(t[2] - t[0], t[3] - t[1])),
                Status::Ok,
            ),
            _ if !missing.is_empty() => row(
                "TrimBox (page size)",
                format!("missing on pages {}", page_list(&missing)),
                Status::Error,
            ),
            _ => row(
                "TrimBox (page size)",
                "differs between pages",
                Status::Error,
            ),
        });
        // Bleed on each side: how far the BleedBox reaches past the trim.
        let sides = |p: &PageFacts| -> Option<[i64; 4]> {
            let (t, b) = (p.trim?, p.bleed?);
            Some([
                round(t[0] - b[0]),
                round(t[1] - b[1]),
                round(b[2] - t[2]),
                round(b[3] - t[3]),
            ])
        };
        rows.push(match uniform(pages, sides).flatten() {
            Some(s) if s.iter().all(|&v| v == s[0]) && s[0] > 0 => row(
                "BleedBox (bleed)",
                format!(
                    "{} past the trim on every side of all {n} pages",
                    length(s[0] as f64 / 100.0)
                ),
                Status::Ok,
            ),
            Some(s) if s.iter().all(|&v| v == 0) => {
                row("BleedBox (bleed)", "no bleed", Status::Warning)
            }
            _ => row(
                "BleedBox (bleed)",
                "missing or uneven on some pages",
                Status::Warning,
            ),
        });
        rows
    }

    /// Pages whose ink crosses the trim, and whether it reaches the
    /// BleedBox on each side it crosses (else the trimmer leaves a sliver
    /// of white paper).
    fn bleed_row(&self) -> Row {
        let mut bleeding = Vec::new();
        let mut short = Vec::new();
        for (i, p) in self.pages.iter().enumerate() {
            if p.overhang.iter().all(|&o| o < 0.01) {
                continue;
            }
            bleeding.push(i);
            let bleed = match (p.trim, p.bleed) {
                (Some(t), Some(b)) => [t[0] - b[0], t[1] - b[1], b[2] - t[2], b[3] - t[3]],
                _ => [0.0; 4],
            };
            if p.overhang
                .iter()
                .zip(bleed)
                .any(|(&o, b)| o >= 0.01 && o + 0.01 < b)
            {
                short.push(i);
            }
        }
        if bleeding.is_empty() {
            return row("pages that bleed", "none", Status::Ok);
        }
        if short.is_empty() {
            row(
                "pages that bleed",
                format!(
                    "{} (page {}): the ink reaches the BleedBox",
                    bleeding.len(),
                    page_list(&bleeding)
                ),
                Status::Ok,
            )
        } else {
            row(
                "pages that bleed",
                format!(
                    "{} (page {}); on page {} the ink crosses the trim but stops short of the BleedBox",
                    bleeding.len(),
                    page_list(&bleeding),
                    page_list(&short)
                ),
                Status::Warning,
            )
        }
    }

    fn font_row(&self) -> Row {
        let n = self.fonts.len();
        let loose: Vec<&str> = self
            .fonts
            .iter()
            .filter(|f| !f.embedded)
            .map(|f| f.name.as_str())
            .collect();
        let subset = self.fonts.iter().filter(|f| f.subset).count();
        let mut names: Vec<&str> = self.fonts.iter().map(|f| f.name.as_str()).collect();
        names.dedup();
        if loose.is_empty() {
            row(
                "fonts",
                format!(
                    "{n} fonts, all embedded, {subset} of them subset: {}",
                    names.join(", ")
                ),
                Status::Ok,
            )
        } else {
            row(
                "fonts",
                format!("{} of {n} not embedded: {}", loose.len(), loose.join(", ")),
                Status::Error,
            )
        }
    }

    fn image_rows(&self, warn_ppi: u32, min_ppi: u32) -> Vec<Row> {
        let mut rows = Vec::new();
        for (i, p) in self.pages.iter().enumerate() {
            for img in &p.images {
                let status = if img.ppi < min_ppi as f64 {
                    Status::Error
                } else if img.ppi < warn_ppi as f64 {
                    Status::Warning
                } else {
                    Status::Ok
                };
                rows.push(row(
                    format!("image, page {}", i + 1),
                    format!(
                        "{} x {} px at {}: {:.0} ppi",
                        img.pixels.0,
                        img.pixels.1,
                        size(img.size.0, img.size.1),
                        img.ppi.floor()
                    ),
                    status,
                ));
            }
        }
        if rows.is_empty() {
            rows.push(row("images", "none", Status::Ok));
        }
        rows
    }

    fn hairline_row(&self) -> Row {
        let pages: Vec<usize> = (0..self.pages.len())
            .filter(|&i| !self.pages[i].hairlines.is_empty())
            .collect();
        if pages.is_empty() {
            return row("hairlines", format!("none under {HAIRLINE} pt"), Status::Ok);
        }
        let count: usize = self.pages.iter().map(|p| p.hairlines.len()).sum();
        let thinnest = self
            .pages
            .iter()
            .flat_map(|p| p.hairlines.iter().copied())
            .fold(f64::INFINITY, f64::min);
        row(
            "hairlines",
            format!(
                "{count} under {HAIRLINE} pt, the thinnest {thinnest:.2} pt, on page {}",
                page_list(&pages)
            ),
            Status::Warning,
        )
    }

    fn safe_area_row(&self) -> Row {
        let nearest = self
            .pages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.text_to_trim.map(|d| (d, i)))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let Some((d, at)) = nearest else {
            return row("text in the safe area", "no text", Status::Ok);
        };
        let close: Vec<usize> = (0..self.pages.len())
            .filter(|&i| self.pages[i].text_to_trim.is_some_and(|d| d < SAFE_AREA))
            .collect();
        let figure = format!("nearest text {} from the trim (page {})", length(d), at + 1);
        if close.is_empty() {
            row("text in the safe area", figure, Status::Ok)
        } else {
            row(
                "text in the safe area",
                format!(
                    "{figure}; closer than {} on page {}",
                    length(SAFE_AREA),
                    page_list(&close)
                ),
                Status::Warning,
            )
        }
    }

    fn marks_row(&self) -> Row {
        let with: Vec<usize> = (0..self.pages.len())
            .filter(|&i| self.pages[i].marks > 0)
            .collect();
        if with.is_empty() {
            return row(
                "crop marks",
                "none (`[pdf] crop-marks = true` adds them)",
                Status::Info,
            );
        }
        let registration = self.colour_spaces.iter().any(|s| s == "Separation /All");
        let per_page = uniform(&self.pages, |p| p.marks);
        let figure = format!(
            "{} on {} of {} pages{}",
            per_page.map_or("some".to_string(), |m| format!("{m} strokes a page")),
            with.len(),
            self.pages.len(),
            if registration {
                ", in registration colour (Separation /All)"
            } else {
                ", not in registration colour"
            }
        );
        row(
            "crop marks",
            figure,
            if registration {
                Status::Ok
            } else {
                Status::Warning
            },
        )
    }
}

/// The rows as an aligned text table.
pub fn render(rows: &[Row]) -> String {
    let w = rows
        .iter()
        .map(|r| r.item.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for r in rows {
        let _ = writeln!(
            out,
            "  {:<7}  {:<w$}  {}",
            r.status.label(),
            r.item,
            r.figure
        );
    }
    out
}
