//! newswire-store: where dispatches live, idempotently and with their history, and the registry of sources.
//!
//! The [`Store`] trait is the one storage interface the pipeline uses. It has two engines: [`SqliteStore`], the
//! embedded default (a single file, no server), and [`PgStore`], for PostgreSQL; [`open`] picks one from a
//! database string. Both run their schema migrations on open. Storing is idempotent: a dispatch is keyed by its
//! id (derived from its canonical URL), storing the same dispatch again changes nothing, and a dispatch whose
//! content changed becomes a new revision with every earlier version kept.
//!
//! Dispatches can be searched by their words ([`Store::search`]: ranked, filtered by time and source, with marked
//! snippets; SQLite FTS5 or PostgreSQL full-text search), and dispatches that carry the same story (a wire
//! dispatch syndicated by several sites, or republished with small edits) are grouped into a story when they
//! are stored ([`Store::story`], and [`Dispatch::story`] on every dispatch read back).
//!
//! The store also keeps the sources to check, with their schedule and the result of their last check. Several
//! workers (threads, processes, machines) can share one database: each leases the due sources it will check,
//! a lease expires so a dead worker's sources go to another, and a check is recorded only while its worker
//! still holds the lease. Requests to one host are spaced across workers through shared per-host slots.
//!
//! # Brief overview
//!
//! - [`Store`]: dispatches (`upsert`, `upsert_many`, `get`, `export`, `revisions`, `count`, `search`, `story`) and
//!   sources (`add_source`, `remove_source`, `sources`, `source`, `lease_due`, `finish_check`, `holds_lease`,
//!   `renew_lease`, `release_lease`, `next_due`, `reserve_host_slot`).
//! - [`Outcome`]: what an upsert did (new, updated, unchanged).
//! - [`SearchQuery`], [`SearchHit`]: a full-text search and what it finds; [`StoryMember`]: one dispatch of a
//!   story.
//! - [`Source`], [`NewSource`], [`AddOutcome`]: a registered source, one to add, and what adding it found.
//! - [`CheckRecord`], [`CheckStatus`]: what one check of a source found, written back by
//!   [`Store::finish_check`].
//! - [`open`]: a `postgres://` URL opens a [`PgStore`], anything else is a SQLite file.
//! - [`SqliteStore`]: the SQLite engine (WAL mode, busy timeout, versioned schema).
//! - [`PgStore`]: the PostgreSQL engine (safe for several processes storing, leasing and migrating at once).
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//!
//! use newswire_store::{NewSource, Store};
//!
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("news.db");
//! let mut store = newswire_store::open(path.to_str().unwrap())?;
//! assert_eq!(store.count()?, 0);
//!
//! let now = chrono::Utc::now();
//! let feed = NewSource {
//!     url: "https://example.com/feed.xml".into(),
//!     ..NewSource::default()
//! };
//! store.add_source(&feed, now)?;
//! // A new source is due at once; this worker has it for ten minutes.
//! let leased = store.lease_due("worker-1", now, Duration::from_secs(600), 16)?;
//! assert_eq!(leased.len(), 1);
//! assert_eq!(leased[0].lease_owner.as_deref(), Some("worker-1"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod batch;
mod postgres;
mod rows;
mod similar;
mod sources;
mod sqlite;
mod text;

use std::time::Duration;

use chrono::{DateTime, Utc};
use newswire_model::{Dispatch, SourceRef, StatedTime};

pub use crate::batch::Prepared;
pub use crate::postgres::PgStore;
pub use crate::sources::{
    AddOutcome, CheckRecord, CheckStatus, DEFAULT_INTERVAL_SECS, NewSource, Source,
};
pub use crate::sqlite::SqliteStore;

/// The cause inside a [`StoreError`]: the engine's own error (`rusqlite::Error`, `postgres::Error`) or an I/O
/// error, boxed so the error type is the same whichever engine is used.
pub type EngineError = Box<dyn std::error::Error + Send + Sync>;

