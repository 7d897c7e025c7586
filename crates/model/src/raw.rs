//! Raw records: what a feed or a page says, parsed but not yet normalized.
//!
//! `newswire-ingest` produces these and `newswire-normalize` consumes them; the two crates meet only here.
//! Dates stay raw strings (with where they were found), because the one date parser lives in normalize.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::dispatch::Block;

/// The format family of a feed document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
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
    /// Microsoft's Channel Definition Format (`<CHANNEL HREF="...">` with `ITEM`s, 1997): read for the
    /// channel's and items' `HREF`, `LASTMOD`, `TITLE` and `ABSTRACT`.
    Cdf,
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
    /// The title as sanitized HTML, when the title is markup (see [`Entry::title_html`]). Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_html: Option<String>,
    /// The site the feed describes: RSS `channel/link`, Atom `link rel="alternate"`. Absolute.
    pub link: Option<String>,
    /// The base URL in force on the root element (its `xml:base`, CDF's `BASE`) when it is not the URL the
    /// document came from, and the feed's text constructs (title, description, rights, info) that state
    /// their own base or language (see [`Scope`]). Absent in the usual case, where the feed states neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Box<Scope>>,
    /// RSS `channel/description`, Atom `subtitle` (`tagline` in Atom 0.3): plain text.
    pub description: Option<String>,
    /// The description as sanitized HTML, relative URLs resolved, when it is markup: Atom `type="html"` or
    /// `"xhtml"` (Atom 0.3 `mode="escaped"` HTML or inline XML), or RSS text with HTML tags in it. Absent when
    /// the description is plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_html: Option<String>,
    /// Atom 0.3 `info` (what the feed format is, for a human who opens the document): plain text. Absent when
    /// none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<String>,
    /// Atom 0.3 `info` as sanitized HTML, when it is markup. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info_html: Option<String>,
    /// RSS `language` / `dc:language`, `xml:lang` on the root.
    pub language: Option<String>,
    /// RSS `lastBuildDate`/`pubDate`, Atom `updated`, as written.
    pub updated: Option<String>,
    /// When the feed's content was published: RSS `channel/pubDate` (also [`Feed::updated`] when there is no
    /// `lastBuildDate`), `dcterms:issued`, as written. Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// `dcterms:created` of the feed, as written. Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// The start of the feed's `dcterms:valid` (see [`Entry::valid_start`]), as written. Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_start: Option<String>,
    /// The end of the feed's `dcterms:valid`, as written. Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_end: Option<String>,
    /// RSS `ttl` in minutes.
    pub ttl_minutes: Option<u32>,
    /// Atom `id`, as written. Absent when the feed has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Every link the feed declares (Atom `link`, RSS `link` and `atom:link`, a Creative Commons `license` as
    /// `rel="license"`), in document order; the alternate one is also [`Feed::link`]. Absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// The feed's own authors: Atom `author`, RSS `managingEditor`, `dc:creator`, `itunes:author`. Absent
    /// when empty. (Atom entries without authors of their own inherit these as their `authors`.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Person>,
    /// Atom `contributor`s. Absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributors: Vec<Person>,
    /// Who publishes the feed: `dc:publisher` (or `dcterms:publisher`), else `itunes:owner` (its `itunes:name`
    /// and `itunes:email`), else RSS `webMaster` (read like `author`: `email (Name)`). Not an author. Absent
    /// when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Person>,
    /// RSS `copyright`, `dc:rights`, Atom `rights` (`copyright` in Atom 0.3): plain text. Absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<String>,
    /// The rights as sanitized HTML, when they are markup. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights_html: Option<String>,
    /// `itunes:explicit`: `true` for `yes`/`true`/`explicit`, `false` for `no`/`false`/`clean` (any case,
    /// trimmed). Absent when not stated or not one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explicit: Option<bool>,
    /// `itunes:block`: `true` when it says `yes` (any case, trimmed), which asks directories not to list the
    /// podcast; `false` for any other value. Absent when the feed has no `itunes:block`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<bool>,
    /// The software that made the feed: RSS and Atom `generator`, `admin:generatorAgent`. Absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<Generator>,
    /// The feed's image: RSS `image`, Atom `logo`, `itunes:image`. Absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Atom `icon` (JSON Feed `favicon`): an absolute URL. Absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// RSS `docs`: where the format of the feed is documented. An absolute URL. Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// RSS `cloud`: the service to register with to be told of updates (rssCloud). Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud: Option<Cloud>,
    /// RSS `textInput` (`textinput` in RSS 0.9x and 1.0): a text box the feed offers to a reader. Absent when
    /// not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_input: Option<TextInput>,
    /// Where the feed says it has moved: `itunes:new-feed-url`, or `newLocation` (in a `redirect` element or
    /// alone). An absolute URL. Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_location: Option<String>,
    /// RSS `category`, `dc:subject`, Atom `category`, `itunes:category` and `itunes:keywords` of the feed
    /// itself, with their schemes and labels (see [`Category`]). Absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
    /// The character encoding the document was decoded from, lowercased (`utf-8`, `windows-1252`, `ibm866`,
    /// `utf-32le`, ...). Absent when the feed did not come from bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The charset label the HTTP `Content-Type` or the document's XML declaration stated, trimmed and
    /// lowercased, when decoding followed it (`us-ascii`, `iso-8859-1`, `866`). It can differ from
    /// [`Feed::encoding`], which names the decoder: the WHATWG Encoding Standard decodes `us-ascii` and
    /// `iso-8859-1` as `windows-1252`, as browsers do. Absent when the encoding came from a byte-order mark, the
    /// first bytes, or detection (a declaration overruled by the bytes included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_encoding: Option<String>,
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
    /// The base URL in force on the entry element (an `xml:base` on it or on an element around it) when it
    /// is not the feed's, and the entry's text constructs (title, summary, content, rights) that state their
    /// own base or language (see [`Scope`]; the content's language is [`Entry::content_language`]). Absent in
    /// the usual case, where the entry is in the feed's base and its constructs in the entry's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Box<Scope>>,
    /// Headline, plain text (HTML titles are reduced to text).
    pub title: Option<String>,
    /// The headline as sanitized HTML (by the same allow-list as `content_html`), relative URLs resolved, when
    /// the title is markup: Atom `type="html"` or `"xhtml"` (Atom 0.3 `mode="escaped"` HTML, inline XML), or an
    /// RSS title with HTML tags in it. Absent when the title is plain text; [`Entry::title`] is always there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_html: Option<String>,
    /// RSS `description`, Atom `summary`, as HTML (plain text is escaped into HTML).
    pub summary_html: Option<String>,
    /// RSS `content:encoded`, Atom `content`, as HTML, relative URLs resolved.
    pub content_html: Option<String>,
    /// How the summary was written (see [`TextType`]): `text` means `summary_html` is plain text escaped into
    /// HTML. Absent when there is no summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_type: Option<TextType>,
    /// How the content was written (see [`TextType`]). Absent when there is no content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<TextType>,
    /// The language of the content when it states its own: the `xml:lang` in force on `content:encoded`,
    /// Atom `content` or `xhtml:body` when it differs from the one in force on the entry element; `""` when the
    /// content clears it (`xml:lang=""`). Absent otherwise (the content is then in [`Entry::language`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_language: Option<String>,
    /// Atom `content@src`: where out-of-line content is, resolved to an absolute URL. The entry's `link`
    /// falls back to it when there is no other. Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_src: Option<String>,
    /// The entry's body as blocks, from `content_html` or else `summary_html`. The feed parser fills it only when
    /// asked to (`FeedParser::body_blocks`), since it repeats the HTML's text; empty otherwise.
    pub body: Vec<Block>,
    /// RSS `author` / `dc:creator`, Atom `author`.
    pub authors: Vec<Person>,
    /// RSS `pubDate`, `dc:date`, Atom `published` (or `issued`), as written.
    pub published: Option<String>,
    /// Atom `updated` (or `modified`), `dcterms:modified`, as written.
    pub updated: Option<String>,
    /// When the entry was created: Atom 0.3 `created`, `dcterms:created`, as written (without a publication
    /// date, it is also [`Entry::published`]). Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// When the entry stops being current: RSS `expirationDate`, as written. Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The start of `dcterms:valid` (a DCMI period, `start=...; end=...`), as written. Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_start: Option<String>,
    /// The end of `dcterms:valid`, as written. Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_end: Option<String>,
    /// RSS `category`, `dc:subject`, Atom `category`, `media:category`, `itunes:category` and
    /// `itunes:keywords`, JSON Feed `tags`, with their schemes and labels (see [`Category`]).
    pub categories: Vec<Category>,
    /// `xml:lang` or `dc:language` in force for the entry.
    pub language: Option<String>,
    /// RSS `comments`, `wfw:commentRss`.
    pub comments_url: Option<String>,
    /// Enclosures and media objects.
    pub enclosures: Vec<Enclosure>,
    /// Every link the entry declares (Atom `link`, RSS `link` and `atom:link`, a Creative Commons `license` as
    /// `rel="license"`), in document order; the alternate one is also [`Entry::link`]. Absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Atom `contributor`s, `dc:contributor`. Absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributors: Vec<Person>,
    /// `dc:publisher` (or `dcterms:publisher`) of the entry, read like RSS `author`. Not inherited from the
    /// feed. Absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Box<Person>>,
    /// `dc:rights`, Atom `rights`: plain text. Absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<String>,
    /// The rights as sanitized HTML, when they are markup (see [`Entry::title_html`]). Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights_html: Option<String>,
    /// Where the entry first appeared: Atom `source`, RSS `source`. Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Box<EntrySource>>,
    /// `slash:comments`: how many comments the entry has. Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_count: Option<u64>,
    /// Where the entry is about: `georss:point`, `gml:Point` in `georss:where`, `geo:lat`/`geo:long`. Absent
    /// when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
    /// The area or path the entry is about, when it states one rather than a point: GeoRSS Simple
    /// `georss:line`, `georss:polygon`, `georss:box`, or GeoRSS GML `gml:LineString`, `gml:Polygon` (its
    /// exterior ring), `gml:Envelope` in `georss:where`. Only WGS 84 coordinates are read (GML with another
    /// `srsName` is ignored). Absent when not stated or malformed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<GeoShape>,
    /// `itunes:explicit` of the entry (see [`Feed::explicit`]). Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explicit: Option<bool>,
    /// `itunes:block` of the entry (see [`Feed::blocked`]). Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<bool>,
    /// The entry's own image, the first stated of: `itunes:image` of the item (its `href`, absolute), the older
    /// `itunes:link rel="image"`, a Media RSS `media:thumbnail` or `media:content medium="image"` (with its width
    /// and height; also kept among the enclosures); in JSON Feed, the item's `image`, else its `banner_image`
    /// (both also kept among the enclosures). Absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Box<Image>>,
}

