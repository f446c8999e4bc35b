//! The one timestamp of a build: the EPUB's `dcterms:modified`, every zip
//! entry's date and the PDF's creation date. It comes from
//! `SOURCE_DATE_EPOCH` (reproducible-builds.org) or the book's own dates,
//! never from the wall clock, so the same sources give the same bytes on
//! every machine and every day. The command line reads the variable, once
//! ([`parse_source_date_epoch`] is its rule), and passes the value down in
//! [`crate::build::BuildOptions`]; the library never reads the environment.

use crate::model::Book;

/// A `SOURCE_DATE_EPOCH` value: decimal digits (white space around them
/// ignored) giving seconds from 1970 up to the last second of 9999, the
/// range every output can express. Anything else is ignored (`None`), as
/// the reproducible-builds specification allows: the book's date is used.
pub fn parse_source_date_epoch(value: &str) -> Option<i64> {
    let digits = value.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits
        .parse::<i64>()
        .ok()
        .filter(|s| *s <= Moment::MAX_UNIX)
}

/// A UTC moment, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Moment {
    /// The latest moment `dcterms:modified` can express (9999-12-31T23:59:59Z).
    pub const MAX_UNIX: i64 = 253_402_300_799;

    /// The moment `secs` seconds after 1970-01-01T00:00:00Z (clamped to
    /// 1970…9999, the range `dcterms:modified` can express).
    pub fn from_unix(secs: i64) -> Moment {
        let secs = secs.clamp(0, Self::MAX_UNIX);
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Moment {
            year,
            month,
            day,
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
            second: (rem % 60) as u8,
        }
    }

    /// Midnight UTC of an ISO date (`YYYY-MM-DD`); `None` if it is not one.
    pub fn from_iso_date(s: &str) -> Option<Moment> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: i64 = s.get(0..4)?.parse().ok()?;
        let month: u8 = s.get(5..7)?.parse().ok()?;
        let day: u8 = s.get(8..10)?.parse().ok()?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        Some(Moment {
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
        })
    }

    /// The build's moment: `SOURCE_DATE_EPOCH` when given, else the book's
    /// date, else the latest chapter date, else 2000-01-01 (a fixed value:
    /// the wall clock would make every build different).
    pub fn for_book(book: &Book, source_date_epoch: Option<i64>) -> Moment {
        if let Some(s) = source_date_epoch {
            return Moment::from_unix(s);
        }
        if let Some(m) = book.meta.date.as_deref().and_then(Moment::from_iso_date) {
            return m;
        }
        book.chapters
            .iter()
            .filter_map(|c| c.date.as_deref().and_then(Moment::from_iso_date))
            .max()
            .unwrap_or(Moment {
                year: 2000,
                month: 1,
                day: 1,
                hour: 0,
                minute: 0,
                second: 0,
            })
    }

    /// `CCYY-MM-DDThh:mm:ssZ`, as `dcterms:modified` requires.
    pub fn w3cdtf(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year.clamp(0, 9999),
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second
        )
    }

    /// The zip (MS-DOS) form, clamped to the range it can hold (1980–2107).
    pub fn zip(&self) -> zip::DateTime {
        let fallback = zip::DateTime::default();
        if self.year < 1980 {
            return fallback;
        }
        if self.year > 2107 {
            return zip::DateTime::from_date_and_time(2107, 12, 31, 23, 59, 58).unwrap_or(fallback);
        }
        zip::DateTime::from_date_and_time(
            self.year as u16,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
        )
        .unwrap_or(fallback)
    }
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A date as readers of `primary` write it ("1 May 2024", "1 мая 2024 г."),
/// or the ISO text unchanged for languages without month names here.
pub fn human_date(iso: &str, primary: &str) -> String {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const RU: [&str; 12] = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ];
    const KK: [&str; 12] = [
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ];
    let Some(m) = Moment::from_iso_date(iso) else {
        return iso.to_string();
    };
    let month = usize::from(m.month - 1);
    match primary {
        "en" => format!("{} {} {}", m.day, EN[month], m.year),
        "ru" => format!("{}\u{a0}{} {}\u{a0}г.", m.day, RU[month], m.year),
        "kk" => format!("{}\u{a0}жылғы {}\u{a0}{}", m.year, m.day, KK[month]),
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times() {
        assert_eq!(Moment::from_unix(0).w3cdtf(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Moment::from_unix(1_714_521_600).w3cdtf(),
            "2024-05-01T00:00:00Z"
        );
        assert_eq!(
            Moment::from_unix(951_827_696).w3cdtf(),
            "2000-02-29T12:34:56Z"
        );
        assert_eq!(Moment::from_unix(-1).w3cdtf(), "1970-01-01T00:00:00Z");
        assert_eq!(Moment::from_unix(i64::MAX).w3cdtf(), "9999-12-31T23:59:59Z");
        assert_eq!(Moment::from_unix(i64::MIN).year, 1970);
    }

    #[test]
    fn source_date_epoch_values() {
        assert_eq!(parse_source_date_epoch("1700000000"), Some(1_700_000_000));
        assert_eq!(parse_source_date_epoch(" 0\n"), Some(0));
        assert_eq!(
            parse_source_date_epoch("253402300799"),
            Some(Moment::MAX_UNIX)
        );
        for bad in [
            "",
            "  ",
            "-1",
            "+5",
            "1.5",
            "1e9",
            "17000x",
            "253402300800",
            "99999999999999999999",
        ] {
            assert_eq!(parse_source_date_epoch(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(
            Moment::from_iso_date("2024-05-01").unwrap().w3cdtf(),
            "2024-05-01T00:00:00Z"
        );
        assert!(Moment::from_iso_date("May 2024").is_none());
        assert_eq!(human_date("2024-05-01", "en"), "1 May 2024");
        assert_eq!(human_date("2024-05-01", "ru"), "1\u{a0}мая 2024\u{a0}г.");
        assert_eq!(human_date("2024-05-01", "de"), "2024-05-01");
        // Before 1980 the zip date falls back to the format's first day.
        assert_eq!(Moment::from_unix(0).zip(), zip::DateTime::default());
    }
}
