//! What only one engine has: SQLite's file checks, PostgreSQL's connection thread and URLs.

use std::sync::{Arc, Mutex};

use newswire_model::{Block, Dispatch};
use newswire_store::{
    AddOutcome, ExportFilter, NewSource, Outcome, PgStore, SearchQuery, SqliteStore, Store,
};

use crate::TestDb;

fn dispatch(url: &str) -> Dispatch {
    crate::behaviour::dispatch(url, "text")
}

#[test]
fn sqlite_file_is_sound_after_use() {
    let db = TestDb::sqlite();
    db.open()
        .upsert(&dispatch("https://example.com/a"))
        .unwrap();
    let store = SqliteStore::open(db.url()).unwrap();
    assert!(store.integrity_check().unwrap().is_empty());
}

/// What a version-1 database holds for `d` (and its one revision), as the version-1 code wrote it.
struct V1Row {
    json: String,
    published_at: Option<String>,
    sort_at: i64,
}

fn v1_row(d: &Dispatch) -> V1Row {
    V1Row {
        json: serde_json::to_string(d).unwrap(),
        published_at: d.published_at.map(|t| t.to_string()),
        sort_at: chrono::DateTime::parse_from_rfc3339("2012-07-24T06:10:00-05:00")
            .unwrap()
            .timestamp(),
    }
}

/// After the upgrade of a version-1 database holding `d`: the dispatch is intact (and in a story of its own),
/// revisions go on from it, it can be found by search, and the source registry works.
fn check_upgraded(store: &mut dyn Store, d: &Dispatch) {
    let d = &Dispatch {
        story: Some(d.id.clone()),
        ..d.clone()
    };
    assert_eq!(store.count().unwrap(), 1);
    assert_eq!(store.get(&d.id).unwrap().as_ref(), Some(d));
    assert_eq!(store.get_by_url(&d.url).unwrap().as_ref(), Some(d));
    let mut exported = Vec::new();
    store
        .export(&ExportFilter::default(), &mut |x| {
            exported.push(x);
            Ok(())
        })
        .unwrap();
    assert_eq!(exported, std::slice::from_ref(d));
    let hits = store.search(&SearchQuery::new("text")).unwrap();
    assert_eq!(
        hits.len(),
        1,
        "the stored dispatch was indexed by the migration"
    );
    assert_eq!(hits[0].snippet, "[text]");
    let mut changed = d.clone();
    changed.body = vec![Block::paragraph("changed")];
    changed.content_hash = "hash-of-changed".into();
    assert_eq!(
        store.upsert(&changed).unwrap(),
        Outcome::Updated { revision: 2 }
    );
    assert_eq!(store.revisions(&d.id).unwrap()[0].dispatch, *d);
    let hits = store.search(&SearchQuery::new("changed")).unwrap();
    assert_eq!(hits.len(), 1, "the new revision is indexed");
    assert_eq!(store.story(&d.id).unwrap().len(), 1);
    assert!(store.sources().unwrap().is_empty());
    let new = NewSource {
        url: "https://example.com/feed.xml".into(),
        ..NewSource::default()
    };
    assert!(matches!(
        store.add_source(&new, d.fetched_at).unwrap(),
        AddOutcome::Added(_)
    ));
}

/// Schema migrations 2 to 5 (the source registry, search, stories, stored shingles and history without copies) on a database made by version 1, with its
/// dispatches: the search index and the stories are filled for them.
#[test]
fn sqlite_upgrades_a_version_1_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    let d = dispatch("https://example.com/a");
    let row = v1_row(&d);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch(include_str!("../migrations/sqlite/0001_init.sql"))
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO dispatches (id, url, guid, feed_url, title, published_at, sort_at, first_seen_at,
                 fetched_at, content_hash, fingerprint, body_origin, revision, json)
             VALUES (?1, ?2, NULL, NULL, ?3, ?4, ?5, ?6, ?6, ?7, 'v1-fingerprint', 'page', 1, ?8)",
            rusqlite::params![
                d.id,
                d.url,
                d.title,
                row.published_at,
                row.sort_at,
                d.fetched_at.to_rfc3339(),
                d.content_hash,
                row.json
            ],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO revisions (dispatch_id, revision, recorded_at, content_hash, json)
             VALUES (?1, 1, ?2, ?3, ?4)",
            rusqlite::params![d.id, d.fetched_at.to_rfc3339(), d.content_hash, row.json],
        )
        .unwrap();
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), crate::SCHEMA_VERSION);
    check_upgraded(&mut store, &d);
    assert!(store.integrity_check().unwrap().is_empty());
    drop(store);
    // Opening again changes nothing.
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), crate::SCHEMA_VERSION);
    assert_eq!(store.count().unwrap(), 1);
    assert_eq!(store.sources().unwrap().len(), 1);
}