/// How an entry's summary or content was written, before it became HTML.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextType {
    /// Plain text, escaped into HTML: Atom `type="text"` (the default for Atom), Media RSS `type="plain"`,
    /// content of another text media type, Base64 content decoded to text, JSON Feed `content_text` and
    /// `summary`.
    Text,
    /// HTML: Atom `type="html"` (Atom 0.3 `mode="escaped"`), RSS `description` and `content:encoded` (HTML
    /// by RSS's definition, plain text read as HTML), JSON Feed `content_html`.
    Html,
    /// Inline XHTML: Atom `type="xhtml"` or an XML media type, Atom 0.3 `mode="xml"`, an `xhtml:body`.
    Xhtml,
}

/// A text construct of a feed or an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TextConstruct {
    /// The title ([`Feed::title`], [`Entry::title`]).
    Title,
    /// The feed's description ([`Feed::description`]: RSS `description`, Atom `subtitle`).
    Description,
    /// The entry's summary ([`Entry::summary_html`]).
    Summary,
    /// The entry's content ([`Entry::content_html`]).
    Content,
    /// The rights ([`Feed::rights`], [`Entry::rights`]).
    Rights,
    /// Atom 0.3 `info` ([`Feed::info`]).
    Info,
}

/// Where a feed or an entry is in a base of its own, or has text constructs in a base or language of their
/// own. Rare, so kept out of line ([`Feed::scope`], [`Entry::scope`]): a feed without one is in the document's
/// base, an entry without one in its feed's, and their constructs in their record's base and language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// The absolute base URL in force on the feed's root element, when it is not the document's URL; on the
    /// entry element, when it is not the feed's. Relative URLs in the record were resolved against it, except
    /// in constructs that state their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// The text constructs that state their own base or language, in the order title, description or
    /// summary, content, rights, info. Absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constructs: Vec<ConstructScope>,
}

