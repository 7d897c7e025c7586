//! The one date parser, for feeds and web pages alike: liberal in what it reads, exact in what it returns.
//!
//! [`DateParser::parse`] reads a string that is a date (an RSS `pubDate`, an Atom `updated`, a `<time>`
//! attribute, a byline); [`DateParser::find`] finds the first date in running text. Both return a
//! [`StatedTime`] that is exactly as precise as the text: a stated offset is kept as stated (never converted to
//! UTC), a time with no zone is [`StatedTime::Floating`], and a date alone is [`StatedTime::Date`].
//!
//! ```
//! use newswire_normalize::date::DateParser;
//!
//! let parser = DateParser::new();
//! let t = parser.parse("Tue, 24 Jul 2012 06:10:00 -0500")?;
//! assert_eq!(t.to_string(), "2012-07-24T06:10:00-05:00");
//!
//! let found = parser.find("Posted July 24th, 2012 at 6:10 am (UTC-5) | Leave a comment").unwrap();
//! assert_eq!(found.time.to_string(), "2012-07-24T06:10:00-05:00");
//! assert_eq!(found.span, 7..41);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What is accepted
//!
//! - **RFC 822, 2822, 1123, 850 and ctime/asctime**: `Tue, 24 Jul 2012 06:10:00 -0500`,
//!   `Tuesday, 24-Jul-12 06:10:00 GMT`, `Tue Jul 24 06:10:00 2012` (floating: no zone), with the usual defects:
//!   two-digit years (RFC 2822: below 50 is 20xx, otherwise 19xx; three-digit years add 1900), missing seconds,
//!   missing or wrong weekday (ignored), full or odd names (`Tues`, `Thur`, `Sept`, `July`), missing comma, extra
//!   spaces, any case, single-digit hours, and a bracketed comment after the zone: `+0000 (UTC)`,
//!   `GMT-0500 (Central Daylight Time)` (JavaScript's `Date.toString`), `+02:00[Europe/Paris]` (RFC 9557).
//! - **Zones**: `+0530`, `+05:30`, `+05`, `Z`, `UT`, `UTC`, `GMT`, `UTC-5`, `GMT+2`, `(UTC+05:30)`, and the
//!   abbreviations listed in the `zones` module (North American, European, Asian, Australian, military letters,
//!   and `ET`/`CT`/`MT`/`PT` resolved by US daylight-saving rules). Offsets beyond ±15:00 are errors.
//! - **ISO 8601, RFC 3339, W3C-DTF**: extended and basic forms (`2012-07-24T06:10:00-05:00`,
//!   `20120724T061000-0500`), `T`, `t` or space separator, fractions of any length with `.` or `,` (nanoseconds
//!   kept, further digits dropped), no zone (floating), date only, week dates (`2012-W30-2`), ordinal dates
//!   (`2012-206`), `24:00` (the next day's midnight), lowercase `z`.
//! - **Numeric dates**: `2012/07/24`, `2012.07.24`, `24.07.2012` (dots are always day first), and `24/07/2012` or
//!   `07/24/2012` when the order is unambiguous; see [Ambiguity](#ambiguity).
//! - **Written dates and times in English**: `July 24th, 2012 at 6:10 am (UTC-5)`, `July 24, 2012 6:10 AM EDT`,
//!   `24 July 2012, 06:10 GMT`, `Tuesday 24 July 2012 11.10 BST`, `Jul. 24, 2012`, `the 24th of July 2012`,
//!   `6:10 p.m.`, `6pm`, `noon`, `midnight` (the start of the stated day), `6:10pm ET`.
//! - **Other languages**: month names (full, abbreviated, genitive), weekday names and the small words around
//!   them in French (`24 juillet 2012 à 06h10`, `1er août 2012`), German (`24. Juli 2012, 06:10 Uhr`),
//!   Spanish (`martes, 24 de julio de 2012`), Portuguese (`24 de julho de 2012 às 06h10`), Italian
//!   (`24 luglio 2012 ore 06:10`), Dutch (`24 juli 2012 om 06:10`), Russian (`24 июля 2012 г., 06:10`), Polish,
//!   Turkish, Swedish, Chinese (`2012年7月24日 06:10`), Japanese (`2012年7月24日 6時10分`) and Korean numerals
//!   with `년 월 일`. Accents are optional: `aout`, `fevrier`, `Marz` and `Maerz` all match.
//! - **Relative forms**, only with [`DateParser::fetched_at`]: `3 hours ago`, `an hour ago`, `5 min ago`,
//!   `il y a 3 heures`, `vor 2 Tagen`, `hace 3 horas`, `3 ore fa`, `3 uur geleden`, `3 часа назад`, and `today`,
//!   `yesterday` (in each language) with an optional time. Seconds, minutes and hours give a zoned time at
//!   `+00:00` computed from `fetched_at`; days, weeks, months and years give a date.
//! - **Year-less dates**, only with [`DateParser::fetched_at`]: `24 July` is the most recent 24 July no later
//!   than one day after `fetched_at` (the day of slack allows for publishers east of UTC).
//! - Around the date, [`DateParser::parse`] tolerates surrounding whitespace, leading words such as `Posted`,
//!   `Published on`, `Updated:`, `Mis à jour le`, and trailing punctuation.
//!
//! # Decisions
//!
//! - `-0000` (RFC 2822: "no information about the local zone") and `-00:00` (RFC 3339: "unknown local offset")
//!   are read as `+00:00`: feeds write them to mean UTC, and a UTC instant is what they give.
//! - A leap second `:60` is clamped to `:59`.
//! - Wrong weekdays are ignored rather than rejected: the day of the month is more often right than the weekday.
//! - "am"/"pm" on an hour above 12 (`13:00 pm`) is ignored.
//! - `today`/`yesterday` take the date of `fetched_at` in UTC.
//!
//! # Incomplete support
//!
//! - A year and month alone (`2012-07`, `July 2012`) and a week without a day (`2012-W30`) are rejected:
//!   [`StatedTime`] has no such precision, and making up a day would state something the publisher did not.
//! - Only four-digit years are read in ISO forms; expanded years (`+002012`) and years before 1000 are not.
//! - Time-zone names (`America/New_York`, "Eastern European Summer Time") and most abbreviations outside the
//!   table in the `zones` module are not recognised.
//! - Numbers must be ASCII digits: full-width digits and Chinese numerals (`七月`) are not read.
//!   Relative forms are not read in Chinese, Japanese or Korean.
//! - [`DateParser::find`] looks only at the first [`FIND_LIMIT`] bytes of its text, and [`DateParser::parse`]
//!   rejects inputs longer than [`PARSE_LIMIT`] bytes.
//!
//! # Ambiguity
//!
//! - `03/04/2012` may be March 4 or April 3. By default such dates are an error ([`DateError::AmbiguousOrder`])
//!   and [`DateParser::find`] skips them; [`DateParser::numeric_order`] chooses an order for a source known to
//!   use one. A day above 12 settles the order (`24/07/2012`, `07/24/2012`); dotted dates are always day first.
//! - Zone abbreviations are ambiguous the world over (`IST`, `CST`, `BST`); the `zones` module documents which
//!   meaning we chose for each.
//! - `find` does not take a lone number or year for a date (`In 2012, ...`): it needs a day, month and year
//!   together (or an ISO date). Without a year it needs `fetched_at` and a time (`24 July 06:10`); `today` and
//!   `yesterday` also need a time there, and numeric dates need a four-digit year.

