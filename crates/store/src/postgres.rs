//! The PostgreSQL engine: a server database shared by many processes, migrations on open.
//!
//! # One thread owns the connection
//!
//! The `postgres` crate is a synchronous face on `tokio-postgres`: each `Client` owns a current-thread Tokio
//! runtime and blocks on it for every query, and again when it is dropped. Blocking on a runtime panics ("cannot
//! start a runtime from within a runtime") on any thread that is driving async tasks. Querying from inside
//! `spawn_blocking` is fine, but the pipeline keeps its store in an `Arc` that async code holds, so the last
//! reference (and with it the client) may be dropped on a runtime worker thread.
//!
//! So a [`PgStore`] never holds the client itself: a dedicated thread connects, owns the client and runs the
//! queries it is sent, and the store talks to it through channels. The store can then be created, used and
//! dropped on any thread, async or not (calls still block the calling thread until the answer comes, as every
//! [`Store`] call does).

mod search;
mod sources;
mod stories;
mod upsert;

use std::str::FromStr;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use ::postgres::{Client, Config, NoTls};
use chrono::{DateTime, Utc};
use newswire_model::Dispatch;

use crate::batch::Prepared;
use crate::rows::from_json;
use crate::{
    AddOutcome, CheckRecord, EngineError, ExportFilter, NewSource, Outcome, Revision, SearchHit,
    SearchQuery, Source, Store, StoreError, StoryMember,
};

/// Schema migrations, in order; `schema_migrations` records each one applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/postgres/0001_init.sql"),
    include_str!("../migrations/postgres/0002_sources.sql"),
    include_str!("../migrations/postgres/0003_search.sql"),
    include_str!("../migrations/postgres/0004_stories.sql"),
    include_str!("../migrations/postgres/0005_batches.sql"),
    include_str!("../migrations/postgres/0006_compact.sql"),
    include_str!("../migrations/postgres/0007_docs.sql"),
    include_str!("../migrations/postgres/0008_pending.sql"),
    include_str!("../migrations/postgres/0009_web_stories.sql"),
    include_str!("../migrations/postgres/0010_story_windows.sql"),
];

/// What a migration needs done in Rust after its script, in the same transaction: filling what SQL cannot
/// compute for the dispatches already stored.
fn backfill(tx: &mut ::postgres::Transaction<'_>, version: i64) -> Result<(), StoreError> {
    match version {
        3 => search::backfill(tx),
        4 => stories::backfill(tx),
        5 => stories::backfill_shingles(tx),
        6 => compact_stored_json(tx),
        _ => Ok(()),
    }
}

/// Rewrites the JSON of the stored dispatches and revisions in the stored form, without the derived `text`
/// ([`crate::rows::compact`]), a few hundred rows at a time: migration 6's backfill. A row whose JSON is not a
/// contract form is left as it is (reading it back reports it).
fn compact_stored_json(tx: &mut ::postgres::Transaction<'_>) -> Result<(), StoreError> {
    let query_err = |source: ::postgres::Error| StoreError::Query {
        action: "storing the dispatches without their text twice".into(),
        source: source.into(),
    };
    // Each table by its key: (dispatch id, revision number), where the revision number is 0 for a dispatch row.
    let tables = [
        (
            "SELECT id, 0, json FROM dispatches WHERE id > $1 ORDER BY id LIMIT 500",
            "UPDATE dispatches d SET json = u.json FROM unnest($1::text[], $2::int4[], $3::text[]) AS u (id, n, json)
             WHERE d.id = u.id",
        ),
        (
            "SELECT dispatch_id, revision, json FROM revisions
             WHERE (dispatch_id, revision) > ($1, $2) AND json IS NOT NULL ORDER BY dispatch_id, revision LIMIT 500",
            "UPDATE revisions r SET json = u.json FROM unnest($1::text[], $2::int4[], $3::text[]) AS u (id, n, json)
             WHERE r.dispatch_id = u.id AND r.revision = u.n",
        ),
    ];
    for (select, update) in tables {
        let select = tx.prepare(select).map_err(query_err)?;
        let update = tx.prepare(update).map_err(query_err)?;
        let (mut after_id, mut after_n) = (String::new(), i32::MIN);
        loop {
            let rows = if select.params().len() == 1 {
                tx.query(&select, &[&after_id])
            } else {
                tx.query(&select, &[&after_id, &after_n])
            }
            .map_err(query_err)?;
            let Some(last) = rows.last() else { break };
            (after_id, after_n) = (last.get(0), last.get(1));
            let (mut ids, mut numbers, mut jsons) = (Vec::new(), Vec::new(), Vec::new());
            for row in rows {
                let json: String = row.get(2);
                let len = json.len();
                let compacted = crate::rows::compact(json);
                if compacted.len() != len {
                    ids.push(row.get::<_, String>(0));
                    numbers.push(row.get::<_, i32>(1));
                    jsons.push(compacted);
                }
            }
            if !ids.is_empty() {
                tx.execute(&update, &[&ids, &numbers, &jsons])
                    .map_err(query_err)?;
            }
        }
    }
    Ok(())
}

