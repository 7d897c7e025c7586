//! Feed discovery: the feeds a page declares with `<link rel="alternate">`, and the paths to try when it
//! declares none.
//!
//! [`feed_links`] reads the `<link>` elements of an HTML page (with html5ever's tokenizer, so entities,
//! attribute quoting and raw-text elements such as `<script>` are read as browsers read them) and keeps those
//! that name a feed, resolved against the page's `<base href>` and URL. [`candidate_urls`] gives the
//! conventional feed locations of a site ([`COMMON_FEED_PATHS`]), for when a page declares nothing.
//! Nothing here touches the network.
//!
//! # Which links are feeds
//!
//! A `<link>` is a feed when its `rel` token list contains `alternate` or `feed` (ASCII case-insensitive),
//! it has a non-empty `href`, and its `type` (case-insensitive, parameters such as `; charset=utf-8` ignored)
//! is one of:
//!
//! | `type` | kind | condition |
//! |---|---|---|
//! | `application/rss+xml`, `application/rdf+xml` | [`Rss`](FeedLinkKind::Rss) | |
//! | `application/atom+xml` | [`Atom`](FeedLinkKind::Atom) | |
//! | `application/feed+json` | [`Json`](FeedLinkKind::Json) | |
//! | `application/json` | [`Json`](FeedLinkKind::Json) | `rel` has `alternate`, the URL or title mentions `feed`, and the URL is not under `/wp-json/` |
//! | `application/xml`, `text/xml` | by the URL or title: `atom` [`Atom`](FeedLinkKind::Atom), `rss`/`rdf` [`Rss`](FeedLinkKind::Rss), else [`Unknown`](FeedLinkKind::Unknown) | the URL or title mentions `rss`, `atom`, `feed` or `xml` |
//!
//! The `application/json` rule is narrow on purpose: WordPress puts `<link rel="alternate"
//! type="application/json" title="JSON" href="/wp-json/wp/v2/posts/42">` (its REST API, not a feed) on every
//! page, while JSON Feeds declared as plain JSON are named like `/feed.json` or titled "JSON Feed".
//! Links without `type` are ignored. "Mentions" is an ASCII case-insensitive substring test on the resolved
//! URL and the title.
//!
//! Links are accepted anywhere in the document (in practice they sit in `<head>`), kept in document order,
//! and deduplicated by resolved URL (the first one wins). The first `<base href>` of the document applies to
//! every link, as in browsers. Only `http(s)` URLs, or URLs of the page's own scheme, are kept.
//!
//! ```
//! use newswire_ingest::discover::{feed_links, FeedLinkKind};
//!
//! let page = br#"<html><head>
//!   <link rel="alternate" type="application/rss+xml" title="Desk &raquo; Feed" href="/feed/">
//! </head></html>"#;
//! let page_url = url::Url::parse("https://example.com/2025/06/story/")?;
//! let links = feed_links(page, &page_url, Some("text/html; charset=utf-8"));
//! assert_eq!(links[0].url.as_str(), "https://example.com/feed/");
//! assert_eq!(links[0].title.as_deref(), Some("Desk » Feed"));
//! assert_eq!(links[0].kind, FeedLinkKind::Rss);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::cell::RefCell;
use std::collections::HashSet;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use url::Url;

use crate::charset::{self, DocumentKind};

/// Paths where sites commonly serve their feed, most likely first; see [`candidate_urls`].
///
/// `/feeds/posts/default` is Blogger's Atom feed, `/?feed=rss2` WordPress's feed without pretty permalinks.
pub const COMMON_FEED_PATHS: &[&str] = &[
    "/feed",
    "/rss.xml",
    "/atom.xml",
    "/feed.json",
    "/feed/",
    "/rss",
    "/index.xml",
    "/feeds/posts/default",
    "/?feed=rss2",
];

/// A feed a page declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedLink {
    /// The feed URL: `href` resolved against the page's `<base href>` and URL.
    pub url: Url,
    /// The link's `title`, white space collapsed; `None` when missing or blank.
    pub title: Option<String>,
    /// The format the link's `type` (or, for generic XML types, its URL or title) announces.
    pub kind: FeedLinkKind,
}

