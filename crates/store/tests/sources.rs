//! What every engine must do with the source registry: add, remove, list, lease, record checks, host slots.
//! See issues 5 (sources in the database) and 6 (workers sharing due sources through leases).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use newswire_store::{
    AddOutcome, CheckRecord, CheckStatus, DEFAULT_INTERVAL_SECS, NewSource, Source, Store,
};

use crate::TestDb;

/// The tests' clock: 2026-01-01T00:00:00Z plus `secs` seconds.
fn at(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::seconds(secs)
}

fn new(url: &str) -> NewSource {
    NewSource {
        url: url.to_owned(),
        ..NewSource::default()
    }
}

fn added(store: &mut dyn Store, url: &str, now: DateTime<Utc>) -> Source {
    match store.add_source(&new(url), now).unwrap() {
        AddOutcome::Added(source) => source,
        AddOutcome::Exists(source) => panic!("{url} already registered as {source:?}"),
    }
}

/// A successful check at `checked_at`, due again an hour later, that stored `new_items` dispatches.
fn ok_record(checked_at: DateTime<Utc>, new_items: u32) -> CheckRecord {
    CheckRecord {
        checked_at,
        status: CheckStatus::Ok,
        error: None,
        moved_to: None,
        etag: Some("\"v1\"".into()),
        last_modified: Some("Thu, 01 Jan 2026 00:00:00 GMT".into()),
        title: None,
        next_check_at: checked_at + chrono::Duration::hours(1),
        interval_secs: 3600,
        error_count: 0,
        new_items,
    }
}

fn ids(sources: &[Source]) -> Vec<i64> {
    sources.iter().map(|s| s.id).collect()
}

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

pub fn add_is_idempotent_and_merges_categories(db: &TestDb) {
    let mut store = db.open();
    let first = NewSource {
        url: "https://example.com/feed.xml".into(),
        title: Some("Example".into()),
        site_url: Some("https://example.com/".into()),
        categories: vec!["news".into(), "tech".into(), "news".into()],
    };
    let AddOutcome::Added(source) = store.add_source(&first, at(0)).unwrap() else {
        panic!("a new URL is added");
    };
    assert_eq!(
        source,
        Source {
            id: source.id,
            url: first.url.clone(),
            original_url: first.url.clone(),
            title: Some("Example".into()),
            site_url: Some("https://example.com/".into()),
            categories: vec!["news".into(), "tech".into()],
            added_at: at(0),
            etag: None,
            last_modified: None,
            last_checked_at: None,
            last_status: None,
            last_error: None,
            error_count: 0,
            next_check_at: at(0),
            interval_secs: DEFAULT_INTERVAL_SECS,
            items_total: 0,
            last_new: 0,
            lease_owner: None,
            lease_until: None,
        }
    );
    assert_eq!(DEFAULT_INTERVAL_SECS, 3600);
    assert_eq!(store.source(&first.url).unwrap().as_ref(), Some(&source));

    // Again, later, with other categories and another title: the same source, categories merged, the rest kept.
    let again = NewSource {
        url: first.url.clone(),
        title: Some("Another title".into()),
        site_url: None,
        categories: vec!["tech".into(), "science".into()],
    };
    let AddOutcome::Exists(existing) = store.add_source(&again, at(100)).unwrap() else {
        panic!("a known URL is not added twice");
    };
    assert_eq!(existing.id, source.id);
    assert_eq!(existing.categories, ["news", "tech", "science"]);
    assert_eq!(existing.title.as_deref(), Some("Example"));
    assert_eq!(existing.added_at, at(0));
    assert_eq!(store.source(&first.url).unwrap().unwrap(), existing);

    // Nothing new to merge: unchanged.
    let outcome = store.add_source(&new(&first.url), at(200)).unwrap();
    assert_eq!(outcome, AddOutcome::Exists(existing.clone()));
    assert_eq!(outcome.into_source(), existing);
    assert_eq!(store.sources().unwrap().len(), 1);

    // After the source moved, its original URL still counts as registered.
    let leased = store.lease_due("w", at(0), MINUTE, 10).unwrap();
    assert_eq!(ids(&leased), [source.id]);
    let mut record = ok_record(at(10), 0);
    record.moved_to = Some("https://example.com/new-feed.xml".into());
    assert!(store.finish_check(source.id, "w", &record).unwrap());
    let outcome = store.add_source(&new(&first.url), at(300)).unwrap();
    let AddOutcome::Exists(moved) = &outcome else {
        panic!("the original URL of a moved source is registered: {outcome:?}");
    };
    assert_eq!(moved.id, source.id);
    assert_eq!(moved.url, "https://example.com/new-feed.xml");
    assert_eq!(outcome.source().original_url, first.url);
    assert_eq!(store.sources().unwrap().len(), 1);
}

