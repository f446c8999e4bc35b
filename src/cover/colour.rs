//! Cover colours: parsed from `[cover]` or derived from the title.
//!
//! Derived palettes are built in OKLCH, where equal lightness looks equally
//! light whatever the hue, so every title gets a palette of the same
//! contrast and weight; only the hue changes. The hue comes from a hash of
//! the title, so a book keeps its colours from build to build.

use crate::model::CoverSettings;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses `#rrggbb` (the reader has already checked the form).
    pub fn parse(s: &str) -> Option<Rgb> {
        let h = s.strip_prefix('#')?;
        if h.len() != 6 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG relative luminance.
    pub fn luminance(self) -> f32 {
        let lin = |c: u8| {
            let c = f32::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// WCAG contrast ratio (1..21).
    pub fn contrast(self, other: Rgb) -> f32 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// `self` mixed with `other` (`t` = 0: self, 1: other), in sRGB.
    pub fn mix(self, other: Rgb, t: f32) -> Rgb {
        let m = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }

    fn hue(self) -> f32 {
        to_oklch(self).2
    }
}

/// The colours of one cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// The main field (dark unless the book says otherwise).
    pub background: Rgb,
    /// Type on the field.
    pub foreground: Rgb,
    /// Rules, names and ornaments.
    pub accent: Rgb,
    /// A light ground for styles that set dark type on paper.
    pub paper: Rgb,
    /// The field a shade lighter, for ornaments that should be felt more
    /// than seen.
    pub tint: Rgb,
}

impl Palette {
    /// The book's colours where `[cover]` sets them, the rest derived: from
    /// the title, or from the given background's hue.
    pub fn for_book(title: &str, settings: &CoverSettings) -> Palette {
        let given = |s: &Option<String>| s.as_deref().and_then(Rgb::parse);
        let Some(background) = given(&settings.background) else {
            let mut p = Palette::for_title(title);
            p.foreground = given(&settings.foreground).unwrap_or(p.foreground);
            p.accent = given(&settings.accent).unwrap_or(p.accent);
            return p;
        };
        let hue = background.hue();
        let derived = Palette::from_hue(hue, hue + ACCENT_TURN);
        let dark_field = background.luminance() < 0.18;
        let foreground = given(&settings.foreground).unwrap_or(if dark_field {
            derived.foreground
        } else {
            oklch(0.22, 0.03, hue)
        });
        let accent = given(&settings.accent).unwrap_or(if dark_field {
            derived.accent
        } else {
            oklch(0.45, 0.12, hue + ACCENT_TURN)
        });
        Palette {
            background,
            foreground,
            accent,
            paper: derived.paper,
            tint: background.mix(foreground, 0.1),
        }
    }

    /// One of the designed pairings, chosen by the title's hash.
    pub fn for_title(title: &str) -> Palette {
        let (field, accent) = PAIRINGS[title_hash(title) as usize % PAIRINGS.len()];
        Palette::from_hue(field, accent)
    }

    /// A deep field of hue `field` with a light accent of hue `accent`
    /// (degrees, OKLCH).
    pub fn from_hue(field: f32, accent: f32) -> Palette {
        Palette {
            background: oklch(0.32, 0.085, field),
            foreground: oklch(0.965, 0.012, 85.0),
            accent: oklch(0.83, 0.11, accent),
            paper: oklch(0.955, 0.016, field),
            tint: oklch(0.39, 0.085, field),
        }
    }
}

/// Field and accent hues (OKLCH degrees) that look well together: deep,
/// cool or earthy fields with warm light accents, and the reverse. Hues
/// that turn muddy when dark (olive, mustard) are left out.
pub const PAIRINGS: [(f32, f32); 9] = [
    (262.0, 85.0),  // navy, gold
    (215.0, 45.0),  // petrol, coral
    (155.0, 75.0),  // forest, apricot
    (18.0, 80.0),   // burgundy, sand
    (330.0, 160.0), // plum, mint
    (285.0, 55.0),  // indigo, peach
    (195.0, 90.0),  // deep teal, saffron
    (240.0, 25.0),  // ink blue, rose
    (40.0, 230.0),  // brick, sky
];

/// How far round the colour wheel the accent sits from the field: far
/// enough to read as a second colour, short of the harsh complement.
const ACCENT_TURN: f32 = 150.0;

/// A number from the title's SHA-1: stable across builds and machines.
pub fn title_hash(title: &str) -> u32 {
    let d = sha1_smol::Sha1::from(title.trim().as_bytes())
        .digest()
        .bytes();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// The sRGB colour of OKLCH (`l` 0..1, chroma, hue in degrees), with chroma
/// reduced until it lies inside sRGB (so the hue is kept, not clipped).
pub fn oklch(l: f32, c: f32, h: f32) -> Rgb {
    let h = h.rem_euclid(360.0).to_radians();
    let mut chroma = c;
    for _ in 0..24 {
        let (a, b) = (chroma * h.cos(), chroma * h.sin());
        if let Some(rgb) = oklab_to_srgb(l, a, b) {
            return rgb;
        }
        chroma *= 0.85;
    }
    let v = (l.clamp(0.0, 1.0) * 255.0).round() as u8;
    Rgb(v, v, v)
}

/// OKLab to 8-bit sRGB; `None` when the colour lies outside sRGB.
fn oklab_to_srgb(l: f32, a: f32, b: f32) -> Option<Rgb> {
    let l_ = l + 0.396_337_78 * a + 0.215_803_76 * b;
    let m_ = l - 0.105_561_346 * a - 0.063_854_17 * b;
    let s_ = l - 0.089_484_18 * a - 1.291_485_5 * b;
    let (l3, m3, s3) = (l_ * l_ * l_, m_ * m_ * m_, s_ * s_ * s_);
    let r = 4.076_741_7 * l3 - 3.307_711_6 * m3 + 0.230_969_94 * s3;
    let g = -1.268_438 * l3 + 2.609_757_4 * m3 - 0.341_319_38 * s3;
    let bl = -0.004_196_086_3 * l3 - 0.703_418_6 * m3 + 1.707_614_7 * s3;
    let enc = |x: f32| -> Option<u8> {
        if !(-0.001..=1.001).contains(&x) {
            return None;
        }
        let x = x.clamp(0.0, 1.0);
        let v = if x <= 0.003_130_8 {
            12.92 * x
        } else {
            1.055 * x.powf(1.0 / 2.4) - 0.055
        };
        Some((v * 255.0).round() as u8)
    };
    Some(Rgb(enc(r)?, enc(g)?, enc(bl)?))
}

/// sRGB to OKLCH (lightness, chroma, hue in degrees).
fn to_oklch(c: Rgb) -> (f32, f32, f32) {
    let lin = |c: u8| {
        let c = f32::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let (r, g, b) = (lin(c.0), lin(c.1), lin(c.2));
    let l = (0.412_221_46 * r + 0.536_332_55 * g + 0.051_445_995 * b).cbrt();
    let m = (0.211_903_5 * r + 0.680_699_5 * g + 0.107_396_96 * b).cbrt();
    let s = (0.088_302_46 * r + 0.281_718_85 * g + 0.629_978_7 * b).cbrt();
    let ll = 0.210_454_26 * l + 0.793_617_8 * m - 0.004_072_047 * s;
    let a = 1.977_998_5 * l - 2.428_592_2 * m + 0.450_593_7 * s;
    let bb = 0.025_904_037 * l + 0.782_771_77 * m - 0.808_675_77 * s;
    (ll, a.hypot(bb), bb.atan2(a).to_degrees().rem_euclid(360.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        assert_eq!(Rgb::parse("#1d3557"), Some(Rgb(0x1d, 0x35, 0x57)));
        assert_eq!(Rgb(0x1d, 0x35, 0x57).hex(), "#1d3557");
        assert_eq!(Rgb::parse("red"), None);
    }

    #[test]
    fn oklch_round_trips_through_srgb() {
        let c = oklch(0.6, 0.1, 200.0);
        let (l, ch, h) = to_oklch(c);
        assert!((l - 0.6).abs() < 0.01 && (ch - 0.1).abs() < 0.01 && (h - 200.0).abs() < 2.0);
    }

    #[test]
    fn derived_palettes_are_readable_for_every_hue() {
        let all = (0..360)
            .step_by(5)
            .map(|h| (h as f32, h as f32 + ACCENT_TURN));
        for (h, a) in all.chain(PAIRINGS) {
            let p = Palette::from_hue(h, a);
            assert!(p.foreground.contrast(p.background) >= 7.0, "hue {h}");
            assert!(p.accent.contrast(p.background) >= 4.5, "hue {h}");
            assert!(p.background.contrast(p.paper) >= 7.0, "hue {h}");
        }
    }

    #[test]
    fn title_decides_the_colours_and_settings_override_them() {
        let s = CoverSettings::default();
        let a = Palette::for_book("One title", &s);
        assert_eq!(a, Palette::for_book("One title", &s));
        let mut seen: Vec<Palette> = Vec::new();
        for t in [
            "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight",
        ] {
            let p = Palette::for_book(t, &s);
            if !seen.contains(&p) {
                seen.push(p);
            }
        }
        assert!(seen.len() >= 4, "titles should spread over the pairings");
        let s = CoverSettings {
            background: Some("#f0e8d8".into()),
            ..CoverSettings::default()
        };
        let p = Palette::for_book("One title", &s);
        assert_eq!(p.background, Rgb(0xf0, 0xe8, 0xd8));
        // A light field gets dark type.
        assert!(p.foreground.contrast(p.background) >= 7.0);
    }
}
