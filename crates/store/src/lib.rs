//! newswire-store: where dispatches live, idempotently and with their history.
//!
//! The [`Store`] trait is the one storage interface the pipeline uses. It has two engines: [`SqliteStore`], the
//! embedded default (a single file, no server), and [`PgStore`], for PostgreSQL; [`open`] picks one from a
//! database string. Both run their schema migrations on open. Storing is idempotent: a dispatch is keyed by its
//! id (derived from its canonical URL), storing the same dispatch again changes nothing, and a dispatch whose
//! content changed becomes a new revision with every earlier version kept.
//!
//! # Brief overview
//!
//! - [`Store`]: `upsert`, `get`, `export`, `revisions`, `count`.
//! - [`Outcome`]: what an upsert did (new, updated, unchanged).
//! - [`open`]: a `postgres://` URL opens a [`PgStore`], anything else is a SQLite file.
//! - [`SqliteStore`]: the SQLite engine (WAL mode, busy timeout, versioned schema).
//! - [`PgStore`]: the PostgreSQL engine (safe for several processes storing and migrating at once).
//!
//! # Example
//!
//! ```
//! use newswire_store::Store;
//!
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("news.db");
//! let mut store = newswire_store::open(path.to_str().unwrap())?;
//! assert_eq!(store.count()?, 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod postgres;
mod rows;
mod sqlite;

use chrono::{DateTime, Utc};
use newswire_model::Dispatch;

pub use crate::postgres::PgStore;
pub use crate::sqlite::SqliteStore;

/// The cause inside a [`StoreError`]: the engine's own error (`rusqlite::Error`, `postgres::Error`) or an I/O
/// error, boxed so the error type is the same whichever engine is used.
pub type EngineError = Box<dyn std::error::Error + Send + Sync>;

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
}

#[cfg(test)]
mod tests {
    #[test]
    fn errors_are_send_sync_static() {
        fn assert_bounds<T: Send + Sync + 'static>() {}
        assert_bounds::<super::StoreError>();
    }
}
