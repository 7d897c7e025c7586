//! Time-zone abbreviations and the offsets we give them.
//!
//! An abbreviation is only read right after a time ("06:10 EDT"), never on its own, so a word like "est" or
//! "cat" in prose is not taken for a zone. Abbreviations are matched when written in capitals; the ones marked
//! "any case" are also matched in lowercase (RFC 822 zone names are case-insensitive, and these are not words in
//! any of our languages).
//!
//! | abbreviation | offset | notes |
//! |---|---|---|
//! | `Z`, `UT`, `UTC`, `GMT` | +00:00 | any case; `UTC`/`GMT` may carry an offset: `UTC-5`, `GMT+2`, `UTC+05:30`, `GMT+0200` |
//! | `EST` / `EDT` | −05:00 / −04:00 | North American Eastern; `EST` is also Australian Eastern in old texts (not followed) |
//! | `CST` / `CDT` | −06:00 / −05:00 | North American Central; `CST` is also China Standard Time (+08:00, not followed) |
//! | `MST` / `MDT` | −07:00 / −06:00 | North American Mountain |
//! | `PST` / `PDT` | −08:00 / −07:00 | North American Pacific; `PST` is also Philippine Standard Time (not followed) |
//! | `AKST` / `AKDT` | −09:00 / −08:00 | Alaska |
//! | `HST` | −10:00 | Hawaii |
//! | `ET`, `CT`, `MT`, `PT` | −05/−04, −06/−05, −07/−06, −08/−07 | capitals only; standard or daylight chosen by the US DST rules for the stated local date and time (see below) |
//! | `Eastern`, `Central`, `Mountain`, `Pacific` | as `ET`, `CT`, `MT`, `PT` | any case; an optional following "Time" is skipped |
//! | `WET` / `WEST` | +00:00 / +01:00 | Western European; capitals only ("wet", "west" are English words) |
//! | `CET` / `CEST`, `MEZ` / `MESZ` | +01:00 / +02:00 | Central European (English and German names) |
//! | `EET` / `EEST` | +02:00 / +03:00 | Eastern European |
//! | `BST` | +01:00 | British Summer Time; also Bangladesh Standard Time (+06:00, not followed) |
//! | `IST` | +05:30 | India; also Irish Standard Time (+01:00) and Israel Standard Time (+02:00), not followed; capitals only |
//! | `MSK` | +03:00 | Moscow (since 2014; it was +04:00 from 2011 to 2014, not followed) |
//! | `JST`, `KST` | +09:00 | Japan, Korea |
//! | `HKT`, `SGT` | +08:00 | Hong Kong, Singapore |
//! | `AWST` | +08:00 | Australian Western |
//! | `ACST` / `ACDT` | +09:30 / +10:30 | Australian Central |
//! | `AEST` / `AEDT` | +10:00 / +11:00 | Australian Eastern |
//! | `NZST` / `NZDT` | +12:00 / +13:00 | New Zealand |
//! | `WAT`, `CAT`, `EAT`, `SAST` | +01:00, +02:00, +03:00, +02:00 | African; capitals only |
//! | `WIB` | +07:00 | Western Indonesia |
//! | `BRT` | −03:00 | Brasília |
//! | `IRST` | +03:30 | Iran |
//! | military `A`–`I`, `K`–`M` | +01:00 … +12:00 | capitals only, RFC 1123 signs (see below) |
//! | military `N`–`Y` | −01:00 … −12:00 | capitals only, RFC 1123 signs |
//!
//! # Military letters
//!
//! RFC 822 gave the single-letter zones the wrong sign, and RFC 2822 (section 4.3) therefore says they "SHOULD
//! all be considered equivalent to -0000". We follow RFC 1123 instead and read them with their correct (nautical)
//! signs, `A` = +01:00 … `Y` = −12:00, because a writer who still emits them today is most likely one who got them
//! right. `A` and `P` after a time are read as "am" and "pm" first, so in practice they never mean a zone.
//!
//! # US zones without a season
//!
//! `ET`, `CT`, `MT` and `PT` (and the spelled-out names) do not say whether daylight saving time applies. We apply
//! the US rules in force for the stated year: since 2007, from the second Sunday of March to the first Sunday of
//! November; 1987–2006, first Sunday of April to last Sunday of October; 1967–1986, last Sunday of April to last
//! Sunday of October; before 1967, standard time. Changes happen at 02:00 local time. The repeated hour on the
//! autumn day is read as daylight time (its first occurrence); the skipped hour in spring is read as daylight
//! time. Arizona's year-round `MST` is not modelled.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike, Weekday};

/// A zone as read from the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Zone {
    /// A fixed offset in seconds east of UTC.
    Fixed(i32),
    /// A US zone whose season was not stated: standard and daylight offsets in seconds.
    Us {
        /// Offset under standard time.
        standard: i32,
        /// Offset under daylight saving time.
        daylight: i32,
    },
}

