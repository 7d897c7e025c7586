//! Feed parsing throughput over 30 MB feeds built from `fixtures/`, beside two baselines in the same run:
//! the `feed-rs` crate on the same bytes, and a loop that only tokenizes the XML with quick-xml (the practical
//! ceiling for any parser built on it; for JSON Feed the ceiling is `serde_json` into a `Value`).
//!
//! Run with `cargo bench --manifest-path benches/feedbench/Cargo.toml` (or `cargo xtask bench feeds`).
//!
//! Before criterion starts, each parser's peak heap during one parse of each feed is measured with a
//! counting allocator and printed as a multiple of the input size: the heap the parse itself allocates
//! (its output included, the input excluded), and the same plus the input, which is what a caller holding the
//! bytes and the parsed feed has at the peak. The allocator counts only during those measurements, so the
//! timed runs pay nothing for it beyond one relaxed load per allocation. `newswire` parses as
//! `FeedParser::new()` does, without the entries' body blocks; `newswire-body-blocks` makes them too
//! (`FeedParser::body_blocks(true)`). `newswire-streaming` is the same
//! parser through `FeedParser::parse_each`, each entry dropped as soon as it is handed over: its peak is what
//! a consumer that stores entries one at a time pays.
//!
//! The inputs:
//! - RSS 2.0: the channel of `fixtures/site/blogs.voa.example/feed.xml` with its items repeated (each copy
//!   with its own `guid` and `link`) until the document reaches 30 MB;
//! - Atom 1.0: the same with `fixtures/site/wire.example/atom.xml` and its entries (`id`, `link`);
//! - JSON Feed 1.1: the RSS feed's items as our parser reads them (title, link, date, author, tags, summary
//!   and content HTML), written as JSON Feed items and repeated the same way.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use url::Url;

/// Counts the change in live heap bytes and its high-water mark while [`COUNTING`] is on.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
/// Live bytes allocated since counting started, less those freed (negative if older blocks were freed).
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn count(delta: isize) {
    let live = LIVE.fetch_add(delta, Ordering::Relaxed) + delta;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() && COUNTING.load(Ordering::Relaxed) {
            count(layout.size() as isize);
        }
        ptr
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        if COUNTING.load(Ordering::Relaxed) {
            count(-(layout.size() as isize));
        }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() && COUNTING.load(Ordering::Relaxed) {
            count(new_size as isize - layout.size() as isize);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Size of each generated feed.
const TARGET: usize = 30 * 1024 * 1024;

/// A document of the fixture site and the URL it stands for (`fixtures/site/<host>/<path>` is
/// `https://<host>/<path>`), so that relative links resolve as they would for the real feed.
fn fixture(site_path: &str) -> (Url, String) {
    let path =
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/site")).join(site_path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (Url::parse(&format!("https://{site_path}")).unwrap(), text)
}

/// Repeats the `<{tag}>...</{tag}>` elements of `doc` until the document is `TARGET` bytes, giving each copy
/// its own identity by suffixing the text of every `<{id}>` element (and `href` of `link` for Atom).
fn grow_xml(doc: &str, tag: &str, ids: &[&str]) -> Vec<u8> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let first = doc.find(&open).expect("an item to repeat");
    let last = doc.rfind(&close).expect("an item to repeat") + close.len();
    let (head, items, tail) = (&doc[..first], &doc[first..last], &doc[last..]);
    let mut out = String::with_capacity(TARGET + items.len() + head.len() + tail.len());
    out.push_str(head);
    let mut copy = 0usize;
    while out.len() + tail.len() < TARGET {
        let mut items = items.to_owned();
        for id in ids {
            let (start, end) = (format!("<{id}>"), format!("</{id}>"));
            items = items.replace(&end, &format!("#{copy}{end}"));
            let _ = start;
        }
        items = items.replace(".html\"", &format!(".html?copy={copy}\""));
        out.push_str(&items);
        copy += 1;
    }
    out.push_str(tail);
    out.into_bytes()
}

fn rss() -> (Url, Vec<u8>) {
    let (url, text) = fixture("blogs.voa.example/feed.xml");
    (url, grow_xml(&text, "item", &["guid", "link"]))
}

fn atom() -> (Url, Vec<u8>) {
    let (url, text) = fixture("wire.example/atom.xml");
    (url, grow_xml(&text, "entry", &["id"]))
}

fn json_feed() -> (Url, Vec<u8>) {
    let (url, text) = fixture("blogs.voa.example/feed.xml");
    let feed = newswire_ingest::feed::parse_feed(text.as_bytes(), &url, None).unwrap();
    let items: Vec<serde_json::Value> = feed
        .entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "id": e.guid,
                "url": e.link,
                "title": e.title,
                "date_published": e.published,
                "authors": e.authors.iter().map(|a| serde_json::json!({"name": a.name})).collect::<Vec<_>>(),
                "tags": e.categories.iter().map(|c| &c.term).collect::<Vec<_>>(),
                "summary": e.summary_html,
                "content_html": e.content_html,
            })
        })
        .collect();
    let one = serde_json::to_string(&items).unwrap();
    let one = &one[1..one.len() - 1];
    let mut body = String::with_capacity(TARGET + one.len());
    body.push_str(r#"{"version":"https://jsonfeed.org/version/1.1","title":"Far Horizons News Blog","home_page_url":"https://blogs.voa.example/","items":["#);
    let mut copy = 0usize;
    while body.len() < TARGET {
        if copy > 0 {
            body.push(',');
        }
        body.push_str(&one.replace("\",\"url\"", &format!("#{copy}\",\"url\"")));
        copy += 1;
    }
    body.push_str("]}");
    (url, body.into_bytes())
}