/// What [`Store::upsert`] (or [`Store::upsert_many`]) did with a dispatch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Not seen before: stored as revision 1.
    New,
    /// Seen before with different content: stored as a new revision; earlier revisions kept.
    Updated {
        /// The new revision number (2 or more).
        revision: u32,
    },
    /// Seen before with the same content: nothing written.
    Unchanged,
    /// A version built from the feed alone (the article page failed) was not allowed to replace a stored
    /// version extracted from the page: nothing written.
    KeptBetter,
    /// A stale copy: listed by another feed than the one the current version came through, with the title and
    /// text of an earlier revision (a section feed or a cache that has not caught up). Nothing written; without
    /// this, reading the two feeds in turn would store a revision at every read. Through the feed of the current
    /// version, the same text is a revision like any other change (an editor's revert).
    Stale,
}

/// One stored version of a dispatch.
#[derive(Clone, Debug, PartialEq)]
pub struct Revision {
    /// 1 for the first version, counting up.
    pub revision: u32,
    /// When this version was fetched.
    pub recorded_at: DateTime<Utc>,
    /// The dispatch as it was.
    pub dispatch: Dispatch,
}

/// Which dispatches [`Store::export`] returns: those whose publication time (or, lacking one, fetch time) falls
/// in `[since, until)`. Zone-less times are compared as if they were UTC.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportFilter {
    /// Inclusive lower bound.
    pub since: Option<DateTime<Utc>>,
    /// Exclusive upper bound.
    pub until: Option<DateTime<Utc>>,
}

/// The most matches of one search that are ranked: see [`SearchQuery`].
pub const RANKED_MATCHES: usize = 2_000;

/// What [`Store::search`] looks for.
///
/// Every word of `text` must occur in the dispatch's title or body (case and accents ignored: `cafe` finds
/// `Café`); anything else in it (quotes, operators, punctuation) is ignored, so no input is a syntax error.
/// Words match whole: `right` does not find `rights`.
///
/// # Common words
///
/// Ranking every match of a word found in most dispatches would take seconds in a large store, so at most
/// [`RANKED_MATCHES`] matches (after the time and source filters) are ranked, and the hits are the best of those:
/// in SQLite the most recently stored, in PostgreSQL the first the index yields. A query that matches fewer
/// is ranked whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery {
    /// The words to find.
    pub text: String,
    /// Only dispatches whose publication time (or, lacking one, fetch time) is at or after this.
    pub since: Option<DateTime<Utc>>,
    /// Only dispatches whose publication time (or fetch time) is before this.
    pub until: Option<DateTime<Utc>>,
    /// Only dispatches from this source: the exact URL of the feed they came through, or a site's host
    /// (`blogs.voa.example`), which also covers its subdomains (`voa.example` covers `blogs.voa.example`).
    pub source: Option<String>,
    /// The most hits returned, best first.
    pub limit: usize,
}

impl SearchQuery {
    /// How many hits a query returns unless told otherwise.
    pub const DEFAULT_LIMIT: usize = 20;

    /// A search for `text` over everything, returning up to [`SearchQuery::DEFAULT_LIMIT`] hits.
    pub fn new(text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            since: None,
            until: None,
            source: None,
            limit: SearchQuery::DEFAULT_LIMIT,
        }
    }
}

/// One dispatch found by [`Store::search`].
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    /// The dispatch id.
    pub id: String,
    /// Its canonical URL.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its publication time as stated.
    pub published_at: Option<StatedTime>,
    /// Where it was found.
    pub source: SourceRef,
    /// Its story (see [`Dispatch::story`]).
    pub story: Option<String>,
    /// How well it matches: higher is better. Comparable only within one search and one engine (SQLite: BM25;
    /// PostgreSQL: cover density); in both a word in the title weighs more than one in the body.
    pub score: f64,
    /// A passage of the body around the matched words, each between `[` and `]`, with `…` where text is left
    /// out; the marked title when only the title matched.
    pub snippet: String,
}

