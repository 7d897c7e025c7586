//! What every engine must do with a batch (`Store::upsert_many`): exactly what upserting its dispatches one after
//! the other does, repeated dispatches included, in one transaction that stores all or nothing. See issue 6.

use chrono::{Duration, TimeZone, Utc};
use newswire_model::{Block, BodyOrigin, Dispatch};
use newswire_store::{ExportFilter, Outcome, Prepared, SearchQuery, Store, StoreError};

use crate::TestDb;
use crate::behaviour::Barrier;
use crate::search::numbered;
use crate::stories::{FARMS, FARMS_TITLE, carried, republished, trimmed, wire};

/// `d` fetched `minutes` after the first fetch, so that the order dispatches are first seen in is their order.
fn at(mut d: Dispatch, minutes: i64) -> Dispatch {
    d.fetched_at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(minutes);
    d
}

fn with_text(d: &Dispatch, title: &str, paragraphs: &[&str]) -> Dispatch {
    let mut d = d.clone();
    d.title = title.to_owned();
    d.body = paragraphs.iter().map(|p| Block::paragraph(*p)).collect();
    d.content_hash = format!("hash-of-{title}-{paragraphs:?}");
    d
}

/// A history that exercises every decision: new dispatches, near-duplicates (stories), a repeat, updates (of a
/// lone dispatch that then joins a story, of a story's first dispatch), a feed fallback kept out, a dispatch
/// stored twice and changed in between, and one sharing another's URL. Returns (stored before, the batch).
fn history() -> (Vec<Dispatch>, Vec<Dispatch>) {
    let wire = at(wire(), 0);
    let farms = at(numbered(2, "farms.example", FARMS_TITLE, FARMS), 1);
    let (title, paragraphs) = republished();
    let republished = at(carried(3, "news.example", title, &paragraphs), 2);
    let brief = at(
        numbered(4, "a.example", "Morning briefing", &["Read more."]),
        3,
    );
    let teaser = at(
        numbered(5, "rail.example", title, &["A teaser about trains."]),
        4,
    );
    let before = vec![wire.clone(), farms.clone(), brief.clone()];

    let paragraphs_ref: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    let full = at(with_text(&teaser, title, &paragraphs_ref), 6);
    let mut same_url = at(
        numbered(7, "wire.example", "Corrected: a note", &["Brief."]),
        7,
    );
    same_url.url = wire.url.clone();
    let rewritten = at(with_text(&wire, FARMS_TITLE, FARMS), 8);
    let mut fallback = at(with_text(&farms, "Teaser", &["Farmers count the cost."]), 9);
    fallback.provenance.body = BodyOrigin::FeedSummary;
    let (title, paragraphs) = trimmed();
    let trimmed = at(carried(10, "daily.example", title, &paragraphs), 10);
    let mut farms_copy = at(farms.clone(), 11);
    farms_copy.id = format!("{:016x}", 11);
    farms_copy.url = "https://copy.example/farms".into();
    let again = at(wire.clone(), 12);
    let batch = vec![
        republished,
        teaser,
        at(brief, 5),
        full,
        same_url,
        rewritten.clone(),
        fallback,
        trimmed,
        farms_copy,
        again,
        at(rewritten, 13),
    ];
    (before, batch)
}

/// Everything a reader can see of the dispatches `ids`, rendered for comparison.
fn state(store: &dyn Store, ids: &[String]) -> String {
    let mut out = format!("count {}\n", store.count().unwrap());
    store
        .export(&ExportFilter::default(), &mut |d| {
            out.push_str(&format!("{d:?}\n"));
            Ok(())
        })
        .unwrap();
    for id in ids {
        for revision in store.revisions(id).unwrap() {
            out.push_str(&format!("{revision:?}\n"));
        }
        let story = store.get(id).unwrap().and_then(|d| d.story).unwrap();
        out.push_str(&format!(
            "story {story}: {:?}\n",
            store.story(&story).unwrap()
        ));
    }
    for text in ["floods", "trenitalia", "farmers cost", "briefing", "note"] {
        let hits = store.search(&SearchQuery::new(text)).unwrap();
        for hit in hits {
            out.push_str(&format!(
                "{text}: {} {:?} {}\n",
                hit.id, hit.story, hit.snippet
            ));
        }
    }
    out
}

