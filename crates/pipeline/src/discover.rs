//! Finding the feeds behind a URL for `sources add`: the URL itself when it is a feed, else the feeds a page
//! declares (`<link rel="alternate">`), else the first of the common feed paths that answers with a feed.

use newswire_ingest::discover;
use newswire_ingest::feed;
use newswire_ingest::fetch::{Fetched, Fetcher};
use newswire_ingest::sniff::{DocumentType, sniff};
use url::Url;

use crate::Pipeline;
use crate::run::error_chain;
use crate::source::SourceError;

/// A feed found by [`Pipeline::discover`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundFeed {
    /// The feed's URL (after permanent redirects).
    pub url: Url,
    /// Its title, from the feed or the page's link.
    pub title: Option<String>,
    /// The site the feed belongs to.
    pub site_url: Option<String>,
    /// How it was found.
    pub how: &'static str,
}

/// Why no feed was found.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoverError {
    /// The URL itself could not be fetched or was not usable.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The page declares no feed and none of the common paths answered with one.
    #[error(
        "{url} is a web page that declares no feed, and none of {tried} common feed paths has one"
    )]
    NoFeed {
        /// The page.
        url: Url,
        /// How many paths were tried.
        tried: usize,
    },
}

impl Pipeline {
    /// Finds the feeds behind `url`: the URL itself when it is a feed, else the page's declared feeds in
    /// document order (the first is the site's main feed by convention), else the first common path that
    /// serves a feed. A declared feed that does not answer with a feed is skipped.
    pub async fn discover(&self, url: &Url) -> Result<Vec<FoundFeed>, DiscoverError> {
        let fetcher = self.fetcher_for_source(url);
        let fetched = fetcher
            .fetch(url)
            .await
            .map_err(|e| DiscoverError::Source(e.into()))?;
        if let Some(found) = as_feed(url, &fetched, "the URL is a feed") {
            return Ok(vec![found]);
        }
        if sniff(&fetched.body, fetched.content_type.as_deref()) != DocumentType::Html {
            return Err(DiscoverError::Source(SourceError::Unrecognised {
                url: fetched.url.to_string(),
                what: "neither a feed nor a web page",
            }));
        }
        let page_url = fetched.url.clone();
        let mut found = Vec::new();
        for link in discover::feed_links(&fetched.body, &page_url, fetched.content_type.as_deref())
        {
            match check(fetcher, &link.url, "declared by the page").await {
                Ok(Some(mut feed)) => {
                    if feed.title.is_none() {
                        feed.title = link.title.clone();
                    }
                    if !found.iter().any(|f: &FoundFeed| f.url == feed.url) {
                        found.push(feed);
                    }
                }
                Ok(None) => {
                    tracing::info!(url = %link.url, kind = ?link.kind, "declared feed is not a feed")
                }
                Err(err) => tracing::info!(url = %link.url, error = %err, "declared feed failed"),
            }
        }
        if !found.is_empty() {
            return Ok(found);
        }
        let candidates = discover::candidate_urls(&page_url);
        let tried = candidates.len();
        for candidate in candidates {
            if let Ok(Some(feed)) = check(fetcher, &candidate, "found at a common path").await {
                return Ok(vec![feed]);
            }
        }
        Err(DiscoverError::NoFeed {
            url: page_url,
            tried,
        })
    }
}

async fn check(
    fetcher: &Fetcher,
    url: &Url,
    how: &'static str,
) -> Result<Option<FoundFeed>, String> {
    let fetched = fetcher.fetch(url).await.map_err(|e| error_chain(&e))?;
    Ok(as_feed(url, &fetched, how))
}

/// The feed `fetched` is, registered under the URL requested unless it moved for good (a temporary redirect
/// does not change where the feed lives).
fn as_feed(requested: &Url, fetched: &Fetched, how: &'static str) -> Option<FoundFeed> {
    match sniff(&fetched.body, fetched.content_type.as_deref()) {
        DocumentType::Feed | DocumentType::OtherXml => {}
        _ => return None,
    }
    let parsed =
        feed::parse_feed(&fetched.body, &fetched.url, fetched.content_type.as_deref()).ok()?;
    Some(FoundFeed {
        url: fetched
            .moved_to
            .clone()
            .unwrap_or_else(|| requested.clone()),
        title: parsed.title,
        site_url: parsed.link,
        how,
    })
}
