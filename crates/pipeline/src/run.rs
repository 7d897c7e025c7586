//! The [`Pipeline`]: fetching sources and their pages, and storing what they yield.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use newswire_ingest::fetch::{Fetched, Fetcher, FetcherBuilder};
use newswire_ingest::robots::{RobotsCache, Verdict};
use newswire_ingest::sniff::{DocumentType, sniff};
use newswire_ingest::{extract, feed, html};
use newswire_model::{Entry, Feed, Page, render_text};
use newswire_normalize::{Input, normalize};
use newswire_store::{Outcome, Store};
use url::Url;

use crate::parse::{PageStatus, Parsed, ParsedFeed, ParsedItem, ParsedPage};
use crate::report::{RunReport, SourceReport};
use crate::source::SourceError;
use crate::writes::Writes;

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

/// How many sources a pipeline processes at once unless told otherwise
/// ([`PipelineBuilder::source_concurrency`]): more than the hosts a subscription list usually spans, so that
/// every host with due sources is kept busy while the fetcher's per-host limits keep each one polite (a
/// source's check is paced by its host, and with fewer sources in flight than hosts some hosts would idle).
pub const DEFAULT_SOURCE_CONCURRENCY: usize = 64;

/// How many article pages of one feed are fetched at once unless told otherwise
/// ([`PipelineBuilder::page_concurrency`]).
pub const DEFAULT_PAGE_CONCURRENCY: usize = 4;

/// Builds a [`Pipeline`].
#[derive(Clone)]
pub struct PipelineBuilder {
    fetch: FetcherBuilder,
    fetch_pages: bool,
    page_concurrency: usize,
    source_concurrency: usize,
    max_entries: usize,
    respect_robots: bool,
    clock: Clock,
}

impl Default for PipelineBuilder {
    fn default() -> Self {
        PipelineBuilder::new()
    }
}