fn ours(bytes: &[u8], base: &Url) -> usize {
    let feed = newswire_ingest::feed::FeedParser::new()
        .max_entries(usize::MAX)
        .parse(bytes, base, None)
        .expect("our parser reads the feed");
    feed.entries.len()
}

/// Our collecting parse with each entry's body blocks made too (`FeedParser::body_blocks`, off by default).
fn ours_with_blocks(bytes: &[u8], base: &Url) -> usize {
    let feed = newswire_ingest::feed::FeedParser::new()
        .max_entries(usize::MAX)
        .body_blocks(true)
        .parse(bytes, base, None)
        .expect("our parser reads the feed");
    feed.entries.len()
}

/// Our streaming parse: each entry is handed over as soon as it is read and dropped by the caller, as a
/// consumer that stores entries one at a time would.
fn ours_streaming(bytes: &[u8], base: &Url) -> usize {
    let mut entries = 0;
    newswire_ingest::feed::FeedParser::new()
        .max_entries(usize::MAX)
        .parse_each(bytes, base, None, |entry| {
            std::hint::black_box(&entry);
            entries += 1;
        })
        .expect("our parser reads the feed");
    entries
}

fn feed_rs(bytes: &[u8]) -> usize {
    feed_rs::parser::parse(bytes)
        .expect("feed-rs reads the feed")
        .entries
        .len()
}

/// Tokenizes the XML and touches every event; no unescaping, no tree, no output.
fn tokenize(bytes: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut events = 0usize;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return events,
            Ok(event) => events += std::hint::black_box(&event).len(),
            Err(e) => panic!("quick-xml: {e}"),
        }
    }
}

fn json_value(bytes: &[u8]) -> usize {
    let value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    value["items"].as_array().map_or(0, Vec::len)
}

/// Peak heap allocated while `f` runs, beyond what was live before it (the result is dropped inside `f`, so
/// the peak is reached with the output still alive).
fn peak_heap(f: impl FnOnce() -> usize) -> usize {
    LIVE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    std::hint::black_box(f());
    COUNTING.store(false, Ordering::Relaxed);
    PEAK.load(Ordering::Relaxed).max(0) as usize
}

fn bench(c: &mut Criterion) {
    let inputs = [("rss2", rss()), ("atom", atom()), ("jsonfeed", json_feed())];
    for (name, (url, bytes)) in &inputs {
        let mb = bytes.len() as f64 / 1e6;
        let entries = ours(bytes, url);
        assert_eq!(
            entries,
            feed_rs(bytes),
            "{name}: both parsers see every entry"
        );
        assert_eq!(
            entries,
            ours_streaming(bytes, url),
            "{name}: streaming sees every entry"
        );
        let our_peak = peak_heap(|| ours(bytes, url)) as f64 / bytes.len() as f64;
        let blocks_peak = peak_heap(|| ours_with_blocks(bytes, url)) as f64 / bytes.len() as f64;
        let streaming_bytes = peak_heap(|| ours_streaming(bytes, url));
        let streaming_peak = streaming_bytes as f64 / bytes.len() as f64;
        let their_peak = peak_heap(|| feed_rs(bytes)) as f64 / bytes.len() as f64;
        println!(
            "{name}: {mb:.1} MB, {entries} entries; peak heap during one parse, as a multiple of the input: \
             newswire {our_peak:.2}x ({:.2}x with the input), with body blocks {blocks_peak:.2}x ({:.2}x), \
             newswire streaming {streaming_peak:.4}x ({:.4}x with the input; {:.1} KiB), feed-rs {their_peak:.2}x \
             ({:.2}x with the input)",
            our_peak + 1.0,
            blocks_peak + 1.0,
            streaming_peak + 1.0,
            streaming_bytes as f64 / 1024.0,
            their_peak + 1.0,
        );
    }
    let mut group = c.benchmark_group("feed-30MB");
    group.sample_size(10);
    for (name, (url, bytes)) in &inputs {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::new("newswire", name), bytes, |b, bytes| {
            b.iter(|| ours(bytes, url))
        });
        group.bench_with_input(
            BenchmarkId::new("newswire-body-blocks", name),
            bytes,
            |b, bytes| b.iter(|| ours_with_blocks(bytes, url)),
        );
        group.bench_with_input(
            BenchmarkId::new("newswire-streaming", name),
            bytes,
            |b, bytes| b.iter(|| ours_streaming(bytes, url)),
        );
        group.bench_with_input(BenchmarkId::new("feed-rs", name), bytes, |b, bytes| {
            b.iter(|| feed_rs(bytes))
        });
        if *name == "jsonfeed" {
            group.bench_with_input(
                BenchmarkId::new("serde_json-value", name),
                bytes,
                |b, bytes| b.iter(|| json_value(bytes)),
            );
        } else {
            group.bench_with_input(
                BenchmarkId::new("quick-xml-tokenize", name),
                bytes,
                |b, bytes| b.iter(|| tokenize(bytes)),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