/// The format a [`FeedLink`] announces. It is a hint: the document fetched decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FeedLinkKind {
    /// RSS (`application/rss+xml`), including RSS 1.0 (`application/rdf+xml`).
    Rss,
    /// Atom (`application/atom+xml`).
    Atom,
    /// JSON Feed (`application/feed+json`, or `application/json` named like a feed).
    Json,
    /// A generic XML type (`application/xml`, `text/xml`) whose URL and title do not say which format.
    Unknown,
}

/// The feeds `html` declares, in document order, without duplicates; see the [module docs](self) for the
/// rules. `page_url` is the URL the page came from; `content_type` is the HTTP `Content-Type`, when there was
/// one (its charset is honoured).
pub fn feed_links(html: &[u8], page_url: &Url, content_type: Option<&str>) -> Vec<FeedLink> {
    let decoded = charset::decode(html, content_type, DocumentKind::Html);
    let found = scan(&decoded.text);
    let base = found
        .base
        .as_deref()
        .and_then(|href| page_url.join(href.trim()).ok())
        .filter(|base| !base.cannot_be_a_base())
        .unwrap_or_else(|| page_url.clone());
    let mut seen = HashSet::new();
    let mut links = Vec::new();
    for link in found.links {
        let href = link.href.trim();
        if href.is_empty() {
            continue;
        }
        let Ok(url) = base.join(href) else { continue };
        if !matches!(url.scheme(), "http" | "https") && url.scheme() != page_url.scheme() {
            continue;
        }
        let title = collapse(&link.title);
        let Some(kind) = classify(&link.rel, &link.mime, &url, title.as_deref()) else {
            continue;
        };
        if seen.insert(url.clone()) {
            links.push(FeedLink { url, title, kind });
        }
    }
    links
}

/// The [`COMMON_FEED_PATHS`] resolved against the origin of `page_url`, in the same order. Empty for a URL
/// without a host (`file:`, `data:`), where the paths mean nothing.
pub fn candidate_urls(page_url: &Url) -> Vec<Url> {
    if page_url.host().is_none() || page_url.cannot_be_a_base() {
        return Vec::new();
    }
    COMMON_FEED_PATHS
        .iter()
        .filter_map(|path| page_url.join(path).ok())
        .collect()
}

/// Decides whether a link is a feed, and of which kind.
fn classify(rel: &str, mime: &str, url: &Url, title: Option<&str>) -> Option<FeedLinkKind> {
    let mut alternate = false;
    let mut feed = false;
    for token in rel.split_ascii_whitespace() {
        alternate |= token.eq_ignore_ascii_case("alternate");
        feed |= token.eq_ignore_ascii_case("feed");
    }
    if !alternate && !feed {
        return None;
    }
    let mime = mime.split(';').next().unwrap_or("").trim();
    let url_lower = url.as_str().to_ascii_lowercase();
    let title_lower = title.map(str::to_ascii_lowercase).unwrap_or_default();
    let mentions = |word: &str| url_lower.contains(word) || title_lower.contains(word);
    let is = |name: &str| mime.eq_ignore_ascii_case(name);
    if is("application/rss+xml") || is("application/rdf+xml") {
        Some(FeedLinkKind::Rss)
    } else if is("application/atom+xml") {
        Some(FeedLinkKind::Atom)
    } else if is("application/feed+json") {
        Some(FeedLinkKind::Json)
    } else if is("application/json") {
        let rest_api = url.path().to_ascii_lowercase().contains("/wp-json/");
        (alternate && mentions("feed") && !rest_api).then_some(FeedLinkKind::Json)
    } else if is("application/xml") || is("text/xml") {
        if mentions("atom") {
            Some(FeedLinkKind::Atom)
        } else if mentions("rss") || mentions("rdf") {
            Some(FeedLinkKind::Rss)
        } else if mentions("feed") || mentions("xml") {
            Some(FeedLinkKind::Unknown)
        } else {
            None
        }
    } else {
        None
    }
}