/// The `xml:base` and `xml:lang` a text construct states for itself (on its element, or on an element
/// between it and its feed or entry), where they differ from those in force on the feed's root element or the
/// entry element. Rare, so kept apart: a construct without one is in its record's base and language.
///
/// ```text
/// <entry xml:base="https://a.example/" xml:lang="en">
///   <title xml:lang="fr">Bonjour</title>                        construct: title, language: "fr"
///   <content type="html" xml:base="/docs/">&lt;a href="x">..   construct: content, base: "https://a.example/docs/"
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstructScope {
    /// Which construct.
    pub construct: TextConstruct,
    /// The absolute base URL in force on the construct, when it is not its record's (the entry's base, else
    /// the feed's, else the document's URL; see [`Scope::base`]). The construct's relative URLs were resolved
    /// against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// The `xml:lang` in force on the construct, when it is not the one in force on the record's element:
    /// a language tag, or `""` when the construct clears the language with `xml:lang=""`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// A link as a feed or entry declares it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Absolute URL.
    pub href: String,
    /// The relation, lowercased, as Atom names it (`alternate` when not stated; `self`, `enclosure`,
    /// `related`, `via`, `replies`, or a URI for extensions). The registered names are static strings, so
    /// the common links cost no allocation for their relation.
    pub rel: Cow<'static, str>,
    /// MIME type, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Title, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Length in bytes, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u64>,
    /// Language of the linked resource, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hreflang: Option<String>,
}

