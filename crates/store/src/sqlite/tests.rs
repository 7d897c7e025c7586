//! Tests of the SQLite engine: idempotence, revisions, lookups, ranges, migrations.

use chrono::TimeZone;
use newswire_model::{Block, Provenance, SourceRef};

use super::*;

fn dispatch(url: &str, text: &str) -> Dispatch {
    let id = format!("{:0>16}", url.len());
    Dispatch {
        id,
        url: url.to_owned(),
        title: "A title".into(),
        published_at: Some("2012-07-24T06:10:00-05:00".parse().unwrap()),
        updated_at: None,
        fetched_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        authors: vec!["Jane Doe".into()],
        summary: None,
        body: vec![Block::paragraph(text)],
        language: Some("en".into()),
        categories: vec![],
        image: None,
        source: SourceRef::default(),
        guid: None,
        content_hash: format!("hash-of-{text}"),
        provenance: Provenance {
            body: BodyOrigin::Page,
            ..Provenance::default()
        },
        warnings: vec![],
    }
}

fn open() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("test.db")).unwrap();
    (dir, store)
}

#[test]
fn new_then_unchanged_then_updated() {
    let (_dir, mut store) = open();
    let first = dispatch("https://example.com/a", "one");
    assert_eq!(store.upsert(&first).unwrap(), Outcome::New);
    let mut again = first.clone();
    again.fetched_at = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap();
    again.warnings.push("noise".into());
    assert_eq!(store.upsert(&again).unwrap(), Outcome::Unchanged);
    assert_eq!(store.count().unwrap(), 1);

    let mut changed = first.clone();
    changed.body = vec![Block::paragraph("two")];
    changed.content_hash = "hash-of-two".into();
    assert_eq!(
        store.upsert(&changed).unwrap(),
        Outcome::Updated { revision: 2 }
    );
    assert_eq!(store.count().unwrap(), 1);
    assert_eq!(store.get(&first.id).unwrap().unwrap().text(), "two");

    let revisions = store.revisions(&first.id).unwrap();
    assert_eq!(
        revisions.iter().map(|r| r.revision).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(revisions[0].dispatch.text(), "one");
    assert_eq!(revisions[1].dispatch.text(), "two");
}

#[test]
fn feed_fallback_never_replaces_page_version() {
    let (_dir, mut store) = open();
    let page = dispatch("https://example.com/a", "the full article");
    store.upsert(&page).unwrap();
    let mut fallback = dispatch("https://example.com/a", "a teaser");
    fallback.provenance.body = BodyOrigin::FeedSummary;
    assert_eq!(store.upsert(&fallback).unwrap(), Outcome::KeptBetter);
    assert_eq!(
        store.get(&page.id).unwrap().unwrap().text(),
        "the full article"
    );
    assert_eq!(store.revisions(&page.id).unwrap().len(), 1);
}

#[test]
fn lookups_and_export_range() {
    let (_dir, mut store) = open();
    let mut early = dispatch("https://example.com/early", "e");
    early.published_at = Some("2012-07-23T10:00:00+00:00".parse().unwrap());
    let late = dispatch("https://example.com/late-one", "l");
    let mut no_date = dispatch("https://example.com/undated-article", "u");
    no_date.published_at = None;
    for d in [&early, &late, &no_date] {
        assert_eq!(store.upsert(d).unwrap(), Outcome::New);
    }
    assert_eq!(
        store
            .get_by_url("https://example.com/late-one")
            .unwrap()
            .unwrap()
            .id,
        late.id
    );
    assert!(store.get("ffffffffffffffff").unwrap().is_none());

    let mut seen = Vec::new();
    let filter = ExportFilter {
        since: Some(Utc.with_ymd_and_hms(2012, 7, 24, 0, 0, 0).unwrap()),
        until: None,
    };
    let n = store
        .export(&filter, &mut |d| {
            seen.push(d.url);
            Ok(())
        })
        .unwrap();
    // The late one (2012-07-24T11:10Z) and the undated one (sorted by its 2026 fetch time).
    assert_eq!(n, 2);
    assert_eq!(
        seen,
        [
            "https://example.com/late-one",
            "https://example.com/undated-article"
        ]
    );

    let filter = ExportFilter {
        since: None,
        until: Some(Utc.with_ymd_and_hms(2012, 7, 24, 11, 10, 0).unwrap()),
    };
    let mut seen = Vec::new();
    store
        .export(&filter, &mut |d| {
            seen.push(d.url);
            Ok(())
        })
        .unwrap();
    assert_eq!(seen, ["https://example.com/early"], "until is exclusive");
}

#[test]
fn reopen_keeps_data_and_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        store
            .upsert(&dispatch("https://example.com/a", "one"))
            .unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.count().unwrap(), 1);
    assert!(store.integrity_check().unwrap().is_empty());
}

#[test]
fn refuses_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = SqliteStore::open(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "database {} has schema version 99, newer than this newswire understands (1)",
            path.display()
        )
    );
}

#[test]
fn not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.db");
    std::fs::write(
        &path,
        b"this is not a sqlite file, it is plain text and long enough to have a header",
    )
    .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(err.to_string().contains("junk.db"), "{err}");
}
