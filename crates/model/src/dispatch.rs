//! [`Dispatch`], the normalized and stored unit, and its body [`Block`]s.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::raw::Origin;
use crate::time::StatedTime;

/// One article, normalized: what newswire stores, exports and searches.
///
/// # JSON contract (version 1)
///
/// `cargo xtask export` writes one dispatch per line in this form; `cargo xtask parse --json` uses it too.
/// Within version 1, fields are only ever added, never renamed, retyped or removed.
///
/// | field | type | always present | meaning |
/// |---|---|---|---|
/// | `id` | string | yes | 16 lowercase hex digits, derived from the entry's GUID, else its link, else its content (a lone page: its URL); never random |
/// | `url` | string | yes | canonical URL: scheme and host lower-cased, fragment and tracking parameters removed |
/// | `title` | string | yes | plain text, NFC |
/// | `published_at` | string or null | yes | [`StatedTime`]: RFC 3339 with the publisher's offset, or a zone-less time, or a date |
/// | `updated_at` | string or null | yes | same form as `published_at` |
/// | `fetched_at` | string | yes | RFC 3339 in UTC: when newswire fetched the content |
/// | `authors` | array of strings | yes | person names, without "By" |
/// | `summary` | string or null | yes | the feed's or page's description, plain text |
/// | `text` | string | yes | the plain body: paragraphs separated by one blank line (`"\n\n"`) |
/// | `body` | array of blocks | yes | the body as `{"kind": "paragraph" \| "heading" \| "quote" \| "list_item" \| "preformatted", "text": string}` |
/// | `language` | string or null | yes | BCP 47 tag as stated (`en`, `pt-BR`; a locale's `en_US` is written `en-US`) |
/// | `categories` | array of strings | yes | feed categories and page keywords |
/// | `image` | string or null | yes | lead image URL |
/// | `source` | object | yes | `{"feed_url": string or null, "site": string or null, "site_name": string or null}` |
/// | `guid` | string or null | yes | the feed entry's GUID / Atom id, as written |
/// | `content_hash` | string | yes | SHA-256 (hex) of the title and text; changes exactly when the stored text does |
/// | `provenance` | object | yes | where the body, title, byline and dates came from (see [`Provenance`]) |
/// | `warnings` | array of strings | yes | what normalization noticed (a time with no zone, a page that could not be fetched, ...) |
/// | `story` | string or null | yes | the story this dispatch belongs to: the id of the first stored dispatch carrying the same story (its own id when it is the first), so syndicated copies and republications with small edits share it; null when unknown (a dispatch not read back from a store, as in `parse --json`). Added within version 1: output written before it lacks the key, which reads as null |
///
/// The `text` field is derived from `body` on serialization and ignored on deserialization.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Dispatch {
    /// Stable identity: a hash of the feed entry's GUID, else its link, else its content; for a lone page, its URL.
    pub id: String,
    /// Canonical URL of the article.
    pub url: String,
    /// Headline, plain text.
    pub title: String,
    /// Publication time as the publisher stated it. Page metadata wins over the feed's `pubDate`.
    pub published_at: Option<StatedTime>,
    /// Last modification time as the publisher stated it.
    pub updated_at: Option<StatedTime>,
    /// When newswire fetched the content this dispatch was made from (our clock, UTC).
    pub fetched_at: DateTime<Utc>,
    /// Author names (RSS `author`/`dc:creator`, Atom `author/name`, page byline).
    pub authors: Vec<String>,
    /// Description or teaser, plain text.
    pub summary: Option<String>,
    /// The article body in reading order.
    pub body: Vec<Block>,
    /// Language tag (`<html lang>`, `og:locale`, else the entry's `xml:lang` or `dc:language`, else the feed's), in
    /// BCP 47 form: as stated, with a POSIX locale's underscore written as a hyphen.
    pub language: Option<String>,
    /// Categories, tags and keywords, de-duplicated, in order of appearance.
    pub categories: Vec<String>,
    /// Lead image URL (`og:image`, JSON-LD `image`, `media:thumbnail`, enclosure).
    pub image: Option<String>,
    /// Where this dispatch was found.
    pub source: SourceRef,
    /// The feed entry's GUID (RSS `guid`, Atom `id`), as written.
    pub guid: Option<String>,
    /// Hex SHA-256 of the title and plain text.
    pub content_hash: String,
    /// Where each part came from.
    pub provenance: Provenance,
    /// Notes from parsing and normalization a user may want to know about.
    pub warnings: Vec<String>,
    /// The story this dispatch belongs to (the id of its first dispatch), set by the store when it reads a
    /// dispatch back; `None` when unknown. Not part of the content: normalization leaves it `None`.
    #[serde(default)]
    pub story: Option<String>,
}

