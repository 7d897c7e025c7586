//! Fuzzes article extraction: any bytes give a `Page` (possibly empty, with warnings), never a panic, a hang or
//! a stack overflow.

#![no_main]

use libfuzzer_sys::fuzz_target;
use newswire_ingest::extract::extract_page;

fuzz_target!(|data: &[u8]| {
    let url = url::Url::parse("https://example.com/2012/07/24/story.html").unwrap();
    let page = extract_page(data, &url, None);
    assert_eq!(page.url, url.as_str());
});