mod build;
mod grammar;
mod iso;
mod relative;
mod token;
mod words;
pub mod zones;

#[cfg(test)]
mod tests;

use std::ops::Range;

use chrono::{DateTime, Utc};
pub use newswire_model::StatedTime;

use self::grammar::{Mode, Phrase};
use self::token::{Kind, Token};

/// How many bytes of text [`DateParser::find`] looks at: dates in bylines come early, and the cap keeps the
/// work bounded on huge pages.
pub const FIND_LIMIT: usize = 64 * 1024;

/// The longest input [`DateParser::parse`] accepts.
pub const PARSE_LIMIT: usize = 1024;

/// How to read a numeric date whose day and month could be either way round, like `03/04/2012`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum NumericOrder {
    /// Reject it (the default).
    #[default]
    Unambiguous,
    /// Read it day first, as in most of the world: `03/04/2012` is 3 April.
    DayFirst,
    /// Read it month first, as in the US: `03/04/2012` is March 4.
    MonthFirst,
}

/// Liberal date parser; see the [module docs](self) for what it accepts.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use newswire_normalize::date::DateParser;
///
/// let fetched_at = Utc.with_ymd_and_hms(2012, 7, 24, 12, 0, 0).unwrap();
/// let parser = DateParser::new().fetched_at(fetched_at);
/// assert_eq!(parser.parse("3 hours ago")?.to_string(), "2012-07-24T09:00:00+00:00");
/// assert_eq!(parser.parse("24 July")?.to_string(), "2012-07-24");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct DateParser {
    fetched_at: Option<DateTime<Utc>>,
    numeric_order: NumericOrder,
}