pub fn a_batch_does_what_one_upsert_after_another_does(db: &TestDb) {
    let (before, batch) = history();
    let mut ids: Vec<String> = before.iter().chain(&batch).map(|d| d.id.clone()).collect();
    ids.sort();
    ids.dedup();

    let one_by_one = db.fresh();
    let mut store = one_by_one.open();
    for d in &before {
        store.upsert(d).unwrap();
    }
    let expected: Vec<Outcome> = batch.iter().map(|d| store.upsert(d).unwrap()).collect();
    let expected_state = state(&*store, &ids);
    assert_eq!(
        expected,
        [
            Outcome::New,
            Outcome::New,
            Outcome::Unchanged,
            Outcome::Updated { revision: 2 },
            Outcome::New,
            Outcome::Updated { revision: 2 },
            Outcome::KeptBetter,
            Outcome::New,
            Outcome::New,
            Outcome::Updated { revision: 3 },
            Outcome::Updated { revision: 4 },
        ]
    );

    for size in [batch.len(), 4, 1] {
        let batched = db.fresh();
        let mut store = batched.open();
        assert_eq!(store.upsert_many(&before).unwrap(), [Outcome::New; 3]);
        let outcomes: Vec<Outcome> = batch
            .chunks(size)
            .flat_map(|chunk| store.upsert_many(chunk).unwrap())
            .collect();
        assert_eq!(outcomes, expected, "in batches of {size}");
        assert_eq!(state(&*store, &ids), expected_state, "in batches of {size}");
    }
    // And the batch on its own, into an empty database.
    let alone = db.fresh();
    let mut sequential = alone.open();
    let expected: Vec<Outcome> = batch
        .iter()
        .map(|d| sequential.upsert(d).unwrap())
        .collect();
    let expected_state = state(&*sequential, &ids[..0]);
    let batched = db.fresh();
    let mut store = batched.open();
    assert_eq!(store.upsert_many(&batch).unwrap(), expected);
    assert_eq!(state(&*store, &ids[..0]), expected_state);
    // The copy of the farms story found the rewritten dispatch stored earlier in the same batch.
    let story = |d: &Dispatch| store.get(&d.id).unwrap().unwrap().story;
    assert_eq!(story(&batch[8]), story(&batch[5]));
    // Prepared on other threads (as the pipeline does), the same outcomes and the same stored state.
    let prepared_elsewhere = db.fresh();
    let mut store = prepared_elsewhere.open();
    let items: Vec<Prepared<'static>> = std::thread::scope(|scope| {
        let workers: Vec<_> = batch
            .iter()
            .map(|d| scope.spawn(move || Prepared::new(d.clone())))
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    assert_eq!(items[3].dispatch(), &batch[3]);
    assert_eq!(store.upsert_prepared(&items).unwrap(), expected);
    assert_eq!(state(&*store, &ids[..0]), expected_state);
    assert_eq!(store.upsert_prepared(&[]).unwrap(), []);
}

pub fn a_dispatch_repeated_in_a_batch_is_compared_with_its_earlier_self(db: &TestDb) {
    let mut store = db.open();
    let first = crate::behaviour::dispatch("https://example.com/a", "one");
    let mut same = first.clone();
    same.fetched_at += Duration::hours(1);
    let mut two = with_text(&first, "A title", &["two"]);
    two.fetched_at += Duration::hours(2);
    let mut teaser = with_text(&first, "A title", &["teaser"]);
    teaser.provenance.body = BodyOrigin::FeedSummary;
    let mut three = with_text(&first, "A title", &["three"]);
    three.fetched_at += Duration::hours(3);
    let outcomes = store
        .upsert_many(&[first.clone(), same, two.clone(), teaser, three.clone()])
        .unwrap();
    assert_eq!(
        outcomes,
        [
            Outcome::New,
            Outcome::Unchanged,
            Outcome::Updated { revision: 2 },
            Outcome::KeptBetter,
            Outcome::Updated { revision: 3 },
        ]
    );
    assert_eq!(store.count().unwrap(), 1);
    let current = store.get(&first.id).unwrap().unwrap();
    assert_eq!(current.text(), "three");
    assert_eq!(current.fetched_at, three.fetched_at);
    let revisions = store.revisions(&first.id).unwrap();
    let texts: Vec<String> = revisions.iter().map(|r| r.dispatch.text()).collect();
    assert_eq!(texts, ["one", "two", "three"]);
    let recorded: Vec<_> = revisions.iter().map(|r| r.recorded_at).collect();
    assert_eq!(
        recorded,
        [first.fetched_at, two.fetched_at, three.fetched_at]
    );
    // First seen when first stored, whatever came after.
    let mut seen = Vec::new();
    store
        .export(&ExportFilter::default(), &mut |d| {
            seen.push(d.id);
            Ok(())
        })
        .unwrap();
    assert_eq!(seen, std::slice::from_ref(&first.id));
    let hits = store.search(&SearchQuery::new("three")).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(store.search(&SearchQuery::new("two")).unwrap().is_empty());
    // Again, later: the history goes on from the last revision.
    let four = with_text(&first, "A title", &["four"]);
    assert_eq!(
        store.upsert_many(&[three, four]).unwrap(),
        [Outcome::Unchanged, Outcome::Updated { revision: 4 }]
    );
    let texts: Vec<String> = store
        .revisions(&first.id)
        .unwrap()
        .iter()
        .map(|r| r.dispatch.text())
        .collect();
    assert_eq!(texts, ["one", "two", "three", "four"]);
}