/// One dispatch of a story, as [`Store::story`] lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryMember {
    /// The dispatch id.
    pub id: String,
    /// Its canonical URL.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its publication time as stated.
    pub published_at: Option<StatedTime>,
}

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be opened or created.
    #[error("cannot open database {path}")]
    Open {
        /// The database path or URL.
        path: String,
        /// The engine's error.
        #[source]
        source: EngineError,
    },
    /// The database was written by a newer newswire.
    #[error(
        "database {path} has schema version {found}, newer than this newswire understands ({supported})"
    )]
    SchemaTooNew {
        /// The database path or URL.
        path: String,
        /// The version found.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A migration failed; the database was left at its previous version.
    #[error("migrating database {path} to schema version {version} failed")]
    Migrate {
        /// The database path or URL.
        path: String,
        /// The version being applied.
        version: i64,
        /// The engine's error.
        #[source]
        source: EngineError,
    },
    /// A query failed.
    #[error("database query failed while {action}")]
    Query {
        /// What was being done ("storing dispatch 0123abcd").
        action: String,
        /// The engine's error.
        #[source]
        source: EngineError,
    },
    /// A dispatch holds what no engine stores: a NUL character (U+0000) in one of its texts. PostgreSQL's text
    /// cannot hold one, so every engine refuses it alike, before writing anything (a batch with one stores
    /// nothing). The pipeline never makes such a dispatch: normalizing drops control characters.
    #[error("dispatch {id} cannot be stored: its {field} contains a NUL character (U+0000)")]
    Invalid {
        /// The dispatch id.
        id: String,
        /// The field that holds it (`title`, `body`, `source.feed_url`, ...).
        field: &'static str,
    },
    /// A stored row could not be read back as a dispatch.
    #[error("stored dispatch {id} is not valid JSON for this version")]
    Corrupt {
        /// The dispatch id.
        id: String,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// The consumer of an export failed (for example, standard output was closed).
    #[error("export consumer failed")]
    Sink(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The storage interface: one trait, an engine per backend.
pub trait Store: Send {
    /// Stores a dispatch idempotently; see [`Outcome`]. The same as [`Store::upsert_many`] with a batch of one.
    fn upsert(&mut self, dispatch: &Dispatch) -> Result<Outcome, StoreError> {
        let outcomes = self.upsert_many(std::slice::from_ref(dispatch))?;
        Ok(*outcomes
            .first()
            .expect("upsert_many gives one outcome per dispatch"))
    }

    /// Stores a batch of dispatches in one transaction: what [`Store::upsert`] would do with each, one after the
    /// other, in order, and their outcomes in the same order. A dispatch that occurs twice in the batch is
    /// compared the second time with the version the first stored (`New`, then `Unchanged` or `Updated`), and a
    /// near-duplicate joins the story of an earlier one of the same batch; see [`Store::story`].
    ///
    /// All or nothing: when an error is returned, nothing of the batch was stored. The error does not say which
    /// dispatch caused it; to store the others anyway, store the batch again one dispatch at a time. An empty
    /// batch does nothing.
    ///
    /// Storing many dispatches this way is much faster than one at a time: what the batch does is decided before
    /// anything is written (PostgreSQL reads the database for it in a few queries per batch), each row is written
    /// once, and there is one commit. A few hundred dispatches per batch is a good size. In PostgreSQL a batch of
    /// more than about 25 dispatches runs alone: other upserts (of any size) wait for its commit.
    fn upsert_many(&mut self, dispatches: &[Dispatch]) -> Result<Vec<Outcome>, StoreError> {
        let items: Vec<Prepared<'_>> = dispatches
            .iter()
            .map(|d| Prepared::of(std::borrow::Cow::Borrowed(d)))
            .collect();
        self.upsert_prepared(&items)
    }

    /// [`Store::upsert_many`] with dispatches already prepared ([`Prepared::new`]), perhaps on other threads:
    /// the same outcomes, in the same order, all or nothing.
    fn upsert_prepared(&mut self, items: &[Prepared<'_>]) -> Result<Vec<Outcome>, StoreError>;

    /// The current version of the dispatch with this id, if stored.
    fn get(&self, id: &str) -> Result<Option<Dispatch>, StoreError>;

    /// The current version of the dispatch with this canonical URL, if stored.
    fn get_by_url(&self, url: &str) -> Result<Option<Dispatch>, StoreError>;

    /// Every stored version of a dispatch, oldest first.
    fn revisions(&self, id: &str) -> Result<Vec<Revision>, StoreError>;

    /// Streams the current version of every dispatch the filter selects, ordered by publication time then id,
    /// to `sink`; returns how many were given.
    fn export(
        &self,
        filter: &ExportFilter,
        sink: &mut dyn FnMut(Dispatch) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError>;

    /// How many dispatches are stored.
    fn count(&self) -> Result<u64, StoreError>;

    /// The dispatches whose current version has every word of the query, best first (a word in the title
    /// counts more than one in the body), with marked snippets. A query without words finds nothing.
    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError>;

    /// The dispatches of story `story_id` (see [`Dispatch::story`]), first stored first; empty when there is no
    /// such story.
    ///
    /// A dispatch joins a story when it is first stored: the story of a stored dispatch with the same canonical
    /// URL, else that of the most similar near-duplicate (a stored dispatch with which at least half of all the
    /// word 3-shingles of the two titles and texts are shared: a Jaccard index of 0.5 or more), else a new story
    /// whose id is its own. A dispatch alone in its story looks again when its text changes; one in a story of
    /// several stays there. The same text under another URL (syndication) is another dispatch, of the same story.
    fn story(&self, story_id: &str) -> Result<Vec<StoryMember>, StoreError>;

    /// Registers a source, due at `now` every [`DEFAULT_INTERVAL_SECS`]. Idempotent: when a source's current or
    /// original URL is `new.url`, nothing is added and the existing source is returned with `new.categories`
    /// merged into its own (its title and site are left as they are).
    fn add_source(&mut self, new: &NewSource, now: DateTime<Utc>)
    -> Result<AddOutcome, StoreError>;

    /// Removes the source `key` names (see [`Store::source`]) and returns it, or `None` when there is none. The
    /// dispatches stored from it stay.
    fn remove_source(&mut self, key: &str) -> Result<Option<Source>, StoreError>;

    /// Every registered source, by id.
    fn sources(&self) -> Result<Vec<Source>, StoreError>;

    /// The source `key` names: its numeric id, its current URL, or else its original URL.
    fn source(&self, key: &str) -> Result<Option<Source>, StoreError>;

    /// Atomically leases up to `limit` sources to `owner` until `now + lease_for`: those due (`next_check_at <=
    /// now`) whose lease is free or expired (`lease_until <= now`). They are taken host by host: first each
    /// host's earliest due source, hosts with fewer sources already leased (by anyone) first, then each host's
    /// next one, and so on; earliest due first (then by id) within a round. So the sources checked at once
    /// spread over hosts, and a host's per-host limits never leave the others idle. Returns them, earliest
    /// due first, with the lease set. Workers leasing at the same time never get the same source.
    fn lease_due(
        &mut self,
        owner: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
        limit: usize,
    ) -> Result<Vec<Source>, StoreError>;

    /// Records a check of source `id` and releases its lease, atomically, if `owner` still holds the lease at
    /// `record.checked_at`. Returns `false`, writing nothing, when it does not (the lease expired and may have
    /// been taken by another worker, or the source was removed). See [`CheckRecord`] for what is written.
    fn finish_check(
        &mut self,
        id: i64,
        owner: &str,
        record: &CheckRecord,
    ) -> Result<bool, StoreError>;

    /// Whether `owner` holds an unexpired lease on source `id` at `now`.
    fn holds_lease(&self, id: i64, owner: &str, now: DateTime<Utc>) -> Result<bool, StoreError>;

    /// Extends `owner`'s lease on source `id` to `now + lease_for`, for a check that is taking long (a busy
    /// host, a slow server). Returns false, changing nothing, when `owner` no longer holds an unexpired lease:
    /// a lease that ran out stays lost.
    fn renew_lease(
        &mut self,
        id: i64,
        owner: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
    ) -> Result<bool, StoreError>;

    /// Releases `owner`'s lease on source `id` without recording a check (work abandoned at shutdown): the
    /// source stays due as it was. Does nothing when `owner` does not hold it.
    fn release_lease(&mut self, id: i64, owner: &str) -> Result<(), StoreError>;

    /// The earliest time at which some source can be leased (its `next_check_at`, or its lease's end if that is
    /// later; possibly in the past), or `None` when no source is registered.
    fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// Reserves the next request slot for `host`, shared by every worker on this database: returns when this
    /// caller may start its request (`now`, or the slot reserved by the previous caller if that is later) and
    /// moves the host's next slot to that time plus `spacing`. `host` is compared as given.
    fn reserve_host_slot(
        &mut self,
        host: &str,
        now: DateTime<Utc>,
        spacing: Duration,
    ) -> Result<DateTime<Utc>, StoreError>;
}

/// Opens the database `db` names: a `postgres://` or `postgresql://` URL opens a [`PgStore`], anything else is
/// the path of a [`SqliteStore`] file.
pub fn open(db: &str) -> Result<Box<dyn Store>, StoreError> {
    if is_postgres_url(db) {
        Ok(Box::new(PgStore::open(db)?))
    } else {
        Ok(Box::new(SqliteStore::open(db)?))
    }
}

/// Whether `db` is a PostgreSQL URL rather than a SQLite path.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// `db` fit for messages and logs: a URL's password is replaced by `***`.
pub fn redacted(db: &str) -> String {
    crate::postgres::redact(db)
}

impl<S: Store + ?Sized> Store for Box<S> {
    fn upsert(&mut self, dispatch: &Dispatch) -> Result<Outcome, StoreError> {
        (**self).upsert(dispatch)
    }

    fn upsert_many(&mut self, dispatches: &[Dispatch]) -> Result<Vec<Outcome>, StoreError> {
        (**self).upsert_many(dispatches)
    }

    fn upsert_prepared(&mut self, items: &[Prepared<'_>]) -> Result<Vec<Outcome>, StoreError> {
        (**self).upsert_prepared(items)
    }

    fn get(&self, id: &str) -> Result<Option<Dispatch>, StoreError> {
        (**self).get(id)
    }

    fn get_by_url(&self, url: &str) -> Result<Option<Dispatch>, StoreError> {
        (**self).get_by_url(url)
    }

    fn revisions(&self, id: &str) -> Result<Vec<Revision>, StoreError> {
        (**self).revisions(id)
    }

    fn export(
        &self,
        filter: &ExportFilter,
        sink: &mut dyn FnMut(Dispatch) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        (**self).export(filter, sink)
    }

    fn count(&self) -> Result<u64, StoreError> {
        (**self).count()
    }

    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        (**self).search(query)
    }

    fn story(&self, story_id: &str) -> Result<Vec<StoryMember>, StoreError> {
        (**self).story(story_id)
    }

    fn add_source(
        &mut self,
        new: &NewSource,
        now: DateTime<Utc>,
    ) -> Result<AddOutcome, StoreError> {
        (**self).add_source(new, now)
    }

    fn remove_source(&mut self, key: &str) -> Result<Option<Source>, StoreError> {
        (**self).remove_source(key)
    }

    fn sources(&self) -> Result<Vec<Source>, StoreError> {
        (**self).sources()
    }

    fn source(&self, key: &str) -> Result<Option<Source>, StoreError> {
        (**self).source(key)
    }

    fn lease_due(
        &mut self,
        owner: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
        limit: usize,
    ) -> Result<Vec<Source>, StoreError> {
        (**self).lease_due(owner, now, lease_for, limit)
    }

    fn finish_check(
        &mut self,
        id: i64,
        owner: &str,
        record: &CheckRecord,
    ) -> Result<bool, StoreError> {
        (**self).finish_check(id, owner, record)
    }

    fn renew_lease(
        &mut self,
        id: i64,
        owner: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
    ) -> Result<bool, StoreError> {
        (**self).renew_lease(id, owner, now, lease_for)
    }

    fn holds_lease(&self, id: i64, owner: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        (**self).holds_lease(id, owner, now)
    }

    fn release_lease(&mut self, id: i64, owner: &str) -> Result<(), StoreError> {
        (**self).release_lease(id, owner)
    }

    fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        (**self).next_due()
    }

    fn reserve_host_slot(
        &mut self,
        host: &str,
        now: DateTime<Utc>,
        spacing: Duration,
    ) -> Result<DateTime<Utc>, StoreError> {
        (**self).reserve_host_slot(host, now, spacing)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn errors_are_send_sync_static() {
        fn assert_bounds<T: Send + Sync + 'static>() {}
        assert_bounds::<super::StoreError>();
    }
}