/// The serialized shape of a [`Dispatch`]: its fields in contract order, plus the derived `text`.
#[derive(Serialize)]
struct DispatchJson<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    published_at: &'a Option<StatedTime>,
    updated_at: &'a Option<StatedTime>,
    fetched_at: &'a DateTime<Utc>,
    authors: &'a [String],
    summary: &'a Option<String>,
    text: String,
    body: &'a [Block],
    language: &'a Option<String>,
    categories: &'a [String],
    image: &'a Option<String>,
    source: &'a SourceRef,
    guid: &'a Option<String>,
    content_hash: &'a str,
    provenance: &'a Provenance,
    warnings: &'a [String],
    story: &'a Option<String>,
}

impl Serialize for Dispatch {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        DispatchJson {
            id: &self.id,
            url: &self.url,
            title: &self.title,
            published_at: &self.published_at,
            updated_at: &self.updated_at,
            fetched_at: &self.fetched_at,
            authors: &self.authors,
            summary: &self.summary,
            text: self.text(),
            body: &self.body,
            language: &self.language,
            categories: &self.categories,
            image: &self.image,
            source: &self.source,
            guid: &self.guid,
            content_hash: &self.content_hash,
            provenance: &self.provenance,
            warnings: &self.warnings,
            story: &self.story,
        }
        .serialize(serializer)
    }
}

impl Dispatch {
    /// The plain body: block texts separated by one blank line.
    pub fn text(&self) -> String {
        render_text(&self.body)
    }
}

/// Joins block texts with one blank line between them, as the `text` field of the JSON contract does.
pub fn render_text(body: &[Block]) -> String {
    let mut out = String::with_capacity(body.iter().map(|b| b.text.len() + 2).sum());
    for (idx, block) in body.iter().enumerate() {
        if idx > 0 {
            out.push_str("\n\n");
        }
        out.push_str(&block.text);
    }
    out
}

/// One block of an article body.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Block {
    /// What kind of block this is.
    pub kind: BlockKind,
    /// Its text: plain, NFC, whitespace collapsed, typographic characters as written.
    pub text: String,
}

impl Block {
    /// A paragraph block.
    pub fn paragraph(text: impl Into<String>) -> Block {
        Block {
            kind: BlockKind::Paragraph,
            text: text.into(),
        }
    }
}

/// The kind of a body [`Block`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// A paragraph of running text.
    Paragraph,
    /// A heading inside the article (`h2`-`h6`).
    Heading,
    /// A block quotation (`blockquote`, `q` standing alone, pull quotes).
    Quote,
    /// One item of a list.
    ListItem,
    /// Preformatted text (`pre`), whitespace kept.
    Preformatted,
}

/// Where a dispatch was found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// The feed that listed the article, when it came through a feed.
    pub feed_url: Option<String>,
    /// The site's origin, e.g. `https://blogs.example.com`.
    pub site: Option<String>,
    /// The site's name (`og:site_name`, feed title).
    pub site_name: Option<String>,
}

/// Where the parts of a dispatch came from, so users can judge them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// Where the body came from.
    pub body: BodyOrigin,
    /// Where the title came from.
    pub title: Option<Origin>,
    /// Where the authors came from.
    pub authors: Option<Origin>,
    /// Where `published_at` came from.
    pub published_at: Option<Origin>,
    /// Where `updated_at` came from.
    pub updated_at: Option<Origin>,
}

/// Where a dispatch's body came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyOrigin {
    /// Extracted from the article page.
    Page,
    /// The feed entry's full content (`content:encoded`, Atom `content`).
    FeedContent,
    /// The feed entry's summary or description.
    FeedSummary,
    /// Nothing: neither page nor feed had a body.
    #[default]
    None,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dispatch() -> Dispatch {
        Dispatch {
            id: "0123456789abcdef".into(),
            url: "https://example.com/a".into(),
            title: "A title".into(),
            published_at: None,
            updated_at: None,
            fetched_at: DateTime::<Utc>::UNIX_EPOCH,
            authors: vec![],
            summary: None,
            body: vec![Block::paragraph("One.")],
            language: None,
            categories: vec![],
            image: None,
            source: SourceRef::default(),
            guid: None,
            content_hash: "hash".into(),
            provenance: Provenance::default(),
            warnings: vec![],
            story: None,
        }
    }

    #[test]
    fn story_is_explicit_null_when_unknown_and_read_back_when_absent() {
        let mut d = dispatch();
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.ends_with(r#","warnings":[],"story":null}"#), "{json}");
        // Output written before the field existed has no `story` key.
        let older = json.replace(r#","story":null"#, "");
        assert_eq!(serde_json::from_str::<Dispatch>(&older).unwrap(), d);

        d.story = Some("fedcba9876543210".into());
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.ends_with(r#","story":"fedcba9876543210"}"#), "{json}");
        assert_eq!(serde_json::from_str::<Dispatch>(&json).unwrap(), d);
    }
}