pub fn sources_are_listed_by_id_and_found_by_key(db: &TestDb) {
    let mut store = db.open();
    assert!(store.sources().unwrap().is_empty());
    assert_eq!(store.next_due().unwrap(), None);
    // Added out of URL order and out of due order: listed by id all the same.
    let c = added(&mut *store, "https://c.example/feed", at(30));
    let a = added(&mut *store, "https://a.example/feed", at(10));
    let b = added(&mut *store, "https://b.example/feed", at(20));
    assert!(c.id < a.id && a.id < b.id, "{c:?} {a:?} {b:?}");
    assert_eq!(ids(&store.sources().unwrap()), [c.id, a.id, b.id]);

    assert_eq!(store.source(&a.id.to_string()).unwrap().as_ref(), Some(&a));
    assert_eq!(store.source(&a.url).unwrap().as_ref(), Some(&a));
    assert_eq!(store.source("https://nowhere.example/").unwrap(), None);
    assert_eq!(store.source("987654").unwrap(), None);

    // A second handle sees the same registry.
    let other = db.open();
    assert_eq!(other.sources().unwrap(), store.sources().unwrap());
}

pub fn remove_by_id_or_url_keeps_dispatches(db: &TestDb) {
    let mut store = db.open();
    let a = added(&mut *store, "https://a.example/feed", at(0));
    let b = added(&mut *store, "https://b.example/feed", at(0));
    let c = added(&mut *store, "https://c.example/feed", at(0));
    let dispatch = crate::behaviour::dispatch("https://a.example/story", "text");
    store.upsert(&dispatch).unwrap();

    assert_eq!(
        store.remove_source(&a.id.to_string()).unwrap(),
        Some(a.clone())
    );
    assert_eq!(store.remove_source(&b.url).unwrap(), Some(b.clone()));
    assert_eq!(store.remove_source(&b.url).unwrap(), None);
    assert_eq!(store.remove_source(&a.id.to_string()).unwrap(), None);
    assert_eq!(
        store.remove_source("https://nowhere.example/").unwrap(),
        None
    );
    assert_eq!(ids(&store.sources().unwrap()), [c.id]);
    assert_eq!(
        store.get(&dispatch.id).unwrap().map(|d| d.content_hash),
        Some(dispatch.content_hash)
    );

    // A removed id is not given again.
    let again = added(&mut *store, "https://a.example/feed", at(0));
    assert!(again.id > c.id, "{again:?}");
}

