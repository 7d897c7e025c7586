//! Turning the numbers read from the text into a [`StatedTime`], with the range checks.

use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeZone};
use newswire_model::StatedTime;

use super::words::AmPm;
use super::zones::Zone;

/// A value out of range: what was expected and what was found, for [`super::DateError::OutOfRange`].
#[derive(Debug)]
pub(super) struct Bad {
    pub(super) expected: &'static str,
    pub(super) found: String,
}

impl Bad {
    fn new(expected: &'static str, found: impl ToString) -> Bad {
        Bad {
            expected,
            found: found.to_string(),
        }
    }
}

/// A wall-clock time as read; the hour may be 24 (for 24:00) and is not yet adjusted for am/pm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Time {
    pub(super) hour: u32,
    pub(super) minute: u32,
    pub(super) second: u32,
    pub(super) nano: u32,
}

impl Time {
    /// Checks the ranges; a leap second `:60` is clamped to `:59`.
    pub(super) fn new(hour: u32, minute: u32, second: u32, nano: u32) -> Result<Time, Bad> {
        if hour > 24 {
            return Err(Bad::new("an hour from 0 to 24", hour));
        }
        if minute > 59 {
            return Err(Bad::new("minutes from 00 to 59", minute));
        }
        if second > 60 {
            return Err(Bad::new("seconds from 00 to 60", second));
        }
        let time = Time {
            hour,
            minute,
            second: second.min(59),
            nano,
        };
        if hour == 24 && (minute, second, nano) != (0, 0, 0) {
            return Err(Bad::new(
                "no time after 24:00",
                format!("24:{minute:02}:{second:02}"),
            ));
        }
        Ok(time)
    }

    /// The time on the 24-hour clock, given an "am" or "pm" (ignored for hours 0 and above 12).
    pub(super) fn with_ampm(self, ampm: Option<AmPm>) -> Time {
        let hour = match (ampm, self.hour) {
            (Some(AmPm::Am), 12) => 0,
            (Some(AmPm::Pm), 1..=11) => self.hour + 12,
            _ => self.hour,
        };
        Time { hour, ..self }
    }
}

/// Reads nanoseconds from fraction digits: the first nine count, the rest are dropped.
pub(super) fn nanos(digits: &str) -> u32 {
    let mut nano = 0;
    let mut n_digits = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit).take(9) {
        nano = nano * 10 + u32::from(b - b'0');
        n_digits += 1;
    }
    nano * 10u32.pow(9 - n_digits)
}

/// A two-digit year by the RFC 2822 rule: below 50 is 20xx, otherwise 19xx.
pub(super) fn two_digit_year(value: u32) -> i32 {
    // value < 100, so the cast is exact.
    let value = value as i32;
    if value < 50 {
        2000 + value
    } else {
        1900 + value
    }
}

/// Checks a month number.
pub(super) fn month(value: u32) -> Result<u32, Bad> {
    if (1..=12).contains(&value) {
        Ok(value)
    } else {
        Err(Bad::new("a month from 1 to 12", value))
    }
}

/// Checks a day-of-month number (the calendar check comes later, in [`ymd`]).
pub(super) fn day(value: u32) -> Result<u32, Bad> {
    if (1..=31).contains(&value) {
        Ok(value)
    } else {
        Err(Bad::new("a day of the month from 1 to 31", value))
    }
}

/// A calendar date, or why not.
pub(super) fn ymd(year: i32, month_number: u32, day_number: u32) -> Result<NaiveDate, Bad> {
    month(month_number)?;
    day(day_number)?;
    NaiveDate::from_ymd_opt(year, month_number, day_number).ok_or_else(|| {
        Bad::new(
            "a valid calendar date",
            format!("{year:04}-{month_number:02}-{day_number:02}"),
        )
    })
}

/// Checks an offset of `hours` and `minutes` (with `sign` ±1) and returns it in seconds east of UTC.
pub(super) fn offset(sign: i32, hours: u32, minutes: u32) -> Result<i32, Bad> {
    let sign_char = if sign < 0 { '-' } else { '+' };
    if minutes > 59 || hours * 60 + minutes > 15 * 60 {
        return Err(Bad::new(
            "a UTC offset within ±15:00",
            format!("{sign_char}{hours:02}:{minutes:02}"),
        ));
    }
    // At most 15 * 3600, so the cast is exact.
    Ok(sign * (hours * 3600 + minutes * 60) as i32)
}

/// Puts a date, an optional time and an optional zone together.
pub(super) fn stated(
    date: NaiveDate,
    time: Option<Time>,
    zone: Option<Zone>,
) -> Result<StatedTime, Bad> {
    let Some(time) = time else {
        return Ok(StatedTime::Date(date));
    };
    let (date, hour) = if time.hour == 24 {
        (
            date.succ_opt()
                .ok_or_else(|| Bad::new("a date before the end of the calendar", date))?,
            0,
        )
    } else {
        (date, time.hour)
    };
    let clock = NaiveTime::from_hms_nano_opt(hour, time.minute, time.second, time.nano)
        .ok_or_else(|| {
            Bad::new(
                "a valid time of day",
                format!("{hour:02}:{:02}:{:02}", time.minute, time.second),
            )
        })?;
    let local = date.and_time(clock);
    let Some(zone) = zone else {
        return Ok(StatedTime::Floating(local));
    };
    let secs = zone.offset_at(local);
    let offset =
        FixedOffset::east_opt(secs).ok_or_else(|| Bad::new("a UTC offset within ±15:00", secs))?;
    offset
        .from_local_datetime(&local)
        .single()
        .map(StatedTime::Zoned)
        .ok_or_else(|| Bad::new("a time within the calendar", local))
}