/// A date found in running text by [`DateParser::find`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundDate {
    /// The date, as precise as the text stated it.
    pub time: StatedTime,
    /// Where it was found: a byte range of the text, on char boundaries.
    pub span: Range<usize>,
}

/// Why a string is not a date.
///
/// Messages are lowercase, name what was expected and quote the input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// The input was empty or whitespace.
    #[error("expected a date, but found an empty string")]
    Empty,
    /// The input is longer than [`PARSE_LIMIT`].
    #[error("expected a date of at most {max} bytes, but found {len} bytes")]
    TooLong {
        /// The input's length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Something other than what can come at that point of a date.
    #[error("expected {expected}, but found {found} in {input:?}")]
    Unexpected {
        /// What could have come.
        expected: &'static str,
        /// What came: a quoted piece of the input, or "end of input".
        found: String,
        /// The whole input.
        input: String,
    },
    /// A value out of its range: month 13, 30 February, hour 25, an offset beyond ±15:00.
    #[error("expected {expected}, but found {found} in {input:?}")]
    OutOfRange {
        /// The valid range.
        expected: &'static str,
        /// The value found.
        found: String,
        /// The whole input.
        input: String,
    },
    /// A numeric date whose day and month could be either way round (see [`DateParser::numeric_order`]).
    #[error("expected a day and month in an unambiguous order, but found {found:?} in {input:?}")]
    AmbiguousOrder {
        /// The numeric date.
        found: String,
        /// The whole input.
        input: String,
    },
    /// A date without a year, and no [`DateParser::fetched_at`] to infer it from.
    #[error("expected a year, but found none in {input:?} (set fetched_at to infer it)")]
    MissingYear {
        /// The whole input.
        input: String,
    },
    /// A relative date ("3 hours ago", "yesterday") and no [`DateParser::fetched_at`] to resolve it.
    #[error(
        "expected an absolute date, but found the relative date {input:?} and no fetched_at to resolve it"
    )]
    NeedsFetchedAt {
        /// The whole input.
        input: String,
    },
}

/// A failure and how far into the input it happened, to report the parse path that got furthest.
#[derive(Debug)]
struct Fail {
    at: usize,
    problem: Problem,
}

/// A [`DateError`] before the input is attached: failed candidates in [`DateParser::find`] must not copy the
/// text they were found in.
#[derive(Debug)]
enum Problem {
    Unexpected {
        expected: &'static str,
        found: String,
    },
    OutOfRange(build::Bad),
    AmbiguousOrder {
        found: String,
    },
    MissingYear,
    NeedsFetchedAt,
}

impl Problem {
    fn end_of_input(expected: &'static str) -> Problem {
        Problem::Unexpected {
            expected,
            found: "end of input".to_owned(),
        }
    }

    fn with_input(self, input: &str) -> DateError {
        let input = input.to_owned();
        match self {
            Problem::Unexpected { expected, found } => DateError::Unexpected {
                expected,
                found,
                input,
            },
            Problem::OutOfRange(build::Bad { expected, found }) => DateError::OutOfRange {
                expected,
                found,
                input,
            },
            Problem::AmbiguousOrder { found } => DateError::AmbiguousOrder { found, input },
            Problem::MissingYear => DateError::MissingYear { input },
            Problem::NeedsFetchedAt => DateError::NeedsFetchedAt { input },
        }
    }
}

/// Parses a whole string as a date with the default [`DateParser`].
pub fn parse_date(input: &str) -> Result<StatedTime, DateError> {
    DateParser::new().parse(input)
}

impl DateParser {
    /// A parser with the default, strict-where-it-matters settings and no `fetched_at`.
    pub fn new() -> DateParser {
        DateParser::default()
    }

    /// When the text was fetched. Enables relative forms ("3 hours ago", "yesterday", "today 10:30") and
    /// year-less dates ("24 July" is the most recent such day, allowing one day of slack).
    pub fn fetched_at(self, t: DateTime<Utc>) -> DateParser {
        DateParser {
            fetched_at: Some(t),
            ..self
        }
    }

    /// How to read numeric dates like `03/04/2012` whose order the numbers do not settle.
    pub fn numeric_order(self, order: NumericOrder) -> DateParser {
        DateParser {
            numeric_order: order,
            ..self
        }
    }

