//! Feed parsing: RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1 and CDF, liberally.
//!
//! [`parse_feed`] (or [`FeedParser`] for non-default limits) turns the bytes of a feed into a
//! [`Feed`]; [`FeedParser::parse_each`] hands the entries over one at a time instead, in bounded memory. It
//! never touches the network: the base URL only resolves relative links.
//!
//! # Liberal parsing
//!
//! A feed with one broken entry yields the good entries plus warnings in [`Feed::warnings`]; only a document
//! with nothing feed-like in it is a [`FeedError`]. What is recovered, each with a warning:
//!
//! - charset problems (see [`crate::charset`]), junk before the root element;
//! - undefined entities (the HTML named set is used: `&nbsp;` is U+00A0), HTML legacy entities written
//!   without `;` (`&nbsp`, `&amp`, `&copy`, ...: the Latin-1 set, when no letter or digit follows the name),
//!   unknown entities and bare `&` (kept as written), `<` that cannot start a tag (kept as text);
//! - characters XML does not allow (NUL and the other C0 controls but tab and line ends) dropped from text;
//! - unquoted attribute values and attributes without a value (accepted);
//! - unclosed and mismatched tags (closed at the matching ancestor; a new `<item>` closes an unclosed one),
//!   stray end tags (ignored), malformed markup (skipped to the next `>`);
//! - a truncated document: entries completed so far are kept, the cut-off entry too if it has a title or link;
//! - DOCTYPE entity declarations: internal ones are expanded, nested ones too, as long as a value stays
//!   within 1 KiB and the document's expansions within 64 KiB (later references are kept as written); deeper
//!   levels of a "billion laughs" document are simply undefined, so it costs nothing. External entities are
//!   never expanded and nothing is ever fetched;
//! - a JSON Feed without `version` (read as JSON Feed 1.1).
//!
//! Namespaces are matched by URI, or by their usual prefix when the declaration is missing or unknown;
//! element names are matched ASCII case-insensitively. `xml:base` and `xml:lang` are scoped and inherited. A
//! feed whose root states its own base has it in its `scope`, as has an entry in another base than the
//! feed's root; a title, description, summary, content, rights or Atom 0.3 `info` in another base or
//! `xml:lang` than its entry (or the feed's root) is listed in the `scope`'s `constructs` with what it states
//! (an entry's content in another `xml:lang` has that language as `content_language`, `""` when cleared). An
//! `xml:base` that is no web address (`javascript:`, `data:`, anything but `http`, `https`, `ftp` or the
//! document URL's scheme) is ignored. Language tags written as POSIX locales (`en_US`) are read as `en-US`.
//!
//! Microsoft's CDF (a root `<CHANNEL>` in upper case, or with an `HREF`) is read too: `HREF` is the link,
//! `LASTMOD` the date, `ABSTRACT` the description or summary, `BASE` the base URL. An RSS item's full text
//! may also come as `<fullitem>` (escaped HTML) or as a `<body>` without the XHTML namespace.
//!
//! # What goes where
//!
//! Titles and feed descriptions are plain text: HTML is reduced to text with its ASCII whitespace collapsed
//! (U+00A0 is kept), references are resolved once (a double-escaped `&amp;lt;b&amp;gt;` shows as `<b>`),
//! and Atom `type="text"` keeps its inner whitespace, trimmed at the ends only (normalize owns whitespace).
//! A title, description, rights or Atom 0.3 `info` that is markup (Atom `type="html"` or `"xhtml"`, Atom 0.3
//! `mode="escaped"` HTML or inline XML, RSS text with well-known HTML tags in it) also comes as HTML in
//! `title_html`, `description_html`, `rights_html`, `info_html` (and the same on an entry's `source`),
//! resolved and sanitized like `content_html`; plain-text constructs have no HTML form. Character references
//! come out as the sanitizer serializes them (`&#38;` as `&amp;`). Inline XHTML loses its wrapper `<div>` in
//! Atom 1.0 (RFC 4287 3.1.1.3) but keeps it in Atom 0.3, whose `mode="xml"` defines no wrapper.
//! `summary_html` and `content_html` are HTML (plain text escaped; `summary_type` and `content_type` say
//! whether the element was text, HTML or XHTML, RSS's "maybe HTML" counting as HTML), resolved and then
//! sanitized:
//!
//! - **Resolved**: relative `href`, `src` and `poster` in the HTML, and every link, enclosure, comments,
//!   author and `content src` URL (an entry's `content_src`), against the `xml:base` in force (else the feed
//!   URL), per RFC 3986: `#frag` is the base document with that fragment. An empty `href=""` on an Atom
//!   alternate link is the base document itself; an empty URL inside HTML is left empty (it names nothing).
//!   An RSS item without `<link>` takes its permalink `guid` as link when that is an absolute `http(s)` URL
//!   or a path starting with `/` (resolved); other relative GUIDs are too often opaque ids.
//! - **Sanitized** with an allow-list (ammonia, see `sanitize.rs`): article markup stays (paragraphs,
//!   headings, lists, quotes, emphasis, links, images, figures, tables, `pre`/`code`, `time`, `abbr`, ...);
//!   `script`, `style`, `iframe`, `object` and `embed` go with their content, other elements (forms too) are
//!   unwrapped; `on*` handlers, `style` and `id` attributes go; URLs other than `http(s)`, `mailto`, `tel`,
//!   `ftp` and raster `data:image/*` in `img src` are removed (`javascript:`, `vbscript:`, other `data:`).
//!   No `rel` is added to links. Comments are removed. Feed descriptions are sanitized before being reduced
//!   to text, so script text never leaks into them.
//!
//! A feed's `encoding` names the decoder, `declared_encoding` the label that chose it, as it was declared.
//! GeoRSS points are an entry's `location`, lines, polygons and boxes its `shape` (see `geo.rs`).
//! RSS `docs` (resolved), `cloud` (its attributes) and `textInput` are the feed's `docs`, `cloud` and
//! `text_input`, the first of each stated. A Creative Commons `license` (`creativeCommons:license`, `cc:license`) is
//! a link with `rel="license"` of the feed or the entry.
//! `itunes:explicit` and `itunes:block` are read liberally (case and white space ignored). The first of an
//! item's `itunes:image`, `media:thumbnail` and `media:content medium="image"` (with its width and height) is
//! the entry's `image`. A feed that says it moved (`itunes:new-feed-url`, `newLocation` in
//! a `redirect` element or alone) has that URL, resolved, as `new_location`; the first one stated wins.
//!
//! Categories keep their vocabulary: RSS `category@domain` and Atom `category@scheme` are the scheme, Atom
//! `@label` the label; `media:category` without a scheme takes Media RSS's default scheme, `itunes:category`
//! (nested ones too) the scheme `http://www.itunes.com/`; `itunes:keywords` are free words without one (see
//! [`newswire_model::Category`]). A category repeated with the same term and scheme is kept once, and a
//! keyword that is already a category's term adds nothing.
//!
//! Dates are kept as written: a feed's `updated` (RSS `lastBuildDate`, else `pubDate`), `published` (its
//! `pubDate`, `dcterms:issued`) and `created` (`dcterms:created`); an entry's `published`, `updated`,
//! `created` (Atom 0.3 `created`, `dcterms:created`: also `published` when nothing else states it) and
//! `expires` (RSS `expirationDate`); for both, the `start`/`end` of a `dcterms:valid` period (`valid_start`,
//! `valid_end`).
//!
//! `dc:creator` and `itunes:author` are split into people on `,`, `;` and ` and `; RSS `author` is read as
//! `email (Name)`. Atom entries without an author take their `atom:source`'s authors, else the feed's. The
//! publisher is no author: `dc:publisher` (feed and entry, not inherited), else `itunes:owner`, else RSS
//! `webMaster` (read like `author`) is the feed's `publisher`. Entries without a language get the feed's.
//! `sy:updateFrequency` without `sy:updatePeriod` counts per day.
//!
//! # Limits
//!
//! At most [`FeedParser::max_entries`] entries (default 10,000) and [`FeedParser::max_depth`] levels of element
//! nesting (default 512) are read; warnings are capped at 100. The work is linear in the input size.

