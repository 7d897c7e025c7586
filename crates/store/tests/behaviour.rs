//! What every engine must do: idempotence, revisions, lookups, ranges, migrations, concurrency.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use newswire_model::{Block, BodyOrigin, Dispatch, Provenance, SourceRef};
use newswire_store::{ExportFilter, Outcome, StoreError};

use crate::TestDb;

/// A dispatch whose id follows from the length of `url`.
pub fn dispatch(url: &str, text: &str) -> Dispatch {
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
        story: None,
    }
}

fn changed(d: &Dispatch, text: &str) -> Dispatch {
    let mut d = d.clone();
    d.body = vec![Block::paragraph(text)];
    d.content_hash = format!("hash-of-{text}");
    d
}

/// A barrier that gives up (panics) after a minute, so a thread that panicked cannot hang the others.
pub struct Barrier {
    parties: usize,
    arrived: Mutex<usize>,
    all_here: Condvar,
}

impl Barrier {
    /// A barrier for `parties` threads.
    pub fn new(parties: usize) -> Barrier {
        Barrier {
            parties,
            arrived: Mutex::new(0),
            all_here: Condvar::new(),
        }
    }

    /// Waits until every party has called `wait` `round` times (rounds count from 1).
    pub fn wait(&self, round: usize) {
        let mut arrived = self.arrived.lock().unwrap();
        *arrived += 1;
        self.all_here.notify_all();
        let (arrived, timeout) = self
            .all_here
            .wait_timeout_while(arrived, Duration::from_secs(60), |n| {
                *n < self.parties * round
            })
            .unwrap();
        assert!(
            !timeout.timed_out(),
            "a peer thread never arrived ({arrived})"
        );
    }
}