/// The `pg_advisory_xact_lock` key that serializes migrations across processes ("newswire" in ASCII).
const MIGRATION_LOCK: i64 = 0x6e65_7773_7769_7265;

/// How many exported rows may wait between the connection thread and the export's consumer.
const EXPORT_BUFFER: usize = 256;

/// A job for the connection thread.
type Job = Box<dyn FnOnce(&mut Client) + Send>;

/// A PostgreSQL database holding dispatches.
///
/// Several processes may store into one database at once: an upsert (of a batch) is one transaction that first
/// takes advisory locks on its dispatches' ids, URLs and band keys (or, for a large batch, one lock that makes it
/// run alone; see `postgres/upsert.rs`) and then locks their rows (`SELECT … FOR UPDATE`), so the same dispatch
/// stored twice at once is stored once, and revisions are numbered without gaps or duplicates.
#[derive(Debug)]
pub struct PgStore {
    /// The URL without its password, for messages.
    label: String,
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl PgStore {
    /// Stores `items` in one transaction on the connection's thread.
    fn upsert_owned(&mut self, items: Vec<Prepared<'static>>) -> Result<Vec<Outcome>, StoreError> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        crate::batch::check(&items)?;
        let action = crate::batch::action(&items);
        self.call(&action, move |client| upsert::upsert_many(client, &items))?
            .map_err(|source| StoreError::Query {
                action,
                source: source.into(),
            })
    }

    /// Connects to the database at `url` (`postgres://user[:password]@host[:port]/database[?options]`, as libpq
    /// reads it; TLS is not supported) and brings its schema up to date. Each migration runs in its own
    /// transaction under an advisory lock, so processes opening the same new database at once migrate it once.
    /// The schema lives in the connection's `search_path` (by default `public`).
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        let label = redact(url);
        let open_err = |source: EngineError| StoreError::Open {
            path: label.clone(),
            source,
        };
        let mut config = Config::from_str(url).map_err(|err| open_err(err.into()))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("newswire");
        }
        let (ready_tx, ready_rx) = mpsc::sync_channel(1);
        let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("newswire-postgres".into())
            .spawn(move || {
                let mut client = match config.connect(NoTls) {
                    Ok(client) => {
                        let _ = ready_tx.send(Ok(()));
                        client
                    }
                    Err(err) => {
                        let _ = ready_tx.send(Err(err));
                        return;
                    }
                };
                for job in jobs_rx {
                    job(&mut client);
                }
            })
            .map_err(|err| open_err(err.into()))?;
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(err)) => return Err(open_err(err.into())),
            Err(_) => return Err(open_err("the connection thread stopped".into())),
        }
        let store = PgStore {
            label,
            jobs: Some(jobs_tx),
            thread: Some(thread),
        };
        store.migrate()?;
        Ok(store)
    }

    /// The schema version of the open database: the newest migration recorded in `schema_migrations`, or 0.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.call("reading the schema version", |client| {
            schema_version(client)
        })?
        .map_err(|source| StoreError::Query {
            action: "reading the schema version".into(),
            source: source.into(),
        })
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let supported = MIGRATIONS.len() as i64;
        let found = self.schema_version()?;
        if found > supported {
            return Err(StoreError::SchemaTooNew {
                path: self.label.clone(),
                found,
                supported,
            });
        }
        for (idx, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let version = idx as i64 + 1;
            let sql: &'static str = sql;
            let applied = self
                .call("migrating", move |client| -> Result<_, EngineError> {
                    let mut tx = client.transaction()?;
                    // Held until commit or rollback; another process migrating waits here, then sees the
                    // version recorded and skips it.
                    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
                    let now = schema_version(&mut tx)?;
                    if now >= version {
                        return Ok(Err(now));
                    }
                    tx.batch_execute(sql)?;
                    backfill(&mut tx, version)?;
                    tx.execute(
                        "INSERT INTO schema_migrations (version) VALUES ($1)",
                        &[&version],
                    )?;
                    tx.commit()?;
                    Ok(Ok(()))
                })?
                .map_err(|source| StoreError::Migrate {
                    path: self.label.clone(),
                    version,
                    source,
                })?;
            match applied {
                Ok(()) => tracing::info!(path = %self.label, version, "migrated database schema"),
                Err(now) if now > supported => {
                    return Err(StoreError::SchemaTooNew {
                        path: self.label.clone(),
                        found: now,
                        supported,
                    });
                }
                Err(_) => {}
            }
        }
        Ok(())
    }

    /// Runs `job` on the connection thread and waits for its answer.
    fn call<R: Send + 'static>(
        &self,
        action: &str,
        job: impl FnOnce(&mut Client) -> R + Send + 'static,
    ) -> Result<R, StoreError> {
        let (answer_tx, answer_rx) = mpsc::sync_channel(1);
        self.submit(
            action,
            Box::new(move |client| {
                let _ = answer_tx.send(job(client));
            }),
        )?;
        answer_rx.recv().map_err(|_| stopped(action))
    }

    /// Queues `job` on the connection thread without waiting.
    fn submit(&self, action: &str, job: Job) -> Result<(), StoreError> {
        self.jobs
            .as_ref()
            .ok_or_else(|| stopped(action))?
            .send(job)
            .map_err(|_| stopped(action))
    }

    fn get_where(&self, column: &'static str, value: &str) -> Result<Option<Dispatch>, StoreError> {
        let action = format!("looking up dispatch {value}");
        let value = value.to_owned();
        let row = self
            .call(&action, move |client| {
                let sql = format!(
                    "SELECT d.id, d.json, m.story_id FROM dispatches d
                     LEFT JOIN story_members m ON m.dispatch_id = d.id
                     WHERE d.{column} = $1 ORDER BY d.first_seen_at, d.id LIMIT 1"
                );
                client.query_opt(&sql, &[&value]).map(|row| {
                    row.map(|row| {
                        (
                            row.get::<_, String>(0),
                            row.get::<_, String>(1),
                            row.get::<_, Option<String>>(2),
                        )
                    })
                })
            })?
            .map_err(|source| StoreError::Query {
                action,
                source: source.into(),
            })?;
        row.map(|(id, json, story)| with_story(from_json(&id, &json), story))
            .transpose()
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop; the client is closed and dropped there, off any runtime.
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A dispatch read back, with its story set.
fn with_story(
    dispatch: Result<Dispatch, StoreError>,
    story: Option<String>,
) -> Result<Dispatch, StoreError> {
    dispatch.map(|mut dispatch| {
        dispatch.story = story;
        dispatch
    })
}

fn stopped(action: &str) -> StoreError {
    StoreError::Query {
        action: action.to_owned(),
        source: "the connection thread stopped".into(),
    }
}

/// The newest migration recorded, or 0 when the ledger does not exist yet.
fn schema_version(client: &mut impl ::postgres::GenericClient) -> Result<i64, ::postgres::Error> {
    // A query on the catalog rather than `to_regclass`: it reads with the statement's snapshot, so after
    // waiting for the migration lock it sees a ledger another process has just committed.
    let exists: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relname = 'schema_migrations' AND n.nspname = current_schema())",
            &[],
        )?
        .get(0);
    if !exists {
        return Ok(0);
    }
    Ok(client
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM schema_migrations",
            &[],
        )?
        .get(0))
}