use newswire_model::{Entry, Feed};

use crate::charset::{self, DocumentKind};

mod construct;
mod document;
mod entities;
mod entry;
mod geo;
mod json;
mod sanitize;
mod text;
mod xml;

#[cfg(test)]
mod tests;

/// Why a document could not be parsed as a feed at all.
///
/// Everything short of these is recovered and reported in [`Feed::warnings`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeedError {
    /// The input is empty or only whitespace.
    #[error("expected a feed, found an empty document")]
    Empty,
    /// The input is an HTML page (served where a feed was expected).
    #[error("document is an HTML page, not a feed")]
    Html,
    /// The XML root element (and everything inside it) is not a feed.
    #[error("root element <{root}> is not rss, rdf:RDF or feed")]
    NotAFeed {
        /// The root element's name as written.
        root: String,
    },
    /// The XML document has no element at all.
    #[error("expected a root element rss, rdf:RDF or feed, found none")]
    NoRoot,
    /// The input is neither XML nor JSON.
    #[error("expected an XML or JSON feed, found text starting with {start:?}")]
    NotMarkup {
        /// The first characters of the document.
        start: String,
    },
    /// The input starts like JSON but does not parse.
    #[error("expected a JSON feed, found invalid JSON")]
    Json {
        /// What the JSON parser said.
        #[source]
        source: serde_json::Error,
    },
    /// The input is JSON but not a JSON Feed.
    #[error("expected a JSON feed object with \"items\", found {found}")]
    NotJsonFeed {
        /// What was found instead (`an array`, `an object without "items"`, ...).
        found: &'static str,
    },
}