impl PipelineBuilder {
    /// Defaults: article pages fetched, [`DEFAULT_PAGE_CONCURRENCY`] pages of a feed and
    /// [`DEFAULT_SOURCE_CONCURRENCY`] sources at a time, at most 500 entries per feed, the system clock, and
    /// [`FetcherBuilder`]'s limits.
    pub fn new() -> PipelineBuilder {
        PipelineBuilder {
            fetch: FetcherBuilder::new(),
            fetch_pages: true,
            page_concurrency: DEFAULT_PAGE_CONCURRENCY,
            source_concurrency: DEFAULT_SOURCE_CONCURRENCY,
            max_entries: 500,
            respect_robots: true,
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

    /// How many sources are processed at once (a [`Worker`](crate::Worker) counts the sources being fetched:
    /// one whose dispatches are being stored no longer takes a place).
    pub fn source_concurrency(mut self, n: usize) -> PipelineBuilder {
        self.source_concurrency = n.max(1);
        self
    }

    /// The most entries taken from one feed (the first ones in document order).
    pub fn max_entries(mut self, n: usize) -> PipelineBuilder {
        self.max_entries = n;
        self
    }

    /// Whether robots.txt is fetched and honoured for article pages (default true).
    pub fn respect_robots(mut self, yes: bool) -> PipelineBuilder {
        self.respect_robots = yes;
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
        // The local fetcher shares the web fetcher's limits, so links inside local files are paced too.
        let local = self
            .fetch
            .clone()
            .allow_files(true)
            .politeness(Arc::clone(web.politeness()))
            .build()?;
        Ok(Pipeline {
            web,
            local,
            robots: Arc::new(RobotsCache::default()),
            writes: Arc::default(),
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
    robots: Arc<RobotsCache>,
    /// Batches waiting for their store, written together (see [`crate::writes`]).
    writes: Arc<Writes>,
    options: PipelineBuilder,
}

impl Pipeline {
    /// Fetches a source and makes its dispatches, storing nothing.
    pub async fn parse(&self, source: &Url) -> Result<Parsed, SourceError> {
        self.parse_following(source).await.1
    }

    /// Fetches a source and makes its dispatches, storing nothing; also says where the source moved for good,
    /// by a permanent redirect (even when the document then fails) or, failing that, by the feed's own word.
    async fn parse_following(&self, source: &Url) -> (Option<String>, Result<Parsed, SourceError>) {
        let fetched = match self.fetcher_for(source).fetch(source).await {
            Ok(fetched) => fetched,
            Err(err) => return (None, Err(err.into())),
        };
        let redirected = moved(source, fetched.moved_to.as_ref());
        let fetched_at = (self.options.clock)();
        let parsed = self.parse_fetched(fetched, fetched_at, None).await;
        (moved_or_stated(redirected, source, &parsed), parsed)
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
        let fetched = Fetched::from_bytes(url, content_type, bytes);
        self.parse_fetched(fetched, fetched_at, None).await
    }

    /// Parses a fetched source document. `scope` is the URL that scopes bare GUIDs (a registered source's
    /// original URL, so a feed that moved keeps its dispatch ids); the fetched URL when `None`.
    pub(crate) async fn parse_fetched(
        &self,
        fetched: Fetched,
        fetched_at: DateTime<Utc>,
        scope: Option<&Url>,
    ) -> Result<Parsed, SourceError> {
        let content_type = fetched.content_type.as_deref();
        match sniff(&fetched.body, content_type) {
            DocumentType::Feed | DocumentType::OtherXml => {
                let (body, url, content_type) = (
                    fetched.body,
                    fetched.url.clone(),
                    fetched.content_type.clone(),
                );
                let parsed = off_runtime(move || {
                    feed::parse_feed(&body, &url, content_type.as_deref()).map_err(|source| {
                        SourceError::Feed {
                            url: url.to_string(),
                            source,
                        }
                    })
                })
                .await;
                let feed = match parsed {
                    Ok(parsed) => parsed?,
                    Err(why) => {
                        return Err(SourceError::Unrecognised {
                            url: fetched.url.to_string(),
                            what: why,
                        });
                    }
                };
                Ok(Parsed::Feed(
                    self.parse_entries(
                        feed,
                        &fetched.url,
                        scope.unwrap_or(&fetched.url),
                        fetched_at,
                    )
                    .await,
                ))
            }
            DocumentType::Html if content_type.is_some_and(claims_feed) => {
                Err(SourceError::HtmlAsFeed {
                    url: fetched.url.to_string(),
                    content_type: content_type.unwrap_or_default().to_owned(),
                })
            }
            DocumentType::Html => {
                let url = fetched.url.clone();
                let page = off_runtime(move || {
                    extract::extract_page(
                        &fetched.body,
                        &fetched.url,
                        fetched.content_type.as_deref(),
                    )
                })
                .await
                .map_err(|what| SourceError::Unrecognised {
                    url: url.to_string(),
                    what,
                })?;
                let dispatch = normalize(&Input {
                    fetched_at,
                    feed: None,
                    entry: None,
                    entry_summary: None,
                    page: Some(&page),
                })
                .map_err(|err| err.to_string());
                Ok(Parsed::Page(ParsedPage {
                    url: url.to_string(),
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
        scope: &Url,
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
        let feed_url_str = scope.as_str();
        let items = futures_util::stream::iter(entries)
            .map(|mut entry| async move {
                let (page, status) = self.fetch_page(fetcher, &entry).await;
                // The feed's own text is the body only when the page gives none: its blocks are made then.
                if page.as_ref().is_none_or(|p| p.body.is_empty()) {
                    entry.body = feed::entry_body(&entry);
                }
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
        if self.options.respect_robots {
            if let Verdict::Disallowed(why) = self.robots.check(fetcher, &link).await {
                return (None, PageStatus::Failed(why));
            }
            // A Crawl-delay slows every later request to that host, feeds included.
            if let Some(delay) = self.robots.crawl_delay(&link) {
                let host = link.host_str().unwrap_or_default().to_ascii_lowercase();
                fetcher.politeness().set_host_delay(&host, delay);
            }
        }
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
        let url = fetched.url.clone();
        let page = match off_runtime(move || {
            extract::extract_page(&fetched.body, &fetched.url, fetched.content_type.as_deref())
        })
        .await
        {
            Ok(page) => page,
            Err(why) => return (None, PageStatus::Failed(format!("{url}: {why}"))),
        };
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
        let (moved_to, parsed) = self.parse_following(source).await;
        report.moved_to = moved_to;
        match parsed {
            Ok(parsed) => {
                self.store_parsed(parsed, &mut report, store).await;
            }
            Err(err) => {
                tracing::info!(source = %source, error = %error_chain(&err), "source failed");
                report.error = Some(error_chain(&err));
            }
        }
        report
    }

    /// Stores what a source yielded, counting into `report`; returns what scheduling needs to know.
    pub(crate) async fn store_parsed(
        &self,
        parsed: Parsed,
        report: &mut SourceReport,
        store: SharedStore,
    ) -> Yield {
        let mut dispatches = Vec::new();
        let mut yielded = Yield::default();
        match parsed {
            Parsed::Feed(feed) => {
                report.kind = Some("feed");
                yielded.title = feed.feed.title.clone();
                yielded.ttl = feed
                    .feed
                    .ttl_minutes
                    .map(|m| std::time::Duration::from_secs(u64::from(m) * 60));
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
                yielded.title = page.page.site_name.clone();
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
            if let Some(instant) = dispatch.published_at.as_ref().and_then(|t| t.instant()) {
                yielded.published.push(instant);
            }
        }
        let urls: Vec<String> = dispatches.iter().map(|d| d.url.clone()).collect();
        match self.writes.store(&store, dispatches).await {
            Ok(outcomes) => {
                for (url, outcome) in urls.into_iter().zip(outcomes) {
                    match outcome {
                        Ok(Outcome::New) => report.counts.new += 1,
                        Ok(Outcome::Updated { .. }) => report.counts.updated += 1,
                        // Unchanged, kept the better version, a stale copy: nothing written.
                        Ok(_) => report.counts.unchanged += 1,
                        Err(err) => {
                            report.counts.failed += 1;
                            report
                                .failures
                                .push(format!("{url}: {}", error_chain(&err)));
                        }
                    }
                }
            }
            Err(message) => report.error = Some(message),
        }
        tracing::info!(source = %report.source, new = report.counts.new, updated = report.counts.updated,
            unchanged = report.counts.unchanged, failed = report.counts.failed, "source done");
        yielded
    }

    /// The fetcher for a source URL (`file://` sources may read local files).
    pub(crate) fn fetcher_for_source(&self, source: &Url) -> &Fetcher {
        self.fetcher_for(source)
    }

    /// Runs `f` on `store` on the writer thread, ahead of the batches waiting to be written there, so that a
    /// short store call (a lease, a check's record) never queues behind a run of large transactions.
    pub(crate) async fn with_store<T: Send + 'static>(
        &self,
        store: &SharedStore,
        f: impl FnOnce(&mut dyn Store) -> Result<T, newswire_store::StoreError> + Send + 'static,
    ) -> Result<T, newswire_store::StoreError> {
        self.writes.run(store, f).await
    }

    /// The clock.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        (self.options.clock)()
    }

    /// How many sources are processed at once.
    pub(crate) fn source_concurrency(&self) -> usize {
        self.options.source_concurrency
    }
}

/// What storing a source's document told the scheduler.
#[derive(Debug, Default)]
pub(crate) struct Yield {
    /// The instants of the entries' publication times.
    pub published: Vec<DateTime<Utc>>,
    /// The feed's own refresh hint (`ttl`, `sy:`).
    pub ttl: Option<std::time::Duration>,
    /// The feed's title (or the page's site name).
    pub title: Option<String>,
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

/// Runs CPU-bound work (parsing, extraction) on the blocking pool, so that it spreads over the cores and
/// never stalls the sources and pages waiting on the network. The error is what to report should the work
/// panic (it never should; a panic is a bug).
async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, &'static str> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| "the parser failed unexpectedly (a bug: please report it)")
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

/// The new URL of a source that moved for good, when it differs from the one requested.
pub(crate) fn moved(requested: &Url, moved_to: Option<&Url>) -> Option<String> {
    moved_to
        .filter(|to| *to != requested)
        .map(|to| to.to_string())
}

/// Where a source moved for good: `redirected` (a permanent redirect, [`moved`]) when there is one; failing that,
/// where the feed says it moved ([`stated_move`]), when it parsed.
pub(crate) fn moved_or_stated<E>(
    redirected: Option<String>,
    requested: &Url,
    parsed: &Result<Parsed, E>,
) -> Option<String> {
    redirected.or_else(|| {
        parsed
            .as_ref()
            .ok()
            .and_then(|parsed| stated_move(requested, parsed))
    })
}

/// Where a feed fetched over the web says it has moved for good (`itunes:new-feed-url`, `newLocation`), taken as
/// a permanent redirect would be: only an `http` or `https` URL other than the one requested. Many feeds state
/// their own URL there; that moves nothing. A local file does not move.
fn stated_move(requested: &Url, parsed: &Parsed) -> Option<String> {
    let Parsed::Feed(feed) = parsed else {
        return None;
    };
    if !matches!(requested.scheme(), "http" | "https") {
        return None;
    }
    let to = Url::parse(feed.feed.new_location.as_deref()?).ok()?;
    if !matches!(to.scheme(), "http" | "https") {
        return None;
    }
    moved(requested, Some(&to))
}