pub fn lease_takes_due_free_sources_in_due_order(db: &TestDb) {
    let mut store = db.open();
    let late = added(&mut *store, "https://late.example/", at(50));
    let first = added(&mut *store, "https://first.example/", at(10));
    let future = added(&mut *store, "https://future.example/", at(1000));
    let second = added(&mut *store, "https://second.example/", at(20));
    let tie = added(&mut *store, "https://tie.example/", at(20));

    assert!(
        store
            .lease_due("w1", at(100), MINUTE, 0)
            .unwrap()
            .is_empty()
    );
    let leased = store.lease_due("w1", at(100), HOUR, 2).unwrap();
    assert_eq!(
        ids(&leased),
        [first.id, second.id],
        "earliest due first, up to the limit"
    );
    for source in &leased {
        assert_eq!(source.lease_owner.as_deref(), Some("w1"));
        assert_eq!(source.lease_until, Some(at(3700)));
        assert_eq!(store.source(&source.url).unwrap().as_ref(), Some(source));
        assert!(store.holds_lease(source.id, "w1", at(100)).unwrap());
        assert!(!store.holds_lease(source.id, "w2", at(100)).unwrap());
    }
    // The leased ones are not given again, to anyone; the future one is not due.
    let leased = store.lease_due("w2", at(100), HOUR, 10).unwrap();
    assert_eq!(ids(&leased), [tie.id, late.id]);
    assert!(
        store
            .lease_due("w3", at(100), MINUTE, 10)
            .unwrap()
            .is_empty()
    );
    assert!(!store.holds_lease(future.id, "w1", at(100)).unwrap());
    // Due exactly at `now` counts as due; the others are still leased.
    let leased = store.lease_due("w3", at(1000), HOUR, 10).unwrap();
    assert_eq!(ids(&leased), [future.id]);
}

pub fn lease_spreads_over_hosts(db: &TestDb) {
    let mut store = db.open();
    // Three feeds of one busy host fall due before the one feed of another host.
    let a1 = added(&mut *store, "https://busy.example/a.xml", at(10));
    let a2 = added(&mut *store, "https://busy.example/b.xml", at(11));
    let a3 = added(&mut *store, "https://busy.example/c.xml", at(12));
    let b1 = added(&mut *store, "http://quiet.example:8080/feed", at(30));
    // One per host first, earliest due first among those; then the host's next ones.
    let leased = store.lease_due("w1", at(100), HOUR, 2).unwrap();
    assert_eq!(ids(&leased), [a1.id, b1.id]);
    // A host with a source in flight comes after hosts without, even when its sources are more overdue.
    let c1 = added(&mut *store, "https://calm.example/feed", at(90));
    let leased = store.lease_due("w2", at(100), HOUR, 1).unwrap();
    assert_eq!(ids(&leased), [c1.id]);
    // With every host busy, the earliest due go first; nothing is ever skipped.
    let leased = store.lease_due("w2", at(100), HOUR, 10).unwrap();
    assert_eq!(ids(&leased), [a2.id, a3.id]);
}

pub fn renewed_lease_lasts_and_an_expired_one_stays_lost(db: &TestDb) {
    let mut store = db.open();
    let source = added(&mut *store, "https://example.com/feed", at(0));
    assert_eq!(
        ids(&store.lease_due("w1", at(0), MINUTE, 10).unwrap()),
        [source.id]
    );
    // Renewed at 50 s for another minute: held past the first expiry, and no one else can take it.
    assert!(store.renew_lease(source.id, "w1", at(50), MINUTE).unwrap());
    assert!(store.holds_lease(source.id, "w1", at(100)).unwrap());
    assert!(
        store
            .lease_due("w2", at(100), MINUTE, 10)
            .unwrap()
            .is_empty()
    );
    // Another owner cannot renew it.
    assert!(!store.renew_lease(source.id, "w2", at(100), MINUTE).unwrap());
    assert!(!store.holds_lease(source.id, "w2", at(100)).unwrap());
    // Once expired (at 110 s), renewing fails and the lease passes to another owner.
    assert!(!store.renew_lease(source.id, "w1", at(110), MINUTE).unwrap());
    assert!(!store.holds_lease(source.id, "w1", at(110)).unwrap());
    assert_eq!(
        ids(&store.lease_due("w2", at(110), MINUTE, 10).unwrap()),
        [source.id]
    );
}

