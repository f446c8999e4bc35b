//! Fonts found on disk: families the book names, looked up by name
//! ([`FontFinder`]), and the faces of the system's fonts that have the
//! characters a book's fonts lack ([`FontBook::add_system_fallback`]).

use super::{Face, FontBook, FontBytes, FontId, Styles};
use std::path::PathBuf;

impl FontBook {
    /// Adds, for the characters of `chars` that no face of the book has,
    /// faces from the book's `dirs` and the system's fonts, in the fallback
    /// chain after the book's own; returns how many were added. Faces are
    /// tried in a fixed order (the cut of a CJK family made for the book's
    /// language `primary` first, then family name, upright before italic,
    /// weight nearest regular, path, index), so the choice depends only on
    /// the fonts installed, not on the order the folders list them; each
    /// face that has a character still wanting one is taken whole (its
    /// regular style serves every style).
    pub fn add_system_fallback(
        &mut self,
        chars: &[char],
        dirs: &[PathBuf],
        primary: &str,
    ) -> usize {
        // Han characters are drawn differently in each region: Noto CJK
        // names its cuts by region.
        let cut = match primary {
            "ko" => Some(" KR"),
            "ja" => Some(" JP"),
            "zh" => Some(" SC"),
            _ => None,
        };
        let mut left: Vec<char> = chars
            .iter()
            .copied()
            .filter(|&c| !self.faces.iter().any(|f| f.covers(c)))
            .collect();
        left.sort_unstable();
        left.dedup();
        if left.is_empty() {
            return 0;
        }
        let mut db = fontdb::Database::new();
        let mut sorted: Vec<&PathBuf> = dirs.iter().collect();
        sorted.sort();
        for d in sorted {
            db.load_fonts_dir(d);
        }
        db.load_system_fonts();
        let mut cands: Vec<(bool, String, bool, i32, PathBuf, u32, fontdb::ID)> = db
            .faces()
            .filter_map(|f| {
                let path = match &f.source {
                    fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => p.clone(),
                    fontdb::Source::Binary(_) => return None,
                };
                let family = f.families.first().map(|(n, _)| n.clone())?;
                let italic = f.style != fontdb::Style::Normal;
                let other_cut = !cut.is_some_and(|c| family.ends_with(c));
                Some((
                    other_cut,
                    family,
                    italic,
                    (f.weight.0 as i32 - 400).abs(),
                    path,
                    f.index,
                    f.id,
                ))
            })
            .collect();
        cands.sort_by(|a, b| {
            (a.0, &a.1, a.2, a.3, &a.4, a.5).cmp(&(b.0, &b.1, b.2, b.3, &b.4, b.5))
        });
        let mut added = 0;
        for (_, family, _, _, path, index, id) in cands {
            if left.is_empty() {
                break;
            }
            let has: Vec<char> = db
                .with_face_data(id, |data, i| {
                    let face = ttf_parser::Face::parse(data, i).ok()?;
                    Some(
                        left.iter()
                            .copied()
                            .filter(|&c| face.glyph_index(c).is_some())
                            .collect(),
                    )
                })
                .flatten()
                .unwrap_or_default();
            if has.is_empty() {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let mut face = Face::new(
                &family,
                false,
                false,
                path.display().to_string(),
                FontBytes::Owned(bytes),
            );
            face.index = index;
            if face.rb().is_none() || self.faces.len() >= u16::MAX as usize {
                continue;
            }
            let fid = FontId(self.faces.len() as u16);
            self.faces.push(face);
            self.fallback.push(Styles {
                regular: fid,
                bold: None,
                italic: None,
                bold_italic: None,
            });
            left.retain(|c| !has.contains(c));
            added += 1;
        }
        added
    }
}

/// One font file of a family found on disk.
#[derive(Debug, Clone)]
pub(super) struct FoundFace {
    pub(super) path: PathBuf,
    pub(super) index: u32,
    pub(super) bold: bool,
    pub(super) italic: bool,
}

/// Looks families up by name with fontdb: the book's `dirs` first, the
/// system folders only when a family is not in them (scanning them is slow
/// and makes the result depend on the machine).
pub(super) struct FontFinder<'a> {
    dirs: &'a [PathBuf],
    db: fontdb::Database,
    system_loaded: bool,
}

impl<'a> FontFinder<'a> {
    pub(super) fn new(dirs: &'a [PathBuf]) -> Self {
        let mut db = fontdb::Database::new();
        let mut sorted: Vec<&PathBuf> = dirs.iter().collect();
        sorted.sort();
        for d in sorted {
            db.load_fonts_dir(d);
        }
        FontFinder {
            dirs,
            db,
            system_loaded: false,
        }
    }

    pub(super) fn find(&mut self, name: &str) -> Option<Vec<FoundFace>> {
        if let Some(f) = self.find_loaded(name) {
            return Some(f);
        }
        if !self.system_loaded {
            self.system_loaded = true;
            self.db.load_system_fonts();
            let _ = self.dirs;
        }
        self.find_loaded(name)
    }

    /// Every regular-width face of the family, at most one per style: the
    /// weight closest to 400 (regular) or 700 (bold), ties broken by path so
    /// that the choice does not depend on directory order.
    fn find_loaded(&self, name: &str) -> Option<Vec<FoundFace>> {
        let mut cands: Vec<(u16, bool, PathBuf, u32)> = Vec::new();
        for f in self.db.faces() {
            if !f.families.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
                || f.stretch != fontdb::Stretch::Normal
            {
                continue;
            }
            let path = match &f.source {
                fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => p.clone(),
                fontdb::Source::Binary(_) => continue,
            };
            cands.push((f.weight.0, f.style != fontdb::Style::Normal, path, f.index));
        }
        if cands.is_empty() {
            return None;
        }
        let mut out = Vec::new();
        for (bold, italic) in [(false, false), (false, true), (true, false), (true, true)] {
            let target: i32 = if bold { 700 } else { 400 };
            let best = cands
                .iter()
                .filter(|c| c.1 == italic && (c.0 >= 600) == bold)
                .min_by(|a, b| {
                    ((a.0 as i32 - target).abs(), &a.2, a.3).cmp(&(
                        (b.0 as i32 - target).abs(),
                        &b.2,
                        b.3,
                    ))
                });
            if let Some(b) = best {
                out.push(FoundFace {
                    path: b.2.clone(),
                    index: b.3,
                    bold,
                    italic,
                });
            }
        }
        Some(out)
    }

    pub(super) fn nearest(&self, name: &str) -> Option<String> {
        let mut best: Option<(f64, String)> = None;
        for f in self.db.faces() {
            for (n, _) in &f.families {
                let s = strsim::jaro_winkler(&n.to_lowercase(), &name.to_lowercase());
                if s > 0.85
                    && best
                        .as_ref()
                        .is_none_or(|b| s > b.0 || (s == b.0 && *n < b.1))
                {
                    best = Some((s, n.clone()));
                }
            }
        }
        best.map(|b| b.1)
    }
}