/// `url` with its password, if any, replaced by `***`.
pub(crate) fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?'])
        .map_or(url.len(), |i| scheme_end + i);
    let authority = &url[scheme_end..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_owned();
    };
    match authority[..at].find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end],
            &authority[..colon],
            &url[scheme_end + at..]
        ),
        None => url.to_owned(),
    }
}

impl Store for PgStore {
    fn upsert_many(&mut self, dispatches: &[Dispatch]) -> Result<Vec<Outcome>, StoreError> {
        // Prepared on the caller's thread, each dispatch copied once for the connection's thread.
        self.upsert_owned(
            dispatches
                .iter()
                .map(|d| Prepared::new(d.clone()))
                .collect(),
        )
    }

    fn upsert_prepared(&mut self, items: &[Prepared<'_>]) -> Result<Vec<Outcome>, StoreError> {
        // The connection's thread needs them whole; copying is little against the round trips.
        self.upsert_owned(items.iter().map(Prepared::to_owned_static).collect())
    }

    fn get(&self, id: &str) -> Result<Option<Dispatch>, StoreError> {
        self.get_where("id", id)
    }

    fn get_by_url(&self, url: &str) -> Result<Option<Dispatch>, StoreError> {
        self.get_where("url", url)
    }

    fn revisions(&self, id: &str) -> Result<Vec<Revision>, StoreError> {
        let action = format!("reading revisions of {id}");
        let owned_id = id.to_owned();
        let rows = self
            .call(&action, move |client| {
                client
                    .query(
                        "SELECT r.revision, r.recorded_at, coalesce(r.json, d.json), m.story_id FROM revisions r
                         JOIN dispatches d ON d.id = r.dispatch_id
                         LEFT JOIN story_members m ON m.dispatch_id = r.dispatch_id
                         WHERE r.dispatch_id = $1 ORDER BY r.revision",
                        &[&owned_id],
                    )
                    .map(|rows| {
                        rows.iter()
                            .map(|row| {
                                (
                                    row.get::<_, i32>(0),
                                    row.get::<_, DateTime<Utc>>(1),
                                    row.get::<_, String>(2),
                                    row.get::<_, Option<String>>(3),
                                )
                            })
                            .collect::<Vec<_>>()
                    })
            })?
            .map_err(|source| StoreError::Query {
                action,
                source: source.into(),
            })?;
        rows.into_iter()
            .map(|(revision, recorded_at, json, story)| {
                Ok(Revision {
                    revision: u32::try_from(revision).unwrap_or(0),
                    recorded_at,
                    dispatch: with_story(from_json(id, &json), story)?,
                })
            })
            .collect()
    }

    fn export(
        &self,
        filter: &ExportFilter,
        sink: &mut dyn FnMut(Dispatch) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let action = "exporting dispatches";
        let since = filter.since.map_or(i64::MIN, |t| t.timestamp());
        let until = filter.until.map_or(i64::MAX, |t| t.timestamp());
        // The connection thread streams rows into a bounded channel while this thread hands them to the sink;
        // if the sink fails, dropping the receiver stops the stream.
        type ExportRow = (String, String, Option<String>);
        let (rows_tx, rows_rx) =
            mpsc::sync_channel::<Result<ExportRow, ::postgres::Error>>(EXPORT_BUFFER);
        self.submit(
            action,
            Box::new(move |client| {
                use ::postgres::fallible_iterator::FallibleIterator;
                let params: [&(dyn ::postgres::types::ToSql + Sync); 2] = [&since, &until];
                let mut rows = match client.query_raw(
                    "SELECT d.id, d.json, m.story_id FROM dispatches d
                     LEFT JOIN story_members m ON m.dispatch_id = d.id
                     WHERE d.sort_at >= $1 AND d.sort_at < $2 ORDER BY d.sort_at, d.id",
                    params,
                ) {
                    Ok(rows) => rows,
                    Err(err) => {
                        let _ = rows_tx.send(Err(err));
                        return;
                    }
                };
                loop {
                    let next = match rows.next() {
                        Ok(Some(row)) => Ok((row.get(0), row.get(1), row.get(2))),
                        Ok(None) => return,
                        Err(err) => Err(err),
                    };
                    let failed = next.is_err();
                    if rows_tx.send(next).is_err() || failed {
                        return;
                    }
                }
            }),
        )?;
        let mut n = 0;
        for row in rows_rx {
            let (id, json, story) = row.map_err(|source| StoreError::Query {
                action: action.into(),
                source: source.into(),
            })?;
            sink(with_story(from_json(&id, &json), story)?)?;
            n += 1;
        }
        Ok(n)
    }

    fn count(&self) -> Result<u64, StoreError> {
        let action = "counting dispatches";
        let n: i64 = self
            .call(action, |client| {
                client
                    .query_one("SELECT count(*) FROM dispatches", &[])
                    .map(|row| row.get(0))
            })?
            .map_err(|source| StoreError::Query {
                action: action.into(),
                source: source.into(),
            })?;
        Ok(n.unsigned_abs())
    }

    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        let action = format!("searching for {:?}", query.text);
        let owned = query.clone();
        let (terms, rows) = self
            .call(&action, move |client| search::search(client, &owned))?
            .map_err(|source| StoreError::Query {
                action,
                source: source.into(),
            })?;
        rows.into_iter()
            .map(|(id, score, json, story)| {
                Ok(crate::rows::hit(
                    with_story(from_json(&id, &json), story)?,
                    score,
                    &terms,
                ))
            })
            .collect()
    }