/// The database refuses one dispatch of a batch (a trigger stands for any failure: a constraint, a full disk):
/// nothing of the batch is stored, the error says what was being stored, and the store goes on working.
pub fn a_failing_batch_stores_nothing(db: &TestDb) {
    let mut store = db.open();
    let kept = numbered(1, "a.example", "Stored before", &["Earlier text."]);
    store.upsert(&kept).unwrap();
    db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON dispatches WHEN NEW.url LIKE '%refused%'
         BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF NEW.url LIKE '%refused%' THEN RAISE EXCEPTION 'refused %', NEW.url; END IF;
             RETURN NEW;
         END $$;
         CREATE TRIGGER refuse BEFORE INSERT ON dispatches FOR EACH ROW EXECUTE FUNCTION refuse();",
    );
    let changed = with_text(&kept, "Stored before", &["Changed text."]);
    let fine = numbered(2, "a.example", "Fine", &["Fine text."]);
    let mut refused = numbered(3, "refused.example", "Refused", &["Refused text."]);
    refused.url = "https://refused.example/3".into();
    let batch = [changed.clone(), fine.clone(), refused.clone()];
    let err = store.upsert_many(&batch).unwrap_err();
    assert!(matches!(err, StoreError::Query { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "database query failed while storing a batch of 3 dispatches"
    );
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(store.count().unwrap(), 1);
    assert_eq!(
        store.get(&kept.id).unwrap().unwrap().text(),
        "Earlier text."
    );
    assert_eq!(store.revisions(&kept.id).unwrap().len(), 1);
    assert!(store.get(&fine.id).unwrap().is_none());
    assert!(store.search(&SearchQuery::new("fine")).unwrap().is_empty());
    // One at a time, the others are stored and the refused one fails alone, named.
    let err = store.upsert(&refused).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "database query failed while storing dispatch {}",
            refused.id
        )
    );
    assert_eq!(
        store.upsert_many(&batch[..2]).unwrap(),
        [Outcome::Updated { revision: 2 }, Outcome::New]
    );
    assert_eq!(store.count().unwrap(), 2);
    assert_eq!(store.upsert_many(&[]).unwrap(), []);
}

/// Turns a SQLite database of schema version 7 back into the tables of version 6 (`search_docs` and
/// `story_members` in place of `docs` and `story_keys`), so that the tests below can take it further back.
const SQLITE_BACK_TO_VERSION_6: &str = "
    CREATE TABLE search_docs (
        doc         INTEGER PRIMARY KEY,
        dispatch_id TEXT NOT NULL UNIQUE REFERENCES dispatches (id),
        sort_at     INTEGER NOT NULL,
        feed_url    TEXT,
        host        TEXT
    ) STRICT;
    INSERT INTO search_docs SELECT doc, dispatch_id, sort_at, feed_url, host FROM docs;
    CREATE TABLE story_members (
        dispatch_id TEXT PRIMARY KEY NOT NULL REFERENCES dispatches (id),
        story_id    TEXT NOT NULL,
        band0 INTEGER, band1 INTEGER, band2 INTEGER, band3 INTEGER,
        band4 INTEGER, band5 INTEGER, band6 INTEGER, band7 INTEGER,
        shingles BLOB
    ) STRICT;
    INSERT INTO story_members
    SELECT m.dispatch_id, m.story_id, k.band0, k.band1, k.band2, k.band3, k.band4, k.band5, k.band6, k.band7,
           k.shingles
    FROM docs m LEFT JOIN story_keys k ON k.doc = m.doc;
    CREATE INDEX story_members_story_id ON story_members (story_id);
    CREATE INDEX story_members_band0 ON story_members (band0);
    CREATE INDEX story_members_band1 ON story_members (band1);
    CREATE INDEX story_members_band2 ON story_members (band2);
    CREATE INDEX story_members_band3 ON story_members (band3);
    CREATE INDEX story_members_band4 ON story_members (band4);
    CREATE INDEX story_members_band5 ON story_members (band5);
    CREATE INDEX story_members_band6 ON story_members (band6);
    CREATE INDEX story_members_band7 ON story_members (band7);
    DROP TABLE story_keys;
    DROP TABLE docs;
