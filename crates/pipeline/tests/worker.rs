//! Registered sources checked by a `Worker` against hostile servers on 127.0.0.1: each fault gets the expected
//! status and a clear message, the other sources are still ingested, nothing stored is lost, backoff and
//! `Retry-After` set the next check, permanent redirects and a feed's stated new home move the source, and
//! unchanged feeds cost a 304.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use newswire_pipeline::ingest::fetch::{FetcherBuilder, Limits};
use newswire_pipeline::store::{AddOutcome, NewSource, Source, Store};
use newswire_pipeline::{PipelineBuilder, RunReport, SourceReport, Worker, WorkerOptions};
use newswire_testserver::Route;

use crate::support::*;

/// A clock the test moves by hand.
#[derive(Clone)]
struct Clock(Arc<AtomicI64>);

impl Clock {
    fn new() -> Clock {
        Clock(Arc::new(AtomicI64::new(fixed_time().timestamp())))
    }
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.0.load(Ordering::SeqCst), 0).unwrap()
    }
    fn advance(&self, by: Duration) {
        self.0.fetch_add(by.as_secs() as i64, Ordering::SeqCst);
    }
}

fn worker(db: &Db, clock: &Clock) -> Worker {
    let time = clock.clone();
    let pipeline = PipelineBuilder::new()
        .clock(Arc::new(move || time.now()))
        .fetcher(
            FetcherBuilder::new()
                .timeout(Duration::from_secs(2))
                .connect_timeout(Duration::from_secs(2))
                .max_body_bytes(2 * 1024 * 1024)
                .allow_private(true)
                .limits(Limits {
                    global: 16,
                    per_host: 8,
                    spacing: Duration::ZERO,
                }),
        )
        .source_concurrency(8)
        .build()
        .unwrap();
    Worker::new(
        pipeline,
        db.shared(),
        WorkerOptions {
            owner: "test-worker".into(),
            ..WorkerOptions::default()
        },
    )
}

fn add(store: &mut dyn Store, url: &str, now: DateTime<Utc>) -> Source {
    let new = NewSource {
        url: url.to_owned(),
        ..NewSource::default()
    };
    match store.add_source(&new, now).unwrap() {
        AddOutcome::Added(source) => source,
        AddOutcome::Exists(source) => panic!("{} already registered", source.url),
    }
}

/// The report of the source whose URL ends with `path`.
fn report_for(report: &RunReport, path: &str) -> SourceReport {
    report
        .sources
        .iter()
        .find(|s| s.source.ends_with(path))
        .unwrap_or_else(|| panic!("no report for {path}: {report:#?}"))
        .clone()
}