impl Zone {
    /// The offset in force at `local`, a wall-clock time in this zone.
    pub(super) fn offset_at(self, local: NaiveDateTime) -> i32 {
        match self {
            Zone::Fixed(secs) => secs,
            Zone::Us { standard, daylight } => {
                if us_daylight_time(local) {
                    daylight
                } else {
                    standard
                }
            }
        }
    }
}

const H: i32 = 3600;

/// The zone a word names, given its original spelling (for the case rules) and its folded form.
pub(super) fn named(original: &str, folded: &str) -> Option<Zone> {
    let upper = original.chars().all(|c| c.is_ascii_uppercase());
    if let Some(zone) = any_case(folded) {
        return Some(zone);
    }
    if upper && original.len() == 1 {
        return military(original.as_bytes()[0]);
    }
    if upper || is_us_name(folded) {
        return capitals(folded);
    }
    None
}

fn is_us_name(folded: &str) -> bool {
    matches!(folded, "eastern" | "central" | "mountain" | "pacific")
}

/// Whether the folded word is `UTC`, `GMT` or `UT`, which may be followed by an offset.
pub(super) fn is_utc_name(folded: &str) -> bool {
    matches!(folded, "utc" | "gmt" | "ut")
}

/// Zones matched in any case.
fn any_case(w: &str) -> Option<Zone> {
    let secs = match w {
        "z" | "ut" | "utc" | "gmt" => 0,
        "edt" => -4 * H,
        "cdt" => -5 * H,
        "mdt" => -6 * H,
        "pst" => -8 * H,
        "pdt" => -7 * H,
        "akst" => -9 * H,
        "akdt" => -8 * H,
        "hst" => -10 * H,
        "cest" | "mesz" => 2 * H,
        "eest" => 3 * H,
        "msk" => 3 * H,
        "jst" | "kst" => 9 * H,
        "hkt" | "sgt" | "awst" => 8 * H,
        "acst" => 9 * H + 1800,
        "acdt" => 10 * H + 1800,
        "aest" => 10 * H,
        "aedt" => 11 * H,
        "nzst" => 12 * H,
        "nzdt" => 13 * H,
        _ => return None,
    };
    Some(Zone::Fixed(secs))
}

/// Zones matched only in capitals (their lowercase forms are words), plus the unseasoned US names.
fn capitals(w: &str) -> Option<Zone> {
    let us = |standard: i32| Zone::Us {
        standard: standard * H,
        daylight: (standard + 1) * H,
    };
    let secs = match w {
        "et" | "eastern" => return Some(us(-5)),
        "ct" | "central" => return Some(us(-6)),
        "mt" | "mountain" => return Some(us(-7)),
        "pt" | "pacific" => return Some(us(-8)),
        "est" => -5 * H,
        "cst" => -6 * H,
        "mst" => -7 * H,
        "wet" => 0,
        "west" | "cet" | "mez" | "bst" | "wat" => H,
        "eet" | "cat" | "sast" => 2 * H,
        "eat" => 3 * H,
        "ist" => 5 * H + 1800,
        "wib" => 7 * H,
        "brt" => -3 * H,
        "irst" => 3 * H + 1800,
        _ => return None,
    };
    Some(Zone::Fixed(secs))
}

/// RFC 1123 military zones, with correct signs.
fn military(letter: u8) -> Option<Zone> {
    let hours = match letter {
        b'Z' => 0,
        b'A'..=b'I' => i32::from(letter - b'A') + 1,
        b'K'..=b'M' => i32::from(letter - b'K') + 10,
        b'N'..=b'Y' => -(i32::from(letter - b'N') + 1),
        _ => return None,
    };
    Some(Zone::Fixed(hours * H))
}

/// Whether US daylight saving time applies at this local wall-clock time (see the module docs).
fn us_daylight_time(local: NaiveDateTime) -> bool {
    let year = local.year();
    let (start, end) = match year {
        2007.. => (nth_sunday(year, 3, 2), nth_sunday(year, 11, 1)),
        1987..=2006 => (nth_sunday(year, 4, 1), last_sunday(year, 10)),
        1967..=1986 => (last_sunday(year, 4), last_sunday(year, 10)),
        _ => return false,
    };
    let (Some(start), Some(end)) = (start, end) else {
        return false;
    };
    let date = local.date();
    let after_start = date > start || (date == start && local.hour() >= 2);
    let before_end = date < end || (date == end && local.hour() < 2);
    after_start && before_end
}

fn nth_sunday(year: i32, month: u32, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, n)
}

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    nth_sunday(year, month, 5).or_else(|| nth_sunday(year, month, 4))
}