/// A feed parser with adjustable limits.
///
/// ```
/// use newswire_ingest::feed::FeedParser;
///
/// let xml = br#"<rss><channel><item><title>One</title></item><item><title>Two</title></item></channel></rss>"#;
/// let base = url::Url::parse("https://example.com/feed.xml")?;
/// let feed = FeedParser::new().max_entries(1).parse(xml, &base, None)?;
/// assert_eq!(feed.entries.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct FeedParser {
    max_entries: usize,
    max_depth: usize,
    body_blocks: bool,
}

impl Default for FeedParser {
    fn default() -> Self {
        FeedParser::new()
    }
}

impl FeedParser {
    /// Default entry cap.
    pub const DEFAULT_MAX_ENTRIES: usize = 10_000;
    /// Default element nesting cap.
    pub const DEFAULT_MAX_DEPTH: usize = 512;

    /// A parser with the default limits.
    pub fn new() -> FeedParser {
        FeedParser {
            max_entries: Self::DEFAULT_MAX_ENTRIES,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            body_blocks: false,
        }
    }

    /// Reads at most `n` entries; later ones are skipped with a warning.
    pub fn max_entries(mut self, n: usize) -> FeedParser {
        self.max_entries = n;
        self
    }

    /// Also fills each entry's [`Entry::body`] with the blocks of its content HTML (else its summary), as
    /// [`entry_body`] does. Off by default: the blocks repeat the text of `content_html`, which makes the parse
    /// markedly slower and its output larger (the feed benchmark measures both ways), and a consumer that keeps
    /// or shows the HTML never needs them. The pipeline asks [`entry_body`] only for the entries whose article
    /// page gives no body (or is not fetched).
    ///
    /// ```
    /// use newswire_ingest::feed::FeedParser;
    /// use newswire_model::Block;
    ///
    /// let xml = br#"<rss><channel><item><description>&lt;p>One&lt;/p></description></item></channel></rss>"#;
    /// let base = url::Url::parse("https://example.com/feed.xml")?;
    /// let lean = FeedParser::new().parse(xml, &base, None)?;
    /// assert!(lean.entries[0].body.is_empty());
    /// let full = FeedParser::new().body_blocks(true).parse(xml, &base, None)?;
    /// assert_eq!(full.entries[0].body, [Block::paragraph("One")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn body_blocks(mut self, on: bool) -> FeedParser {
        self.body_blocks = on;
        self
    }

    /// Ignores elements nested deeper than `n` levels (their text still counts), with a warning.
    pub fn max_depth(mut self, n: usize) -> FeedParser {
        self.max_depth = n.max(1);
        self
    }

    /// Parses a feed from raw bytes. `base` is the URL the feed came from (relative links resolve against
    /// it); `content_type` is the HTTP `Content-Type`, when there was one (its charset is honoured).
    pub fn parse(
        &self,
        bytes: &[u8],
        base: &url::Url,
        content_type: Option<&str>,
    ) -> Result<Feed, FeedError> {
        self.parse_into(bytes, base, content_type, None)
    }

    /// Parses a feed and hands each entry to `on_entry` as soon as it has been read, rather than collecting
    /// them: memory stays bounded by the input and one entry, whatever the number of entries. The returned
    /// [`Feed`] holds the feed's metadata and warnings, with `entries` empty.
    ///
    /// An entry gets what it inherits from the feed (the feed's language; for Atom, the feed's authors) as
    /// the feed states it *before* the entry, which is where feeds state it; [`FeedParser::parse`] also
    /// applies what is stated after the last entry. When the result is an error (a JSON Feed that breaks off,
    /// say), the entries already handed over came before the error.
    ///
    /// ```
    /// use newswire_ingest::feed::FeedParser;
    ///
    /// let xml = br#"<rss><channel><title>Wire</title><item><title>One</title></item>
    ///     <item><title>Two</title></item></channel></rss>"#;
    /// let base = url::Url::parse("https://example.com/feed.xml")?;
    /// let mut titles = Vec::new();
    /// let feed = FeedParser::new().parse_each(xml, &base, None, |entry| titles.extend(entry.title))?;
    /// assert_eq!(titles, ["One", "Two"]);
    /// assert_eq!(feed.title.as_deref(), Some("Wire"));
    /// assert!(feed.entries.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse_each(
        &self,
        bytes: &[u8],
        base: &url::Url,
        content_type: Option<&str>,
        mut on_entry: impl FnMut(Entry),
    ) -> Result<Feed, FeedError> {
        self.parse_into(bytes, base, content_type, Some(&mut on_entry))
    }

    fn parse_into(
        &self,
        bytes: &[u8],
        base: &url::Url,
        content_type: Option<&str>,
        sink: Option<&mut dyn FnMut(Entry)>,
    ) -> Result<Feed, FeedError> {
        let decoded = charset::decode(bytes, content_type, DocumentKind::Xml);
        let text = decoded
            .text
            .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        let warnings = decoded.warnings;
        let mut feed = match text.as_bytes().first() {
            None => Err(FeedError::Empty),
            Some(b'{') => json::parse_json(text, base, self, warnings, sink),
            Some(_) => document::parse_xml(text, base, self, warnings, sink),
        }?;
        feed.encoding = Some(decoded.encoding.name().to_ascii_lowercase());
        feed.declared_encoding = decoded.label.map(|label| label.trim().to_ascii_lowercase());
        Ok(feed)
    }
}

