//! newswire-pipeline: runs sources through fetch → parse → extract → normalize → store.
//!
//! This is the glue between `newswire-ingest`, `newswire-normalize` and `newswire-store`, kept out of the
//! command line so that it can be tested: `cargo xtask ingest` and the end-to-end tests run the same code.
//! Failures are isolated: a source that cannot be fetched or parsed is reported and the run goes on; an article
//! page that cannot be fetched falls back to the feed entry's own content, and the report says so.
//!
//! # Brief overview
//!
//! - [`Pipeline`] (built by [`PipelineBuilder`]) holds the fetchers and limits.
//! - [`Pipeline::parse`] fetches one source and returns what would be stored ([`Parsed`]), storing nothing.
//! - [`Pipeline::ingest`] runs many sources into a [`Store`](newswire_store::Store) and returns a
//!   [`RunReport`] with a [`SourceReport`] per source (new, updated, unchanged, failed).
//! - [`resolve_source`] turns a command-line argument (URL or local path) into a URL.
//! - [`Worker`] checks the sources registered in the store when they are due (leases, conditional requests,
//!   adaptive intervals from [`schedule`], backoff), alone or beside other workers on one database.
//! - [`Pipeline::discover`] finds the feeds behind a URL for `sources add`.
//!
//! # Example
//!
//! ```no_run
//! use newswire_pipeline::{PipelineBuilder, resolve_source};
//! use newswire_store::SqliteStore;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let pipeline = PipelineBuilder::new().build()?;
//! let store = SqliteStore::open("newswire.db")?;
//! let source = resolve_source("fixtures/site/blogs.voa.example/feed.xml")?;
//! let report = pipeline.ingest(&[source], newswire_pipeline::shared(store), &()).await;
//! println!("{}", report.totals().new);
//! # Ok(()) }
//! ```

mod discover;
pub mod eval;
mod parse;
mod report;
mod run;
pub mod schedule;
pub mod snapshot;
mod source;
mod worker;
mod writes;

pub use crate::discover::{DiscoverError, FoundFeed};
pub use crate::parse::{PageStatus, Parsed, ParsedFeed, ParsedItem, ParsedPage};
pub use crate::report::{Counts, RunReport, SourceReport};
pub use crate::run::{
    Clock, DEFAULT_PAGE_CONCURRENCY, DEFAULT_SOURCE_CONCURRENCY, Pipeline, PipelineBuilder,
    Progress, SharedStore, shared,
};
pub use crate::source::{SourceError, resolve_source};
pub use crate::worker::{StoreGate, Worker, WorkerOptions};

/// Finds a stored dispatch by id, by URL as given, or by the URL's canonical form.
pub fn find_dispatch(
    store: &dyn newswire_store::Store,
    key: &str,
) -> Result<Option<newswire_model::Dispatch>, newswire_store::StoreError> {
    if let Some(found) = store.get(key)? {
        return Ok(Some(found));
    }
    if let Some(found) = store.get_by_url(key)? {
        return Ok(Some(found));
    }
    match newswire_normalize::urls::canonicalize(key) {
        Ok(url) => store.get_by_url(url.as_str()),
        Err(_) => Ok(None),
    }
}

pub use newswire_ingest as ingest;
pub use newswire_model as model;
pub use newswire_normalize as normalize;
pub use newswire_store as store;
