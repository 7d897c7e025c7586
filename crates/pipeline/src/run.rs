//! The [`Pipeline`]: fetching sources and their pages, and storing what they yield.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use newswire_ingest::fetch::{Fetched, Fetcher, FetcherBuilder};
use newswire_ingest::sniff::{DocumentType, sniff};
use newswire_ingest::{extract, feed, html};
use newswire_model::{Entry, Feed, Page, render_text};
use newswire_normalize::{Input, normalize};
use newswire_store::{Outcome, Store};
use url::Url;

use crate::parse::{PageStatus, Parsed, ParsedFeed, ParsedItem, ParsedPage};
use crate::report::{RunReport, SourceReport};
use crate::source::SourceError;

/// The clock the pipeline stamps `fetched_at` with; replaceable for deterministic runs.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// A store shared by the tasks of a run.
pub type SharedStore = Arc<Mutex<Box<dyn Store>>>;

/// Wraps a store for [`Pipeline::ingest`].
pub fn shared(store: impl Store + 'static) -> SharedStore {
    Arc::new(Mutex::new(Box::new(store)))
}

/// Receives progress as a run goes; `()` ignores it.
pub trait Progress: Sync {
    /// A source is about to be fetched.
    fn source_started(&self, _source: &Url) {}
    /// A source is done.
    fn source_finished(&self, _report: &SourceReport) {}
}

impl Progress for () {}

/// Builds a [`Pipeline`].
#[derive(Clone)]
pub struct PipelineBuilder {
    fetch: FetcherBuilder,
    fetch_pages: bool,
    page_concurrency: usize,
    source_concurrency: usize,
    max_entries: usize,
    clock: Clock,
}

impl Default for PipelineBuilder {
    fn default() -> Self {
        PipelineBuilder::new()
    }
}

impl PipelineBuilder {
    /// Defaults: article pages fetched, 4 pages and 4 sources at a time, at most 500 entries per feed, the
    /// system clock, and [`FetcherBuilder`]'s limits.
    pub fn new() -> PipelineBuilder {
        PipelineBuilder {
            fetch: FetcherBuilder::new(),
            fetch_pages: true,
            page_concurrency: 4,
            source_concurrency: 4,
            max_entries: 500,
            clock: Arc::new(Utc::now),
        }
    }

    /// The fetch limits and User-Agent.
    pub fn fetcher(mut self, fetch: FetcherBuilder) -> PipelineBuilder {
        self.fetch = fetch;
        self
    }

    /// Whether each feed entry's article page is fetched and extracted (default true).
    pub fn fetch_pages(mut self, yes: bool) -> PipelineBuilder {
        self.fetch_pages = yes;
        self
    }

    /// How many article pages of one feed are fetched at once.
    pub fn page_concurrency(mut self, n: usize) -> PipelineBuilder {
        self.page_concurrency = n.max(1);
        self
    }

    /// How many sources are processed at once.
    pub fn source_concurrency(mut self, n: usize) -> PipelineBuilder {
        self.source_concurrency = n.max(1);
        self
    }

    /// The most entries taken from one feed (the first ones in document order).
    pub fn max_entries(mut self, n: usize) -> PipelineBuilder {
        self.max_entries = n;
        self
    }

    /// The clock for `fetched_at`.
    pub fn clock(mut self, clock: Clock) -> PipelineBuilder {
        self.clock = clock;
        self
    }

    /// Builds the pipeline.
    pub fn build(self) -> Result<Pipeline, newswire_ingest::fetch::BuildError> {
        let web = self.fetch.clone().allow_files(false).build()?;
        let local = self.fetch.clone().allow_files(true).build()?;
        Ok(Pipeline {
            web,
            local,
            options: self,
        })
    }
}

/// Runs sources through fetch, parse, extract, normalize and store.
#[derive(Clone)]
pub struct Pipeline {
    /// For sources on the web: `file://` links inside them are refused.
    web: Fetcher,
    /// For local sources, whose relative links point at local files.
    local: Fetcher,
    options: PipelineBuilder,
}

impl Pipeline {
    /// Fetches a source and makes its dispatches, storing nothing.
    pub async fn parse(&self, source: &Url) -> Result<Parsed, SourceError> {
        let fetcher = self.fetcher_for(source);
        let fetched = fetcher.fetch(source).await?;
        let fetched_at = (self.options.clock)();
        self.parse_fetched(fetched, fetched_at).await
    }

