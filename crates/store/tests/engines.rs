//! What only one engine has: SQLite's file checks, PostgreSQL's connection thread and URLs.

use std::sync::{Arc, Mutex};

use newswire_model::Dispatch;
use newswire_store::{Outcome, PgStore, SqliteStore, Store};

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