/// The most items a list field of a feed or entry keeps (authors, categories, links, enclosures, ...): beyond it
/// the rest are dropped, so that a hostile document can neither grow a list without bound nor make its
/// de-duplication quadratic.
pub(super) const MAX_LIST: usize = 256;

/// `list` with no spare room. An entry is kept for the rest of a collecting parse, and a vector grown by pushes
/// reserves four items at its first push: for the one author and two categories of a typical entry, that spare
/// room held more memory than the entry's title, link and GUID together.
pub(crate) fn exact<T>(mut list: Vec<T>) -> Vec<T> {
    list.shrink_to_fit();
    list
}

/// The body blocks of a clean HTML fragment by the sanitizer's one-pass fast path, or `None` when the
/// fragment is outside its subset (see [`crate::html::fragment_blocks`], which falls back to the DOM).
pub(crate) fn fast_body_blocks(html: &str) -> Option<Vec<newswire_model::Block>> {
    sanitize::fasthtml::body_blocks(html)
}

/// The body blocks of an entry: those of its content HTML, else of its summary HTML (empty when it has
/// neither). What [`FeedParser::body_blocks`] puts in [`Entry::body`].
pub fn entry_body(entry: &Entry) -> Vec<newswire_model::Block> {
    entry
        .content_html
        .as_deref()
        .or(entry.summary_html.as_deref())
        .map(crate::html::fragment_blocks)
        .unwrap_or_default()
}

/// Parses a feed with the default limits (and no body blocks); see [`FeedParser::parse`].
pub fn parse_feed(
    bytes: &[u8],
    base: &url::Url,
    content_type: Option<&str>,
) -> Result<Feed, FeedError> {
    FeedParser::new().parse(bytes, base, content_type)
}