    /// Makes the dispatches of a document already in hand (a saved page or feed), as if fetched from `url`.
    /// For a feed, article pages are fetched when the pipeline fetches pages.
    pub async fn parse_bytes(
        &self,
        bytes: Vec<u8>,
        url: Url,
        content_type: Option<String>,
    ) -> Result<Parsed, SourceError> {
        let fetched_at = (self.options.clock)();
        let fetched = Fetched {
            url,
            status: 200,
            content_type,
            etag: None,
            last_modified: None,
            body: bytes,
        };
        self.parse_fetched(fetched, fetched_at).await
    }

    async fn parse_fetched(
        &self,
        fetched: Fetched,
        fetched_at: DateTime<Utc>,
    ) -> Result<Parsed, SourceError> {
        let content_type = fetched.content_type.as_deref();
        match sniff(&fetched.body, content_type) {
            DocumentType::Feed | DocumentType::OtherXml => {
                let feed = feed::parse_feed(&fetched.body, &fetched.url, content_type).map_err(
                    |source| SourceError::Feed {
                        url: fetched.url.to_string(),
                        source,
                    },
                )?;
                Ok(Parsed::Feed(
                    self.parse_entries(feed, &fetched.url, fetched_at).await,
                ))
            }
            DocumentType::Html if content_type.is_some_and(claims_feed) => {
                Err(SourceError::HtmlAsFeed {
                    url: fetched.url.to_string(),
                    content_type: content_type.unwrap_or_default().to_owned(),
                })
            }
            DocumentType::Html => {
                let page = extract::extract_page(&fetched.body, &fetched.url, content_type);
                let dispatch = normalize(&Input {
                    fetched_at,
                    feed: None,
                    entry: None,
                    entry_summary: None,
                    page: Some(&page),
                })
                .map_err(|err| err.to_string());
                Ok(Parsed::Page(ParsedPage {
                    url: fetched.url.to_string(),
                    page,
                    dispatch,
                }))
            }
            DocumentType::Unknown => {
                let what = if fetched.body.iter().take(1024).any(|&b| b == 0 || b < 0x09) {
                    "binary data"
                } else if fetched.body.trim_ascii().is_empty() {
                    "empty document"
                } else {
                    "no markup found"
                };
                Err(SourceError::Unrecognised {
                    url: fetched.url.to_string(),
                    what,
                })
            }
        }
    }

    async fn parse_entries(
        &self,
        mut feed: Feed,
        feed_url: &Url,
        fetched_at: DateTime<Utc>,
    ) -> ParsedFeed {
        let mut entries = std::mem::take(&mut feed.entries);
        if entries.len() > self.options.max_entries {
            feed.warnings.push(format!(
                "feed has {} entries; only the first {} were taken",
                entries.len(),
                self.options.max_entries
            ));
            entries.truncate(self.options.max_entries);
        }
        let fetcher = self.fetcher_for(feed_url);
        let feed_ref = &feed;
        let feed_url_str = feed_url.as_str();
        let items = futures_util::stream::iter(entries)
            .map(|entry| async move {
                let (page, status) = self.fetch_page(fetcher, &entry).await;
                let summary = entry
                    .summary_html
                    .as_deref()
                    .map(|h| render_text(&html::fragment_blocks(h)));
                let input = Input {
                    fetched_at,
                    feed: Some((feed_ref, feed_url_str)),
                    entry: Some(&entry),
                    entry_summary: summary.as_deref(),
                    page: page.as_ref(),
                };
                let dispatch = normalize(&input).map_err(|err| err.to_string());
                ParsedItem {
                    entry,
                    page: status,
                    dispatch,
                }
            })
            .buffered(self.options.page_concurrency)
            .collect()
            .await;
        ParsedFeed {
            url: feed_url.to_string(),
            feed,
            items,
        }
    }

    async fn fetch_page(&self, fetcher: &Fetcher, entry: &Entry) -> (Option<Page>, PageStatus) {
        if !self.options.fetch_pages {
            return (None, PageStatus::NotFetched);
        }
        let Some(link) = entry.link.as_deref().and_then(|l| Url::parse(l).ok()) else {
            return (None, PageStatus::NotFetched);
        };
        let fetched = match fetcher.fetch(&link).await {
            Ok(fetched) => fetched,
            Err(err) => return (None, PageStatus::Failed(error_chain(&err))),
        };
        match sniff(&fetched.body, fetched.content_type.as_deref()) {
            DocumentType::Html => {}
            _ if fetched
                .content_type
                .as_deref()
                .is_some_and(|ct| ct.contains("html")) => {}
            _ => {
                return (
                    None,
                    PageStatus::Failed(format!("{} is not an HTML page", fetched.url)),
                );
            }
        }
        let page =
            extract::extract_page(&fetched.body, &fetched.url, fetched.content_type.as_deref());
        let status = if page.body.is_empty() {
            PageStatus::Empty
        } else {
            PageStatus::Extracted
        };
        (Some(page), status)
    }

