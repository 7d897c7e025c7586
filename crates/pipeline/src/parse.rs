//! What a source says, as dispatches, without storing anything.

use newswire_model::{Dispatch, Entry, Feed, Page};
use serde::Serialize;

/// A parsed source: a feed with its items, or a single article page.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
// One value per source, moved a handful of times: boxing a variant would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Parsed {
    /// A feed document.
    Feed(ParsedFeed),
    /// An article page.
    Page(ParsedPage),
}

impl Parsed {
    /// The dispatches that would be stored, in document order.
    pub fn dispatches(&self) -> Vec<&Dispatch> {
        match self {
            Parsed::Feed(feed) => feed
                .items
                .iter()
                .filter_map(|item| item.dispatch.as_ref().ok())
                .collect(),
            Parsed::Page(page) => page.dispatch.as_ref().ok().into_iter().collect(),
        }
    }
}

/// A parsed feed: its metadata, warnings, and one [`ParsedItem`] per entry.
#[derive(Clone, Debug, Serialize)]
pub struct ParsedFeed {
    /// Where the feed was read from.
    pub url: String,
    /// The feed's own metadata and warnings (its `entries` are moved into `items`).
    pub feed: Feed,
    /// One per entry, in document order.
    pub items: Vec<ParsedItem>,
}

/// One feed entry, what happened to its article page, and the dispatch made from both.
#[derive(Clone, Debug, Serialize)]
pub struct ParsedItem {
    /// The entry as the feed states it.
    pub entry: Entry,
    /// What happened to the article page.
    pub page: PageStatus,
    /// The dispatch, or why none could be made.
    #[serde(serialize_with = "serialize_result")]
    pub dispatch: Result<Dispatch, String>,
}

/// What happened to an entry's article page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "detail", rename_all = "snake_case")]
pub enum PageStatus {
    /// Fetched and extracted; the dispatch's body comes from it.
    Extracted,
    /// Fetched and extracted, but no article body was found on it.
    Empty,
    /// Not fetched: the entry has no link, or page fetching is off.
    NotFetched,
    /// The page could not be fetched or was not HTML.
    Failed(String),
}

/// A single article page and its dispatch.
#[derive(Clone, Debug, Serialize)]
pub struct ParsedPage {
    /// Where the page was read from.
    pub url: String,
    /// What extraction found.
    pub page: Page,
    /// The dispatch, or why none could be made.
    #[serde(serialize_with = "serialize_result")]
    pub dispatch: Result<Dispatch, String>,
}

fn serialize_result<S: serde::Serializer>(
    res: &Result<Dispatch, String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Failure<'a> {
        error: &'a str,
    }
    match res {
        Ok(dispatch) => dispatch.serialize(serializer),
        Err(error) => Failure { error }.serialize(serializer),
    }
}