fn gzip_bomb() -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b'<'; 1024 * 1024];
    for _ in 0..32 {
        encoder.write_all(&chunk).unwrap();
    }
    encoder.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_servers_fail_alone_and_schedule_their_next_check() {
    let server = site_server();
    let voa_feed = std::fs::read(fixtures().join("site/blogs.voa.example/feed.xml")).unwrap();
    server.route(
        "/voa.xml",
        Route::Conditional {
            content_type: "application/rss+xml".into(),
            body: voa_feed,
            etag: Some("\"voa-1\"".into()),
            last_modified: Some("Tue, 24 Jul 2012 11:10:00 GMT".into()),
        },
    );
    server.route(
        "/drip.xml",
        Route::Drip {
            body: b"<rss version=\"2.0\"><channel><title>slow</title></channel></rss>".to_vec(),
            interval: Duration::from_secs(1),
        },
    );
    server.route(
        "/endless.xml",
        Route::Endless {
            content_type: "application/rss+xml".into(),
            chunk: b"<item><title>more</title></item>".repeat(512),
        },
    );
    server.route(
        "/reset.xml",
        Route::ResetMidBody {
            sent: b"<rss version=\"2.0\"><channel><title>cut".to_vec(),
            promised: 50_000,
        },
    );
    server.route("/500.xml", Route::status(500));
    server.route(
        "/429.xml",
        Route::Response {
            status: 429,
            headers: vec![("Retry-After".into(), "7200".into())],
            body: b"too many requests".to_vec(),
        },
    );
    server.route("/loop-a.xml", Route::redirect(302, "/loop-b.xml"));
    server.route("/loop-b.xml", Route::redirect(302, "/loop-a.xml"));
    server.route("/moved-1.xml", Route::redirect(301, "/moved-2.xml"));
    server.route("/moved-2.xml", Route::redirect(308, "/new-home.xml"));
    server.route(
        "/new-home.xml",
        Route::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>Moved desk</title>\
             <item><title>One</title><link>https://moved.example/1</link><description>First.</description></item>\
             <item><title>Two</title><link>https://moved.example/2</link><description>Second.</description></item>\
             </channel></rss>",
        ),
    );
    server.route(
        "/bomb.xml",
        Route::Response {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "application/rss+xml".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            body: gzip_bomb(),
        },
    );
    server.route(
        "/html.xml",
        Route::ok(
            "application/rss+xml",
            "<!DOCTYPE html><html><head><title>Oops</title></head><body><p>Not a feed</p></body></html>",
        ),
    );
    server.route(
        "/lying.xml",
        Route::ok(
            "application/rss+xml; charset=iso-8859-1",
            "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss version=\"2.0\"><channel><title>Café</title>\
             <item><title>Café Müller – naïve “quotes”</title><link>https://lying.example/a</link>\
             <guid>https://lying.example/a</guid><description>Crème brûlée</description></item>\
             </channel></rss>",
        ),
    );

    let db = Db::new();
    let clock = Clock::new();
    // Something stored before the run, which nothing in it may lose.
    {
        let pipeline = pipeline();
        let before = url::Url::parse(&server.url("/wire.example/atom.xml")).unwrap();
        let report = pipeline.ingest(&[before], db.shared(), &()).await;
        assert_eq!(report.totals().new, 5);
    }
    let mut store = db.open();
    let stored_before = store.count().unwrap();
    let paths = [
        "/voa.xml",
        "/drip.xml",
        "/endless.xml",
        "/reset.xml",
        "/500.xml",
        "/429.xml",
        "/loop-a.xml",
        "/moved-1.xml",
        "/bomb.xml",
        "/html.xml",
        "/lying.xml",
    ];
    for path in paths {
        add(&mut store, &server.url(path), clock.now());
    }

    let worker = worker(&db, &clock);
    let (_stop_tx, stop) = tokio::sync::watch::channel(false);
    let report = worker.run_due(&(), &stop).await.unwrap();
    assert_eq!(report.sources.len(), paths.len(), "{report:#?}");
    let by_path = |path: &str| report_for(&report, path);
    let error = |path: &str| by_path(path).error.unwrap_or_default();

    assert_eq!(
        by_path("/voa.xml").counts.new,
        4,
        "{:#?}",
        by_path("/voa.xml")
    );
    assert!(
        error("/drip.xml").ends_with("/drip.xml did not answer within 2 s"),
        "{}",
        error("/drip.xml")
    );
    assert!(
        error("/endless.xml").contains("sent more than 2097152 bytes"),
        "{}",
        error("/endless.xml")
    );
    assert!(
        error("/reset.xml").contains("failed to fetch"),
        "{}",
        error("/reset.xml")
    );
    assert!(
        error("/500.xml").ends_with("answered HTTP 500"),
        "{}",
        error("/500.xml")
    );
    assert!(
        error("/429.xml").ends_with("answered HTTP 429 (retry after 7200 s)"),
        "{}",
        error("/429.xml")
    );
    assert!(
        error("/loop-a.xml").starts_with("redirect loop: "),
        "{}",
        error("/loop-a.xml")
    );
    assert!(
        error("/bomb.xml").contains("sent more than 2097152 bytes"),
        "{}",
        error("/bomb.xml")
    );
    assert!(
        error("/html.xml")
            .ends_with("was served as a feed (application/rss+xml) but is an HTML page"),
        "{}",
        error("/html.xml")
    );
    // The 301 → 308 chain moves the source to its new home.
    let moved = by_path("/moved-1.xml");
    assert_eq!(moved.error, None, "{moved:#?}");
    assert_eq!(moved.counts.new, 2, "{moved:#?}");
    assert!(
        moved
            .moved_to
            .as_deref()
            .unwrap()
            .ends_with("/new-home.xml")
    );
    // Valid UTF-8 declared as ISO-8859-1 stays UTF-8.
    let lying = by_path("/lying.xml");
    assert_eq!(lying.counts.new, 1, "{lying:#?}");
    let dispatch = newswire_pipeline::find_dispatch(&store, "https://lying.example/a")
        .unwrap()
        .unwrap();
    assert_eq!(dispatch.title, "Café Müller – naïve “quotes”");

    // Nothing stored before was lost; the good sources added theirs.
    assert_eq!(store.count().unwrap(), stored_before + 4 + 1 + 2);

    // What the registry remembers.
    let source = |path: &str| store.source(&server.url(path)).unwrap();
    let now = clock.now();
    let voa = source("/voa.xml").unwrap();
    assert_eq!(voa.last_status.as_deref(), Some("ok"));
    assert_eq!(voa.error_count, 0);
    assert_eq!(voa.etag.as_deref(), Some("\"voa-1\""));
    assert_eq!(voa.items_total, 4);
    assert!(voa.next_check_at >= now + chrono::Duration::minutes(15));
    assert!(voa.lease_owner.is_none());
    let failed = source("/500.xml").unwrap();
    assert_eq!(failed.last_status.as_deref(), Some("error"));
    assert_eq!(failed.error_count, 1);
    let wait = failed.next_check_at - now;
    assert!(
        wait >= chrono::Duration::minutes(12) && wait <= chrono::Duration::minutes(18),
        "first backoff is 15 min ± 20%: {wait}"
    );
    let limited = source("/429.xml").unwrap();
    assert!(
        limited.next_check_at - now >= chrono::Duration::hours(2),
        "Retry-After honoured"
    );
    // The moved source now lives at its new URL and remembers where it came from.
    let moved = source("/new-home.xml").unwrap();
    assert!(moved.original_url.ends_with("/moved-1.xml"));
    // Looking it up by its old URL finds it too.
    assert_eq!(source("/moved-1.xml").unwrap().id, moved.id);

    // Nothing is due until time passes.
    let again = worker.run_due(&(), &stop).await.unwrap();
    assert!(again.sources.is_empty(), "{again:#?}");

    // Two days later everything is due; the unchanged VOA feed costs a 304 and no page fetch.
    let page_hits = server.hits(VOA_PATH);
    clock.advance(Duration::from_secs(2 * 24 * 3600));
    let second = worker.run_due(&(), &stop).await.unwrap();
    let voa_report = second
        .sources
        .iter()
        .find(|s| s.source.ends_with("/voa.xml"))
        .unwrap();
    assert!(voa_report.not_modified, "{voa_report:#?}");
    assert_eq!(server.hits(VOA_PATH), page_hits, "a 304 fetches no pages");
    let failed = source("/500.xml").unwrap();
    assert_eq!(failed.error_count, 2, "consecutive errors count up");
    // A source that recovers returns to its normal interval.
    server.route(
        "/500.xml",
        Route::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>Back</title></channel></rss>",
        ),
    );
    clock.advance(Duration::from_secs(2 * 24 * 3600));
    worker.run_due(&(), &stop).await.unwrap();
    let recovered = source("/500.xml").unwrap();
    assert_eq!(recovered.error_count, 0);
    assert_eq!(recovered.last_status.as_deref(), Some("ok"));
    assert_eq!(
        store.count().unwrap(),
        stored_before + 4 + 1 + 2,
        "re-checks duplicate nothing"
    );
}