pub fn expired_lease_passes_to_another_owner(db: &TestDb) {
    let mut store = db.open();
    let source = added(&mut *store, "https://example.com/feed", at(0));
    assert_eq!(
        ids(&store.lease_due("w1", at(0), MINUTE, 10).unwrap()),
        [source.id]
    );
    assert!(store.holds_lease(source.id, "w1", at(59)).unwrap());
    // Expired at lease_until: free for another owner.
    assert!(!store.holds_lease(source.id, "w1", at(60)).unwrap());
    let taken = store.lease_due("w2", at(60), MINUTE, 10).unwrap();
    assert_eq!(ids(&taken), [source.id]);
    assert_eq!(taken[0].lease_owner.as_deref(), Some("w2"));
    assert!(!store.holds_lease(source.id, "w1", at(61)).unwrap());

    // The first owner comes back: even with a check made while its lease ran, nothing is written.
    let before = store.source(&source.url).unwrap().unwrap();
    let mut stale = ok_record(at(30), 5);
    stale.moved_to = Some("https://example.com/moved".into());
    stale.title = Some("Stale".into());
    assert!(!store.finish_check(source.id, "w1", &stale).unwrap());
    // Releasing someone else's lease does nothing either.
    store.release_lease(source.id, "w1").unwrap();
    assert_eq!(store.source(&source.url).unwrap().unwrap(), before);

    // A check recorded after its own lease ran out is refused too.
    assert!(
        !store
            .finish_check(source.id, "w2", &ok_record(at(120), 1))
            .unwrap()
    );
    assert_eq!(store.source(&source.url).unwrap().unwrap(), before);
    // The second owner, in time, records it.
    assert!(
        store
            .finish_check(source.id, "w2", &ok_record(at(119), 1))
            .unwrap()
    );
    let after = store.source(&source.url).unwrap().unwrap();
    assert_eq!(after.items_total, 1);
    assert_eq!(after.last_checked_at, Some(at(119)));
    // Finishing twice: the lease is gone, so the second is refused.
    assert!(
        !store
            .finish_check(source.id, "w2", &ok_record(at(119), 1))
            .unwrap()
    );
    assert_eq!(store.source(&source.url).unwrap().unwrap(), after);
    // A removed source cannot be finished.
    let gone = added(&mut *store, "https://gone.example/", at(0));
    store.lease_due("w1", at(0), MINUTE, 10).unwrap();
    store.remove_source(&gone.url).unwrap();
    assert!(
        !store
            .finish_check(gone.id, "w1", &ok_record(at(1), 0))
            .unwrap()
    );
}