/// `text` with runs of white space collapsed to one space and trimmed; `None` when blank.
fn collapse(text: &str) -> Option<String> {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(out)
}

/// A `<link>` as written.
#[derive(Default)]
struct RawLink {
    rel: StrTendril,
    mime: StrTendril,
    href: StrTendril,
    title: StrTendril,
}

/// What the tokenizer found.
#[derive(Default)]
struct Found {
    /// The first `<base href>`.
    base: Option<StrTendril>,
    links: Vec<RawLink>,
}

/// Tokenizes `text`, collecting `<link>` and the first `<base href>`. No tree is built: the sink only
/// switches the tokenizer to raw text inside `<script>`, `<style>`, `<title>` and the like, as the tree
/// builder would, so markup in them is not mistaken for links.
fn scan(text: &str) -> Found {
    let tokenizer = Tokenizer::new(Sink(RefCell::default()), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(text));
    // The sink never asks the tokenizer to pause, but be defensive: each extra round consumes input or ends.
    for _ in 0..1_000_000 {
        if matches!(tokenizer.feed(&input), TokenizerResult::Done) {
            break;
        }
    }
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

struct Sink(RefCell<Found>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let mut found = self.0.borrow_mut();
        match &*tag.name {
            "link" => found.links.push(RawLink {
                rel: attr(&tag, "rel"),
                mime: attr(&tag, "type"),
                href: attr(&tag, "href"),
                title: attr(&tag, "title"),
            }),
            "base" if found.base.is_none() => {
                if let Some(href) = tag.attrs.iter().find(|a| &*a.name.local == "href") {
                    found.base = Some(href.value.clone());
                }
            }
            _ => {}
        }
        // Raw text, as the tree builder would switch to.
        crate::html::dom::raw_kind(&tag.name).unwrap_or(TokenSinkResult::Continue)
    }
}