pub fn new_then_unchanged_then_updated(db: &TestDb) {
    let mut store = db.open();
    let first = dispatch("https://example.com/a", "one");
    assert_eq!(store.upsert(&first).unwrap(), Outcome::New);
    let mut again = first.clone();
    again.fetched_at = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap();
    again.warnings.push("noise".into());
    assert_eq!(store.upsert(&again).unwrap(), Outcome::Unchanged);
    assert_eq!(store.count().unwrap(), 1);

    let two = changed(&first, "two");
    assert_eq!(
        store.upsert(&two).unwrap(),
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
    assert_eq!(revisions[0].recorded_at, first.fetched_at);
    assert!(store.revisions("ffffffffffffffff").unwrap().is_empty());
}

/// `d` as listed by feed `feed`, with that feed's name and categories.
fn through(d: &Dispatch, feed: &str, category: &str) -> Dispatch {
    let mut d = d.clone();
    d.source = SourceRef {
        feed_url: Some(format!("https://example.com/{feed}.xml")),
        site: Some("https://example.com".into()),
        site_name: Some(format!("Example: {feed}")),
    };
    d.categories = vec![category.into()];
    d
}

/// The same article listed by two feeds (a site's front page and a section): seen through the other feed it is
/// unchanged, and keeps the feed it was stored through, unless something else changed; seen through the same feed,
/// any change is a revision.
pub fn an_article_listed_by_two_feeds_is_one_dispatch_without_flapping(db: &TestDb) {
    let mut store = db.open();
    let article = dispatch("https://example.com/two-feeds", "the article");
    let (front, world) = (
        through(&article, "front", "Top"),
        through(&article, "world", "World"),
    );
    assert_eq!(store.upsert(&front).unwrap(), Outcome::New);
    for _ in 0..2 {
        assert_eq!(store.upsert(&world).unwrap(), Outcome::Unchanged);
        assert_eq!(store.upsert(&front).unwrap(), Outcome::Unchanged);
    }
    let stored = store.get(&article.id).unwrap().unwrap();
    assert_eq!(stored.source, front.source);
    assert_eq!(stored.categories, ["Top"]);
    assert_eq!(store.revisions(&article.id).unwrap().len(), 1);

    // The text changes, and the section lists the new version first: one revision, then the front page's
    // listing of the same version is unchanged.
    let world_two = changed(&world, "the article, corrected");
    let front_two = changed(&front, "the article, corrected");
    assert_eq!(
        store.upsert(&world_two).unwrap(),
        Outcome::Updated { revision: 2 }
    );
    assert_eq!(store.upsert(&front_two).unwrap(), Outcome::Unchanged);
    let stored = store.get(&article.id).unwrap().unwrap();
    assert_eq!(stored.text(), "the article, corrected");
    assert_eq!(stored.source, world.source);

    // In one batch, as two feeds of one run deliver it.
    let three = |d: &Dispatch| changed(d, "the article, third version");
    assert_eq!(
        store
            .upsert_many(&[three(&front), three(&world), front_two.clone()])
            .unwrap(),
        [
            Outcome::Updated { revision: 3 },
            Outcome::Unchanged,
            Outcome::Updated { revision: 4 }
        ]
    );
    assert_eq!(store.revisions(&article.id).unwrap().len(), 4);

    // Through the same feed, new categories are a change.
    let mut recategorized = front_two.clone();
    recategorized.categories = vec!["Top".into(), "Corrections".into()];
    assert_eq!(
        store.upsert(&recategorized).unwrap(),
        Outcome::Updated { revision: 5 }
    );
    // A new article in one batch with its listing by the other feed: stored once.
    let other = dispatch("https://example.com/two-feeds-other", "another article");
    assert_eq!(
        store
            .upsert_many(&[
                through(&other, "world", "World"),
                through(&other, "front", "Top")
            ])
            .unwrap(),
        [Outcome::New, Outcome::Unchanged]
    );
}

/// A feed that has not caught up (a section, a stale cache) lists an earlier revision's text: that is a stale
/// copy, not a revision, so reading the two feeds in turn does not store a revision at every read. Through the
/// feed of the current version, an earlier text is a revision (an editor's revert).
pub fn a_stale_copy_in_another_feed_makes_no_revision(db: &TestDb) {
    let mut store = db.open();
    let article = dispatch("https://example.com/stale-copies", "first text");
    let (front, world) = (
        through(&article, "front", "Top"),
        through(&article, "world", "World"),
    );
    let front_two = changed(&front, "second text");
    assert_eq!(store.upsert(&front).unwrap(), Outcome::New);
    assert_eq!(
        store.upsert(&front_two).unwrap(),
        Outcome::Updated { revision: 2 }
    );
    for _ in 0..2 {
        assert_eq!(store.upsert(&world).unwrap(), Outcome::Stale);
        assert_eq!(store.upsert(&front_two).unwrap(), Outcome::Unchanged);
    }
    let stored = store.get(&article.id).unwrap().unwrap();
    assert_eq!(stored.text(), "second text");
    assert_eq!(stored.source, front.source);
    assert_eq!(store.revisions(&article.id).unwrap().len(), 2);

    // A text no revision had is a change whichever feed brings it.
    let world_three = changed(&world, "third text");
    assert_eq!(
        store.upsert(&world_three).unwrap(),
        Outcome::Updated { revision: 3 }
    );
    // Now the front page is the one behind: its second text is stale, through it.
    assert_eq!(store.upsert(&front_two).unwrap(), Outcome::Stale);
    // The feed of the current version reverts to the first text: a revision.
    assert_eq!(
        store.upsert(&world).unwrap(),
        Outcome::Updated { revision: 4 }
    );
    assert_eq!(store.upsert(&front).unwrap(), Outcome::Unchanged);
    assert_eq!(store.revisions(&article.id).unwrap().len(), 4);
    assert_eq!(
        store.get(&article.id).unwrap().unwrap().text(),
        "first text"
    );

    // In one batch, with revisions stored earlier in the batch.
    let other = dispatch("https://example.com/stale-copies-too", "one");
    let (a, b) = (
        through(&other, "front", "Top"),
        through(&other, "world", "World"),
    );
    assert_eq!(
        store
            .upsert_many(&[a.clone(), changed(&a, "two"), b.clone(), changed(&a, "two")])
            .unwrap(),
        [
            Outcome::New,
            Outcome::Updated { revision: 2 },
            Outcome::Stale,
            Outcome::Unchanged
        ]
    );
    assert_eq!(store.revisions(&other.id).unwrap().len(), 2);
}

pub fn feed_fallback_never_replaces_page_version(db: &TestDb) {
    let mut store = db.open();
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

    // A feed version may replace a feed version.
    let mut teaser = dispatch("https://example.com/bb", "teaser one");
    teaser.provenance.body = BodyOrigin::FeedSummary;
    store.upsert(&teaser).unwrap();
    assert_eq!(
        store.upsert(&changed(&teaser, "teaser two")).unwrap(),
        Outcome::Updated { revision: 2 }
    );
}

pub fn lookups_and_export_range(db: &TestDb) {
    let mut store = db.open();
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
    assert!(
        store
            .get_by_url("https://example.com/nowhere")
            .unwrap()
            .is_none()
    );

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

    // Everything, ordered by sort time then id.
    let mut seen = Vec::new();
    let n = store
        .export(&ExportFilter::default(), &mut |d| {
            seen.push(d.url);
            Ok(())
        })
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        seen,
        [
            "https://example.com/early",
            "https://example.com/late-one",
            "https://example.com/undated-article"
        ]
    );
}