pub fn finish_check_records_the_check_and_clears_the_lease(db: &TestDb) {
    let mut store = db.open();
    let source = added(&mut *store, "http://example.com/rss", at(0));
    // Not due during this test.
    let other = added(&mut *store, "https://other.example/rss", at(1_000_000));
    store.lease_due("w", at(0), MINUTE, 10).unwrap();

    let mut record = ok_record(at(5), 3);
    record.moved_to = Some("https://example.com/rss".into());
    record.title = Some("Found title".into());
    assert!(store.finish_check(source.id, "w", &record).unwrap());
    let checked = store.source(&source.id.to_string()).unwrap().unwrap();
    assert_eq!(
        checked,
        Source {
            url: "https://example.com/rss".into(),
            title: Some("Found title".into()),
            etag: Some("\"v1\"".into()),
            last_modified: Some("Thu, 01 Jan 2026 00:00:00 GMT".into()),
            last_checked_at: Some(at(5)),
            last_status: Some("ok".into()),
            next_check_at: at(3605),
            interval_secs: 3600,
            items_total: 3,
            last_new: 3,
            ..source.clone()
        }
    );
    assert!(!store.holds_lease(source.id, "w", at(6)).unwrap());
    assert_eq!(
        store.source("https://example.com/rss").unwrap().unwrap().id,
        source.id
    );
    assert_eq!(
        store.source("http://example.com/rss").unwrap().unwrap().id,
        source.id
    );

    // Next check: not modified, nothing new; the title is kept, items_total stays, last_new goes to 0.
    let leased = store.lease_due("w", at(3605), MINUTE, 10).unwrap();
    assert_eq!(ids(&leased), [source.id]);
    let mut record = ok_record(at(3606), 0);
    record.status = CheckStatus::NotModified;
    record.title = Some("Another title".into());
    record.interval_secs = 7200;
    record.next_check_at = at(3606 + 7200);
    assert!(store.finish_check(source.id, "w", &record).unwrap());
    let checked = store.source(&source.url).unwrap().unwrap();
    assert_eq!(checked.title.as_deref(), Some("Found title"));
    assert_eq!(checked.last_status.as_deref(), Some("not modified"));
    assert_eq!((checked.items_total, checked.last_new), (3, 0));
    assert_eq!(checked.interval_secs, 7200);

    // A failure, moving to a URL another source has: the URL is kept and last_error says why.
    let leased = store.lease_due("w", at(3606 + 7200), MINUTE, 10).unwrap();
    assert_eq!(ids(&leased), [source.id]);
    let mut record = ok_record(at(3606 + 7201), 0);
    record.status = CheckStatus::Error;
    record.error = Some("HTTP 500".into());
    record.error_count = 1;
    record.moved_to = Some(other.url.clone());
    record.etag = None;
    record.last_modified = None;
    assert!(store.finish_check(source.id, "w", &record).unwrap());
    let checked = store.source(&source.id.to_string()).unwrap().unwrap();
    assert_eq!(checked.url, "https://example.com/rss");
    assert_eq!(checked.last_status.as_deref(), Some("error"));
    assert_eq!(checked.error_count, 1);
    assert_eq!((checked.etag, checked.last_modified), (None, None));
    let note = checked.last_error.unwrap();
    assert!(note.starts_with("HTTP 500; "), "{note}");
    assert!(note.contains(&other.url), "{note}");
    assert!(note.contains(&format!("source {}", other.id)), "{note}");
    assert_eq!(store.source(&other.url).unwrap().unwrap(), other);
}

pub fn release_leaves_the_source_due(db: &TestDb) {
    let mut store = db.open();
    let source = added(&mut *store, "https://example.com/feed", at(0));
    let leased = store.lease_due("w1", at(10), MINUTE, 10).unwrap();
    assert_eq!(ids(&leased), [source.id]);
    store.release_lease(source.id, "w1").unwrap();
    assert!(!store.holds_lease(source.id, "w1", at(10)).unwrap());
    assert_eq!(store.source(&source.url).unwrap().unwrap(), source);
    // Another worker takes it at once, without waiting for the lease to run out.
    assert_eq!(
        ids(&store.lease_due("w2", at(11), MINUTE, 10).unwrap()),
        [source.id]
    );
}

pub fn next_due_is_the_earliest_leasable_time(db: &TestDb) {
    let mut store = db.open();
    let a = added(&mut *store, "https://a.example/", at(100));
    added(&mut *store, "https://b.example/", at(300));
    assert_eq!(store.next_due().unwrap(), Some(at(100)));
    // Leased until 100 + 600: b, due at 300, is now the first leasable.
    store
        .lease_due("w", at(100), Duration::from_secs(600), 1)
        .unwrap();
    assert_eq!(store.next_due().unwrap(), Some(at(300)));
    // Both leased: the first lease to end.
    store
        .lease_due("w", at(300), Duration::from_secs(1000), 1)
        .unwrap();
    assert_eq!(store.next_due().unwrap(), Some(at(700)));
    // Checked, a is due again at 5000; b's lease ends first.
    let mut record = ok_record(at(150), 0);
    record.next_check_at = at(5000);
    assert!(store.finish_check(a.id, "w", &record).unwrap());
    assert_eq!(store.next_due().unwrap(), Some(at(1300)));
    // Past times are reported as they are: the caller checks at once.
    added(&mut *store, "https://c.example/", at(-50));
    assert_eq!(store.next_due().unwrap(), Some(at(-50)));
}

