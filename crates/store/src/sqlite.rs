//! The SQLite engine: one file, WAL mode, migrations on open.

mod search;
mod sources;
mod stories;
mod upsert;

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use newswire_model::Dispatch;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::batch::Prepared;
use crate::rows::from_json;
use crate::{
    AddOutcome, CheckRecord, ExportFilter, NewSource, Outcome, Revision, SearchHit, SearchQuery,
    Source, Store, StoreError, StoryMember,
};

/// Schema migrations, in order; the database's `user_version` is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/sqlite/0001_init.sql"),
    include_str!("../migrations/sqlite/0002_sources.sql"),
    include_str!("../migrations/sqlite/0003_search.sql"),
    include_str!("../migrations/sqlite/0004_stories.sql"),
    include_str!("../migrations/sqlite/0005_batches.sql"),
    include_str!("../migrations/sqlite/0006_compact.sql"),
    include_str!("../migrations/sqlite/0007_docs.sql"),
    include_str!("../migrations/sqlite/0008_pending.sql"),
    include_str!("../migrations/sqlite/0009_web_stories.sql"),
    include_str!("../migrations/sqlite/0010_story_windows.sql"),
];

/// What a migration needs done in Rust after its script, in the same transaction: filling what SQL cannot
/// compute for the dispatches already stored.
fn backfill(conn: &Connection, version: i64) -> Result<(), StoreError> {
    match version {
        3 => search::backfill(conn),
        4 => stories::backfill(conn),
        5 => stories::backfill_shingles(conn),
        6 => compact_stored_json(conn),
        _ => Ok(()),
    }
}

/// A SQLite database file holding dispatches.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: String,
}