    fn story(&self, story_id: &str) -> Result<Vec<StoryMember>, StoreError> {
        let action = format!("reading story {story_id}");
        let owned = story_id.to_owned();
        self.call(&action, move |client| stories::story(client, &owned))?
            .map_err(|source| StoreError::Query {
                action,
                source: source.into(),
            })
    }

    fn add_source(
        &mut self,
        new: &NewSource,
        now: DateTime<Utc>,
    ) -> Result<AddOutcome, StoreError> {
        self.add_source_impl(new, now)
    }

    fn remove_source(&mut self, key: &str) -> Result<Option<Source>, StoreError> {
        self.remove_source_impl(key)
    }

    fn sources(&self) -> Result<Vec<Source>, StoreError> {
        self.sources_impl()
    }

    fn source(&self, key: &str) -> Result<Option<Source>, StoreError> {
        self.source_impl(key)
    }

    fn lease_due(
        &mut self,
        owner: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
        limit: usize,
    ) -> Result<Vec<Source>, StoreError> {
        self.lease_due_impl(owner, now, lease_for, limit)
    }

    fn finish_check(
        &mut self,
        id: i64,
        owner: &str,
        record: &CheckRecord,
    ) -> Result<bool, StoreError> {
        self.finish_check_impl(id, owner, record)
    }

    fn renew_lease(
        &mut self,
        id: i64,
        owner: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
    ) -> Result<bool, StoreError> {
        self.renew_lease_impl(id, owner, now, lease_for)
    }

    fn holds_lease(&self, id: i64, owner: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        self.holds_lease_impl(id, owner, now)
    }

    fn release_lease(&mut self, id: i64, owner: &str) -> Result<(), StoreError> {
        self.release_lease_impl(id, owner)
    }

    fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.next_due_impl()
    }

    fn reserve_host_slot(
        &mut self,
        host: &str,
        now: DateTime<Utc>,
        spacing: Duration,
    ) -> Result<DateTime<Utc>, StoreError> {
        self.reserve_host_slot_impl(host, now, spacing)
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_only_the_password() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db?x=1"),
            "postgres://u:***@h:5432/db?x=1"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("postgresql://h/db"), "postgresql://h/db");
    }
}
