//! Table-driven tests for the date parser: `(input, expected)` where expected is the [`StatedTime`] display form,
//! `ERR` for any error, or `ERR: message` for an exact error message.

use chrono::{DateTime, FixedOffset, TimeZone, Timelike, Utc};
use proptest::prelude::*;

use super::*;

/// The fetch time used by the relative and year-less cases.
fn fetched() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2012, 7, 24, 12, 0, 0).unwrap()
}

fn render(res: Result<StatedTime, DateError>) -> String {
    match res {
        Ok(t) => t.to_string(),
        Err(e) => format!("ERR: {e}"),
    }
}

fn matches(got: &str, expect: &str) -> bool {
    got == expect || (expect == "ERR" && got.starts_with("ERR"))
}

/// Runs a table through `parser.parse`, reporting every mismatch at once.
fn check_table(parser: &DateParser, cases: &[(&str, &str)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(input, expect)| {
            let got = render(parser.parse(input));
            (!matches(&got, expect))
                .then(|| format!("{input:?}\n   expected {expect}\n        got {got}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// One case through the default parser.
fn check(input: &str, expect: &str) {
    check_table(&DateParser::new(), &[(input, expect)]);
}

#[test]
fn voa_reference_line() {
    let text = "Posted July 24th, 2012 at 6:10 am (UTC-5) | Leave a comment";
    let found = DateParser::new().find(text).unwrap();
    assert_eq!(found.time.to_string(), "2012-07-24T06:10:00-05:00");
    assert_eq!(&text[found.span], "July 24th, 2012 at 6:10 am (UTC-5)");
    check(
        text.trim_end_matches(" | Leave a comment"),
        "2012-07-24T06:10:00-05:00",
    );
}

#[rustfmt::skip]
const RFC2822: &[(&str, &str)] = &[
    ("Tue, 24 Jul 2012 06:10:00 -0500", "2012-07-24T06:10:00-05:00"),
    ("Tue, 24 Jul 2012 06:10:00 +0000", "2012-07-24T06:10:00+00:00"),
    ("Tue, 24 Jul 2012 06:10:00 -0000", "2012-07-24T06:10:00+00:00"),
    ("Tue, 24 Jul 2012 06:10:00 GMT", "2012-07-24T06:10:00+00:00"),
    ("Tue, 24 Jul 2012 06:10:00 UT", "2012-07-24T06:10:00+00:00"),
    ("Tue, 24 Jul 2012 06:10:00 UTC", "2012-07-24T06:10:00+00:00"),
    ("Tue, 24 Jul 2012 06:10:00 Z", "2012-07-24T06:10:00+00:00"),
    ("Tue, 24 Jul 2012 06:10:00 +0530", "2012-07-24T06:10:00+05:30"),
    ("Tue, 24 Jul 2012 06:10:00 +05:30", "2012-07-24T06:10:00+05:30"),
    ("Tue, 24 Jul 2012 06:10:00 +05", "2012-07-24T06:10:00+05:00"),
    ("Tue, 24 Jul 2012 06:10:00 -0930", "2012-07-24T06:10:00-09:30"),
    ("Tue, 24 Jul 2012 06:10 -0500", "2012-07-24T06:10:00-05:00"),
    ("Tue, 24 Jul 2012 6:10:00 -0500", "2012-07-24T06:10:00-05:00"),
    ("Tue, 24 Jul 2012 6:10 -0500", "2012-07-24T06:10:00-05:00"),
    ("Wed, 24 Jul 2012 06:10:00 -0500", "2012-07-24T06:10:00-05:00"),
    ("Sun, 24 Jul 2012 06:10:00 -0500", "2012-07-24T06:10:00-05:00"),
    ("24 Jul 2012 06:10:00 -0500", "2012-07-24T06:10:00-05:00"),
    ("Tue 24 Jul 2012 06:10:00 -0500", "2012-07-24T06:10:00-05:00"),
    ("Tue,24 Jul 2012 06:10:00 -0500", "2012-07-24T06:10:00-05:00"),
    ("Tue,  24  Jul  2012   06:10:00   -0500", "2012-07-24T06:10:00-05:00"),
    ("  Tue, 24 Jul 2012 06:10:00 -0500  ", "2012-07-24T06:10:00-05:00"),
    ("tue, 24 jul 2012 06:10:00 gmt", "2012-07-24T06:10:00+00:00"),
    ("TUE, 24 JUL 2012 06:10:00 GMT", "2012-07-24T06:10:00+00:00"),
    ("Tuesday, 24 July 2012 06:10:00 GMT", "2012-07-24T06:10:00+00:00"),
    ("Tues, 24 July 2012 06:10:00 GMT", "2012-07-24T06:10:00+00:00"),
    ("Thur, 26 Jul 2012 06:10:00 GMT", "2012-07-26T06:10:00+00:00"),
    ("Thurs, 26 Jul 2012 06:10:00 GMT", "2012-07-26T06:10:00+00:00"),
    ("Mon, 24 Sept 2012 06:10:00 GMT", "2012-09-24T06:10:00+00:00"),
    ("Mon, 24 Sep 2012 06:10:00 GMT", "2012-09-24T06:10:00+00:00"),
    ("Tue, 24 Jul 12 06:10:00 GMT", "2012-07-24T06:10:00+00:00"),
    ("Tue, 24 Jul 49 06:10:00 GMT", "2049-07-24T06:10:00+00:00"),
    ("Sat, 24 Jul 99 06:10:00 GMT", "1999-07-24T06:10:00+00:00"),
    ("Sat, 24 Jul 50 06:10:00 GMT", "1950-07-24T06:10:00+00:00"),
    ("Sat, 24 Jul 112 06:10:00 GMT", "2012-07-24T06:10:00+00:00"),
    ("Tue, 24 Jul 2012 06:10:00 EST", "2012-07-24T06:10:00-05:00"),
    ("Tue, 24 Jul 2012 06:10:00 EDT", "2012-07-24T06:10:00-04:00"),
    ("Tue, 24 Jul 2012 06:10:00 CST", "2012-07-24T06:10:00-06:00"),
    ("Tue, 24 Jul 2012 06:10:00 CDT", "2012-07-24T06:10:00-05:00"),
    ("Tue, 24 Jul 2012 06:10:00 MST", "2012-07-24T06:10:00-07:00"),
    ("Tue, 24 Jul 2012 06:10:00 MDT", "2012-07-24T06:10:00-06:00"),
    ("Tue, 24 Jul 2012 06:10:00 PST", "2012-07-24T06:10:00-08:00"),
    ("Tue, 24 Jul 2012 06:10:00 PDT", "2012-07-24T06:10:00-07:00"),
    ("Tue, 24 Jul 2012 06:10:00 AKST", "2012-07-24T06:10:00-09:00"),
    ("Tue, 24 Jul 2012 06:10:00 AKDT", "2012-07-24T06:10:00-08:00"),
    ("Tue, 24 Jul 2012 06:10:00 HST", "2012-07-24T06:10:00-10:00"),
    ("Tue, 24 Jul 2012 06:10:00 edt", "2012-07-24T06:10:00-04:00"),
    ("Tue, 24 Jul 2012 06:10:00 +0000 (UTC)", "2012-07-24T06:10:00+00:00"),
    ("Tue, 24 Jul 2012 06:10:00 -0500 (CDT)", "2012-07-24T06:10:00-05:00"),
    ("Tue, 24 Jul 2012 06:10:00.250 +0000", "2012-07-24T06:10:00.250+00:00"),
    ("Tue, 24 Jul 2012 06:10:60 +0000", "2012-07-24T06:10:59+00:00"),
    ("Tue, 24 Jul 2012 06:10:00 A", "2012-07-24T06:10:00+01:00"),
    ("Tue, 24 Jul 2012 06:10:00 K", "2012-07-24T06:10:00+10:00"),
    ("Tue, 24 Jul 2012 06:10:00 M", "2012-07-24T06:10:00+12:00"),
    ("Tue, 24 Jul 2012 06:10:00 N", "2012-07-24T06:10:00-01:00"),
    ("Tue, 24 Jul 2012 06:10:00 Y", "2012-07-24T06:10:00-12:00"),
    ("Tue, 24 Jul 2012 16:10:00 A", "2012-07-24T16:10:00+01:00"),
    ("Tue, 24 Jul 2012 06:10:00 GMT+0200", "2012-07-24T06:10:00+02:00"),
    ("Tue, 24 Jul 2012", "2012-07-24"),
    ("24 Jul 2012", "2012-07-24"),
    ("Tue, 24 Jul 2012 06:10:00", "2012-07-24T06:10:00"),
    // RFC 850.
    ("Tuesday, 24-Jul-12 06:10:00 GMT", "2012-07-24T06:10:00+00:00"),
    ("24-Jul-2012", "2012-07-24"),
    ("24-Jul-2012 06:10", "2012-07-24T06:10:00"),
    ("24-jul-2012 06:10:00 +0100", "2012-07-24T06:10:00+01:00"),
    // ctime / asctime and Unix date(1).
    ("Tue Jul 24 06:10:00 2012", "2012-07-24T06:10:00"),
    ("Tue Jul  4 06:10:00 2012", "2012-07-04T06:10:00"),
    ("Tue Jul 24 06:10:00 EDT 2012", "2012-07-24T06:10:00-04:00"),
    ("Tue Jul 24 06:10:00 UTC 2012", "2012-07-24T06:10:00+00:00"),
    ("Tue Jul 24 2012 06:10:00 GMT-0500 (Central Daylight Time)", "2012-07-24T06:10:00-05:00"),
    ("Tue Jul 24 2012 06:10:00 GMT-0500 (Central Daylight Time", "ERR"),
    ("Tue Jul 24 2012 06:10:00 GMT-0500", "2012-07-24T06:10:00-05:00"),
    // Errors.
    ("Tue, 24 Jul 2012 25:10:00 GMT", "ERR: expected an hour from 0 to 24, but found 25 in \"Tue, 24 Jul 2012 25:10:00 GMT\""),
    ("Tue, 24 Jul 2012 06:61:00 GMT", "ERR: expected minutes from 00 to 59, but found 61 in \"Tue, 24 Jul 2012 06:61:00 GMT\""),
    ("Tue, 24 Jul 2012 06:10:61 GMT", "ERR"),
    ("Tue, 31 Jun 2012 06:10:00 GMT", "ERR: expected a valid calendar date, but found 2012-06-31 in \"Tue, 31 Jun 2012 06:10:00 GMT\""),
    ("Tue, 24 Jul 2012 06:10:00 +1600", "ERR: expected a UTC offset within ±15:00, but found +16:00 in \"Tue, 24 Jul 2012 06:10:00 +1600\""),
    ("Tue, 24 Jul 2012 06:10:00 +0575", "ERR"),
    ("Tue, 24 Jul 2012 06:10:00 XYZ", "ERR: expected a time zone or end of input, but found \"XYZ\" in \"Tue, 24 Jul 2012 06:10:00 XYZ\""),
    ("Tue, 32 Jul 2012 06:10:00 GMT", "ERR"),
    ("Tue, 24 Juk 2012 06:10:00 GMT", "ERR: expected a month name or number, but found \"Juk\" in \"Tue, 24 Juk 2012 06:10:00 GMT\""),
];

#[test]
fn rfc2822() {
    check_table(&DateParser::new(), RFC2822);
}

#[rustfmt::skip]
const ISO: &[(&str, &str)] = &[
    ("2012-07-24T06:10:00-05:00", "2012-07-24T06:10:00-05:00"),
    ("2012-07-24T06:10:00+05:30", "2012-07-24T06:10:00+05:30"),
    ("2012-07-24T06:10:00Z", "2012-07-24T06:10:00+00:00"),
    ("2012-07-24T06:10:00z", "2012-07-24T06:10:00+00:00"),
    ("2012-07-24t06:10:00z", "2012-07-24T06:10:00+00:00"),
    ("2012-07-24T06:10:00-00:00", "2012-07-24T06:10:00+00:00"),
    ("2012-07-24T06:10:00+00:00", "2012-07-24T06:10:00+00:00"),
    ("2012-07-24 06:10:00-05:00", "2012-07-24T06:10:00-05:00"),
    ("2012-07-24 06:10:00", "2012-07-24T06:10:00"),
    ("2012-07-24T06:10:00", "2012-07-24T06:10:00"),
    ("2012-07-24T06:10", "2012-07-24T06:10:00"),
    ("2012-07-24T06:10Z", "2012-07-24T06:10:00+00:00"),
    ("2012-07-24T06", "2012-07-24T06:00:00"),
    ("2012-07-24", "2012-07-24"),
    ("2012-07-24T06:10:00.5Z", "2012-07-24T06:10:00.500+00:00"),
    ("2012-07-24T06:10:00,5Z", "2012-07-24T06:10:00.500+00:00"),
    ("2012-07-24T06:10:00.123456Z", "2012-07-24T06:10:00.123456+00:00"),
    ("2012-07-24T06:10:00.123456789Z", "2012-07-24T06:10:00.123456789+00:00"),
    ("2012-07-24T06:10:00.1234567891234Z", "2012-07-24T06:10:00.123456789+00:00"),
    ("2012-07-24T06:10:00.5", "2012-07-24T06:10:00.500"),
    ("2012-07-24T06:10:00+05", "2012-07-24T06:10:00+05:00"),
    ("2012-07-24T06:10:00+0530", "2012-07-24T06:10:00+05:30"),
    ("2012-07-24T24:00:00Z", "2012-07-25T00:00:00+00:00"),
    ("2012-12-31T24:00", "2013-01-01T00:00:00"),
    ("2012-06-30T23:59:60Z", "2012-06-30T23:59:59+00:00"),
    ("20120724T061000-0500", "2012-07-24T06:10:00-05:00"),
    ("20120724T061000Z", "2012-07-24T06:10:00+00:00"),
    ("20120724T0610", "2012-07-24T06:10:00"),
    ("20120724T061000.25+0100", "2012-07-24T06:10:00.250+01:00"),
    ("20120724", "2012-07-24"),
    ("2012-W30-2", "2012-07-24"),
    ("2012W302", "2012-07-24"),
    ("2012-w30-2", "2012-07-24"),
    ("2012-W30-2T06:10:00Z", "2012-07-24T06:10:00+00:00"),
    ("2009-W01-1", "2008-12-29"),
    ("2012-206", "2012-07-24"),
    ("2012206", "2012-07-24"),
    ("2012-366", "2012-12-31"),
    ("2012-206T06:10Z", "2012-07-24T06:10:00+00:00"),
    ("2012-07-24 06:10:00 +0000", "2012-07-24T06:10:00+00:00"),
    ("2012-07-24 06:10:00 -05:00", "2012-07-24T06:10:00-05:00"),
    ("2012-07-24 06:10 EDT", "2012-07-24T06:10:00-04:00"),
    ("2012-07-24T06:10:00 EDT", "2012-07-24T06:10:00-04:00"),
    ("2012-07-24 6:10", "2012-07-24T06:10:00"),
    ("2012-07-24 06:10:00 UTC", "2012-07-24T06:10:00+00:00"),
    ("1900-01-01T00:00:00Z", "1900-01-01T00:00:00+00:00"),
    ("2012-07-24T06:10:00+02:00[Europe/Paris]", "2012-07-24T06:10:00+02:00"),
    ("2012-07-24T06:10:00Z[UTC]", "2012-07-24T06:10:00+00:00"),
    ("2012-07-24T06:10:00[Europe/Paris]", "ERR"),
    ("2099-12-31T23:59:59-14:00", "2099-12-31T23:59:59-14:00"),
    // Errors.
    ("2012-13-01", "ERR: expected a month from 1 to 12, but found 13 in \"2012-13-01\""),
    ("2012-00-10", "ERR"),
    ("2012-02-30", "ERR: expected a valid calendar date, but found 2012-02-30 in \"2012-02-30\""),
    ("2011-02-29", "ERR"),
    ("2012-07-32", "ERR"),
    ("2012-07", "ERR"),
    ("2012", "ERR"),
    ("2012-W30", "ERR"),
    ("2012-W54-1", "ERR"),
    ("2012-W30-8", "ERR"),
    ("2011-366", "ERR"),
    ("2012-07-24T25:00Z", "ERR"),
    ("2012-07-24T24:30Z", "ERR: expected no time after 24:00, but found 24:30:00 in \"2012-07-24T24:30Z\""),
    ("2012-07-24T06:10:00+16:00", "ERR"),
    ("2012-07-24T06:10:00+05:60", "ERR"),
    ("2012-07-24T06:10:00.Z", "2012-07-24T06:10:00+00:00"),
    ("2012-07-24T06:10:00Zjunk", "ERR"),
    ("2012-07-24Tjunk", "ERR"),
];

#[test]
fn iso8601() {
    check_table(&DateParser::new(), ISO);
}

#[rustfmt::skip]
const HUMAN_EN: &[(&str, &str)] = &[
    ("July 24th, 2012 at 6:10 am (UTC-5)", "2012-07-24T06:10:00-05:00"),
    ("Posted July 24th, 2012 at 6:10 am (UTC-5)", "2012-07-24T06:10:00-05:00"),
    ("July 24, 2012 6:10 AM EDT", "2012-07-24T06:10:00-04:00"),
    ("July 24, 2012 6:10 PM EDT", "2012-07-24T18:10:00-04:00"),
    ("24 July 2012, 06:10 GMT", "2012-07-24T06:10:00+00:00"),
    ("Tuesday 24 July 2012 11.10 BST", "2012-07-24T11:10:00+01:00"),
    ("Tue 24 Jul 2012 11.10 BST", "2012-07-24T11:10:00+01:00"),
    ("Jul. 24, 2012", "2012-07-24"),
    ("July 24 2012", "2012-07-24"),
    ("July 24, 2012", "2012-07-24"),
    ("24 July 2012", "2012-07-24"),
    ("24th July 2012", "2012-07-24"),
    ("the 24th of July, 2012", "2012-07-24"),
    ("1st July 2012", "2012-07-01"),
    ("July 2nd, 2012", "2012-07-02"),
    ("July 3rd, 2012", "2012-07-03"),
    ("2012 July 24", "2012-07-24"),
    ("2012-Jul-24", "2012-07-24"),
    ("July 24, 2012 at 6:10 p.m.", "2012-07-24T18:10:00"),
    ("July 24, 2012 at 6:10 a.m.", "2012-07-24T06:10:00"),
    ("July 24, 2012 at 6:10 a.m", "2012-07-24T06:10:00"),
    ("July 24, 2012 6:10pm", "2012-07-24T18:10:00"),
    ("July 24, 2012 6:10PM", "2012-07-24T18:10:00"),
    ("July 24, 2012 6:10p", "2012-07-24T18:10:00"),
    ("July 24, 2012 6pm", "2012-07-24T18:00:00"),
    ("July 24, 2012 6 pm", "2012-07-24T18:00:00"),
    ("July 24, 2012 6 p.m.", "2012-07-24T18:00:00"),
    ("July 24, 2012 12:30 am", "2012-07-24T00:30:00"),
    ("July 24, 2012 12:30 pm", "2012-07-24T12:30:00"),
    ("July 24, 2012 13:30 pm", "2012-07-24T13:30:00"),
    ("July 24, 2012 noon", "2012-07-24T12:00:00"),
    ("July 24, 2012 at noon", "2012-07-24T12:00:00"),
    ("July 24, 2012 12 noon", "2012-07-24T12:00:00"),
    ("July 24, 2012 midnight", "2012-07-24T00:00:00"),
    ("July 24, 2012 at midnight ET", "2012-07-24T00:00:00-04:00"),
    ("July 24, 2012 6:10pm ET", "2012-07-24T18:10:00-04:00"),
    ("January 24, 2012 6:10pm ET", "2012-01-24T18:10:00-05:00"),
    ("March 11, 2012 1:59 am ET", "2012-03-11T01:59:00-05:00"),
    ("March 11, 2012 3:00 am ET", "2012-03-11T03:00:00-04:00"),
    ("November 4, 2012 1:30 am ET", "2012-11-04T01:30:00-04:00"),
    ("November 4, 2012 2:30 am ET", "2012-11-04T02:30:00-05:00"),
    ("April 3, 2005 6:10 PM ET", "2005-04-03T18:10:00-04:00"),
    ("April 2, 2005 6:10 PM ET", "2005-04-02T18:10:00-05:00"),
    ("October 30, 2005 6:10 PM ET", "2005-10-30T18:10:00-05:00"),
    ("July 24, 1980 6:10 PM ET", "1980-07-24T18:10:00-04:00"),
    ("July 24, 1960 6:10 PM ET", "1960-07-24T18:10:00-05:00"),
    ("July 24, 2012 6:10pm CT", "2012-07-24T18:10:00-05:00"),
    ("July 24, 2012 6:10pm MT", "2012-07-24T18:10:00-06:00"),
    ("July 24, 2012 6:10pm PT", "2012-07-24T18:10:00-07:00"),
    ("December 24, 2012 6:10pm PT", "2012-12-24T18:10:00-08:00"),
    ("July 24, 2012 6:10 p.m. Eastern Time", "2012-07-24T18:10:00-04:00"),
    ("July 24, 2012 6:10 p.m. Pacific", "2012-07-24T18:10:00-07:00"),
    ("July 24, 2012, 6:10 a.m. EDT", "2012-07-24T06:10:00-04:00"),
    ("Updated: July 24, 2012 6:10 AM EDT", "2012-07-24T06:10:00-04:00"),
    ("Published on July 24, 2012", "2012-07-24"),
    ("on July 24, 2012.", "2012-07-24"),
    ("Last updated on July 24, 2012;", "2012-07-24"),
    ("July 24, 2012 @ 6:10 pm", "2012-07-24T18:10:00"),
    ("Jul 24 2012 06:10:00 (UTC+05:30)", "2012-07-24T06:10:00+05:30"),
    ("July 24, 2012 06:10 UTC+5:30", "2012-07-24T06:10:00+05:30"),
    ("July 24, 2012 06:10 GMT+2", "2012-07-24T06:10:00+02:00"),
    ("July 24, 2012 06:10 GMT-3", "2012-07-24T06:10:00-03:00"),
    ("July 24, 2012 06:10 UTC+530", "2012-07-24T06:10:00+05:30"),
    ("24 July 2012 06:10 CET", "2012-07-24T06:10:00+01:00"),
    ("24 July 2012 06:10 CEST", "2012-07-24T06:10:00+02:00"),
    ("24 July 2012 06:10 WET", "2012-07-24T06:10:00+00:00"),
    ("24 July 2012 06:10 WEST", "2012-07-24T06:10:00+01:00"),
    ("24 July 2012 06:10 EET", "2012-07-24T06:10:00+02:00"),
    ("24 July 2012 06:10 EEST", "2012-07-24T06:10:00+03:00"),
    ("24 July 2012 06:10 IST", "2012-07-24T06:10:00+05:30"),
    ("24 July 2012 06:10 JST", "2012-07-24T06:10:00+09:00"),
    ("24 July 2012 06:10 KST", "2012-07-24T06:10:00+09:00"),
    ("24 July 2012 06:10 HKT", "2012-07-24T06:10:00+08:00"),
    ("24 July 2012 06:10 SGT", "2012-07-24T06:10:00+08:00"),
    ("24 July 2012 06:10 AEST", "2012-07-24T06:10:00+10:00"),
    ("24 July 2012 06:10 AEDT", "2012-07-24T06:10:00+11:00"),
    ("24 July 2012 06:10 ACST", "2012-07-24T06:10:00+09:30"),
    ("24 July 2012 06:10 AWST", "2012-07-24T06:10:00+08:00"),
    ("24 July 2012 06:10 NZST", "2012-07-24T06:10:00+12:00"),
    ("24 July 2012 06:10 NZDT", "2012-07-24T06:10:00+13:00"),
    ("24 July 2012 06:10 MSK", "2012-07-24T06:10:00+03:00"),
    ("24 July 2012 06:10 MESZ", "2012-07-24T06:10:00+02:00"),
    ("24 July 2012 06:10 SAST", "2012-07-24T06:10:00+02:00"),
    ("24 July 2012 06:10 ist", "ERR"),
    ("24 July 2012 06:10 est", "ERR"),
    // Numeric dates.
    ("2012/07/24", "2012-07-24"),
    ("2012/7/24", "2012-07-24"),
    ("2012.07.24", "2012-07-24"),
    ("2012/07/24 06:10", "2012-07-24T06:10:00"),
    ("24/07/2012", "2012-07-24"),
    ("07/24/2012", "2012-07-24"),
    ("7/24/2012", "2012-07-24"),
    ("07/24/12", "2012-07-24"),
    ("24/07/12", "2012-07-24"),
    ("24-07-2012", "2012-07-24"),
    ("24.07.2012", "2012-07-24"),
    ("03.04.2012", "2012-04-03"),
    ("24.7.2012", "2012-07-24"),
    ("24.07.12", "2012-07-24"),
    ("07/07/2012", "2012-07-07"),
    ("24/07/2012 06:10", "2012-07-24T06:10:00"),
    ("07/24/2012 6:10 PM", "2012-07-24T18:10:00"),
    ("07/24/2012 6:10 PM EDT", "2012-07-24T18:10:00-04:00"),
    ("03/04/2012", "ERR: expected a day and month in an unambiguous order, but found \"03/04/2012\" in \"03/04/2012\""),
    ("03-04-2012", "ERR"),
    ("13/13/2012", "ERR"),
    ("24/07", "ERR"),
    ("1.2.3.4", "ERR"),
    // Errors and non-dates.
    ("24 Julyy 2012", "ERR: expected a month name or number, but found \"Julyy\" in \"24 Julyy 2012\""),
    ("July 2012", "ERR: expected a day of the month, but found end of input in \"July 2012\""),
    ("July 24", "ERR: expected a year, but found none in \"July 24\" (set fetched_at to infer it)"),
    ("30 February 2012", "ERR: expected a valid calendar date, but found 2012-02-30 in \"30 February 2012\""),
    ("29 February 2011", "ERR"),
    ("29 February 2012", "2012-02-29"),
    ("July 0, 2012", "ERR"),
    ("July 24, 2012 at the office", "ERR: expected a time or end of input, but found \"the\" in \"July 24, 2012 at the office\""),
    ("", "ERR: expected a date, but found an empty string"),
    ("   ", "ERR: expected a date, but found an empty string"),
    ("hello", "ERR: expected a date, but found \"hello\" in \"hello\""),
    ("...", "ERR: expected a date, but found \"...\" in \"...\""),
    ("Posted", "ERR"),
    ("6:10 pm", "ERR"),
    ("In 2012", "ERR"),
    ("3 hours ago", "ERR: expected an absolute date, but found the relative date \"3 hours ago\" and no fetched_at to resolve it"),
    ("yesterday", "ERR: expected an absolute date, but found the relative date \"yesterday\" and no fetched_at to resolve it"),
    ("24 July 2012 06:10 +2400", "ERR"),
];

#[test]
fn human_english() {
    check_table(&DateParser::new(), HUMAN_EN);
}

#[rustfmt::skip]
const OTHER_LANGUAGES: &[(&str, &str)] = &[
    // French.
    ("24 juillet 2012 à 06h10", "2012-07-24T06:10:00"),
    ("24 juillet 2012 a 06h10", "2012-07-24T06:10:00"),
    ("mardi 24 juillet 2012", "2012-07-24"),
    ("Mardi 24 Juillet 2012 à 18h10", "2012-07-24T18:10:00"),
    ("1er août 2012", "2012-08-01"),
    ("1er aout 2012", "2012-08-01"),
    ("12 février 2012", "2012-02-12"),
    ("12 fevrier 2012", "2012-02-12"),
    ("24 décembre 2012", "2012-12-24"),
    ("24 decembre 2012", "2012-12-24"),
    ("le 24 juillet 2012 à 12h30", "2012-07-24T12:30:00"),
    ("Publié le 24 juillet 2012 à 06h10", "2012-07-24T06:10:00"),
    ("Mis à jour le 24/07/2012 à 06:10", "2012-07-24T06:10:00"),
    ("24 juil. 2012", "2012-07-24"),
    ("mar. 24 juil. 2012", "2012-07-24"),
    ("mar, 24 de jul de 2012", "2012-07-24"),
    ("Mar 24, 2012", "2012-03-24"),
    ("Mar 24 – Jul 2, 2012", "ERR"),
    ("24 juillet 2012 à 06h", "2012-07-24T06:00:00"),
    ("24 juillet 2012 06 h 10", "ERR"),
    ("3 mars 2012", "2012-03-03"),
    ("24 juillet 2012 à midi", "2012-07-24T12:00:00"),
    // German.
    ("24. Juli 2012, 06:10 Uhr", "2012-07-24T06:10:00"),
    ("24. Jul. 2012", "2012-07-24"),
    ("Dienstag, 24. Juli 2012", "2012-07-24"),
    ("Dienstag, den 24. Juli 2012 um 06:10 Uhr", "2012-07-24T06:10:00"),
    ("am 24. Juli 2012", "2012-07-24"),
    ("3. März 2012", "2012-03-03"),
    ("3. Maerz 2012", "2012-03-03"),
    ("3. Marz 2012", "2012-03-03"),
    ("3. Mrz. 2012", "2012-03-03"),
    ("24. Dezember 2012", "2012-12-24"),
    ("24. Januar 2012", "2012-01-24"),
    ("24. Jänner 2012", "2012-01-24"),
    ("24. Oktober 2012", "2012-10-24"),
    ("24.07.2012 06:10", "2012-07-24T06:10:00"),
    ("24.07.2012, 06:10 Uhr", "2012-07-24T06:10:00"),
    ("24.07.2012 um 6 Uhr", "2012-07-24T06:00:00"),
    ("Di, 24.07.2012 06:10 MESZ", "2012-07-24T06:10:00+02:00"),
    ("Veröffentlicht am 24.07.2012", "2012-07-24"),
    // Spanish.
    ("24 de julio de 2012, 06:10", "2012-07-24T06:10:00"),
    ("martes, 24 de julio de 2012", "2012-07-24"),
    ("martes 24 de julio de 2012 a las 18:10", "2012-07-24T18:10:00"),
    ("24 de julio de 2012 a las 6:10 de la tarde", "2012-07-24T18:10:00"),
    ("24 de julio de 2012 a las 6:10 de la mañana", "2012-07-24T06:10:00"),
    ("24 de septiembre de 2012", "2012-09-24"),
    ("24 de setiembre de 2012", "2012-09-24"),
    ("24 de enero de 2012", "2012-01-24"),
    ("24 de diciembre del 2012", "2012-12-24"),
    ("24 de agosto de 2012", "2012-08-24"),
    ("24 ago 2012", "2012-08-24"),
    ("miércoles, 25 de julio de 2012", "2012-07-25"),
    ("sábado, 28 de julio de 2012", "2012-07-28"),
    ("24/07/2012 06:10 h", "2012-07-24T06:10:00"),
    // Portuguese.
    ("24 de julho de 2012 às 06h10", "2012-07-24T06:10:00"),
    ("24 de julho de 2012 as 06h10", "2012-07-24T06:10:00"),
    ("24/07/2012 06h10", "2012-07-24T06:10:00"),
    ("terça-feira, 24 de julho de 2012", "2012-07-24"),
    ("24 de março de 2012", "2012-03-24"),
    ("24 de marco de 2012", "2012-03-24"),
    ("24 de fevereiro de 2012", "2012-02-24"),
    ("24 de outubro de 2012", "2012-10-24"),
    ("24 de dezembro de 2012", "2012-12-24"),
    ("24 out 2012", "2012-10-24"),
    // Italian.
    ("24 luglio 2012 ore 06:10", "2012-07-24T06:10:00"),
    ("martedì 24 luglio 2012", "2012-07-24"),
    ("24 luglio 2012 alle 06:10", "2012-07-24T06:10:00"),
    ("24 gennaio 2012", "2012-01-24"),
    ("24 maggio 2012", "2012-05-24"),
    ("24 giugno 2012", "2012-06-24"),
    ("24 settembre 2012", "2012-09-24"),
    ("24 ottobre 2012", "2012-10-24"),
    ("24 dicembre 2012", "2012-12-24"),
    ("24 lug 2012", "2012-07-24"),
    // Dutch.
    ("24 juli 2012 om 06:10", "2012-07-24T06:10:00"),
    ("dinsdag 24 juli 2012", "2012-07-24"),
    ("24 maart 2012", "2012-03-24"),
    ("24 mei 2012", "2012-05-24"),
    ("24 augustus 2012", "2012-08-24"),
    ("24 oktober 2012", "2012-10-24"),
    ("24 mrt 2012", "2012-03-24"),
    ("24 juli 2012 06:10 uur", "2012-07-24T06:10:00"),
    // Russian.
    ("24 июля 2012 г., 06:10", "2012-07-24T06:10:00"),
    ("24 июля 2012 года", "2012-07-24"),
    ("24 июля 2012 года в 06:10", "2012-07-24T06:10:00"),
    ("вторник, 24 июля 2012", "2012-07-24"),
    ("24 ИЮЛЯ 2012", "2012-07-24"),
    ("1 января 2012", "2012-01-01"),
    ("8 марта 2012", "2012-03-08"),
    ("9 мая 2012", "2012-05-09"),
    ("1 сентября 2012", "2012-09-01"),
    ("31 декабря 2012", "2012-12-31"),
    ("24 июль 2012", "2012-07-24"),
    ("24 авг. 2012", "2012-08-24"),
    // Chinese, Japanese, Korean.
    ("2012年7月24日 06:10", "2012-07-24T06:10:00"),
    ("2012年07月24日", "2012-07-24"),
    ("2012年7月24日", "2012-07-24"),
    ("2012年7月24日 6時10分", "2012-07-24T06:10:00"),
    ("2012年7月24日 6時10分30秒", "2012-07-24T06:10:30"),
    ("2012年7月24日 6時", "2012-07-24T06:00:00"),
    ("2012年7月24日(火) 06:10", "2012-07-24T06:10:00"),
    ("2012年7月24日（火）06:10", "2012-07-24T06:10:00"),
    ("2012年7月24日 星期二", "2012-07-24"),
    ("2012年7月24日 下午6:10", "2012-07-24T18:10:00"),
    ("2012年7月24日 午後6時10分", "2012-07-24T18:10:00"),
    ("2012年7月24日 6点10分", "2012-07-24T06:10:00"),
    ("2012年7月24号", "2012-07-24"),
    ("2012년 7월 24일", "2012-07-24"),
    ("2012년 7월 24일 오후 6:10", "2012-07-24T18:10:00"),
    ("2012年13月24日", "ERR"),
    // Polish, Turkish, Swedish.
    ("24 lipca 2012", "2012-07-24"),
    ("24 lipca 2012 r.", "2012-07-24"),
    ("24 lipca 2012 roku o godz. 06:10", "2012-07-24T06:10:00"),
    ("1 października 2012", "2012-10-01"),
    ("24 września 2012", "2012-09-24"),
    ("24 Temmuz 2012", "2012-07-24"),
    ("24 Ağustos 2012", "2012-08-24"),
    ("24 Şubat 2012", "2012-02-24"),
    ("24 Temmuz 2012 Salı 06:10", "2012-07-24T06:10:00"),
    ("24 juli 2012 kl. 06:10", "2012-07-24T06:10:00"),
    ("tisdag 24 juli 2012", "2012-07-24"),
    ("den 24 augusti 2012", "2012-08-24"),
    ("24 mars 2012", "2012-03-24"),
];

#[test]
fn other_languages() {
    check_table(&DateParser::new(), OTHER_LANGUAGES);
}

#[rustfmt::skip]
const RELATIVE: &[(&str, &str)] = &[
    ("3 hours ago", "2012-07-24T09:00:00+00:00"),
    ("an hour ago", "2012-07-24T11:00:00+00:00"),
    ("1 hour ago", "2012-07-24T11:00:00+00:00"),
    ("5 minutes ago", "2012-07-24T11:55:00+00:00"),
    ("5 mins ago", "2012-07-24T11:55:00+00:00"),
    ("5 min ago", "2012-07-24T11:55:00+00:00"),
    ("a minute ago", "2012-07-24T11:59:00+00:00"),
    ("30 seconds ago", "2012-07-24T11:59:30+00:00"),
    ("3h ago", "2012-07-24T09:00:00+00:00"),
    ("Posted 3 hours ago", "2012-07-24T09:00:00+00:00"),
    ("2 days ago", "2012-07-22"),
    ("a day ago", "2012-07-23"),
    ("1 week ago", "2012-07-17"),
    ("2 weeks ago", "2012-07-10"),
    ("a month ago", "2012-06-24"),
    ("2 years ago", "2010-07-24"),
    ("il y a 3 heures", "2012-07-24T09:00:00+00:00"),
    ("il y a une heure", "2012-07-24T11:00:00+00:00"),
    ("il y a 2 jours", "2012-07-22"),
    ("vor 3 Stunden", "2012-07-24T09:00:00+00:00"),
    ("vor einer Stunde", "2012-07-24T11:00:00+00:00"),
    ("vor 2 Tagen", "2012-07-22"),
    ("hace 3 horas", "2012-07-24T09:00:00+00:00"),
    ("hace 2 días", "2012-07-22"),
    ("há 3 horas", "2012-07-24T09:00:00+00:00"),
    ("3 ore fa", "2012-07-24T09:00:00+00:00"),
    ("3 uur geleden", "2012-07-24T09:00:00+00:00"),
    ("3 часа назад", "2012-07-24T09:00:00+00:00"),
    ("5 минут назад", "2012-07-24T11:55:00+00:00"),
    ("3 timmar sedan", "2012-07-24T09:00:00+00:00"),
    ("3 godziny temu", "2012-07-24T09:00:00+00:00"),
    ("3 saat önce", "2012-07-24T09:00:00+00:00"),
    ("today", "2012-07-24"),
    ("Today", "2012-07-24"),
    ("yesterday", "2012-07-23"),
    ("Yesterday at 6:10 pm", "2012-07-23T18:10:00"),
    ("today 10:30", "2012-07-24T10:30:00"),
    ("today, 10:30 EDT", "2012-07-24T10:30:00-04:00"),
    ("aujourd'hui à 10h30", "2012-07-24T10:30:00"),
    ("hier à 10h30", "2012-07-23T10:30:00"),
    ("heute, 10:30 Uhr", "2012-07-24T10:30:00"),
    ("gestern, 10:30 Uhr", "2012-07-23T10:30:00"),
    ("ayer a las 10:30", "2012-07-23T10:30:00"),
    ("ontem às 10h30", "2012-07-23T10:30:00"),
    ("ieri alle 10:30", "2012-07-23T10:30:00"),
    ("gisteren om 10:30", "2012-07-23T10:30:00"),
    ("вчера в 10:30", "2012-07-23T10:30:00"),
    ("昨天 10:30", "2012-07-23T10:30:00"),
    ("vorgestern", "2012-07-22"),
    // Year-less dates take the most recent year (with a day of slack).
    ("24 July", "2012-07-24"),
    ("July 25", "2012-07-25"),
    ("July 26", "2011-07-26"),
    ("24 July 06:10", "2012-07-24T06:10:00"),
    ("Dec 31", "2011-12-31"),
    ("Jan 1", "2012-01-01"),
    ("Feb 29", "2012-02-29"),
    ("24 de julio", "2012-07-24"),
    ("24. Juli, 06:10 Uhr", "2012-07-24T06:10:00"),
    ("7月24日 06:10", "2012-07-24T06:10:00"),
    // Absolute dates are unaffected.
    ("Tue, 24 Jul 2012 06:10:00 -0500", "2012-07-24T06:10:00-05:00"),
    ("2 ago 2012", "2012-08-02"),
    ("3 hours", "ERR"),
    ("ago", "ERR"),
    ("3 hours ago ago", "ERR"),
];

#[test]
fn relative_with_fetched_at() {
    check_table(&DateParser::new().fetched_at(fetched()), RELATIVE);
}

#[test]
fn numeric_order_knob() {
    let day_first = DateParser::new().numeric_order(NumericOrder::DayFirst);
    check_table(
        &day_first,
        &[
            ("03/04/2012", "2012-04-03"),
            ("07/24/2012", "2012-07-24"),
            ("03-04-12", "2012-04-03"),
        ],
    );
    let month_first = DateParser::new().numeric_order(NumericOrder::MonthFirst);
    check_table(
        &month_first,
        &[
            ("03/04/2012", "2012-03-04"),
            ("24/07/2012", "2012-07-24"),
            ("03.04.2012", "2012-04-03"),
        ],
    );
}

/// `(text, expected time or "NONE", expected span text)`.
#[rustfmt::skip]
const FIND: &[(&str, &str, &str)] = &[
    ("Posted July 24th, 2012 at 6:10 am (UTC-5) | Leave a comment", "2012-07-24T06:10:00-05:00", "July 24th, 2012 at 6:10 am (UTC-5)"),
    ("By Jane Doe, July 24, 2012 6:10 AM EDT. The story", "2012-07-24T06:10:00-04:00", "July 24, 2012 6:10 AM EDT"),
    ("Last modified: 2012-07-24T06:10:00Z by admin", "2012-07-24T06:10:00+00:00", "2012-07-24T06:10:00Z"),
    ("updated 2012-07-24 06:10:00 +0000, see", "2012-07-24T06:10:00+00:00", "2012-07-24 06:10:00 +0000"),
    ("Tuesday 24 July 2012 11.10 BST Share this", "2012-07-24T11:10:00+01:00", "Tuesday 24 July 2012 11.10 BST"),
    ("Le mardi 24 juillet 2012 à 06h10, le ministre", "2012-07-24T06:10:00", "mardi 24 juillet 2012 à 06h10"),
    ("In 2012, 24 people were hired on July 24, 2012.", "2012-07-24", "July 24, 2012"),
    ("In 2012, the company grew.", "NONE", ""),
    ("Call 555-1234 or 2012 now", "NONE", ""),
    ("Version 1.2.3 released", "NONE", ""),
    ("Score: 3:2 at half time on 24 July", "NONE", ""),
    ("Meeting on 03/04/2012 at noon", "NONE", ""),
    ("Meeting on 24/07/2012 at noon", "2012-07-24T12:00:00", "24/07/2012 at noon"),
    ("id 20120724 and more", "NONE", ""),
    ("stamp 20120724T061000Z ok", "2012-07-24T06:10:00+00:00", "20120724T061000Z"),
    ("See page 24 of the July 2012 report", "NONE", ""),
    ("A380 July 24 2012", "2012-07-24", "July 24 2012"),
    ("« Publié le 24 juillet 2012 »", "2012-07-24", "24 juillet 2012"),
    ("日期：2012年7月24日 06:10 来源", "2012-07-24T06:10:00", "2012年7月24日 06:10"),
    ("no date here at all", "NONE", ""),
    ("", "NONE", ""),
    ("May I say something about March?", "NONE", ""),
    ("This is a test. Sun is out. Jul 24, 2012", "2012-07-24", "Jul 24, 2012"),
    ("Posted at 6:10 pm", "NONE", ""),
    ("Posted 3 hours ago", "NONE", ""),
    ("Posted yesterday", "NONE", ""),
];

#[test]
fn find_in_running_text() {
    let parser = DateParser::new();
    let mut failures = Vec::new();
    for (text, expect, span_text) in FIND {
        let found = parser.find(text);
        let (got, got_span) = match &found {
            Some(f) => (f.time.to_string(), &text[f.span.clone()]),
            None => ("NONE".to_owned(), ""),
        };
        if got != *expect || got_span != *span_text {
            failures.push(format!(
                "{text:?}\n   expected {expect} at {span_text:?}\n        got {got} at {got_span:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} find cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn find_with_fetched_at() {
    let parser = DateParser::new().fetched_at(fetched());
    let cases = [
        (
            "Posted 3 hours ago | Share",
            "2012-07-24T09:00:00+00:00",
            "3 hours ago",
        ),
        (
            "Posted yesterday at 6:10 pm by",
            "2012-07-23T18:10:00",
            "yesterday at 6:10 pm",
        ),
        ("Posted yesterday by admin", "NONE", ""),
        (
            "Updated 24 July 06:10 GMT",
            "2012-07-24T06:10:00+00:00",
            "24 July 06:10 GMT",
        ),
        ("on 24 July we met", "NONE", ""),
        ("Ik ben hier om te helpen", "NONE", ""),
    ];
    for (text, expect, span_text) in cases {
        let found = parser.find(text);
        let got = found
            .as_ref()
            .map_or("NONE".to_owned(), |f| f.time.to_string());
        let got_span = found.as_ref().map_or("", |f| &text[f.span.clone()]);
        assert_eq!((got.as_str(), got_span), (expect, span_text), "{text:?}");
    }
}

#[test]
fn find_looks_only_at_the_first_bytes() {
    let mut text = "x ".repeat(FIND_LIMIT / 2);
    text.push_str("July 24, 2012");
    assert_eq!(DateParser::new().find(&text), None);
    let text = format!("{}July 24, 2012", "é ".repeat(100));
    let found = DateParser::new().find(&text).unwrap();
    assert_eq!(found.span, 300..text.len());
}

#[test]
fn parse_date_is_the_default_parser() {
    assert_eq!(parse_date("2012-07-24").unwrap().to_string(), "2012-07-24");
}

#[test]
fn long_input_is_rejected() {
    let long = "1".repeat(PARSE_LIMIT + 1);
    assert_eq!(
        DateParser::new().parse(&long).unwrap_err().to_string(),
        format!(
            "expected a date of at most {PARSE_LIMIT} bytes, but found {} bytes",
            PARSE_LIMIT + 1
        )
    );
}

#[test]
fn error_send_and_sync() {
    fn assert_traits<T: Send + Sync + 'static + std::error::Error>() {}
    assert_traits::<DateError>();
}

/// Valid times in our proptest range: years 1900..2100, offsets on whole minutes within ±14 h.
fn arb_datetime() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (
        1900i32..2100,
        1u32..=366,
        0u32..86_400,
        0u32..1_000_000_000,
        -14 * 60..=14 * 60i32,
    )
        .prop_filter_map("valid", |(year, ordinal, secs, nano, offset_minutes)| {
            let date = chrono::NaiveDate::from_yo_opt(year, ordinal)?;
            let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(secs, nano)?;
            let offset = FixedOffset::east_opt(offset_minutes * 60)?;
            offset.from_local_datetime(&date.and_time(time)).single()
        })
}

fn assert_same(input: &str, expected: DateTime<FixedOffset>) -> Result<(), TestCaseError> {
    match DateParser::new().parse(input) {
        Ok(StatedTime::Zoned(t)) => {
            prop_assert_eq!(t, expected, "instant of {}", input);
            prop_assert_eq!(t.offset(), expected.offset(), "offset of {}", input);
            Ok(())
        }
        other => Err(TestCaseError::fail(format!("{input:?} gave {other:?}"))),
    }
}

proptest! {
    // Failures become table cases instead of a regressions file.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn round_trips_rfc2822_rfc3339_and_iso_basic(t in arb_datetime()) {
        let whole = t.with_nanosecond(0).unwrap();
        assert_same(&whole.to_rfc2822(), whole)?;
        assert_same(&t.to_rfc3339(), t)?;
        assert_same(&whole.format("%Y%m%dT%H%M%S%z").to_string(), whole)?;
        assert_same(&whole.format("%Y-%m-%d %H:%M:%S %z").to_string(), whole)?;
        assert_same(&whole.format("%a, %d %b %Y %H:%M:%S %:z").to_string(), whole)?;
        let found = DateParser::new().find(&format!("Posted {} | more", whole.to_rfc2822())).unwrap();
        prop_assert_eq!(found.time, StatedTime::Zoned(whole));
    }

    #[test]
    fn never_panics_on_arbitrary_strings(s in "\\PC{0,80}") {
        let parser = DateParser::new().fetched_at(fetched());
        let _ = parser.parse(&s);
        if let Some(found) = parser.find(&s) {
            prop_assert!(s.is_char_boundary(found.span.start) && s.is_char_boundary(found.span.end));
            prop_assert!(found.span.start < found.span.end);
        }
    }

    #[test]
    fn never_panics_on_date_like_strings(s in "[0-9A-Za-z :.,/+\\-()年月日時분é]{0,40}") {
        let parser = DateParser::new().fetched_at(fetched());
        let _ = parser.parse(&s);
        if let Some(found) = parser.find(&s) {
            prop_assert!(s.is_char_boundary(found.span.start) && s.is_char_boundary(found.span.end));
        }
    }
}

#[test]
fn case_count_is_at_least_300() {
    let n = RFC2822.len()
        + ISO.len()
        + HUMAN_EN.len()
        + OTHER_LANGUAGES.len()
        + RELATIVE.len()
        + FIND.len();
    assert!(n >= 300, "only {n} table cases");
}

/// Inputs built to make a naive scanner quadratic; each must finish quickly (the test's run time shows it).
/// Regression: failed candidates used to copy the whole text into their error, which made `find` on
/// "2012-2012-2012-..." take 30 s.
#[test]
fn find_stays_linear_on_adversarial_text() {
    let parser = DateParser::new().fetched_at(fetched());
    let patterns = [
        "24 July ",
        "1:1:",
        "2012-",
        "12/",
        "1.",
        ", ",
        "mar ",
        "de ",
        "Tue, 24 Jul 2012 06:10:00 (",
        "3 hours ",
        "2012年",
        "9",
        "é",
    ];
    for pattern in patterns {
        let text = pattern.repeat(2 * FIND_LIMIT / pattern.len());
        let _ = parser.find(&text);
        let _ = parser.parse(truncate(&text, PARSE_LIMIT));
    }
}