/// Switches to WAL. Changing the journal mode of a new database takes a lock that SQLite's busy handler does not
/// wait for, so several processes opening one new file at once can see SQLITE_BUSY here: retry for up to 10 s.
fn set_wal(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(err, _))
                if err.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            res => return res,
        }
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`, switches it to WAL mode and brings its schema up to
    /// date. Each migration runs in its own transaction.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path_str = path.as_ref().display().to_string();
        let open_err = |source: rusqlite::Error| StoreError::Open {
            path: path_str.clone(),
            source: source.into(),
        };
        let conn = Connection::open(path.as_ref()).map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(open_err)?;
        set_wal(&conn).map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        // Room for every statement an upsert, a search and the source registry use, so none is prepared twice
        // (the lookups of a batch come in a few variants, by how many of its dispatches were stored before it).
        conn.set_prepared_statement_cache_capacity(128);
        // A page cache of up to 64 MiB (SQLite's default is 2 MiB), so the upper levels of the indexes a large
        // database writes into at random (ids, band keys) stay in memory.
        conn.pragma_update(None, "cache_size", -65_536)
            .map_err(open_err)?;
        // Checkpoint when the WAL reaches 16,384 pages (64 MiB; SQLite's default is 1,000 pages). A batch of a few
        // hundred dispatches writes more than 1,000 pages, so by default every commit ended in a checkpoint that
        // copied its pages into the database file again; with a larger WAL, a page written by several batches in
        // between (index pages, above all) is copied once. Durability is unchanged: a commit is in the WAL either way.
        conn.pragma_update(None, "wal_autocheckpoint", 16_384)
            .map_err(open_err)?;
        let mut store = SqliteStore {
            conn,
            path: path_str,
        };
        store.migrate()?;
        Ok(store)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|source: rusqlite::Error| StoreError::Query {
                action: "reading the schema version".into(),
                source: source.into(),
            })
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let found = self.schema_version()?;
        let supported = MIGRATIONS.len() as i64;
        if found > supported {
            return Err(StoreError::SchemaTooNew {
                path: self.path.clone(),
                found,
                supported,
            });
        }
        for (idx, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let version = idx as i64 + 1;
            let path = self.path.clone();
            let migrate_err = |source: rusqlite::Error| StoreError::Migrate {
                path: path.clone(),
                version,
                source: source.into(),
            };
            // IMMEDIATE: another process opening the same new file waits here, then sees the version applied.
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(migrate_err)?;
            let now: i64 = tx
                .pragma_query_value(None, "user_version", |row| row.get(0))
                .map_err(migrate_err)?;
            if now >= version {
                continue;
            }
            tx.execute_batch(sql).map_err(migrate_err)?;
            backfill(&tx, version).map_err(|err| StoreError::Migrate {
                path: self.path.clone(),
                version,
                source: err.into(),
            })?;
            tx.pragma_update(None, "user_version", version)
                .map_err(migrate_err)?;
            tx.commit().map_err(migrate_err)?;
            tracing::info!(path = %self.path, version, "migrated database schema");
        }
        Ok(())
    }

    /// Runs SQLite's `PRAGMA integrity_check`; returns its problems (empty when the file is sound).
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let query_err = |source: rusqlite::Error| StoreError::Query {
            action: "checking integrity".into(),
            source: source.into(),
        };
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(query_err)?;
        let rows: Vec<String> = stmt
            .query_map([], |row| row.get(0))
            .map_err(query_err)?
            .collect::<Result<_, _>>()
            .map_err(query_err)?;
        Ok(rows.into_iter().filter(|r| r != "ok").collect())
    }
}

/// Runs `f` on the id and JSON of every dispatch `sql` (`SELECT id, json ...`) selects, in its order: the
/// migrations' backfills. A database error is reported as `action`.
fn for_each_stored(
    conn: &Connection,
    sql: &str,
    action: &str,
    mut f: impl FnMut(String, String) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let query_err = |source: rusqlite::Error| StoreError::Query {
        action: action.into(),
        source: source.into(),
    };
    let mut stmt = conn.prepare(sql).map_err(query_err)?;
    let mut rows = stmt.query([]).map_err(query_err)?;
    while let Some(row) = rows.next().map_err(query_err)? {
        f(
            row.get(0).map_err(query_err)?,
            row.get(1).map_err(query_err)?,
        )?;
    }
    Ok(())
}

/// Rewrites the JSON of the stored dispatches and revisions in the stored form, without the derived `text`
/// ([`crate::rows::compact`]), a few hundred rows at a time: migration 6's backfill. A row whose JSON is not a
/// contract form is left as it is (reading it back reports it).
fn compact_stored_json(conn: &Connection) -> Result<(), StoreError> {
    let query_err = |source: rusqlite::Error| StoreError::Query {
        action: "storing the dispatches without their text twice".into(),
        source: source.into(),
    };
    for table in ["dispatches", "revisions"] {
        let select = format!(
            "SELECT rowid, json FROM {table} WHERE rowid > ?1 AND json IS NOT NULL ORDER BY rowid LIMIT 500"
        );
        let update = format!("UPDATE {table} SET json = ?2 WHERE rowid = ?1");
        let mut after = i64::MIN;
        loop {
            let rows: Vec<(i64, String)> = conn
                .prepare_cached(&select)
                .and_then(|mut stmt| {
                    stmt.query_map([after], |row| Ok((row.get(0)?, row.get(1)?)))?
                        .collect()
                })
                .map_err(query_err)?;
            let Some(&(last, _)) = rows.last() else {
                break;
            };
            after = last;
            for (rowid, json) in rows {
                let len = json.len();
                let compacted = crate::rows::compact(json);
                if compacted.len() != len {
                    conn.prepare_cached(&update)
                        .and_then(|mut stmt| stmt.execute(params![rowid, compacted]))
                        .map_err(query_err)?;
                }
            }
        }
    }
    Ok(())
}

impl Store for SqliteStore {
    fn upsert_prepared(&mut self, items: &[Prepared<'_>]) -> Result<Vec<Outcome>, StoreError> {
        upsert::upsert_prepared(&mut self.conn, items)
    }

    fn get(&self, id: &str) -> Result<Option<Dispatch>, StoreError> {
        self.get_where("id", id)
    }

    fn get_by_url(&self, url: &str) -> Result<Option<Dispatch>, StoreError> {
        self.get_where("url", url)
    }

    fn revisions(&self, id: &str) -> Result<Vec<Revision>, StoreError> {
        let query_err = |source: rusqlite::Error| StoreError::Query {
            action: format!("reading revisions of {id}"),
            source: source.into(),
        };
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.revision, r.recorded_at, coalesce(r.json, d.json), m.story_id FROM revisions r
                 JOIN dispatches d ON d.id = r.dispatch_id
                 LEFT JOIN docs m ON m.dispatch_id = r.dispatch_id
                 WHERE r.dispatch_id = ?1 ORDER BY r.revision",
            )
            .map_err(query_err)?;
        let rows = stmt
            .query_map([id], |row| {
                Ok((
                    row.get::<_, u32>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<String>>(3)?,
                ))
            })
            .map_err(query_err)?;
        let mut out = Vec::new();
        for row in rows {
            let (revision, recorded_at, json, story) = row.map_err(query_err)?;
            let mut dispatch = from_json(id, &json)?;
            dispatch.story = story;
            let recorded_at = DateTime::parse_from_rfc3339(&recorded_at)
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or(dispatch.fetched_at);
            out.push(Revision {
                revision,
                recorded_at,
                dispatch,
            });
        }
        Ok(out)
    }

    fn export(
        &self,
        filter: &ExportFilter,
        sink: &mut dyn FnMut(Dispatch) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let query_err = |source: rusqlite::Error| StoreError::Query {
            action: "exporting dispatches".into(),
            source: source.into(),
        };
        let since = filter.since.map_or(i64::MIN, |t| t.timestamp());
        let until = filter.until.map_or(i64::MAX, |t| t.timestamp());
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.id, d.json, m.story_id FROM dispatches d
                 LEFT JOIN docs m ON m.dispatch_id = d.id
                 WHERE d.sort_at >= ?1 AND d.sort_at < ?2 ORDER BY d.sort_at, d.id",
            )
            .map_err(query_err)?;
        let mut rows = stmt.query(params![since, until]).map_err(query_err)?;
        let mut n = 0;
        while let Some(row) = rows.next().map_err(query_err)? {
            let id: String = row.get(0).map_err(query_err)?;
            let json: String = row.get(1).map_err(query_err)?;
            let mut dispatch = from_json(&id, &json)?;
            dispatch.story = row.get(2).map_err(query_err)?;
            sink(dispatch)?;
            n += 1;
        }
        Ok(n)
    }

    fn count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM dispatches", [], |row| row.get(0))
            .map_err(|source: rusqlite::Error| StoreError::Query {
                action: "counting dispatches".into(),
                source: source.into(),
            })
    }

    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        search::search(&self.conn, query)
    }

    fn story(&self, story_id: &str) -> Result<Vec<StoryMember>, StoreError> {
        stories::story(&self.conn, story_id)
    }

    fn add_source(
        &mut self,
        new: &NewSource,
        now: DateTime<Utc>,
    ) -> Result<AddOutcome, StoreError> {
        sources::add_source(&mut self.conn, new, now)
    }

    fn remove_source(&mut self, key: &str) -> Result<Option<Source>, StoreError> {
        sources::remove_source(&mut self.conn, key)
    }

    fn sources(&self) -> Result<Vec<Source>, StoreError> {
        sources::sources(&self.conn)
    }

    fn source(&self, key: &str) -> Result<Option<Source>, StoreError> {
        sources::source(&self.conn, key)
    }

    fn lease_due(
        &mut self,
        owner: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
        limit: usize,
    ) -> Result<Vec<Source>, StoreError> {
        sources::lease_due(&mut self.conn, owner, now, lease_for, limit)
    }

    fn finish_check(
        &mut self,
        id: i64,
        owner: &str,
        record: &CheckRecord,
    ) -> Result<bool, StoreError> {
        sources::finish_check(&mut self.conn, id, owner, record)
    }

    fn renew_lease(
        &mut self,
        id: i64,
        owner: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
    ) -> Result<bool, StoreError> {
        sources::renew_lease(&self.conn, id, owner, now, lease_for)
    }

    fn holds_lease(&self, id: i64, owner: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        sources::holds_lease(&self.conn, id, owner, now)
    }

    fn release_lease(&mut self, id: i64, owner: &str) -> Result<(), StoreError> {
        sources::release_lease(&self.conn, id, owner)
    }

    fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        sources::next_due(&self.conn)
    }

    fn reserve_host_slot(
        &mut self,
        host: &str,
        now: DateTime<Utc>,
        spacing: Duration,
    ) -> Result<DateTime<Utc>, StoreError> {
        sources::reserve_host_slot(&mut self.conn, host, now, spacing)
    }
}

impl SqliteStore {
    fn get_where(&self, column: &str, value: &str) -> Result<Option<Dispatch>, StoreError> {
        let query_err = |source: rusqlite::Error| StoreError::Query {
            action: format!("looking up dispatch {value}"),
            source: source.into(),
        };
        let sql = format!(
            "SELECT d.id, d.json, m.story_id FROM dispatches d LEFT JOIN docs m ON m.dispatch_id = d.id
             WHERE d.{column} = ?1 ORDER BY d.first_seen_at, d.id LIMIT 1"
        );
        let row: Option<(String, String, Option<String>)> = self
            .conn
            .query_row(&sql, [value], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()
            .map_err(query_err)?;
        row.map(|(id, json, story)| {
            from_json(&id, &json).map(|mut dispatch| {
                dispatch.story = story;
                dispatch
            })
        })
        .transpose()
    }
}