    /// Parses `input`, which must be a date and nothing more (surrounding whitespace, leading words such as
    /// "Posted" or "Updated:" and trailing punctuation are tolerated).
    pub fn parse(&self, input: &str) -> Result<StatedTime, DateError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(DateError::Empty);
        }
        if text.len() > PARSE_LIMIT {
            return Err(DateError::TooLong {
                len: text.len(),
                max: PARSE_LIMIT,
            });
        }
        let toks = token::tokenize(text);
        let start = grammar::skip_leads(&toks);
        let Some(end) = toks
            .iter()
            .rposition(|t| !matches!(t.kind, Kind::Punct(_)))
            .map(|i| i + 1)
        else {
            return Err(DateError::Unexpected {
                expected: "a date",
                found: quote(text),
                input: text.to_owned(),
            });
        };
        if start >= end {
            return Err(DateError::Unexpected {
                expected: "a date",
                found: "end of input".to_owned(),
                input: text.to_owned(),
            });
        }
        if let Some(rel) = relative::match_at(&toks, start).filter(|m| m.end == end) {
            let fetched_at = self.fetched_at.ok_or_else(|| DateError::NeedsFetchedAt {
                input: text.to_owned(),
            })?;
            return rel
                .resolve(fetched_at)
                .ok_or_else(|| DateError::OutOfRange {
                    expected: "a relative time within the calendar",
                    found: quote(text),
                    input: text.to_owned(),
                });
        }
        let iso_like = toks[start].kind == Kind::Num && matches!(toks[start].len(), 4 | 7 | 8);
        let iso = iso_like.then(|| iso::parse(text, toks[start].start));
        if let Some(Ok(m)) = &iso
            && text[m.end..].chars().all(|c| !c.is_alphanumeric())
        {
            return Ok(m.time);
        }
        let grammar =
            Phrase::read(text, &toks, start, Mode::Parse, self).and_then(|p| p.finish_parse(end));
        match (grammar, iso) {
            (Ok(t), _) => Ok(t),
            (Err(g), Some(Err(i))) if i.at > g.at => Err(i.problem.with_input(text)),
            (Err(g), _) => Err(g.problem.with_input(text)),
        }
    }

    /// Finds the first date in running text, such as
    /// "Posted July 24th, 2012 at 6:10 am (UTC-5) | Leave a comment". Only the first [`FIND_LIMIT`] bytes are
    /// searched. See the module's [Ambiguity](self#ambiguity) section for what is not taken for a date.
    pub fn find(&self, text: &str) -> Option<FoundDate> {
        let text = truncate(text, FIND_LIMIT);
        let toks = token::tokenize(text);
        (0..toks.len()).find_map(|i| self.find_at(text, &toks, i))
    }

    /// The longest date that starts at token `i`, if any.
    fn find_at(&self, text: &str, toks: &[Token], i: usize) -> Option<FoundDate> {
        if !can_start(toks, i) {
            return None;
        }
        let span_to = |end_tok: usize| toks[i].start..toks[end_tok - 1].end;
        let relative = self.fetched_at.and_then(|fetched_at| {
            let m = relative::match_at(toks, i)?;
            Some(FoundDate {
                time: m.resolve(fetched_at)?,
                span: span_to(m.end),
            })
        });
        let iso = self.find_iso(text, &toks[i]);
        let grammar = Phrase::read(text, toks, i, Mode::Find, self)
            .ok()
            .and_then(|p| {
                Some(FoundDate {
                    time: p.finish_find()?,
                    span: span_to(p.end),
                })
            });
        [relative, iso, grammar]
            .into_iter()
            .flatten()
            .reduce(|a, b| if b.span.end > a.span.end { b } else { a })
    }

    /// An ISO 8601 date starting at a number token: extended form, or basic form with a time.
    fn find_iso(&self, text: &str, tok: &Token) -> Option<FoundDate> {
        if tok.kind != Kind::Num || !matches!(tok.len(), 4 | 8) {
            return None;
        }
        let m = iso::parse(text, tok.start).ok()?;
        let boundary = text[m.end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        let basic_date_only = tok.len() == 8 && matches!(m.time, StatedTime::Date(_));
        (boundary && !basic_date_only).then_some(FoundDate {
            time: m.time,
            span: tok.start..m.end,
        })
    }
}

/// Whether a date may start at token `i` of running text: a number not glued to a word or number before it,
/// or a word that begins dates (a month, a weekday, "yesterday", "an" in "an hour ago").
fn can_start(toks: &[Token], i: usize) -> bool {
    let tok = &toks[i];
    let glued_to_alnum = i > 0 && tok.glued() && matches!(toks[i - 1].kind, Kind::Num | Kind::Word);
    match tok.kind {
        Kind::Num => !glued_to_alnum,
        Kind::Word => words::can_start(tok.word()),
        Kind::Marker(_) | Kind::Punct(_) => false,
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a char boundary.
fn truncate(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A piece of input quoted for an error message.
fn quote(piece: &str) -> String {
    format!("{:?}", truncate(piece, 64))
}