pub fn round_trips_the_dispatch_exactly(db: &TestDb) {
    let mut store = db.open();
    let mut d = dispatch(
        "https://example.com/ünïcode?q=1",
        "Grüße — «quoted» 😀\nline",
    );
    d.published_at = Some("2012-07-24T06:10:00".parse().unwrap());
    d.fetched_at = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
        + chrono::Duration::nanoseconds(123_456_789);
    d.guid = Some("urn:x:1".into());
    d.source.feed_url = Some("https://example.com/feed.xml".into());
    d.warnings.push("a warning".into());
    store.upsert(&d).unwrap();
    // Read back, a dispatch has its story: here a story of its own.
    let d = Dispatch {
        story: Some(d.id.clone()),
        ..d
    };
    assert_eq!(store.get(&d.id).unwrap().unwrap(), d);
    assert_eq!(store.get_by_url(&d.url).unwrap().unwrap(), d);
    assert_eq!(store.revisions(&d.id).unwrap()[0].dispatch, d);
    let mut exported = Vec::new();
    store
        .export(&ExportFilter::default(), &mut |x| {
            exported.push(x);
            Ok(())
        })
        .unwrap();
    assert_eq!(exported, [d]);
}

pub fn a_nul_character_is_refused_alike_and_nothing_else_is_lost(db: &TestDb) {
    let mut store = db.open();
    let kept = dispatch("https://example.com/kept", "Stored before.");
    store.upsert(&kept).unwrap();
    let good = dispatch("https://example.com/good-one", "A sound dispatch.");
    let mut cases = Vec::new();
    let mut d = dispatch("https://example.com/nul-title", "Text.");
    d.title = "A\0title".into();
    cases.push((d, "title"));
    let mut d = dispatch("https://example.com/nul-in-body", "Text.");
    d.body.push(Block::paragraph("a second\0paragraph"));
    cases.push((d, "body"));
    let mut d = dispatch("https://example.com/nul-in-feed-url", "Text.");
    d.source.feed_url = Some("https://example.com/\0feed".into());
    cases.push((d, "source.feed_url"));
    for (bad, field) in cases {
        let err = store.upsert_many(&[good.clone(), bad.clone()]).unwrap_err();
        match &err {
            StoreError::Invalid { id, field: found } => {
                assert_eq!((id.as_str(), *found), (bad.id.as_str(), field));
            }
            other => panic!("expected Invalid for {field}, got {other:?}"),
        }
        let message = err.to_string();
        assert!(
            message.contains(&bad.id) && message.contains(field) && message.contains("NUL"),
            "{message}"
        );
        // The batch stored nothing; what was stored before is still there.
        assert_eq!(store.get(&good.id).unwrap(), None);
        assert_eq!(store.get(&bad.id).unwrap(), None);
        assert_eq!(store.get(&kept.id).unwrap().unwrap().body, kept.body);
        assert_eq!(store.count().unwrap(), 1);
    }
    // The store still works after refusing.
    assert_eq!(store.upsert(&good).unwrap(), Outcome::New);
    assert_eq!(store.count().unwrap(), 2);
}

