//! One broken source or page never stops a run, and each says clearly what went wrong.

use newswire_pipeline::find_dispatch;
use newswire_pipeline::model::BodyOrigin;
use newswire_pipeline::store::Store;
use newswire_testserver::Route;
use url::Url;

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_sources_fail_alone() {
    let server = site_server();
    server.route("/gone.xml", Route::status(404));
    server.route("/error.xml", Route::status(500));
    server.route("/hang.xml", Route::Hang);
    let paths = [
        "/blogs.voa.example/feed.xml",
        "/broken.example/not-a-feed.xml",
        "/broken.example/not-xml.xml",
        "/broken.example/garbage.xml",
        "/gone.xml",
        "/error.xml",
        "/hang.xml",
        "/broken.example/truncated.xml",
    ];
    let sources: Vec<Url> = paths
        .iter()
        .map(|p| Url::parse(&server.url(p)).unwrap())
        .collect();
    let db = Db::new();
    let report = pipeline().ingest(&sources, db.shared(), &()).await;
    let by_path = |path: &str| {
        report
            .sources
            .iter()
            .find(|s| s.source.ends_with(path))
            .unwrap()
    };
    let error = |path: &str| by_path(path).error.clone().unwrap_or_default();

    assert_eq!(by_path("/blogs.voa.example/feed.xml").counts.new, 4);
    assert!(
        error("/not-a-feed.xml").ends_with(
            "not-a-feed.xml as a feed: root element <urlset> is not rss, rdf:RDF or feed"
        ),
        "{}",
        error("/not-a-feed.xml")
    );
    assert!(
        error("/not-xml.xml")
            .ends_with("was served as a feed (application/xml) but is an HTML page")
    );
    assert!(
        error("/garbage.xml").ends_with("is neither a feed nor an HTML page (binary data)"),
        "{}",
        error("/garbage.xml")
    );
    assert!(
        error("/gone.xml").ends_with("/gone.xml answered HTTP 404"),
        "{}",
        error("/gone.xml")
    );
    assert!(error("/error.xml").ends_with("/error.xml answered HTTP 500"));
    assert!(
        error("/hang.xml").ends_with("/hang.xml did not answer within 2 s"),
        "{}",
        error("/hang.xml")
    );
    // A truncated feed keeps the items before the damage.
    let truncated = by_path("/broken.example/truncated.xml");
    assert_eq!(truncated.error, None);
    assert!(truncated.counts.new >= 2, "{truncated:#?}");
    assert!(
        truncated.warnings.iter().any(|w| w.contains("truncated")),
        "{:#?}",
        truncated.warnings
    );

    assert_eq!(report.failed_sources(), 6);
    assert!(!report.nothing_ingested());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unavailable_pages_fall_back_to_the_feed_content() {
    let server = site_server();
    let siblings = [
        "/blogs.voa.example/2012/07/23/aseans-draft-rights-declaration-draws-fire-from-activists/",
        "/blogs.voa.example/2012/07/23/burma-eases-press-curbs-but-old-habits-linger/",
        "/blogs.voa.example/2012/07/22/cambodian-villagers-protest-evictions-demand-land-titles/",
    ];
    server.route(siblings[0], Route::status(404));
    server.route(siblings[1], Route::status(500));
    server.route(siblings[2], Route::Hang);
    let db = Db::new();
    let feed = Url::parse(&server.url("/blogs.voa.example/feed.xml")).unwrap();
    let report = pipeline().ingest(&[feed], db.shared(), &()).await;
    let source = &report.sources[0];
    assert_eq!(source.counts.new, 4, "{source:#?}");
    assert_eq!(source.fallbacks.len(), 3, "{:#?}", source.fallbacks);
    assert!(
        source
            .fallbacks
            .iter()
            .any(|f| f.contains("answered HTTP 404; stored the feed's content"))
    );
    assert!(
        source
            .fallbacks
            .iter()
            .any(|f| f.contains("answered HTTP 500; stored the feed's content"))
    );
    assert!(
        source
            .fallbacks
            .iter()
            .any(|f| f.contains("did not answer within 2 s; stored the feed's content"))
    );

    let store = db.open();
    let voa = find_dispatch(&store, VOA_CANONICAL).unwrap().unwrap();
    assert_eq!(voa.provenance.body, BodyOrigin::Page);
    let mut from_feed = 0;
    store
        .export(&Default::default(), &mut |d| {
            if d.provenance.body == BodyOrigin::FeedContent {
                assert!(!d.body.is_empty());
                from_feed += 1;
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(from_feed, 3);

    // Once the pages answer again, the feed-only versions are replaced by the extracted articles.
    for path in siblings {
        server.unroute(path);
    }
    let feed = Url::parse(&server.url("/blogs.voa.example/feed.xml")).unwrap();
    let report = pipeline().ingest(&[feed], db.shared(), &()).await;
    assert_eq!(
        report.sources[0].counts.updated, 3,
        "{:#?}",
        report.sources[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_ingested_when_every_source_fails() {
    let server = site_server();
    server.route("/gone.xml", Route::status(404));
    let db = Db::new();
    let report = pipeline()
        .ingest(
            &[Url::parse(&server.url("/gone.xml")).unwrap()],
            db.shared(),
            &(),
        )
        .await;
    assert!(report.nothing_ingested());
    assert_eq!(db.open().count().unwrap(), 0);
}
