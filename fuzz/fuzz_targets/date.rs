//! Fuzzes the date parser: `parse` and `find` on arbitrary bytes (as lossy UTF-8) must never panic, and a found
//! span must lie on char boundaries.

#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use newswire_normalize::date::DateParser;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let fetched_at = Utc.with_ymd_and_hms(2012, 7, 24, 12, 0, 0).unwrap();
    let parser = DateParser::new().fetched_at(fetched_at);
    let _ = parser.parse(&text);
    if let Some(found) = parser.find(&text) {
        assert!(found.span.start < found.span.end);
        assert!(text.is_char_boundary(found.span.start) && text.is_char_boundary(found.span.end));
    }
});
