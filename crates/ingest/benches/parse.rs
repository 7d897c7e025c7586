//! Throughput of feed parsing and article extraction over the fixture corpus. Run with `cargo xtask bench`
//! (or `cargo bench -p newswire-ingest`); inputs come from `fixtures/`, never the network.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use url::Url;

fn fixtures() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures"))
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn load(ext: &str, dirs: &[&str]) -> Vec<(Url, Vec<u8>)> {
    let mut paths = Vec::new();
    for dir in dirs {
        files(&fixtures().join(dir), ext, &mut paths);
    }
    paths.sort();
    paths
        .into_iter()
        .filter(|p| !p.to_string_lossy().contains("broken.example"))
        .map(|p| (Url::from_file_path(&p).unwrap(), std::fs::read(&p).unwrap()))
        .collect()
}

/// A large, realistic RSS 2.0 feed: 500 items with CDATA content and the common namespaces.
fn synthetic_feed() -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Desk</title><link>https://example.com/</link><description>News</description>"#,
    );
    for idx in 0..500 {
        xml.push_str(&format!(
            "<item><title>Story number {idx} &amp; more</title><link>/2012/07/24/story-{idx}/</link>\
             <guid isPermaLink=\"false\">https://example.com/?p={idx}</guid><pubDate>Tue, 24 Jul 2012 11:10:00 +0000</pubDate>\
             <dc:creator><![CDATA[Jane Doe]]></dc:creator><category>World</category>\
             <description><![CDATA[<p>A short teaser for story {idx}, with a <a href=\"/x\">link</a>.</p>]]></description>\
             <content:encoded><![CDATA[{}]]></content:encoded></item>",
            "<p>Officials met on Tuesday to discuss the matter at length, and said they would meet again.</p>".repeat(8)
        ));
    }
    xml.push_str("</channel></rss>");
    xml.into_bytes()
}

fn bench_feeds(c: &mut Criterion) {
    let feeds = load("xml", &["site", "feeds"]);
    let total: usize = feeds.iter().map(|(_, b)| b.len()).sum();
    let mut group = c.benchmark_group("feed");
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function(format!("fixtures ({} feeds)", feeds.len()), |b| {
        b.iter(|| {
            for (url, bytes) in &feeds {
                let _ = std::hint::black_box(newswire_ingest::feed::parse_feed(bytes, url, None));
            }
        })
    });
    let big = synthetic_feed();
    let base = Url::parse("https://example.com/feed/").unwrap();
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function("rss2 500 items", |b| {
        b.iter(|| std::hint::black_box(newswire_ingest::feed::parse_feed(&big, &base, None)))
    });
    group.finish();
}

fn bench_extract(c: &mut Criterion) {
    let pages = load("html", &["site", "eval/pages"]);
    let total: usize = pages.iter().map(|(_, b)| b.len()).sum();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function(format!("fixtures ({} pages)", pages.len()), |b| {
        b.iter(|| {
            for (url, bytes) in &pages {
                std::hint::black_box(newswire_ingest::extract::extract_page(bytes, url, None));
            }
        })
    });
    group.finish();
}

/// The held-out evaluation set (`fixtures/eval/heldout`): each label's page with the URL the label gives it.
fn heldout() -> Vec<(String, Url, Vec<u8>)> {
    let dir = fixtures().join("eval/heldout");
    let mut labels = Vec::new();
    files(&dir.join("labels"), "json", &mut labels);
    labels.sort();
    labels
        .into_iter()
        .map(|path| {
            let label: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let url = Url::parse(label["url"].as_str().unwrap()).unwrap();
            let bytes = std::fs::read(dir.join(label["page"].as_str().unwrap())).unwrap();
            (name, url, bytes)
        })
        .collect()
}

/// Pages of at least this size are benchmarked one by one.
const LARGE_PAGE: usize = 90 * 1024;

/// Extraction of the held-out pages: each large page on its own (time and bytes/s per page), and the whole
/// set as one case (pages/s). Run with `cargo bench -p newswire-ingest --bench parse -- heldout`.
fn bench_heldout(c: &mut Criterion) {
    let pages = heldout();
    let mut group = c.benchmark_group("heldout");
    for (name, url, bytes) in pages.iter().filter(|(_, _, b)| b.len() >= LARGE_PAGE) {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(format!("{name} ({} KB)", bytes.len() / 1024), |b| {
            b.iter(|| {
                std::hint::black_box(newswire_ingest::extract::extract_page(bytes, url, None))
            })
        });
    }
    group.throughput(Throughput::Elements(pages.len() as u64));
    group.bench_function(format!("set ({} pages)", pages.len()), |b| {
        b.iter(|| {
            for (_, url, bytes) in &pages {
                std::hint::black_box(newswire_ingest::extract::extract_page(bytes, url, None));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_feeds, bench_extract, bench_heldout);
criterion_main!(benches);
