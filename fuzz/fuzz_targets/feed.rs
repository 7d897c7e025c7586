//! Fuzzes the feed parser: any bytes, with or without a declared charset, must parse or fail cleanly, never
//! panic, hang or blow the stack; streaming the same bytes (`parse_each`) must hand over as many entries as
//! collecting returns, and fail alike. Collecting makes the entries' body blocks too, so that path is fuzzed.

#![no_main]

use libfuzzer_sys::fuzz_target;
use newswire_ingest::feed::FeedParser;

fuzz_target!(|data: &[u8]| {
    let base = url::Url::parse("https://example.com/feeds/main.xml").unwrap();
    // The first byte picks a declared charset, so header-driven decoding is fuzzed too.
    let (content_type, body) = match data.split_first() {
        Some((b'1', rest)) => (Some("application/rss+xml; charset=iso-8859-1"), rest),
        Some((b'2', rest)) => (Some("application/xml; charset=utf-16"), rest),
        Some((b'3', rest)) => (Some("application/xml; charset=shift_jis"), rest),
        _ => (None, data),
    };
    let collected = FeedParser::new()
        .body_blocks(true)
        .parse(body, &base, content_type);
    let mut streamed = 0usize;
    let head = FeedParser::new().parse_each(body, &base, content_type, |_| streamed += 1);
    match (&collected, &head) {
        (Ok(feed), Ok(head)) => {
            assert_eq!(feed.entries.len(), streamed);
            assert!(head.entries.is_empty());
            assert_eq!(feed.warnings, head.warnings);
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("collecting and streaming disagree: {collected:?} / {head:?}"),
    }
    if let Ok(feed) = collected {
        for entry in &feed.entries {
            if let Some(link) = &entry.link {
                assert!(!link.is_empty());
            }
        }
    }
});
