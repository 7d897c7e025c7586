//! [`StatedTime`]: a time exactly as precise as the publisher stated it.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A time as a publisher stated it, keeping what was said and nothing more.
///
/// Publishers write "Posted July 24th, 2012 at 6:10 am (UTC-5)": newswire keeps the `-05:00`, because converting
/// to UTC would turn a morning story into an 11:10 one and, near midnight, move it to another day.
/// When a page gives a time without any zone, or only a date, that is what is kept: newswire never silently takes
/// a zone-less time as UTC.
///
/// # JSON form
///
/// Serialized as one string whose shape says which variant it is:
///
/// | variant | example |
/// |---|---|
/// | [`StatedTime::Zoned`] | `"2012-07-24T06:10:00-05:00"` (RFC 3339, publisher's offset; `+00:00` for UTC) |
/// | [`StatedTime::Floating`] | `"2012-07-24T06:10:00"` (ISO 8601 local time, no offset) |
/// | [`StatedTime::Date`] | `"2012-07-24"` |
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatedTime {
    /// An instant, with the UTC offset the publisher used.
    Zoned(DateTime<FixedOffset>),
    /// A date and wall-clock time with no zone or offset stated anywhere.
    Floating(NaiveDateTime),
    /// A calendar date with no time of day.
    Date(NaiveDate),
}

impl StatedTime {
    /// The instant this time denotes, when it denotes one (only [`StatedTime::Zoned`] does).
    pub fn instant(&self) -> Option<DateTime<Utc>> {
        match self {
            StatedTime::Zoned(t) => Some(t.with_timezone(&Utc)),
            StatedTime::Floating(_) | StatedTime::Date(_) => None,
        }
    }

    /// The calendar date in the publisher's own terms (for a zoned time, in its stated offset).
    pub fn date(&self) -> NaiveDate {
        match self {
            StatedTime::Zoned(t) => t.date_naive(),
            StatedTime::Floating(t) => t.date(),
            StatedTime::Date(d) => *d,
        }
    }

    /// A key for ordering and range queries: the instant when there is one, else the stated wall-clock time (or
    /// midnight of the date) read as if it were UTC. Documented approximation; never stored as the time itself.
    pub fn sort_key(&self) -> DateTime<Utc> {
        match self {
            StatedTime::Zoned(t) => t.with_timezone(&Utc),
            StatedTime::Floating(t) => t.and_utc(),
            StatedTime::Date(d) => d.and_time(NaiveTime::MIN).and_utc(),
        }
    }

    /// Whether a zone or offset was stated.
    pub fn has_offset(&self) -> bool {
        matches!(self, StatedTime::Zoned(_))
    }
}

impl fmt::Display for StatedTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatedTime::Zoned(t) => f.write_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, false)),
            StatedTime::Floating(t) => {
                if t.and_utc().timestamp_subsec_nanos() == 0 {
                    write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S"))
                } else {
                    write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S%.f"))
                }
            }
            StatedTime::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

/// The error for a string that is none of the three [`StatedTime`] JSON forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseStatedTimeError {
    input: String,
}

impl fmt::Display for ParseStatedTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected an RFC 3339 time, an ISO 8601 local date-time or a date, but found {:?}",
            self.input
        )
    }
}

impl std::error::Error for ParseStatedTimeError {}

impl FromStr for StatedTime {
    type Err = ParseStatedTimeError;

    /// Parses the canonical forms that [`StatedTime`]'s `Display` writes, and only those.
    /// Liberal parsing of what publishers write lives in `newswire-normalize`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(StatedTime::Zoned(t));
        }
        if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
            return Ok(StatedTime::Floating(t));
        }
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(StatedTime::Date(d));
        }
        Err(ParseStatedTimeError {
            input: s.to_owned(),
        })
    }
}

impl Serialize for StatedTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for StatedTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_each_form() {
        for s in [
            "2012-07-24T06:10:00-05:00",
            "2012-07-24T06:10:00+00:00",
            "2012-07-24T06:10:00.250+05:30",
            "2012-07-24T06:10:00",
            "2012-07-24T06:10:00.500",
            "2012-07-24",
        ] {
            let t: StatedTime = s.parse().unwrap();
            assert_eq!(t.to_string(), s);
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(serde_json::from_str::<StatedTime>(&json).unwrap(), t);
        }
    }

    #[test]
    fn keeps_offset_and_instant() {
        let t: StatedTime = "2012-07-24T06:10:00-05:00".parse().unwrap();
        assert_eq!(
            t.instant().unwrap().to_rfc3339(),
            "2012-07-24T11:10:00+00:00"
        );
        assert_eq!(t.date().to_string(), "2012-07-24");
        assert!(t.has_offset());
    }

    #[test]
    fn floating_and_date_have_no_instant() {
        let t: StatedTime = "2012-07-24T06:10:00".parse().unwrap();
        assert_eq!(t.instant(), None);
        assert_eq!(t.sort_key().to_rfc3339(), "2012-07-24T06:10:00+00:00");
        let d: StatedTime = "2012-07-24".parse().unwrap();
        assert_eq!(d.instant(), None);
        assert!(!d.has_offset());
    }

    #[test]
    fn rejects_other_forms_with_a_clear_message() {
        let err = "July 24th, 2012".parse::<StatedTime>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected an RFC 3339 time, an ISO 8601 local date-time or a date, but found \"July 24th, 2012\""
        );
    }
}