pub fn host_slots_space_requests(db: &TestDb) {
    let mut store = db.open();
    let spacing = Duration::from_secs(10);
    assert_eq!(
        store
            .reserve_host_slot("example.com", at(0), spacing)
            .unwrap(),
        at(0)
    );
    assert_eq!(
        store
            .reserve_host_slot("example.com", at(1), spacing)
            .unwrap(),
        at(10)
    );
    assert_eq!(
        store
            .reserve_host_slot("example.com", at(2), spacing)
            .unwrap(),
        at(20)
    );
    // Another host has its own slots.
    assert_eq!(
        store
            .reserve_host_slot("other.example", at(3), spacing)
            .unwrap(),
        at(3)
    );
    // Another handle (another worker) shares them.
    let mut other = db.open();
    assert_eq!(
        other
            .reserve_host_slot("example.com", at(4), spacing)
            .unwrap(),
        at(30)
    );
    // Once the host has been quiet, a request goes at once.
    assert_eq!(
        store
            .reserve_host_slot("example.com", at(100), spacing)
            .unwrap(),
        at(100)
    );
    assert_eq!(
        store
            .reserve_host_slot("example.com", at(100), Duration::from_millis(1500))
            .unwrap(),
        at(110)
    );
    assert_eq!(
        store
            .reserve_host_slot("example.com", at(100), Duration::ZERO)
            .unwrap(),
        at(111) + chrono::Duration::milliseconds(500)
    );
}

/// Four workers, each with its own handle, lease and finish 200 due sources at once: every source is leased
/// exactly once.
pub fn concurrent_leases_take_each_source_once(db: &TestDb) {
    const N: usize = 200;
    const WORKERS: usize = 4;
    {
        let mut store = db.open();
        for i in 0..N {
            added(
                &mut *store,
                &format!("https://example.com/{i}"),
                at(i as i64 % 7),
            );
        }
    }
    let barrier = Arc::new(crate::behaviour::Barrier::new(WORKERS));
    let seen: Mutex<BTreeMap<i64, Vec<String>>> = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for worker in 0..WORKERS {
            let (barrier, seen) = (Arc::clone(&barrier), &seen);
            scope.spawn(move || {
                let owner = format!("worker-{worker}");
                let mut store = db.open();
                barrier.wait(1);
                loop {
                    let leased = store
                        .lease_due(&owner, at(10), Duration::from_secs(600), 3 + worker)
                        .unwrap();
                    if leased.is_empty() {
                        break;
                    }
                    for source in &leased {
                        assert_eq!(source.lease_owner.as_deref(), Some(owner.as_str()));
                        seen.lock()
                            .unwrap()
                            .entry(source.id)
                            .or_default()
                            .push(owner.clone());
                        assert!(
                            store
                                .finish_check(source.id, &owner, &ok_record(at(11), 1))
                                .unwrap(),
                            "{owner} lost its lease on {}",
                            source.id
                        );
                    }
                }
            });
        }
    });
    let seen = seen.into_inner().unwrap();
    let twice: Vec<_> = seen.iter().filter(|(_, owners)| owners.len() > 1).collect();
    assert!(twice.is_empty(), "leased more than once: {twice:?}");
    let store = db.open();
    let all = store.sources().unwrap();
    assert_eq!(seen.keys().copied().collect::<Vec<_>>(), ids(&all));
    assert_eq!(seen.len(), N);
    for source in &all {
        assert_eq!(source.items_total, 1, "{source:?}");
        assert_eq!(source.lease_owner, None);
        assert_eq!(source.next_check_at, at(11 + 3600));
    }
}
