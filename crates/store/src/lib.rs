//! newswire-store: where dispatches live, idempotently and with their history.
//!
//! The [`Store`] trait is the one storage interface the pipeline uses; [`SqliteStore`] is its embedded default
//! engine (a single file, no server; schema migrations run on open). Storing is idempotent: a dispatch is keyed
//! by its id (derived from its canonical URL), storing the same dispatch again changes nothing, and a dispatch
//! whose content changed becomes a new revision with every earlier version kept.
//!
//! # Brief overview
//!
//! - [`Store`]: `upsert`, `get`, `export`, `revisions`, `count`.
//! - [`Outcome`]: what an upsert did (new, updated, unchanged).
//! - [`SqliteStore`]: the SQLite engine (WAL mode, busy timeout, versioned schema).
//!
//! # Example
//!
//! ```
//! use newswire_store::{SqliteStore, Store};
//!
//! let dir = tempfile::tempdir()?;
//! let mut store = SqliteStore::open(dir.path().join("news.db"))?;
//! assert_eq!(store.count()?, 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod sqlite;

use chrono::{DateTime, Utc};
use newswire_model::Dispatch;

pub use crate::sqlite::SqliteStore;

/// What [`Store::upsert`] did with a dispatch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
        source: rusqlite::Error,
    },
    /// The database was written by a newer newswire.
    #[error(
        "database {path} has schema version {found}, newer than this newswire understands ({supported})"
    )]
    SchemaTooNew {
        /// The database path.
        path: String,
        /// The version found.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A migration failed; the database was left at its previous version.
    #[error("migrating database {path} to schema version {version} failed")]
    Migrate {
        /// The database path.
        path: String,
        /// The version being applied.
        version: i64,
        /// The engine's error.
        #[source]
        source: rusqlite::Error,
    },
    /// A query failed.
    #[error("database query failed while {action}")]
    Query {
        /// What was being done ("storing dispatch 0123abcd").
        action: String,
        /// The engine's error.
        #[source]
        source: rusqlite::Error,
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
    /// Stores a dispatch idempotently; see [`Outcome`].
    fn upsert(&mut self, dispatch: &Dispatch) -> Result<Outcome, StoreError>;

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
}

#[cfg(test)]
mod tests {
    #[test]
    fn errors_are_send_sync_static() {
        fn assert_bounds<T: Send + Sync + 'static>() {}
        assert_bounds::<super::StoreError>();
    }
}