    fn fetcher_for(&self, source: &Url) -> &Fetcher {
        if source.scheme() == "file" {
            &self.local
        } else {
            &self.web
        }
    }

    /// Ingests sources into `store`, several at a time, and reports on each. Never fails as a whole: a failing
    /// source is reported and the others go on.
    pub async fn ingest(
        &self,
        sources: &[Url],
        store: SharedStore,
        progress: &dyn Progress,
    ) -> RunReport {
        let reports = futures_util::stream::iter(sources)
            .map(|source| {
                let store = Arc::clone(&store);
                async move {
                    progress.source_started(source);
                    let report = self.ingest_one(source, store).await;
                    progress.source_finished(&report);
                    report
                }
            })
            .buffered(self.options.source_concurrency)
            .collect()
            .await;
        RunReport { sources: reports }
    }

    async fn ingest_one(&self, source: &Url, store: SharedStore) -> SourceReport {
        let mut report = SourceReport {
            source: source.to_string(),
            ..SourceReport::default()
        };
        let parsed = match self.parse(source).await {
            Ok(parsed) => parsed,
            Err(err) => {
                tracing::info!(source = %source, error = %error_chain(&err), "source failed");
                report.error = Some(error_chain(&err));
                return report;
            }
        };
        let mut dispatches = Vec::new();
        match parsed {
            Parsed::Feed(feed) => {
                report.kind = Some("feed");
                report.warnings = feed.feed.warnings;
                for item in feed.items {
                    let label = item
                        .entry
                        .link
                        .clone()
                        .or(item.entry.guid.clone())
                        .unwrap_or_default();
                    match (&item.page, item.dispatch) {
                        (_, Err(err)) => {
                            report.counts.failed += 1;
                            report.failures.push(format!("{label}: {err}"));
                        }
                        (page, Ok(dispatch)) => {
                            match page {
                                PageStatus::Failed(reason) => {
                                    report.fallbacks.push(format!("{label}: {reason}; stored the feed's content"));
                                }
                                PageStatus::Empty => report
                                    .fallbacks
                                    .push(format!("{label}: no article found on the page; stored the feed's content")),
                                PageStatus::Extracted | PageStatus::NotFetched => {}
                            }
                            dispatches.push(dispatch);
                        }
                    }
                }
            }
            Parsed::Page(page) => {
                report.kind = Some("page");
                report.warnings = page.page.warnings;
                match page.dispatch {
                    Ok(dispatch) => dispatches.push(dispatch),
                    Err(err) => {
                        report.counts.failed += 1;
                        report.failures.push(format!("{}: {err}", page.url));
                    }
                }
            }
        }
        for dispatch in &dispatches {
            report.notes.extend(
                dispatch
                    .warnings
                    .iter()
                    .map(|w| format!("{}: {w}", dispatch.url)),
            );
        }
        let outcomes = tokio::task::spawn_blocking(move || {
            let mut store = store
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            dispatches
                .iter()
                .map(|dispatch| (dispatch.url.clone(), store.upsert(dispatch)))
                .collect::<Vec<_>>()
        })
        .await;
        match outcomes {
            Ok(outcomes) => {
                for (url, outcome) in outcomes {
                    match outcome {
                        Ok(Outcome::New) => report.counts.new += 1,
                        Ok(Outcome::Updated { .. }) => report.counts.updated += 1,
                        Ok(Outcome::Unchanged | Outcome::KeptBetter) => {
                            report.counts.unchanged += 1
                        }
                        Err(err) => {
                            report.counts.failed += 1;
                            report
                                .failures
                                .push(format!("{url}: {}", error_chain(&err)));
                        }
                    }
                }
            }
            Err(join_err) => report.error = Some(format!("storing failed: {join_err}")),
        }
        tracing::info!(source = %source, new = report.counts.new, updated = report.counts.updated,
            unchanged = report.counts.unchanged, failed = report.counts.failed, "source done");
        report
    }
}

/// Whether a `Content-Type` promises a feed (`application/rss+xml`, `application/atom+xml`, `text/xml`, ...).
fn claims_feed(content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    mime.contains("rss")
        || mime.contains("atom")
        || mime.ends_with("/xml")
        || mime.contains("feed+json")
}

/// An error and its sources, joined with ": ", as anyhow's `{:#}` would print it.
pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}