";

/// Schema version 5 on a database of version 4 (made by storing with this version, then taking version 5's
/// changes back out): the shingles of the stored dispatches are filled in, the current revisions stop copying
/// the dispatch rows, and nothing a reader sees changes.
pub fn a_version_4_database_gets_shingles_and_a_history_without_copies(db: &TestDb) {
    let wire = at(wire(), 0);
    let (title, paragraphs) = republished();
    let republished = at(carried(2, "news.example", title, &paragraphs), 1);
    let farms = at(numbered(3, "farms.example", FARMS_TITLE, FARMS), 2);
    let farms_two = at(with_text(&farms, FARMS_TITLE, &FARMS[1..]), 3);
    let ids: Vec<String> = [&wire, &republished, &farms]
        .iter()
        .map(|d| d.id.clone())
        .collect();
    let before = {
        let mut store = db.open();
        store
            .upsert_many(&[wire.clone(), republished, farms, farms_two])
            .unwrap();
        state(&*store, &ids)
    };
    let current_not_copied = "SELECT count(*) FROM revisions WHERE json IS NULL";
    let without_shingles = (
        "SELECT count(*) FROM story_keys WHERE shingles IS NULL",
        "SELECT count(*) FROM story_members WHERE band0 IS NOT NULL AND shingles IS NULL",
    );
    assert_eq!(db.query_i64(current_not_copied, current_not_copied), 3);
    assert_eq!(db.query_i64(without_shingles.0, without_shingles.1), 0);
    db.execute(
        &format!(
            "{SQLITE_BACK_TO_VERSION_6}
             UPDATE revisions SET json = (SELECT json FROM dispatches d WHERE d.id = revisions.dispatch_id)
                 WHERE json IS NULL;
             ALTER TABLE story_members DROP COLUMN shingles;
             PRAGMA user_version = 4;"
        ),
        "UPDATE revisions r SET json = d.json FROM dispatches d WHERE d.id = r.dispatch_id AND r.json IS NULL;
         ALTER TABLE revisions ALTER COLUMN json SET NOT NULL;
         ALTER TABLE story_members DROP COLUMN shingles;
         DELETE FROM schema_migrations WHERE version >= 5;",
    );
    assert_eq!(
        db.schema_version(),
        crate::SCHEMA_VERSION,
        "migrated on open"
    );
    assert_eq!(db.query_i64(current_not_copied, current_not_copied), 3);
    let with_shingles = (
        "SELECT count(*) FROM story_keys WHERE shingles IS NOT NULL",
        "SELECT count(*) FROM story_members WHERE shingles IS NOT NULL",
    );
    assert_eq!(db.query_i64(with_shingles.0, with_shingles.1), 3);
    let mut store = db.open();
    assert_eq!(state(&*store, &ids), before);
    // A third carrier is compared with the stored shingles, and joins.
    let (title, paragraphs) = trimmed();
    let third = at(carried(4, "daily.example", title, &paragraphs), 4);
    assert_eq!(store.upsert(&third).unwrap(), Outcome::New);
    assert_eq!(
        store.get(&third.id).unwrap().unwrap().story,
        Some(wire.id.clone())
    );
    let changed = at(with_text(&wire, "Updated", &["An update."]), 5);
    assert_eq!(
        store.upsert(&changed).unwrap(),
        Outcome::Updated { revision: 2 }
    );
    let texts: Vec<String> = store
        .revisions(&wire.id)
        .unwrap()
        .iter()
        .map(|r| r.dispatch.text())
        .collect();
    assert_eq!(texts, [wire.text(), changed.text()]);
}

