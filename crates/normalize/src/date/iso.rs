//! ISO 8601 / RFC 3339 / W3C-DTF, read byte by byte: calendar, week and ordinal dates in extended and basic
//! form, an optional time with any fraction, and an optional `Z` or numeric offset.

use chrono::{NaiveDate, Weekday};
use newswire_model::StatedTime;

use super::build::{self, Bad, Time};
use super::zones::Zone;
use super::{Fail, Problem, quote, truncate};

/// An ISO date or date-time and the byte offset just after it.
#[derive(Debug)]
pub(super) struct IsoMatch {
    pub(super) time: StatedTime,
    pub(super) end: usize,
}

/// Reads an ISO 8601 date or date-time starting at byte `start` of `text`. It may end before the text does.
pub(super) fn parse(text: &str, start: usize) -> Result<IsoMatch, Fail> {
    let mut cursor = Cursor {
        text,
        bytes: text.as_bytes(),
        pos: start,
    };
    let date = cursor.date()?;
    let time = cursor.time()?;
    let zone = match time {
        Some(_) => cursor.zone()?,
        None => None,
    };
    let at = cursor.pos;
    let time = build::stated(date, time, zone).map_err(|bad| cursor.bad(at, bad))?;
    Ok(IsoMatch {
        time,
        end: cursor.pos,
    })
}

struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, set: &[u8]) -> Option<u8> {
        let b = self.peek().filter(|b| set.contains(b))?;
        self.pos += 1;
        Some(b)
    }

    fn count_digits(&self) -> usize {
        self.bytes[self.pos..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    }

    /// The value of the next `n` bytes if they are all digits, or nothing consumed.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let run = self.bytes.get(self.pos..self.pos + n)?;
        if !run.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos += n;
        Some(run.iter().fold(0, |acc, b| acc * 10 + u32::from(b - b'0')))
    }

    fn need(&mut self, n: usize, expected: &'static str) -> Result<u32, Fail> {
        self.digits(n).ok_or_else(|| self.unexpected(expected))
    }

    fn unexpected(&self, expected: &'static str) -> Fail {
        let rest = truncate(&self.text[self.pos..], 64);
        let found = match rest.split(char::is_whitespace).next() {
            Some(piece) if !piece.is_empty() => quote(piece),
            _ => "end of input".to_owned(),
        };
        Fail {
            at: self.pos,
            problem: Problem::Unexpected { expected, found },
        }
    }

    fn bad(&self, at: usize, bad: Bad) -> Fail {
        Fail {
            at,
            problem: Problem::OutOfRange(bad),
        }
    }

    fn date(&mut self) -> Result<NaiveDate, Fail> {
        let year = self.need(4, "a four-digit year")? as i32;
        let extended = self.eat(b"-").is_some();
        if self.eat(b"Ww").is_some() {
            return self.week_date(year, extended);
        }
        let at = self.pos;
        match (extended, self.count_digits()) {
            (_, 3) => {
                let ordinal = self.need(3, "a day of the year")?;
                NaiveDate::from_yo_opt(year, ordinal).ok_or_else(|| {
                    self.bad(
                        at,
                        Bad {
                            expected: "a day of the year",
                            found: ordinal.to_string(),
                        },
                    )
                })
            }
            (true, 2) => {
                let month = self.need(2, "a two-digit month")?;
                if self.eat(b"-").is_none() {
                    return Err(self.unexpected("a day after the month"));
                }
                let day = self.need(2, "a two-digit day")?;
                self.calendar(at, year, month, day)
            }
            (false, 4) => {
                let month = self.need(2, "a two-digit month")?;
                let day = self.need(2, "a two-digit day")?;
                self.calendar(at, year, month, day)
            }
            _ => Err(self.unexpected(if extended {
                "a month, week or day of the year"
            } else {
                "\"-\""
            })),
        }
    }

    fn calendar(&self, at: usize, year: i32, month: u32, day: u32) -> Result<NaiveDate, Fail> {
        build::ymd(year, month, day).map_err(|bad| self.bad(at, bad))
    }

    fn week_date(&mut self, year: i32, extended: bool) -> Result<NaiveDate, Fail> {
        let at = self.pos;
        let week = self.need(2, "a two-digit week number")?;
        if extended && self.eat(b"-").is_none() {
            return Err(self.unexpected("a day of the week after the week"));
        }
        let day = self.need(1, "a day of the week from 1 to 7")?;
        let weekday = match day {
            1 => Weekday::Mon,
            2 => Weekday::Tue,
            3 => Weekday::Wed,
            4 => Weekday::Thu,
            5 => Weekday::Fri,
            6 => Weekday::Sat,
            7 => Weekday::Sun,
            _ => {
                return Err(self.bad(
                    at,
                    Bad {
                        expected: "a day of the week from 1 to 7",
                        found: day.to_string(),
                    },
                ));
            }
        };
        NaiveDate::from_isoywd_opt(year, week, weekday).ok_or_else(|| {
            self.bad(
                at,
                Bad {
                    expected: "a week that exists in the year",
                    found: format!("{year}-W{week:02}"),
                },
            )
        })
    }

    /// The time, if a `T` (or a space followed by `hh:`) introduces one.
    fn time(&mut self) -> Result<Option<Time>, Fail> {
        match self.peek() {
            Some(b'T' | b't') => self.pos += 1,
            Some(b' ')
                if self.bytes.get(self.pos + 3) == Some(&b':')
                    && self.count_digits_at(self.pos + 1) == 2 =>
            {
                self.pos += 1
            }
            _ => return Ok(None),
        }
        let at = self.pos;
        let hour = self.need(2, "a two-digit hour")?;
        let extended = self.eat(b":").is_some();
        let minute = if extended {
            Some(self.need(2, "two-digit minutes")?)
        } else {
            self.digits(2)
        };
        let second = match minute {
            Some(_) if extended && self.eat(b":").is_some() => {
                Some(self.need(2, "two-digit seconds")?)
            }
            Some(_) if !extended => self.digits(2),
            _ => None,
        };
        let mut nano = 0;
        if minute.is_some() && self.eat(b".,").is_some() {
            let n_digits = self.count_digits();
            if n_digits == 0 {
                return Err(self.unexpected("fraction digits"));
            }
            nano = build::nanos(&self.text[self.pos..self.pos + n_digits]);
            self.pos += n_digits;
        }
        let time = Time::new(hour, minute.unwrap_or(0), second.unwrap_or(0), nano)
            .map_err(|bad| self.bad(at, bad))?;
        Ok(Some(time))
    }

    fn count_digits_at(&self, pos: usize) -> usize {
        self.bytes
            .get(pos..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    }

    /// `Z`, `+hh`, `+hhmm` or `+hh:mm`, if present.
    fn zone(&mut self) -> Result<Option<Zone>, Fail> {
        let Some(sign) = self.eat(b"Zz+-") else {
            return Ok(None);
        };
        if matches!(sign, b'Z' | b'z') {
            return Ok(Some(Zone::Fixed(0)));
        }
        let at = self.pos;
        let hours = self.need(2, "a two-digit offset hour")?;
        let colon = self.eat(b":").is_some();
        let minutes = if colon {
            self.need(2, "two-digit offset minutes")?
        } else {
            self.digits(2).unwrap_or(0)
        };
        let sign = if sign == b'-' { -1 } else { 1 };
        let secs = build::offset(sign, hours, minutes).map_err(|bad| self.bad(at, bad))?;
        Ok(Some(Zone::Fixed(secs)))
    }
}