/// Attribute `name` of `tag` (names are lower-cased by the tokenizer), or empty.
fn attr(tag: &Tag, name: &str) -> StrTendril {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        match Url::parse(s) {
            Ok(url) => url,
            Err(err) => panic!("{s}: {err}"),
        }
    }

    /// `(url, title, kind)` of each link found on `html` served at `page`.
    fn check(html: &str, page: &str, expect: &[(&str, Option<&str>, FeedLinkKind)]) {
        let links = feed_links(html.as_bytes(), &url(page), None);
        let got: Vec<(&str, Option<&str>, FeedLinkKind)> = links
            .iter()
            .map(|l| (l.url.as_str(), l.title.as_deref(), l.kind))
            .collect();
        assert_eq!(got, expect, "{html}");
    }

    use FeedLinkKind::{Atom, Json, Rss, Unknown};

    #[test]
    fn wordpress_head() {
        check(
            r#"<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<title>Hello world! &#8211; Desk</title>
<link rel='dns-prefetch' href='//fonts.googleapis.com' />
<link rel="alternate" type="application/rss+xml" title="Desk &raquo; Feed" href="https://desk.example/feed/" />
<link rel="alternate" type="application/rss+xml" title="Desk &raquo; Comments Feed" href="https://desk.example/comments/feed/" />
<link rel="alternate" type="application/rss+xml" title="Desk &raquo; Hello world! Comments Feed" href="https://desk.example/2025/06/hello-world/feed/" />
<link rel="https://api.w.org/" href="https://desk.example/wp-json/" />
<link rel="alternate" title="JSON" type="application/json" href="https://desk.example/wp-json/wp/v2/posts/1" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="https://desk.example/xmlrpc.php?rsd" />
<link rel="canonical" href="https://desk.example/2025/06/hello-world/" />
<link rel="alternate" title="oEmbed (JSON)" type="application/json+oembed" href="https://desk.example/wp-json/oembed/1.0/embed?url=https%3A%2F%2Fdesk.example%2F" />
<link rel="alternate" title="oEmbed (XML)" type="text/xml+oembed" href="https://desk.example/wp-json/oembed/1.0/embed?url=https%3A%2F%2Fdesk.example%2F&#038;format=xml" />
<script>document.write('<link rel="alternate" type="application/rss+xml" href="/fake">');</script>
</head>
<body><p>Hello</p></body></html>"#,
            "https://desk.example/2025/06/hello-world/",
            &[
                ("https://desk.example/feed/", Some("Desk » Feed"), Rss),
                (
                    "https://desk.example/comments/feed/",
                    Some("Desk » Comments Feed"),
                    Rss,
                ),
                (
                    "https://desk.example/2025/06/hello-world/feed/",
                    Some("Desk » Hello world! Comments Feed"),
                    Rss,
                ),
            ],
        );
    }

    #[test]
    fn blogger_head() {
        check(
            r#"<html><head>
<link rel="alternate" type="application/atom+xml" title="Notes - Atom" href="https://notes.blogspot.com/feeds/posts/default" />
<link rel="alternate" type="application/rss+xml" title="Notes - RSS" href="https://notes.blogspot.com/feeds/posts/default?alt=rss" />
<link rel="service.post" type="application/atom+xml" title="Notes - Atom" href="https://www.blogger.com/feeds/123/posts/default" />
</head></html>"#,
            "https://notes.blogspot.com/",
            &[
                (
                    "https://notes.blogspot.com/feeds/posts/default",
                    Some("Notes - Atom"),
                    Atom,
                ),
                (
                    "https://notes.blogspot.com/feeds/posts/default?alt=rss",
                    Some("Notes - RSS"),
                    Rss,
                ),
            ],
        );
    }

    #[test]
    fn json_feed_links() {
        check(
            r#"<head>
<link rel="alternate" type="application/feed+json" title="JSON Feed" href="/feed.json">
<link rel="alternate" type="application/json" href="/posts.json" title="My JSON feed">
<link rel="alternate" type="application/json" href="/index.json">
<link rel="feed" type="application/json" href="/other-feed.json">
<link rel="alternate" type="application/json" href="/wp-json/wp/v2/feed">
</head>"#,
            "https://site.example/",
            &[
                ("https://site.example/feed.json", Some("JSON Feed"), Json),
                (
                    "https://site.example/posts.json",
                    Some("My JSON feed"),
                    Json,
                ),
            ],
        );
    }

    #[test]
    fn relative_href_with_base() {
        check(
            r#"<head>
<link rel="alternate" type="application/rss+xml" href="rss.xml" title="before base">
<base href="/blog/">
<base href="/ignored/">
<link rel="alternate" type="application/atom+xml" href="../atom.xml">
<link rel="alternate" type="application/rss+xml" href="//cdn.example/feed.rss">
</head>"#,
            "https://site.example/a/b/page.html",
            &[
                (
                    "https://site.example/blog/rss.xml",
                    Some("before base"),
                    Rss,
                ),
                ("https://site.example/atom.xml", None, Atom),
                ("https://cdn.example/feed.rss", None, Rss),
            ],
        );
        // Without `<base>`, relative to the page.
        check(
            r#"<link rel="alternate" type="application/rss+xml" href="feed.xml">"#,
            "https://site.example/a/b/page.html",
            &[("https://site.example/a/b/feed.xml", None, Rss)],
        );
    }

    #[test]
    fn uppercase_and_odd_attributes() {
        check(
            r#"<HEAD>
<LINK REL="Alternate" TYPE="Application/RSS+XML; charset=UTF-8" HREF="/Feed" TITLE="  Big
  Feed ">
<link rel="home alternate" type=application/atom+xml href=/atom>
<link rel="ALTERNATE STYLESHEET" type="text/css" href="/alt.css">
<link rel="alternate" type="text/xml" href="/rss.php">
<link rel="alternate" type="application/xml" href="/data/feed">
<link rel="alternate" type="application/xml" title="Atom" href="/a">
<link rel="alternate" type="text/xml" href="/export/data.xml">
<link rel="alternate" type="text/xml" href="/export/data">
<link rel="alternates" type="application/rss+xml" href="/nope">
<link rel="alternate" type="application/rdf+xml" href="/index.rdf">
</HEAD>"#,
            "https://site.example/",
            &[
                ("https://site.example/Feed", Some("Big Feed"), Rss),
                ("https://site.example/atom", None, Atom),
                ("https://site.example/rss.php", None, Rss),
                ("https://site.example/data/feed", None, Unknown),
                ("https://site.example/a", Some("Atom"), Atom),
                ("https://site.example/export/data.xml", None, Unknown),
                ("https://site.example/index.rdf", None, Rss),
            ],
        );
    }

    #[test]
    fn duplicates_kept_once() {
        check(
            r#"<head>
<link rel="alternate" type="application/rss+xml" href="/feed" title="First">
<link rel="alternate" type="application/rss+xml" href="https://site.example/feed" title="Second">
<link rel="alternate" type="application/atom+xml" href="/feed">
<link rel="alternate" type="application/atom+xml" href="/atom">
</head>
<body><link rel="alternate" type="application/atom+xml" href="/atom"></body>"#,
            "https://site.example/page",
            &[
                ("https://site.example/feed", Some("First"), Rss),
                ("https://site.example/atom", None, Atom),
            ],
        );
    }

    #[test]
    fn links_without_type_or_href_ignored() {
        check(
            r#"<head>
<link rel="alternate" href="/feed">
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="alternate" type="application/rss+xml">
<link rel="alternate" type="application/rss+xml" href="  ">
<link type="application/rss+xml" href="/no-rel">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="http://[bad">
</head>"#,
            "https://site.example/",
            &[],
        );
    }

    #[test]
    fn no_feeds_is_empty() {
        check(
            "<html><head><title>Plain</title><link rel=stylesheet href=/s.css></head><body><a href=/feed>feed</a></body></html>",
            "https://site.example/",
            &[],
        );
        check("", "https://site.example/", &[]);
        check(
            "not html at all \0\u{1} <<<>>>",
            "https://site.example/",
            &[],
        );
    }

    #[test]
    fn links_in_body_and_legacy_charset() {
        let page = b"<meta charset=windows-1252><body><link rel=alternate type=application/rss+xml title=\"Caf\xe9\" href=/f></body>";
        let links = feed_links(page, &url("https://site.example/"), None);
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].title.as_deref(), Some("Café"));
    }

    #[test]
    fn candidates() {
        let got: Vec<String> =
            candidate_urls(&url("https://user@site.example:8443/blog/post?x=1#top"))
                .iter()
                .map(Url::to_string)
                .collect();
        assert_eq!(
            got,
            [
                "https://user@site.example:8443/feed",
                "https://user@site.example:8443/rss.xml",
                "https://user@site.example:8443/atom.xml",
                "https://user@site.example:8443/feed.json",
                "https://user@site.example:8443/feed/",
                "https://user@site.example:8443/rss",
                "https://user@site.example:8443/index.xml",
                "https://user@site.example:8443/feeds/posts/default",
                "https://user@site.example:8443/?feed=rss2",
            ]
        );
        assert_eq!(candidate_urls(&url("file:///srv/site/index.html")), []);
        assert_eq!(candidate_urls(&url("data:text/html,hi")), []);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_markup_never_panics(s in "[<>/!&;#a-z =\"'-]{0,300}") {
            let page = format!("<head><base href='{s}'><link rel=alternate type=text/xml {s}>{s}");
            let _ = feed_links(page.as_bytes(), &url("https://site.example/a/"), None);
        }
    }

    #[test]
    fn hostile_page_is_linear() {
        let mut page = String::from("<head>");
        for idx in 0..20_000 {
            page.push_str(&format!(
                "<link rel=alternate type=application/rss+xml href=/f{}><base href=/b{idx}/>",
                idx % 100
            ));
        }
        let links = feed_links(page.as_bytes(), &url("https://site.example/"), None);
        assert_eq!(links.len(), 100);
        assert_eq!(links[0].url.as_str(), "https://site.example/f0");
    }
}
