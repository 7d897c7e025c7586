//! Relative times: "3 hours ago", "an hour ago", "il y a 2 jours", "vor 3 Stunden", "hace 5 minutos",
//! "3 ore fa", "3 uur geleden", "3 часа назад". They need the fetch time to mean anything.

use chrono::{DateTime, Days, FixedOffset, Months, TimeDelta, Utc};
use newswire_model::StatedTime;

use super::token::{Kind, Token};
use super::words::{self, Unit};

/// Largest count read in a relative time; larger ones are not taken for one.
const MAX_COUNT: u32 = 100_000;

/// A relative time read from tokens, ending before token `end`.
#[derive(Debug)]
pub(super) struct RelativeMatch {
    count: u32,
    unit: Unit,
    pub(super) end: usize,
}

/// Reads `[prefix] count unit [suffix]` at token `p`, where exactly one of the prefix ("vor", "hace", "há",
/// "il y a") and the suffix ("ago", "fa", "geleden", "назад", ...) must be present.
pub(super) fn match_at(toks: &[Token], p: usize) -> Option<RelativeMatch> {
    let word = |i: usize| {
        toks.get(i)
            .filter(|t| t.kind == Kind::Word)
            .map(Token::word)
    };
    let mut i = p;
    let prefixed = if word(i).is_some_and(words::ago_before) {
        i += 1;
        true
    } else if (word(i), word(i + 1), word(i + 2)) == (Some("il"), Some("y"), Some("a")) {
        i += 3;
        true
    } else {
        false
    };
    let count = match toks.get(i)? {
        t if t.kind == Kind::Num && t.value <= MAX_COUNT => t.value,
        t if t.kind == Kind::Word && words::one(t.word()) => 1,
        _ => return None,
    };
    let unit = words::unit(word(i + 1)?)?;
    i += 2;
    let suffixed = word(i).is_some_and(words::ago_after);
    if suffixed {
        i += 1;
    }
    (prefixed != suffixed).then_some(RelativeMatch {
        count,
        unit,
        end: i,
    })
}

impl RelativeMatch {
    /// The time this far before `fetched_at`: zoned at `+00:00` for seconds to hours, a date for longer units.
    pub(super) fn resolve(&self, fetched_at: DateTime<Utc>) -> Option<StatedTime> {
        let count = i64::from(self.count);
        let utc = FixedOffset::east_opt(0)?;
        let before = |delta: Option<TimeDelta>| {
            let t = fetched_at.checked_sub_signed(delta?)?;
            Some(StatedTime::Zoned(t.with_timezone(&utc)))
        };
        let today = fetched_at.date_naive();
        match self.unit {
            Unit::Second => before(TimeDelta::try_seconds(count)),
            Unit::Minute => before(TimeDelta::try_minutes(count)),
            Unit::Hour => before(TimeDelta::try_hours(count)),
            Unit::Day => today
                .checked_sub_days(Days::new(u64::from(self.count)))
                .map(StatedTime::Date),
            Unit::Week => today
                .checked_sub_days(Days::new(7 * u64::from(self.count)))
                .map(StatedTime::Date),
            Unit::Month => today
                .checked_sub_months(Months::new(self.count))
                .map(StatedTime::Date),
            Unit::Year => today
                .checked_sub_months(Months::new(self.count.checked_mul(12)?))
                .map(StatedTime::Date),
        }
    }
}
