//! The store's integration tests: one behavioural suite run against every engine, plus engine-specific tests.
//!
//! Each behaviour test in `behaviour.rs` (dispatches), `batches.rs` (batch upserts), `search.rs` (full-text search), `stories.rs`
//! (near-duplicates) and `sources.rs` (the source registry) takes a [`TestDb`]
//! and runs twice: as `sqlite::<module>::<name>` on a temporary file, and as `pg::<module>::<name>` on a fresh
//! PostgreSQL schema. The PostgreSQL server is the one `NEWSWIRE_TEST_PG` names (default
//! `postgres://postgres@127.0.0.1:5432/test`); when it does not answer, the PostgreSQL tests fail.
//! `NEWSWIRE_TEST_PG=skip` skips them, loudly; CI never sets it.

mod batches;
mod behaviour;
mod engines;
mod search;
mod sources;
mod stories;

use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};

use newswire_store::{PgStore, SqliteStore, Store};

/// The schema version this newswire migrates databases to.
pub const SCHEMA_VERSION: i64 = 10;

/// The server used when `NEWSWIRE_TEST_PG` is not set.
const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A database of its own for one test, removed when dropped.
pub enum TestDb {
    /// A SQLite file in a temporary directory.
    Sqlite {
        /// Removed on drop.
        _dir: tempfile::TempDir,
        /// The database file.
        path: String,
    },
    /// A PostgreSQL schema made for this test; `url` puts it first on the `search_path`.
    Postgres {
        /// The test server, as `NEWSWIRE_TEST_PG` names it.
        admin: String,
        /// The schema made for this test.
        schema: String,
        /// `admin` with the schema as its `search_path`.
        url: String,
    },
}