/// Schema version 6 on a database of version 5 (made by storing with this version, then putting back the JSON
/// version 5 stored: the contract form, `text` included): the stored JSON loses its `text`, and nothing a reader
/// sees changes.
pub fn a_version_5_database_stores_the_text_once(db: &TestDb) {
    let wire = at(wire(), 0);
    let farms = at(numbered(3, "farms.example", FARMS_TITLE, FARMS), 2);
    let farms_two = at(with_text(&farms, FARMS_TITLE, &FARMS[1..]), 3);
    let ids: Vec<String> = [&wire, &farms].iter().map(|d| d.id.clone()).collect();
    let before = {
        let mut store = db.open();
        store
            .upsert_many(&[wire.clone(), farms.clone(), farms_two.clone()])
            .unwrap();
        state(&*store, &ids)
    };
    let full = |d: &Dispatch| serde_json::to_string(d).unwrap().replace('\'', "''");
    let rows_with_text = (
        "SELECT (SELECT count(*) FROM dispatches WHERE json_type(json, '$.text') IS NOT NULL)
             + (SELECT count(*) FROM revisions WHERE json_type(json, '$.text') IS NOT NULL)",
        "SELECT (SELECT count(*) FROM dispatches WHERE json::jsonb ? 'text')
             + (SELECT count(*) FROM revisions WHERE json::jsonb ? 'text')",
    );
    assert_eq!(db.query_i64(rows_with_text.0, rows_with_text.1), 0);
    let put_back = format!(
        "UPDATE dispatches SET json = '{}' WHERE id = '{}';
         UPDATE dispatches SET json = '{}' WHERE id = '{}';
         UPDATE revisions SET json = '{}' WHERE dispatch_id = '{}' AND revision = 1;",
        full(&wire),
        wire.id,
        full(&farms_two),
        farms.id,
        full(&farms),
        farms.id
    );
    db.execute(
        &format!("{SQLITE_BACK_TO_VERSION_6} {put_back} PRAGMA user_version = 5;"),
        &format!("{put_back} DELETE FROM schema_migrations WHERE version >= 6;"),
    );
    db.migrate_counting(rows_with_text, 3, 0);
    let mut store = db.open();
    assert_eq!(state(&*store, &ids), before);
    // Storing the same versions again changes nothing: their fingerprints are those of the contract form.
    assert_eq!(
        store.upsert_many(&[wire, farms_two]).unwrap(),
        [Outcome::Unchanged, Outcome::Unchanged]
    );
}

/// Two connections store overlapping batches at the same moment, large ones (which run alone) and small ones
/// (which lock their dispatches' keys): every dispatch is stored once, and near-duplicates meet in one story.
pub fn concurrent_batches_store_once(db: &TestDb) {
    drop(db.open());
    let (title, paragraphs) = republished();
    let copies: Vec<Dispatch> = (0..130)
        .map(|n| carried(100 + n, &format!("c{n}.example"), title, &paragraphs))
        .collect();
    let barrier = std::sync::Arc::new(Barrier::new(2));
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let workers: Vec<_> = [0, 1]
            .into_iter()
            .map(|worker| {
                let barrier = std::sync::Arc::clone(&barrier);
                let copies = &copies;
                scope.spawn(move || {
                    let mut store = db.open();
                    let mut mine: Vec<Dispatch> = copies.clone();
                    if worker == 1 {
                        mine.reverse();
                    }
                    barrier.wait(1);
                    let mut outcomes = store.upsert_many(&mine).unwrap();
                    barrier.wait(2);
                    for chunk in mine.chunks(2) {
                        outcomes.extend(store.upsert_many(chunk).unwrap());
                    }
                    outcomes
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let count = |o: Outcome| outcomes.iter().filter(|x| **x == o).count();
    assert_eq!(count(Outcome::New), 130, "{outcomes:?}");
    assert_eq!(count(Outcome::Unchanged), 390, "{outcomes:?}");
    let store = db.open();
    assert_eq!(store.count().unwrap(), 130);
    let mut stories = Vec::new();
    store
        .export(&ExportFilter::default(), &mut |d| {
            stories.push(d.story.unwrap());
            Ok(())
        })
        .unwrap();
    stories.dedup();
    assert_eq!(stories.len(), 1, "one story: {stories:?}");
}