pub fn reopen_keeps_data_and_schema_version(db: &TestDb) {
    {
        let mut store = db.open();
        store
            .upsert(&dispatch("https://example.com/a", "one"))
            .unwrap();
    }
    assert_eq!(db.schema_version(), crate::SCHEMA_VERSION);
    let store = db.open();
    assert_eq!(store.count().unwrap(), 1);
    assert_eq!(db.schema_version(), crate::SCHEMA_VERSION);
}

pub fn refuses_newer_schema(db: &TestDb) {
    drop(db.open());
    db.pretend_schema_version(99);
    let err = newswire_store::open(db.url()).err().unwrap();
    assert!(matches!(err, StoreError::SchemaTooNew { found: 99, .. }));
    assert!(
        err.to_string().ends_with(&format!(
            " has schema version 99, newer than this newswire understands ({})",
            crate::SCHEMA_VERSION
        )),
        "{err}"
    );
}

pub fn export_stops_when_the_sink_fails(db: &TestDb) {
    let mut store = db.open();
    for i in 0..50 {
        store
            .upsert(&dispatch(
                &format!("https://example.com/{i:0>3}/{}", "x".repeat(i)),
                "t",
            ))
            .unwrap();
    }
    let mut given = 0;
    let err = store
        .export(&ExportFilter::default(), &mut |_| {
            given += 1;
            if given == 3 {
                Err(StoreError::Sink("closed".into()))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Sink(_)), "{err}");
    assert_eq!(given, 3);
    // The store is still usable afterwards.
    assert_eq!(store.count().unwrap(), 50);
    let n = store
        .export(&ExportFilter::default(), &mut |_| Ok(()))
        .unwrap();
    assert_eq!(n, 50);
}

/// Two connections store the same dispatches at the same moment, then the same changes: each is stored once.
pub fn concurrent_upserts_store_once(db: &TestDb) {
    const N: usize = 25;
    let firsts: Vec<Dispatch> = (0..N)
        .map(|i| dispatch(&format!("https://example.com/{}", "a".repeat(i)), "one"))
        .collect();
    let seconds: Vec<Dispatch> = firsts.iter().map(|d| changed(d, "two")).collect();
    let barrier = Arc::new(Barrier::new(2));
    let outcomes: Vec<Vec<Outcome>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let barrier = Arc::clone(&barrier);
                let (firsts, seconds) = (&firsts, &seconds);
                scope.spawn(move || {
                    let mut store = db.open();
                    let mut outcomes = Vec::new();
                    barrier.wait(1);
                    for d in firsts {
                        outcomes.push(store.upsert(d).unwrap());
                    }
                    barrier.wait(2);
                    for d in seconds {
                        outcomes.push(store.upsert(d).unwrap());
                    }
                    outcomes
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let all: Vec<Outcome> = outcomes.into_iter().flatten().collect();
    let count = |o: Outcome| all.iter().filter(|x| **x == o).count();
    assert_eq!(count(Outcome::New), N, "{all:?}");
    assert_eq!(count(Outcome::Updated { revision: 2 }), N, "{all:?}");
    assert_eq!(count(Outcome::Unchanged), 2 * N, "{all:?}");
    let store = db.open();
    assert_eq!(store.count().unwrap(), N as u64);
    for d in &firsts {
        let revisions = store.revisions(&d.id).unwrap();
        assert_eq!(
            revisions.iter().map(|r| r.revision).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(store.get(&d.id).unwrap().unwrap().text(), "two");
    }
}

/// Several processes opening a new database at once migrate it once, and all of them can use it.
pub fn concurrent_opens_migrate_once(db: &TestDb) {
    let barrier = Arc::new(Barrier::new(4));
    std::thread::scope(|scope| {
        for i in 0..4 {
            let barrier = Arc::clone(&barrier);
            scope.spawn(move || {
                barrier.wait(1);
                let mut store = newswire_store::open(db.url()).unwrap();
                store
                    .upsert(&dispatch(
                        &format!("https://example.com/{}", "b".repeat(i)),
                        "x",
                    ))
                    .unwrap();
            });
        }
    });
    assert_eq!(db.schema_version(), crate::SCHEMA_VERSION);
    assert_eq!(db.open().count().unwrap(), 4);
}