impl TestDb {
    /// A fresh SQLite database.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db").display().to_string();
        TestDb::Sqlite { _dir: dir, path }
    }

    /// The server the PostgreSQL tests use, or `None` (after a loud notice) when told to skip them.
    pub fn pg_server(test: &str) -> Option<String> {
        let url = std::env::var("NEWSWIRE_TEST_PG").unwrap_or_else(|_| DEFAULT_PG.to_owned());
        if url == "skip" {
            // Written past the test harness's capture, so it shows even when the test passes.
            let _ = writeln!(
                std::io::stderr(),
                "\n!!! NEWSWIRE_TEST_PG=skip: PostgreSQL test {test} SKIPPED; the PostgreSQL engine is untested !!!"
            );
            return None;
        }
        Some(url)
    }

    /// A fresh, empty PostgreSQL schema on the test server, or `None` when told to skip.
    pub fn postgres(test: &str) -> Option<TestDb> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let admin = TestDb::pg_server(test)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let schema = format!(
            "newswire_test_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = admin_client(&admin);
        client
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .unwrap();
        let separator = if admin.contains('?') { '&' } else { '?' };
        let url = format!("{admin}{separator}options=-csearch_path%3D{schema}");
        Some(TestDb::Postgres { admin, schema, url })
    }

    /// Another fresh database of the same engine.
    pub fn fresh(&self) -> TestDb {
        match self {
            TestDb::Sqlite { .. } => TestDb::sqlite(),
            TestDb::Postgres { .. } => {
                TestDb::postgres("fresh").expect("the server answered before")
            }
        }
    }

    /// Runs `sqlite` or `pg` (several statements) on this database, past the store.
    pub fn execute(&self, sqlite: &str, pg: &str) {
        match self {
            TestDb::Sqlite { path, .. } => {
                rusqlite::Connection::open(path)
                    .unwrap()
                    .execute_batch(sqlite)
                    .unwrap();
            }
            TestDb::Postgres { admin, schema, .. } => {
                admin_client(admin)
                    .batch_execute(&format!("SET search_path TO {schema}; {pg}"))
                    .unwrap();
            }
        }
    }

    /// The number `sqlite` or `pg` (one query of one row and column) answers on this database, past the store.
    pub fn query_i64(&self, sqlite: &str, pg: &str) -> i64 {
        match self {
            TestDb::Sqlite { path, .. } => rusqlite::Connection::open(path)
                .unwrap()
                .query_row(sqlite, [], |row| row.get(0))
                .unwrap(),
            TestDb::Postgres { admin, schema, .. } => {
                let mut client = admin_client(admin);
                client
                    .batch_execute(&format!("SET search_path TO {schema}"))
                    .unwrap();
                client.query_one(pg, &[]).unwrap().get(0)
            }
        }
    }

    /// What `newswire_store::open` takes to open this database.
    pub fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { path, .. } => path,
            TestDb::Postgres { url, .. } => url,
        }
    }

    /// A new connection to this database, through `newswire_store::open`.
    pub fn open(&self) -> Box<dyn Store> {
        newswire_store::open(self.url()).unwrap()
    }

    /// The schema version recorded in the database.
    pub fn schema_version(&self) -> i64 {
        match self {
            TestDb::Sqlite { path, .. } => {
                SqliteStore::open(path).unwrap().schema_version().unwrap()
            }
            TestDb::Postgres { url, .. } => PgStore::open(url).unwrap().schema_version().unwrap(),
        }
    }

    /// Asserts that `query` (`sqlite` or `pg`: a count) answers `before`, opens the store (which migrates the
    /// database to the current schema), then asserts that it answers `after`.
    pub fn migrate_counting(&self, query: (&str, &str), before: i64, after: i64) {
        assert_eq!(self.query_i64(query.0, query.1), before, "before migrating");
        assert_eq!(
            self.schema_version(),
            crate::SCHEMA_VERSION,
            "migrated on open"
        );
        assert_eq!(self.query_i64(query.0, query.1), after, "after migrating");
    }

    /// Marks the (migrated) database as written by a newer newswire, at schema version `version`.
    pub fn pretend_schema_version(&self, version: i64) {
        match self {
            TestDb::Sqlite { path, .. } => {
                rusqlite_set_user_version(path, version);
            }
            TestDb::Postgres { admin, schema, .. } => {
                admin_client(admin)
                    .execute(
                        &format!("INSERT INTO {schema}.schema_migrations (version) VALUES ($1)"),
                        &[&version],
                    )
                    .unwrap();
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin, schema, .. } = self
            && let Ok(mut client) = postgres::Client::connect(admin, postgres::NoTls)
        {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

/// A connection to the test server, or a panic that says what to do.
pub fn admin_client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap_or_else(|err| {
        panic!(
            "the PostgreSQL tests need a server, and none answered at {url}: {err}\n\
             start one (see .ci/run), point NEWSWIRE_TEST_PG at another \
             (postgres://user@host:port/database), or set NEWSWIRE_TEST_PG=skip to skip these tests"
        )
    })
}

fn rusqlite_set_user_version(path: &str, version: i64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "user_version", version).unwrap();
}

/// Instantiates each behaviour test `<module>::<name>` once per engine: `sqlite::<module>::<name>` and
/// `pg::<module>::<name>`.
macro_rules! for_each_engine {
    ($($module:ident { $($name:ident),* $(,)? })*) => {
        mod sqlite {
            $(
                mod $module {
                    $(
                        #[test]
                        fn $name() {
                            crate::$module::$name(&crate::TestDb::sqlite());
                        }
                    )*
                }
            )*
        }
        mod pg {
            $(
                mod $module {
                    $(
                        #[test]
                        fn $name() {
                            if let Some(db) = crate::TestDb::postgres(stringify!($name)) {
                                crate::$module::$name(&db);
                            }
                        }
                    )*
                }
            )*
        }
    };
}

for_each_engine! {
    batches {
        a_batch_does_what_one_upsert_after_another_does,
        a_dispatch_repeated_in_a_batch_is_compared_with_its_earlier_self,
        a_failing_batch_stores_nothing,
        a_version_4_database_gets_shingles_and_a_history_without_copies,
        a_version_5_database_stores_the_text_once,
        concurrent_batches_store_once,
    }
    behaviour {
        new_then_unchanged_then_updated,
        an_article_listed_by_two_feeds_is_one_dispatch_without_flapping,
        a_stale_copy_in_another_feed_makes_no_revision,
        feed_fallback_never_replaces_page_version,
        lookups_and_export_range,
        round_trips_the_dispatch_exactly,
        a_nul_character_is_refused_alike_and_nothing_else_is_lost,
        reopen_keeps_data_and_schema_version,
        refuses_newer_schema,
        export_stops_when_the_sink_fails,
        concurrent_upserts_store_once,
        concurrent_opens_migrate_once,
    }
    search {
        a_title_match_ranks_above_a_body_match,
        accents_and_case_are_ignored,
        time_filters_select_by_publication_instant,
        source_filter_takes_a_feed_url_or_a_host,
        snippets_mark_the_matched_words,
        hostile_input_is_never_an_error,
        updated_dispatches_are_found_by_their_new_text_only,
        limit_caps_the_hits_best_first,
    }
    stories {
        a_republished_story_joins_the_first_ones_story,
        different_stories_on_one_topic_stay_apart,
        three_carriers_form_one_story_of_three,
        the_same_text_elsewhere_is_another_dispatch_of_the_same_story,
        dispatches_without_a_web_address_share_no_story_by_it,
        a_version_8_database_parts_stories_joined_by_a_url_that_is_no_web_address,
        a_republication_joins_a_story_of_its_weeks_only,
        a_version_9_database_gets_its_story_windows,
        a_changed_text_moves_a_lone_dispatch_only,
        the_same_guid_or_canonical_url_is_one_dispatch,
        concurrent_near_duplicates_join_one_story,
    }
    sources {
        add_is_idempotent_and_merges_categories,
        sources_are_listed_by_id_and_found_by_key,
        remove_by_id_or_url_keeps_dispatches,
        lease_takes_due_free_sources_in_due_order,
        expired_lease_passes_to_another_owner,
        renewed_lease_lasts_and_an_expired_one_stays_lost,
        lease_spreads_over_hosts,
        finish_check_records_the_check_and_clears_the_lease,
        release_leaves_the_source_due,
        next_due_is_the_earliest_leasable_time,
        host_slots_space_requests,
        concurrent_leases_take_each_source_once,
    }
}
