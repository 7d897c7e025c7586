//! The phrase grammar: reads tokens left to right from a start token, filling the year, month, day, time,
//! am/pm and zone slots once each, and stops at the first token that fits no empty slot.
//!
//! Each token kind has its rules, tried in order:
//!
//! - a number: a CJK form (`2012年`, `6時`), a clock time (`6:10`, `06:10:00.5`, `06h10`, `11.10` after a full
//!   date, `6 pm`), a numeric date (`2012-07-24`, `24.07.2012`, `07/24/2012`) when no date part is filled yet,
//!   then a four-digit year, a day (with `st`/`th`/`er` suffix), or a two-digit year after day and month;
//! - a word: after a time, am/pm and a zone (`EDT`, `UTC-5`); a month name; a weekday (skipped); noon and
//!   midnight; "today" and "yesterday"; fillers ("de", "at", "um", "года") are skipped;
//! - punctuation: a sign and number after a time is an offset; `, . - ( ) @` are skipped; anything else stops.
//!
//! Skipped tokens never extend the phrase's span, so "24 July 2012 at the office" spans "24 July 2012".

use chrono::{Datelike, Days, NaiveDate};
use newswire_model::StatedTime;

use super::build::{self, Bad, Time};
use super::token::{Kind, Token};
use super::words::{self, AmPm};
use super::zones::{self, Zone};
use super::{DateParser, Fail, NumericOrder, Problem, quote};

/// The most tokens one phrase may span, which bounds the work per start position.
const MAX_PHRASE_TOKENS: usize = 64;

/// Whether the whole input is a date, or a date is searched for in running text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// [`DateParser::parse`]: values out of range are errors.
    Parse,
    /// [`DateParser::find`]: a candidate that does not fit is just not a date.
    Find,
}

/// What has been read so far.
#[derive(Clone, Copy, Debug, Default)]
struct Slots {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    time: Option<Time>,
    ampm: Option<AmPm>,
    zone: Option<Zone>,
    days_ago: Option<i64>,
    weekday_seen: bool,
}

/// A phrase being read, and after [`Phrase::read`], the result.
pub(super) struct Phrase<'a> {
    text: &'a str,
    toks: &'a [Token],
    mode: Mode,
    parser: &'a DateParser,
    start: usize,
    /// The next token to read.
    pos: usize,
    /// Just past the last token that filled a slot: the phrase's extent.
    pub(super) end: usize,
    slots: Slots,
}

/// The first token after leading words like "Posted", "Published on", "Updated:".
pub(super) fn skip_leads(toks: &[Token]) -> usize {
    toks.iter()
        .position(|t| match t.kind {
            Kind::Word => !words::lead(t.word()),
            Kind::Punct(c) => !matches!(c, ':' | ','),
            _ => true,
        })
        .unwrap_or(toks.len())
}