/// An RSS feed with one item, `episode`, stating `new_home` (if any) as `itunes:new-feed-url`.
fn podcast_feed(episode: &str, new_home: Option<&str>) -> String {
    let home = new_home
        .map(|url| format!("<itunes:new-feed-url>{url}</itunes:new-feed-url>"))
        .unwrap_or_default();
    format!(
        "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"><channel>\
         <title>Night desk</title>{home}\
         <item><title>Episode {episode}</title><guid>https://night.example/{episode}</guid>\
         <description>Notes on episode {episode}.</description></item>\
         </channel></rss>"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_that_states_its_new_home_moves_the_source() {
    let server = site_server();
    let new_home = server.url("/new-home.xml");
    // The old address still serves the feed, which says where it lives now; so does the new one.
    server.route(
        "/old.xml",
        Route::ok(
            "application/rss+xml",
            podcast_feed("moved", Some(&new_home)),
        ),
    );
    server.route(
        "/new-home.xml",
        Route::ok(
            "application/rss+xml",
            podcast_feed("moved", Some(&new_home)),
        ),
    );
    // Feeds that state their own URL, or a home that is not on the web, stay where they are.
    let own = server.url("/own.xml");
    server.route(
        "/own.xml",
        Route::ok("application/rss+xml", podcast_feed("own", Some(&own))),
    );
    server.route(
        "/ftp.xml",
        Route::ok(
            "application/rss+xml",
            podcast_feed("ftp", Some("ftp://night.example/feed.xml")),
        ),
    );
    let db = Db::new();
    let clock = Clock::new();
    let mut store = db.open();
    for path in ["/old.xml", "/own.xml", "/ftp.xml"] {
        add(&mut store, &server.url(path), clock.now());
    }
    let worker = worker(&db, &clock);
    let (_stop_tx, stop) = tokio::sync::watch::channel(false);
    let report = worker.run_due(&(), &stop).await.unwrap();
    assert_eq!(report.sources.len(), 3, "{report:#?}");
    let by_path = |path: &str| report_for(&report, path);
    let old = by_path("/old.xml");
    assert_eq!(old.error, None, "{old:#?}");
    assert_eq!(old.counts.new, 1, "{old:#?}");
    assert_eq!(old.moved_to.as_deref(), Some(new_home.as_str()), "{old:#?}");
    assert_eq!(by_path("/own.xml").moved_to, None);
    assert_eq!(by_path("/ftp.xml").moved_to, None);

    // The source lives at its new home, remembers where it came from, and is found by its old URL.
    let source = |path: &str| store.source(&server.url(path)).unwrap();
    let moved = source("/new-home.xml").unwrap();
    assert_eq!(moved.url, new_home);
    assert!(moved.original_url.ends_with("/old.xml"), "{moved:#?}");
    assert_eq!(source("/old.xml").unwrap().id, moved.id);
    assert_eq!(source("/own.xml").unwrap().url, own);
    assert!(source("/ftp.xml").unwrap().url.ends_with("/ftp.xml"));

    // Next time it is fetched from its new home, where its item is the one already stored.
    let old_hits = server.hits("/old.xml");
    clock.advance(Duration::from_secs(2 * 24 * 3600));
    let second = worker.run_due(&(), &stop).await.unwrap();
    let at_home = second
        .sources
        .iter()
        .find(|s| s.source == new_home)
        .unwrap_or_else(|| panic!("no check of the new home: {second:#?}"));
    assert_eq!(at_home.error, None, "{at_home:#?}");
    assert_eq!(at_home.counts.new, 0, "{at_home:#?}");
    assert_eq!(at_home.counts.unchanged, 1, "{at_home:#?}");
    assert_eq!(at_home.moved_to, None, "{at_home:#?}");
    assert_eq!(
        server.hits("/old.xml"),
        old_hits,
        "the old address is left alone"
    );
    assert_eq!(server.hits("/new-home.xml"), 1);
    assert_eq!(store.count().unwrap(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_request_releases_unstarted_leases() {
    let server = site_server();
    for i in 0..6 {
        server.route(&format!("/hang-{i}.xml"), Route::Hang);
    }
    let db = Db::new();
    let clock = Clock::new();
    let mut store = db.open();
    for i in 0..6 {
        add(
            &mut store,
            &server.url(&format!("/hang-{i}.xml")),
            clock.now(),
        );
    }
    let time = clock.clone();
    let pipeline = PipelineBuilder::new()
        .clock(Arc::new(move || time.now()))
        .fetcher(
            FetcherBuilder::new()
                .timeout(Duration::from_secs(60))
                .allow_private(true),
        )
        .source_concurrency(2)
        .build()
        .unwrap();
    let worker = Worker::new(
        pipeline,
        db.shared(),
        WorkerOptions {
            owner: "stopping".into(),
            grace: Duration::from_millis(300),
            ..WorkerOptions::default()
        },
    );
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let run = tokio::spawn(async move { worker.run_due(&(), &stop).await });
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop_tx.send(true).unwrap();
    let report = tokio::time::timeout(Duration::from_secs(10), run)
        .await
        .expect("the worker stops within its grace period")
        .unwrap()
        .unwrap();
    assert!(report.sources.is_empty(), "nothing finished: {report:#?}");
    // Every lease is released: all six are due again at once for the next worker.
    for source in store.sources().unwrap() {
        assert!(source.lease_owner.is_none(), "{source:#?}");
        assert!(source.last_checked_at.is_none());
    }
    let leased = store
        .lease_due("next", clock.now(), Duration::from_secs(60), 100)
        .unwrap();
    assert_eq!(leased.len(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sources_add_finds_the_feeds_of_a_page() {
    let server = site_server();
    let rss = "<rss version=\"2.0\"><channel><title>Main desk</title><link>https://desk.example/</link></channel></rss>";
    server.route(
        "/page.html",
        Route::ok(
            "text/html",
            "<html><head><title>Desk</title>\
             <link rel=\"alternate\" type=\"application/rss+xml\" title=\"Main\" href=\"/main.xml\">\
             <link rel=\"alternate\" type=\"application/atom+xml\" title=\"Broken\" href=\"/broken.xml\">\
             <link rel=\"alternate\" type=\"application/rss+xml\" title=\"Comments\" href=\"/comments.xml\">\
             </head><body><p>Hello</p></body></html>",
        ),
    );
    server.route("/main.xml", Route::ok("application/rss+xml", rss));
    server.route("/broken.xml", Route::status(500));
    server.route(
        "/comments.xml",
        Route::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>Comments</title></channel></rss>",
        ),
    );
    let pipeline = pipeline();
    let url = |p: &str| url::Url::parse(&server.url(p)).unwrap();

    // A page's declared feeds, in document order, skipping the one that fails.
    let found = pipeline.discover(&url("/page.html")).await.unwrap();
    let paths: Vec<&str> = found.iter().map(|f| f.url.path()).collect();
    assert_eq!(paths, ["/main.xml", "/comments.xml"]);
    assert_eq!(found[0].title.as_deref(), Some("Main desk"));
    assert_eq!(found[0].site_url.as_deref(), Some("https://desk.example/"));

    // A feed URL is its own feed.
    let found = pipeline.discover(&url("/main.xml")).await.unwrap();
    assert_eq!(found[0].how, "the URL is a feed");

    // A page that declares nothing: the common paths are tried.
    server.route(
        "/bare/index.html",
        Route::ok("text/html", "<html><body><p>No links</p></body></html>"),
    );
    server.route("/feed", Route::ok("application/rss+xml", rss));
    let found = pipeline.discover(&url("/bare/index.html")).await.unwrap();
    assert_eq!(found[0].url.path(), "/feed");
    assert_eq!(found[0].how, "found at a common path");

    // Nothing anywhere: a clear error.
    server.unroute("/feed");
    let err = pipeline
        .discover(&url("/bare/index.html"))
        .await
        .unwrap_err();
    assert!(
        err.to_string().ends_with(
            "is a web page that declares no feed, and none of 9 common feed paths has one"
        ),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_txt_keeps_article_pages_unfetched() {
    let server = site_server();
    server.route(
        "/robots.txt",
        Route::ok(
            "text/plain",
            "User-agent: *\nDisallow: /blogs.voa.example/2012/\n",
        ),
    );
    let db = Db::new();
    let feed = url::Url::parse(&server.url("/blogs.voa.example/feed.xml")).unwrap();
    let report = pipeline().ingest(&[feed], db.shared(), &()).await;
    let source = &report.sources[0];
    // The entries are stored from the feed's own content, and the report says why.
    assert_eq!(source.counts.new, 4, "{source:#?}");
    assert_eq!(source.fallbacks.len(), 4, "{source:#?}");
    assert!(
        source.fallbacks[0].contains("/robots.txt disallows /blogs.voa.example/2012/"),
        "{source:#?}"
    );
    assert_eq!(server.hits(VOA_PATH), 0, "no disallowed page was requested");
    assert_eq!(
        server.hits("/robots.txt"),
        1,
        "robots.txt is fetched once per site"
    );
}