/// The same for PostgreSQL: a schema made by version 1 is upgraded in place.
#[test]
fn pg_upgrades_a_version_1_database() {
    let Some(db) = TestDb::postgres("pg_upgrades_a_version_1_database") else {
        return;
    };
    let TestDb::Postgres { admin, schema, url } = &db else {
        unreachable!("TestDb::postgres makes a PostgreSQL database");
    };
    let d = dispatch("https://example.com/a");
    let row = v1_row(&d);
    {
        let mut client = crate::admin_client(admin);
        let mut tx = client.transaction().unwrap();
        tx.batch_execute(&format!("SET LOCAL search_path TO {schema}"))
            .unwrap();
        tx.batch_execute(include_str!("../migrations/postgres/0001_init.sql"))
            .unwrap();
        tx.execute("INSERT INTO schema_migrations (version) VALUES (1)", &[])
            .unwrap();
        tx.execute(
            "INSERT INTO dispatches (id, url, guid, feed_url, title, published_at, sort_at, first_seen_at,
                 fetched_at, content_hash, fingerprint, body_origin, revision, json)
             VALUES ($1, $2, NULL, NULL, $3, $4, $5, $6, $6, $7, 'v1-fingerprint', 'page', 1, $8)",
            &[
                &d.id,
                &d.url,
                &d.title,
                &row.published_at,
                &row.sort_at,
                &d.fetched_at,
                &d.content_hash,
                &row.json,
            ],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO revisions (dispatch_id, revision, recorded_at, content_hash, json)
             VALUES ($1, 1, $2, $3, $4)",
            &[&d.id, &d.fetched_at, &d.content_hash, &row.json],
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let mut store = PgStore::open(url).unwrap();
    assert_eq!(store.schema_version().unwrap(), crate::SCHEMA_VERSION);
    check_upgraded(&mut store, &d);
}

#[test]
fn sqlite_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.db");
    std::fs::write(
        &path,
        b"this is not a sqlite file, it is plain text and long enough to have a header",
    )
    .unwrap();
    let err = newswire_store::open(path.to_str().unwrap()).err().unwrap();
    assert!(err.to_string().contains("junk.db"), "{err}");
}

/// The pipeline calls the store inside `spawn_blocking` of a multi-thread runtime and keeps it in an
/// `Arc<Mutex<Box<dyn Store>>>` that async code holds, so the store may also be opened and dropped there.
#[test]
fn pg_works_inside_a_tokio_runtime() {
    let Some(db) = TestDb::postgres("pg_works_inside_a_tokio_runtime") else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let url = db.url().to_owned();
    runtime.block_on(async move {
        // Opened on a runtime worker thread, as an async caller might.
        let store: Arc<Mutex<Box<dyn Store>>> =
            Arc::new(Mutex::new(newswire_store::open(&url).unwrap()));
        let mut tasks = Vec::new();
        for i in 0..4 {
            let store = Arc::clone(&store);
            tasks.push(tokio::task::spawn_blocking(move || {
                let mut store = store.lock().unwrap();
                store
                    .upsert(&dispatch(&format!("https://example.com/{}", "c".repeat(i))))
                    .unwrap()
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap(), Outcome::New);
        }
        let count = {
            let store = Arc::clone(&store);
            tokio::task::spawn_blocking(move || store.lock().unwrap().count().unwrap())
                .await
                .unwrap()
        };
        assert_eq!(count, 4);
        // The last reference goes away on a runtime worker thread.
        drop(store);
    });
}

#[test]
fn pg_open_reports_the_url_without_its_password() {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    let err = PgStore::open("postgres://someone:hunter2@127.0.0.1:1/nothing")
        .err()
        .unwrap();
    let message = err.to_string();
    assert_eq!(
        message,
        "cannot open database postgres://someone:***@127.0.0.1:1/nothing"
    );
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn pg_url_selects_the_postgres_engine() {
    assert!(newswire_store::is_postgres_url("postgres://h/db"));
    assert!(newswire_store::is_postgres_url("postgresql://h/db"));
    assert!(!newswire_store::is_postgres_url("newswire.db"));
    assert!(!newswire_store::is_postgres_url("/tmp/postgres/x.db"));
    let err = newswire_store::open("postgresql://127.0.0.1:1/nothing")
        .err()
        .unwrap();
    assert!(
        err.to_string().contains("postgresql://127.0.0.1:1/"),
        "{err}"
    );
}

/// Schema version 8: the search index's pending list holds 64 MB (migrations/postgres/0008_pending.sql), and the
/// dispatches stored through it are found.
#[test]
fn pg_search_index_takes_large_pending_batches() {
    let Some(db) = TestDb::postgres("pg_search_index_takes_large_pending_batches") else {
        return;
    };
    let mut store = db.open();
    let limit = db.query_i64(
        "SELECT 0",
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND c.relname = 'search_docs_search'
           AND 'gin_pending_list_limit=65536' = ANY (c.reloptions)",
    );
    assert_eq!(limit, 1);
    let mut d = dispatch("https://example.com/pending");
    d.body = vec![newswire_model::Block::paragraph(
        "A quokka crossed the square.",
    )];
    store.upsert(&d).unwrap();
    let hits = store
        .search(&newswire_store::SearchQuery::new("quokka"))
        .unwrap();
    assert_eq!(hits.len(), 1);
}
