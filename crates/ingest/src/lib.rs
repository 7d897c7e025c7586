//! newswire-ingest: from bytes on the wire to raw records.
//!
//! This crate fetches documents over HTTP ([`fetch`]), turns their bytes into Unicode ([`charset`]), parses
//! feeds on quick-xml ([`feed`]) and extracts articles from HTML pages ([`extract`]). Parsing functions take raw
//! bytes plus the URL they came from and never touch the network; only [`fetch`] does I/O.
//! Its output is the raw records of `newswire-model` ([`Feed`](newswire_model::Feed),
//! [`Page`](newswire_model::Page)); turning those into dispatches is `newswire-normalize`'s job.
//!
//! # Brief overview
//!
//! - [`fetch::Fetcher`] fetches `http(s)://` and `file://` URLs with timeouts, a body cap, redirects checked hop by
//!   hop, conditional requests, an address guard and per-host politeness.
//! - [`feed::parse_feed`] parses RSS, RDF and Atom liberally, with warnings instead of failures.
//! - [`extract::extract_page`] finds the article on a page: body blocks, title, byline, date candidates.
//! - [`sniff::sniff`] tells a feed from an HTML page.
//! - [`discover::feed_links`] finds the feeds a page declares; [`discover::candidate_urls`] where to look otherwise.
//! - [`opml::parse_opml`] reads an OPML subscription list; [`opml::write_opml`] writes one.
//! - [`robots::RobotsCache`] fetches, caches and applies robots.txt for article pages.
//!
//! # Example
//!
//! ```
//! let xml = br#"<rss version="2.0"><channel><title>Desk</title>
//!   <item><title>Hello</title><link>/a/1</link></item></channel></rss>"#;
//! let base = url::Url::parse("https://example.com/feed.xml")?;
//! let feed = newswire_ingest::feed::parse_feed(xml, &base, None)?;
//! assert_eq!(feed.entries[0].link.as_deref(), Some("https://example.com/a/1"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod charset;
pub mod discover;
pub mod extract;
pub mod feed;
pub mod fetch;
pub mod html;
pub mod opml;
pub mod robots;
pub mod sniff;
mod swar;
