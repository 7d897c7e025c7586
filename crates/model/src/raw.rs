//! Raw records: what a feed or a page says, parsed but not yet normalized.
//!
//! `newswire-ingest` produces these and `newswire-normalize` consumes them; the two crates meet only here.
//! Dates stay raw strings (with where they were found), because the one date parser lives in normalize.

use serde::{Deserialize, Serialize};

use crate::dispatch::Block;

/// The format family of a feed document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedKind {
    /// RSS 0.9x and 2.0 (`<rss>`), with or without a version attribute.
    Rss,
    /// RSS 1.0 and 0.90 (`<rdf:RDF>`).
    Rdf,
    /// Atom 1.0 (`<feed xmlns="http://www.w3.org/2005/Atom">`).
    Atom,
    /// Atom 0.3 (`<feed version="0.3">`, the `purl.org/atom/ns#` namespace).
    Atom03,
    /// JSON Feed 1.0 / 1.1.
    Json,
}

/// A parsed feed document: its own metadata and every entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Feed {
    /// Format family, when recognised.
    pub kind: Option<FeedKind>,
    /// The version as the document declares it (`"2.0"`, `"1.0"`, `"0.3"`), when it does.
    pub version: Option<String>,
    /// RSS `channel/title`, Atom `feed/title`: plain text.
    pub title: Option<String>,
    /// The site the feed describes: RSS `channel/link`, Atom `link rel="alternate"`. Absolute.
    pub link: Option<String>,
    /// RSS `channel/description`, Atom `subtitle`: plain text.
    pub description: Option<String>,
    /// RSS `language` / `dc:language`, `xml:lang` on the root.
    pub language: Option<String>,
    /// RSS `lastBuildDate`/`pubDate`, Atom `updated`, as written.
    pub updated: Option<String>,
    /// RSS `ttl` in minutes.
    pub ttl_minutes: Option<u32>,
    /// The entries, in document order.
    pub entries: Vec<Entry>,
    /// What was wrong with the document but could be recovered (a "bozo" list with reasons).
    pub warnings: Vec<String>,
}

/// One feed item (RSS `item`, Atom `entry`), as the feed states it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// RSS `guid`, Atom `id`, RDF `rdf:about`, as written.
    pub guid: Option<String>,
    /// Whether the GUID is also the article's permalink (RSS `isPermaLink`, default true).
    pub guid_is_permalink: bool,
    /// The article's URL: RSS `link`, Atom `link rel="alternate"`; resolved against `xml:base` and the feed URL.
    pub link: Option<String>,
    /// Headline, plain text (HTML titles are reduced to text).
    pub title: Option<String>,
    /// RSS `description`, Atom `summary`, as HTML (plain text is escaped into HTML).
    pub summary_html: Option<String>,
    /// RSS `content:encoded`, Atom `content`, as HTML, relative URLs resolved.
    pub content_html: Option<String>,
    /// The entry's body as blocks, from `content_html` or else `summary_html`.
    pub body: Vec<Block>,
    /// RSS `author` / `dc:creator`, Atom `author`.
    pub authors: Vec<Person>,
    /// RSS `pubDate`, `dc:date`, Atom `published` (or `issued`), as written.
    pub published: Option<String>,
    /// Atom `updated` (or `modified`), `dcterms:modified`, as written.
    pub updated: Option<String>,
    /// RSS `category`, `dc:subject`, Atom `category/@term` (or label).
    pub categories: Vec<String>,
    /// `xml:lang` or `dc:language` in force for the entry.
    pub language: Option<String>,
    /// RSS `comments`, `wfw:commentRss`.
    pub comments_url: Option<String>,
    /// Enclosures and media objects.
    pub enclosures: Vec<Enclosure>,
}

/// A person as a feed names them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Display name (for RSS `author` "jane@example.com (Jane Doe)", `Jane Doe`).
    pub name: String,
    /// E-mail address, when given.
    pub email: Option<String>,
    /// Home page, when given.
    pub uri: Option<String>,
}

/// An enclosure or media object attached to an entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enclosure {
    /// Absolute URL.
    pub url: String,
    /// MIME type, when given.
    pub mime_type: Option<String>,
    /// Length in bytes, when given.
    pub length: Option<u64>,
}

/// Where a piece of page metadata was found. Variants are listed in descending order of trust.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A JSON-LD block (`NewsArticle`, `BlogPosting`, ...).
    JsonLd,
    /// schema.org microdata (`itemprop`).
    Microdata,
    /// OpenGraph and `article:*` meta properties.
    OpenGraph,
    /// A `<time datetime>` element.
    TimeElement,
    /// A well-known `<meta name>` (`date`, `pubdate`, `author`, `dc.date`, ...).
    MetaName,
    /// The page's `<h1>` or `<title>`.
    Heading,
    /// Visible text near the headline ("Posted July 24th, 2012 ...", "By Jane Doe").
    VisibleText,
    /// The URL path (`/2012/07/24/`).
    UrlPath,
    /// The feed entry that listed the page.
    Feed,
}

/// A value with the place it was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate<T> {
    /// The value.
    pub value: T,
    /// Where it was found.
    pub origin: Origin,
}

/// A publication or update time found on a page, still as written.
pub type DateCandidate = Candidate<String>;

/// What article extraction found on one page.
///
/// Candidates are listed in the order extraction trusts them; normalization takes the first it can use.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// The URL the page was fetched from (or given for a saved file).
    pub url: String,
    /// `<link rel="canonical">`, `og:url`, absolute.
    pub canonical_url: Option<String>,
    /// The headline, without a site-name suffix.
    pub title: Option<Candidate<String>>,
    /// Author names (not "By", not "Staff").
    pub authors: Option<Candidate<Vec<String>>>,
    /// Publication time candidates, most trusted first.
    pub published: Vec<DateCandidate>,
    /// Modification time candidates, most trusted first.
    pub updated: Vec<DateCandidate>,
    /// `<html lang>`, `og:locale`, `content-language`.
    pub language: Option<String>,
    /// `og:site_name`, JSON-LD publisher name.
    pub site_name: Option<String>,
    /// Lead image URL, absolute.
    pub image: Option<String>,
    /// `description` / `og:description`.
    pub description: Option<String>,
    /// Keywords and `article:tag`s.
    pub categories: Vec<String>,
    /// The article body, furniture removed.
    pub body: Vec<Block>,
    /// What extraction noticed (charset guessed, no article found, ...).
    pub warnings: Vec<String>,
}