/// The software that made a feed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generator {
    /// Its name, as written (empty when only a URI is given).
    pub name: String,
    /// Its home page: Atom `uri` (`url` in Atom 0.3), `admin:generatorAgent`'s resource. Absolute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// Its version, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// A feed's image or logo.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Absolute URL of the image.
    pub url: String,
    /// RSS `image/title`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// RSS `image/link`, the page the image links to. Absolute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Width in pixels, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Height in pixels, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// RSS `image/description`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The update-notification service an RSS `cloud` element names (RSS 2.0 "`<cloud>` sub-element"; the
/// attributes as written, trimmed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cloud {
    /// `domain`: the host of the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// `port`, when it is a port number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// `path` on the host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// `registerProcedure`: the procedure to call to register.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register_procedure: Option<String>,
    /// `protocol`: `xml-rpc`, `soap` or `http-post`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
}

/// The text box an RSS `textInput` describes: a form that sends `name=<text>` to `link`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextInput {
    /// The label of its submit button: plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What it is for: plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The name of the text field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the form is sent. Absolute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The feed an entry first appeared in, as the entry states it (Atom `source`, RSS `source`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntrySource {
    /// Its title: plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its title as sanitized HTML, when it is markup (see [`Entry::title_html`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_html: Option<String>,
    /// Its URL: RSS `source/@url`, Atom `source/link` (the `self` link, else the alternate). Absolute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Atom `source/id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Atom `source/updated`, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// Atom `source/subtitle`: plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Atom `source/subtitle` as sanitized HTML, when it is markup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle_html: Option<String>,
    /// Every link of the Atom `source`, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Atom `source/author`s (they are also the entry's authors when it names none of its own).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Person>,
    /// Atom `source/contributor`s.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributors: Vec<Person>,
    /// Atom `source/rights`: plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<String>,
    /// Atom `source/rights` as sanitized HTML, when they are markup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights_html: Option<String>,
    /// Atom `source/category`s.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
    /// Atom `source/generator`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<Generator>,
    /// Atom `source/icon`: an absolute URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Atom `source/logo`: an absolute URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

/// A category (a tag, a subject) as a feed states it.
///
/// Where each part comes from:
///
/// | element | `term` | `scheme` | `label` |
/// |---|---|---|---|
/// | RSS `category` | its text | `domain` | |
/// | Atom `category` | `term` (else `label`) | `scheme` | `label` |
/// | `media:category` | its text | `scheme`, else Media RSS's default `http://search.yahoo.com/mrss/category_schema` | `label` |
/// | `itunes:category` | `text` (each nested one too) | `http://www.itunes.com/` | |
/// | `itunes:keywords` | each comma-separated keyword | `http://www.itunes.com/` | |
/// | `dc:subject`, JSON Feed `tags` | the text | | |
///
/// Terms, schemes and labels are trimmed; a scheme is kept as written (it names a vocabulary, it is not
/// resolved as a URL). A category repeated with the same term and scheme is kept once (with the first label
/// stated); an `itunes:keywords` keyword that is already a category's term is not added again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// The category itself, never empty.
    pub term: String,
    /// The vocabulary the term belongs to (a URI or a name), when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// A human-readable name for the term, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl Category {
    /// A category with a term only.
    pub fn new(term: impl Into<String>) -> Category {
        Category {
            term: term.into(),
            scheme: None,
            label: None,
        }
    }
}

/// A point on Earth, in WGS 84 degrees.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    /// Latitude, -90 to 90.
    pub lat: f64,
    /// Longitude, -180 to 180.
    pub lon: f64,
}