impl<'a> Phrase<'a> {
    /// Reads as much of a phrase as fits, starting at token `start`.
    pub(super) fn read(
        text: &'a str,
        toks: &'a [Token],
        start: usize,
        mode: Mode,
        parser: &'a DateParser,
    ) -> Result<Phrase<'a>, Fail> {
        let mut phrase = Phrase {
            text,
            toks,
            mode,
            parser,
            start,
            pos: start,
            end: start,
            slots: Slots::default(),
        };
        let limit = toks.len().min(start + MAX_PHRASE_TOKENS);
        while phrase.pos < limit && phrase.step()? {}
        Ok(phrase)
    }

    /// For [`DateParser::parse`]: everything up to token `end` must have been read, and make a whole date.
    pub(super) fn finish_parse(&self, end: usize) -> Result<StatedTime, Fail> {
        if self.pos < end {
            let tok = &self.toks[self.pos];
            let expected = self.expected();
            let found = quote(&self.text[tok.start..tok.end]);
            return Err(Fail {
                at: tok.start,
                problem: Problem::Unexpected { expected, found },
            });
        }
        self.build().map_err(|problem| Fail {
            at: self.text.len(),
            problem,
        })
    }

    /// For [`DateParser::find`]: the date, if the phrase is complete enough to be taken for one in prose.
    pub(super) fn finish_find(&self) -> Option<StatedTime> {
        let s = &self.slots;
        let full_date = s.year.is_some() && s.month.is_some() && s.day.is_some();
        let with_time =
            s.time.is_some() && (s.days_ago.is_some() || (s.month.is_some() && s.day.is_some()));
        if self.end > self.start && (full_date || with_time) {
            self.build().ok()
        } else {
            None
        }
    }

    fn build(&self) -> Result<StatedTime, Problem> {
        let s = &self.slots;
        let date = self.date()?;
        let time = s.time.map(|t| t.with_ampm(s.ampm));
        build::stated(date, time, s.zone).map_err(Problem::OutOfRange)
    }

    fn date(&self) -> Result<NaiveDate, Problem> {
        let s = &self.slots;
        if let Some(days) = s.days_ago {
            let fetched_at = self.parser.fetched_at.ok_or(Problem::NeedsFetchedAt)?;
            let days = Days::new(days.unsigned_abs());
            return fetched_at
                .date_naive()
                .checked_sub_days(days)
                .ok_or_else(|| Problem::end_of_input("a date"));
        }
        let (month, day) = match (s.month, s.day) {
            (Some(month), Some(day)) => (month, day),
            (None, None) if s.year.is_none() => return Err(Problem::end_of_input("a date")),
            (None, _) => return Err(Problem::end_of_input("a month name or number")),
            (Some(_), None) => return Err(Problem::end_of_input("a day of the month")),
        };
        match (s.year, self.parser.fetched_at) {
            (Some(year), _) => build::ymd(year, month, day).map_err(Problem::OutOfRange),
            (None, Some(fetched_at)) => {
                infer_year(fetched_at.date_naive(), month, day).map_err(Problem::OutOfRange)
            }
            (None, None) => Err(Problem::MissingYear),
        }
    }

    /// What the phrase needed next, for an error message.
    fn expected(&self) -> &'static str {
        let s = &self.slots;
        let date_done =
            s.days_ago.is_some() || (s.month.is_some() && s.day.is_some() && s.year.is_some());
        match (s.year, s.month, s.day) {
            _ if date_done && s.time.is_none() => "a time or end of input",
            _ if date_done && s.zone.is_none() => "a time zone or end of input",
            _ if date_done => "end of input",
            (None, None, None) => "a date",
            (_, None, _) => "a month name or number",
            (_, Some(_), None) => "a day of the month",
            (None, Some(_), Some(_)) => "a year",
            _ => "end of input",
        }
    }

    fn fail(&self, bad: Bad) -> Fail {
        let at = self.toks.get(self.pos).map_or(self.text.len(), |t| t.start);
        Fail {
            at,
            problem: Problem::OutOfRange(bad),
        }
    }

    // Token access.

    fn tok(&self, i: usize) -> Option<&'a Token> {
        self.toks.get(i)
    }

    fn num(&self, i: usize) -> Option<&'a Token> {
        self.tok(i).filter(|t| t.kind == Kind::Num)
    }

    /// The value of a two-digit number glued to the token before it.
    fn glued_two_digits(&self, i: usize) -> Option<u32> {
        self.num(i)
            .filter(|t| t.glued() && t.len() == 2)
            .map(|t| t.value)
    }

    fn word(&self, i: usize) -> Option<&'a str> {
        self.tok(i)
            .filter(|t| t.kind == Kind::Word)
            .map(Token::word)
    }

    fn glued_punct(&self, i: usize, c: char) -> bool {
        self.tok(i).is_some_and(|t| t.glued() && t.is_punct(c))
    }

    /// Consumes `n` tokens that filled a slot.
    fn fill(&mut self, n: usize) -> bool {
        self.pos += n;
        self.end = self.pos;
        true
    }

    /// Consumes `n` tokens that fill nothing.
    fn skip(&mut self, n: usize) -> bool {
        self.pos += n;
        true
    }

    fn no_date(&self) -> bool {
        let s = &self.slots;
        s.year.is_none() && s.month.is_none() && s.day.is_none() && s.days_ago.is_none()
    }

    fn date_complete(&self) -> bool {
        let s = &self.slots;
        s.days_ago.is_some() || (s.year.is_some() && s.month.is_some() && s.day.is_some())
    }

    /// Reads one token or a few; `false` when the token fits nowhere.
    fn step(&mut self) -> Result<bool, Fail> {
        match self.toks[self.pos].kind {
            Kind::Num => self.number(),
            Kind::Word => self.word_token(),
            Kind::Punct(c) => self.punct(c),
            Kind::Marker(_) => Ok(false),
        }
    }

    // Numbers.

    fn number(&mut self) -> Result<bool, Fail> {
        let p = self.pos;
        if let Some(Kind::Marker(marker)) = self.tok(p + 1).map(|t| t.kind) {
            return self.cjk(marker);
        }
        if self.slots.time.is_none()
            && let Some((time, n)) = self.clock_time()?
        {
            self.slots.time = Some(time);
            return Ok(self.fill(n));
        }
        if self.no_date()
            && let Some(n) = self.numeric_date()?
        {
            return Ok(self.fill(n));
        }
        self.lone_number()
    }

    /// `2012年`, `7月`, `24日`, `6時10分30秒`.
    fn cjk(&mut self, marker: char) -> Result<bool, Fail> {
        let tok = &self.toks[self.pos];
        let value = tok.value;
        let fail = |bad| self.fail(bad);
        match marker {
            '年' if self.slots.year.is_none() && tok.len() == 4 => {
                self.slots.year = Some(value as i32)
            }
            '月' if self.slots.month.is_none() => {
                self.slots.month = Some(build::month(value).map_err(fail)?)
            }
            '日' if self.slots.day.is_none() => {
                self.slots.day = Some(build::day(value).map_err(fail)?)
            }
            '時' if self.slots.time.is_none() => {
                let minute = self.marked(self.pos + 2, '分');
                let second = minute.and_then(|_| self.marked(self.pos + 4, '秒'));
                let time =
                    Time::new(value, minute.unwrap_or(0), second.unwrap_or(0), 0).map_err(fail)?;
                self.slots.time = Some(time);
                let n = 2 + 2 * usize::from(minute.is_some()) + 2 * usize::from(second.is_some());
                return Ok(self.fill(n));
            }
            _ => return Ok(false),
        }
        Ok(self.fill(2))
    }

    /// The value of a number at token `i` followed by `marker`.
    fn marked(&self, i: usize, marker: char) -> Option<u32> {
        let followed = self
            .tok(i + 1)
            .is_some_and(|t| t.kind == Kind::Marker(marker));
        self.num(i).filter(|_| followed).map(|t| t.value)
    }

    /// `6:10`, `06:10:00`, `06:10:00.250`, `06h10`, `06h`, `11.10` (after a full date), `6 pm`, `6 Uhr`,
    /// `12 noon`.
    fn clock_time(&self) -> Result<Option<(Time, usize)>, Fail> {
        let hour_tok = &self.toks[self.pos];
        if hour_tok.len() > 2 {
            return Ok(None);
        }
        let hour = hour_tok.value;
        let parts = self
            .colon_parts()
            .or_else(|| self.h_parts())
            .or_else(|| self.dot_parts());
        let Some((minute, second, nano, n)) = parts else {
            return Ok(self.hour_alone(hour));
        };
        let time = Time::new(hour, minute, second, nano).map_err(|bad| self.fail(bad))?;
        Ok(Some((time, n)))
    }

    /// `:10`, `:10:00` or `:10:00.250` after the hour: minute, second, nanosecond and tokens used.
    fn colon_parts(&self) -> Option<(u32, u32, u32, usize)> {
        let p = self.pos;
        let minute = self
            .glued_punct(p + 1, ':')
            .then(|| self.glued_two_digits(p + 2))??;
        let Some(second) = self
            .glued_punct(p + 3, ':')
            .then(|| self.glued_two_digits(p + 4))
            .flatten()
        else {
            return Some((minute, 0, 0, 3));
        };
        let frac_sep = self.glued_punct(p + 5, '.') || self.glued_punct(p + 5, ',');
        match self.num(p + 6).filter(|t| frac_sep && t.glued()) {
            Some(t) => Some((minute, second, build::nanos(&self.text[t.start..t.end]), 7)),
            None => Some((minute, second, 0, 5)),
        }
    }

    /// French and Portuguese `06h10` and `06h`.
    fn h_parts(&self) -> Option<(u32, u32, u32, usize)> {
        let p = self.pos;
        self.tok(p + 1).filter(|t| t.glued() && t.word() == "h")?;
        match self.glued_two_digits(p + 2) {
            Some(minute) => Some((minute, 0, 0, 3)),
            None => Some((0, 0, 0, 2)),
        }
    }

    /// British `11.10`, only once the date is complete (before that, `24.07.2012` is a date).
    fn dot_parts(&self) -> Option<(u32, u32, u32, usize)> {
        let p = self.pos;
        let more = self.glued_punct(p + 3, '.') && self.num(p + 4).is_some();
        let dotted = self.date_complete() && self.glued_punct(p + 1, '.') && !more;
        let minute = dotted.then(|| self.glued_two_digits(p + 2))??;
        Some((minute, 0, 0, 3))
    }

    /// An hour with no minutes: `6 pm`, `6pm`, `6 p.m.`, `6 Uhr` (1 token; the word is read next), `12 noon`,
    /// `12 midnight` (2 tokens).
    fn hour_alone(&self, hour: u32) -> Option<(Time, usize)> {
        let next = self.word(self.pos + 1)?;
        let at = |hour| Time {
            hour,
            minute: 0,
            second: 0,
            nano: 0,
        };
        let dotted_m = self.glued_punct(self.pos + 2, '.') && self.word(self.pos + 3) == Some("m");
        match next {
            "am" | "pm" if hour <= 12 => Some((at(hour), 1)),
            "a" | "p" if hour <= 12 && dotted_m => Some((at(hour), 1)),
            "uhr" if hour <= 24 => Some((at(hour), 1)),
            _ if hour == 12 => Some((at(words::noon_or_midnight(next)?), 2)),
            _ => None,
        }
    }

    /// `2012-07-24`, `2012/07/24`, `24.07.2012`, `24/07/2012`, `07/24/12`: three numbers with one separator.
    fn numeric_date(&mut self) -> Result<Option<usize>, Fail> {
        let p = self.pos;
        let Some(sep) = self.tok(p + 1).and_then(|t| match t.kind {
            Kind::Punct(c @ ('/' | '-' | '.')) if t.glued() => Some(c),
            _ => None,
        }) else {
            return Ok(None);
        };
        let part = |i: usize| self.num(i).filter(|t| t.glued());
        let (Some(a), Some(b), true, Some(c)) = (
            self.num(p),
            part(p + 2),
            self.glued_punct(p + 3, sep),
            part(p + 4),
        ) else {
            return Ok(None);
        };
        // "1.2.3.4" is a version or an address, not a date.
        if self.glued_punct(p + 5, sep) && part(p + 6).is_some() || b.len() > 2 {
            return Ok(None);
        }
        let (year, month, day) = if a.len() == 4 && c.len() <= 2 {
            (a.value as i32, b.value, c.value)
        } else if a.len() <= 2 && (c.len() == 4 || c.len() == 2 && self.mode == Mode::Parse) {
            let year = if c.len() == 4 {
                c.value as i32
            } else {
                build::two_digit_year(c.value)
            };
            let Some((day, month)) = self.day_month(a.value, b.value, sep)? else {
                return Ok(None);
            };
            (year, month, day)
        } else {
            return Ok(None);
        };
        let month = build::month(month).map_err(|bad| self.fail(bad))?;
        let day = build::day(day).map_err(|bad| self.fail(bad))?;
        self.slots.year = Some(year);
        self.slots.month = Some(month);
        self.slots.day = Some(day);
        Ok(Some(5))
    }

    /// Which of two numbers is the day and which the month; `None` in find mode when it cannot be told.
    fn day_month(&self, a: u32, b: u32, sep: char) -> Result<Option<(u32, u32)>, Fail> {
        if sep == '.' || a > 12 || a == b {
            return Ok(Some((a, b)));
        }
        if b > 12 {
            return Ok(Some((b, a)));
        }
        match self.parser.numeric_order {
            NumericOrder::DayFirst => Ok(Some((a, b))),
            NumericOrder::MonthFirst => Ok(Some((b, a))),
            NumericOrder::Unambiguous if self.mode == Mode::Find => Ok(None),
            NumericOrder::Unambiguous => {
                let (first, last) = (&self.toks[self.pos], &self.toks[self.pos + 4]);
                let found = self.text[first.start..last.end].to_owned();
                Err(Fail {
                    at: first.start,
                    problem: Problem::AmbiguousOrder { found },
                })
            }
        }
    }

    /// A year, a day (with its ordinal suffix), or a two-digit year after a day and month.
    fn lone_number(&mut self) -> Result<bool, Fail> {
        let tok = &self.toks[self.pos];
        let s = self.slots;
        match tok.len() {
            4 if s.year.is_none() => {
                self.slots.year = Some(tok.value as i32);
                Ok(self.fill(1))
            }
            1 | 2 if s.day.is_none() && s.days_ago.is_none() => {
                let day = match (build::day(tok.value), self.mode, s.month) {
                    (Ok(day), _, _) => day,
                    (Err(bad), Mode::Parse, Some(_)) => return Err(self.fail(bad)),
                    (Err(_), _, _) => return Ok(false),
                };
                self.slots.day = Some(day);
                let suffix = self
                    .tok(self.pos + 1)
                    .is_some_and(|t| t.glued() && words::ordinal_suffix(t.word()));
                Ok(self.fill(if suffix { 2 } else { 1 }))
            }
            2 if s.year.is_none() && s.month.is_some() && s.day.is_some() => {
                self.slots.year = Some(build::two_digit_year(tok.value));
                Ok(self.fill(1))
            }
            3 if s.year.is_none() && s.month.is_some() && s.day.is_some() => {
                self.slots.year = Some(1900 + tok.value as i32);
                Ok(self.fill(1))
            }
            _ => Ok(false),
        }
    }

    // Words.

    fn word_token(&mut self) -> Result<bool, Fail> {
        let p = self.pos;
        let w = self.toks[p].word();
        if self.slots.time.is_some() {
            if let Some((ampm, n)) = self.ampm_after_time().filter(|_| self.slots.ampm.is_none()) {
                self.slots.ampm = Some(ampm);
                return Ok(self.fill(n));
            }
            if let Some((zone, n)) = self.zone()? {
                if self.slots.zone.is_none() {
                    self.slots.zone = Some(zone);
                    return Ok(self.fill(n));
                }
                // A comment repeating the zone, as in "+0000 (UTC)".
                return Ok(self.skip(n));
            }
        }
        if let Some(month) = words::month(w).filter(|_| self.slots.month.is_none())
            && !(words::weekday(w) && self.month_word_ahead())
        {
            self.slots.month = Some(month);
            return Ok(self.fill(1));
        }
        if words::weekday(w) && !self.slots.weekday_seen {
            self.slots.weekday_seen = true;
            return Ok(self.skip(1));
        }
        if self.slots.time.is_none() {
            if let Some(hour) = words::noon_or_midnight(w) {
                self.slots.time = Some(Time {
                    hour,
                    minute: 0,
                    second: 0,
                    nano: 0,
                });
                return Ok(self.fill(1));
            }
            // "上午6:10", "T" between an ISO-like date and time.
            let next_is_num = self.num(p + 1).is_some();
            if next_is_num
                && self.slots.ampm.is_none()
                && matches!(w, "午前" | "午後" | "上午" | "下午" | "오전" | "오후")
            {
                self.slots.ampm = words::ampm(w);
                return Ok(self.skip(1));
            }
            if next_is_num && w == "t" && self.toks[p].glued() && self.date_complete() {
                return Ok(self.skip(1));
            }
        }
        if let Some(days) = words::relative_day(w).filter(|_| self.no_date()) {
            return self.relative_day(days);
        }
        let nothing_yet = self.no_date() && self.slots.time.is_none();
        if self.filler(w) || (self.mode == Mode::Parse && nothing_yet && words::lead(w)) {
            return Ok(self.skip(1));
        }
        Ok(false)
    }

    /// Whether the word at the current token is a filler here. "of" and "the" only count in "the 24th of": a
    /// bare number "of" a month is prose ("page 24 of the July report").
    fn filler(&self, w: &str) -> bool {
        let p = self.pos;
        match w {
            "the" => self.num(p + 1).is_some(),
            "of" => p > 0 && words::ordinal_suffix(self.toks[p - 1].word()),
            _ => words::filler(w),
        }
    }

    /// "today", "yesterday" (and "aujourd'hui"): need `fetched_at`.
    fn relative_day(&mut self, days: i64) -> Result<bool, Fail> {
        if self.parser.fetched_at.is_none() {
            return match self.mode {
                Mode::Parse => Err(Fail {
                    at: self.toks[self.pos].start,
                    problem: Problem::NeedsFetchedAt,
                }),
                Mode::Find => Ok(false),
            };
        }
        self.slots.days_ago = Some(days);
        let p = self.pos;
        let aujourdhui = self.toks[p].word() == "aujourd"
            && (self.glued_punct(p + 1, '\'') || self.glued_punct(p + 1, '’'))
            && self.word(p + 2) == Some("hui");
        Ok(self.fill(if aujourdhui { 3 } else { 1 }))
    }

    /// Whether a month name comes soon, so that an ambiguous word like French "mar." is a weekday.
    /// Only the shape "mar. 24 juil." / "mar, 24 de jul" counts: a day number, then a month name with at most
    /// dots, commas and fillers around, so "Mar 24 – Jul 2" stays March.
    fn month_word_ahead(&self) -> bool {
        let mut seen_day = false;
        for tok in self.toks.iter().skip(self.pos + 1).take(6) {
            match tok.kind {
                Kind::Punct(',' | '.') => {}
                Kind::Num if !seen_day => seen_day = true,
                Kind::Word if words::month(tok.word()).is_some() => return seen_day,
                Kind::Word if words::filler(tok.word()) || words::ordinal_suffix(tok.word()) => {}
                _ => return false,
            }
        }
        false
    }

    /// "am", "PM", "a.m.", "p.m", "6:10a" (glued), "de la tarde".
    fn ampm_after_time(&self) -> Option<(AmPm, usize)> {
        let p = self.pos;
        let tok = &self.toks[p];
        let ampm = words::ampm(tok.word())?;
        if matches!(tok.word(), "a" | "p") {
            if self.glued_punct(p + 1, '.') && self.word(p + 2) == Some("m") {
                let n = if self.glued_punct(p + 3, '.') { 4 } else { 3 };
                return Some((ampm, n));
            }
            // A bare "a" or "p" only when glued to the time: French "à" is spaced.
            let after_num = p > 0 && self.toks[p - 1].kind == Kind::Num;
            return (tok.glued() && after_num).then_some((ampm, 1));
        }
        Some((ampm, 1))
    }

    /// A zone word: `EDT`, `UTC`, `UTC-5`, `GMT+02:00`, `Z`, `Eastern Time`.
    fn zone(&self) -> Result<Option<(Zone, usize)>, Fail> {
        let p = self.pos;
        let tok = &self.toks[p];
        let w = tok.word();
        if zones::is_utc_name(w) {
            let offset = self.offset(p + 1, true)?;
            return Ok(Some(match offset {
                Some((secs, n)) => (Zone::Fixed(secs), 1 + n),
                None => (Zone::Fixed(0), 1),
            }));
        }
        let Some(zone) = zones::named(&self.text[tok.start..tok.end], w) else {
            return Ok(None);
        };
        let n = if matches!(zone, Zone::Us { .. }) && self.word(p + 1) == Some("time") {
            2
        } else {
            1
        };
        Ok(Some((zone, n)))
    }

    /// A signed offset at token `i`: `+0530`, `-05`, `+05:30`, and after UTC/GMT also `-5`, `+530`.
    fn offset(&self, i: usize, after_utc: bool) -> Result<Option<(i32, usize)>, Fail> {
        let sign = match self.tok(i).map(|t| t.kind) {
            Some(Kind::Punct('+')) => 1,
            Some(Kind::Punct('-' | '−')) => -1,
            _ => return Ok(None),
        };
        if after_utc && !self.toks[i].glued() {
            return Ok(None);
        }
        let Some(num) = self.num(i + 1).filter(|t| t.glued()) else {
            return Ok(None);
        };
        let colon_minutes = self
            .glued_punct(i + 2, ':')
            .then(|| self.glued_two_digits(i + 3))
            .flatten();
        let (hours, minutes, n) = match (num.len(), colon_minutes) {
            (2, Some(minutes)) => (num.value, minutes, 4),
            (1, Some(minutes)) if after_utc => (num.value, minutes, 4),
            (2, None) => (num.value, 0, 2),
            (1, None) if after_utc => (num.value, 0, 2),
            (4, _) => (num.value / 100, num.value % 100, 2),
            (3, _) if after_utc => (num.value / 100, num.value % 100, 2),
            _ => return Ok(None),
        };
        let secs = build::offset(sign, hours, minutes).map_err(|bad| Fail {
            at: num.start,
            problem: Problem::OutOfRange(bad),
        })?;
        Ok(Some((secs, n)))
    }

    // Punctuation.

    /// After a zone, a bracketed comment of words, like "(Central Daylight Time)" or "[Europe/Paris]": its
    /// length in tokens, brackets included.
    fn comment_len(&self, open: char) -> Option<usize> {
        let close = if open == '(' { ')' } else { ']' };
        let inside =
            |t: &Token| t.kind == Kind::Word || matches!(t.kind, Kind::Punct('/' | '_' | '-'));
        let rest = self.toks.get(self.pos + 1..)?;
        let n_inside = rest.iter().take(12).take_while(|t| inside(t)).count();
        rest.get(n_inside)
            .filter(|t| t.is_punct(close))
            .map(|_| n_inside + 2)
    }

    fn punct(&mut self, c: char) -> Result<bool, Fail> {
        let p = self.pos;
        if matches!(c, '+' | '-' | '−')
            && self.slots.time.is_some()
            && self.slots.zone.is_none()
            && let Some((secs, n)) = self.offset(p, false)?
        {
            self.slots.zone = Some(Zone::Fixed(secs));
            return Ok(self.fill(n));
        }
        if matches!(c, '(' | '[')
            && self.slots.zone.is_some()
            && let Some(n) = self.comment_len(c)
        {
            return Ok(self.skip(n));
        }
        match c {
            ')' | '）' => {
                // Close "(UTC-5)" inside the span.
                let closes_filled = self.end == p
                    && self.toks[self.start..p]
                        .iter()
                        .any(|t| t.is_punct('(') || t.is_punct('（'));
                self.skip(1);
                if closes_filled {
                    self.end = self.pos;
                }
                Ok(true)
            }
            ',' | '.' | '-' | '(' | '（' | '@' | '，' | '、' => Ok(self.skip(1)),
            ':' if self.mode == Mode::Parse && self.no_date() && self.slots.time.is_none() => {
                Ok(self.skip(1))
            }
            _ => Ok(false),
        }
    }
}

/// The most recent `month`/`day` no later than one day after `today`.
fn infer_year(today: NaiveDate, month: u32, day: u32) -> Result<NaiveDate, Bad> {
    let latest = today.succ_opt().unwrap_or(today);
    (0..8)
        .filter_map(|back| NaiveDate::from_ymd_opt(today.year() - back, month, day))
        .find(|d| *d <= latest)
        .ok_or_else(|| Bad {
            expected: "a valid calendar date",
            found: format!("{month:02}-{day:02}"),
        })
}