/// A line or an area on Earth, in WGS 84 degrees (GeoRSS).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum GeoShape {
    /// A path through two or more points, in order.
    Line {
        /// The points.
        points: Vec<GeoPoint>,
    },
    /// A closed ring of four or more points, the last equal to the first.
    Polygon {
        /// The ring's points.
        points: Vec<GeoPoint>,
    },
    /// A box between two corners.
    Box {
        /// The south-west corner (lowest latitude and longitude).
        lower: GeoPoint,
        /// The north-east corner.
        upper: GeoPoint,
    },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_optional_fields_are_left_out_and_read_back_as_empty() {
        let entry = Entry {
            title: Some("T".into()),
            ..Entry::default()
        };
        let json = serde_json::to_value(&entry).unwrap();
        for absent in [
            "links",
            "contributors",
            "rights",
            "source",
            "comment_count",
            "location",
            "shape",
            "title_html",
            "rights_html",
            "explicit",
            "blocked",
            "publisher",
            "created",
            "expires",
            "valid_start",
            "valid_end",
            "summary_type",
            "content_type",
            "content_src",
            "content_language",
            "image",
            "scope",
        ] {
            assert!(
                json.get(absent).is_none(),
                "{absent} should be left out: {json}"
            );
        }
        // Fields that were always written stay written.
        assert_eq!(json["link"], serde_json::Value::Null);
        assert_eq!(serde_json::from_value::<Entry>(json).unwrap(), entry);
    }

    #[test]
    fn a_full_feed_round_trips() {
        let feed = Feed {
            id: Some("urn:x".into()),
            links: vec![Link {
                href: "https://a.example/feed".into(),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Link::default()
            }],
            generator: Some(Generator {
                name: "Gen".into(),
                uri: None,
                version: Some("2".into()),
            }),
            image: Some(Image {
                url: "https://a.example/i.png".into(),
                width: Some(88),
                ..Image::default()
            }),
            encoding: Some("windows-1252".into()),
            declared_encoding: Some("iso-8859-1".into()),
            scope: Some(Box::new(Scope {
                base: Some("https://a.example/news/".into()),
                constructs: vec![ConstructScope {
                    construct: TextConstruct::Description,
                    base: None,
                    language: Some("fr".into()),
                }],
            })),
            description_html: Some("<p>D</p>".into()),
            info: Some("I".into()),
            publisher: Some(Person {
                name: "Press".into(),
                ..Person::default()
            }),
            published: Some("2024-01-01".into()),
            new_location: Some("https://b.example/feed".into()),
            docs: Some("https://www.rssboard.org/rss-specification".into()),
            cloud: Some(Cloud {
                domain: Some("rpc.example".into()),
                port: Some(80),
                ..Cloud::default()
            }),
            text_input: Some(TextInput {
                name: Some("q".into()),
                ..TextInput::default()
            }),
            categories: vec![Category {
                term: "t".into(),
                scheme: Some("urn:s".into()),
                label: Some("T".into()),
            }],
            entries: vec![Entry {
                scope: Some(Box::new(Scope {
                    base: None,
                    constructs: vec![ConstructScope {
                        construct: TextConstruct::Content,
                        base: Some("https://c.example/".into()),
                        language: None,
                    }],
                })),
                summary_type: Some(TextType::Text),
                content_type: Some(TextType::Xhtml),
                content_src: Some("https://a.example/c.pdf".into()),
                expires: Some("2024-02-01".into()),
                valid_end: Some("2024-03-01".into()),
                image: Some(Box::new(Image {
                    url: "https://a.example/e.png".into(),
                    ..Image::default()
                })),
                source: Some(Box::new(EntrySource {
                    title: Some("Origin".into()),
                    ..EntrySource::default()
                })),
                location: Some(GeoPoint {
                    lat: 45.5,
                    lon: -73.25,
                }),
                shape: Some(GeoShape::Box {
                    lower: GeoPoint { lat: 1.0, lon: 2.0 },
                    upper: GeoPoint { lat: 3.0, lon: 4.0 },
                }),
                title_html: Some("<b>T</b>".into()),
                explicit: Some(false),
                blocked: Some(true),
                comment_count: Some(3),
                ..Entry::default()
            }],
            ..Feed::default()
        };
        let json = serde_json::to_string(&feed).unwrap();
        assert!(json.contains(r#""content_type":"xhtml""#), "{json}");
        assert!(
            json.contains(r#""constructs":[{"construct":"description","language":"fr"}]"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Feed>(&json).unwrap(), feed);
    }
}
