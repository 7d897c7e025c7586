//! The reference path: the VOA-like feed over HTTP into SQLite, then again, then with a changed page.

use newswire_pipeline::model::{BlockKind, BodyOrigin};
use newswire_pipeline::store::Store;
use newswire_pipeline::{Pipeline, find_dispatch, resolve_source};
use newswire_testserver::Route;
use url::Url;

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voa_feed_over_http_into_sqlite() {
    let server = site_server();
    let db = Db::new();
    let pipeline = pipeline();
    let feed = Url::parse(&server.url("/blogs.voa.example/feed.xml")).unwrap();

    // First run: four new dispatches, every article page fetched and extracted.
    let report = pipeline
        .ingest(std::slice::from_ref(&feed), db.shared(), &())
        .await;
    let source = &report.sources[0];
    assert_eq!(source.error, None);
    assert_eq!(
        (
            source.counts.new,
            source.counts.updated,
            source.counts.failed
        ),
        (4, 0, 0),
        "{source:#?}"
    );
    assert!(
        source.fallbacks.is_empty(),
        "every page should be extracted: {:#?}",
        source.fallbacks
    );
    assert_eq!(server.hits(VOA_PATH), 1);

    let store = db.open();
    let voa = find_dispatch(&store, VOA_CANONICAL)
        .unwrap()
        .expect("the VOA dispatch is stored");
    assert_eq!(voa.url, VOA_CANONICAL);
    assert_eq!(
        voa.title,
        "Rights Groups Call for US to Pressure China on Rights Abuses"
    );
    let published = voa.published_at.expect("a publication time");
    assert_eq!(published.to_string(), "2012-07-24T06:10:00-05:00");
    assert_eq!(
        published.instant().unwrap().to_rfc3339(),
        "2012-07-24T11:10:00+00:00"
    );
    assert_eq!(voa.provenance.body, BodyOrigin::Page);

    let paragraphs: Vec<&str> = voa.body.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(
        paragraphs,
        seed_paragraphs(),
        "exactly the 12 paragraphs of the seed, in order"
    );
    assert_eq!(voa.body.len(), 12);
    assert!(voa.body.iter().all(|b| b.kind == BlockKind::Paragraph));
    let text = voa.text();
    assert!(
        text.contains("\u{201c}The dialogues are a very convenient mechanism"),
        "first quotation intact"
    );
    assert!(
        text.contains("\u{201c}We are always \u{2013} whether it's at the presidential level"),
        "second quotation"
    );
    for furniture in [
        "Leave a comment",
        "Leave a Reply",
        "Posted July",
        "Recent Posts",
        "Share",
        "Categories:",
    ] {
        assert!(
            !text.contains(furniture),
            "furniture {furniture:?} leaked into the body"
        );
    }

    // The JSON contract.
    let json = serde_json::to_value(&voa).unwrap();
    assert_eq!(json["published_at"], "2012-07-24T06:10:00-05:00");
    assert_eq!(json["id"], voa.id);
    assert_eq!(json["text"].as_str().unwrap().split("\n\n").count(), 12);
    assert!(json["authors"].is_array());

    // Second run: nothing new, nothing written.
    let rows_before = store.count().unwrap();
    let report = pipeline
        .ingest(std::slice::from_ref(&feed), db.shared(), &())
        .await;
    let counts = report.sources[0].counts;
    assert_eq!(
        (counts.new, counts.updated, counts.unchanged, counts.failed),
        (0, 0, 4, 0)
    );
    assert_eq!(store.count().unwrap(), rows_before);
    assert_eq!(store.revisions(&voa.id).unwrap().len(), 1);

    // The publisher edits the article: stored as an update, the old version kept.
    let original = std::fs::read_to_string(
        fixtures()
            .join("site")
            .join(&VOA_PATH[1..])
            .join("index.html"),
    )
    .unwrap();
    let edited = original.replace(
        "wrap up their two-day human rights dialogue",
        "end their two-day human rights dialogue",
    );
    assert_ne!(original, edited, "the edit must change the page");
    server.route(VOA_PATH, Route::ok("text/html; charset=utf-8", edited));
    let report = pipeline
        .ingest(std::slice::from_ref(&feed), db.shared(), &())
        .await;
    let counts = report.sources[0].counts;
    assert_eq!((counts.new, counts.updated, counts.unchanged), (0, 1, 3));
    assert_eq!(store.count().unwrap(), rows_before);
    let revisions = store.revisions(&voa.id).unwrap();
    assert_eq!(revisions.len(), 2);
    assert!(
        revisions[0]
            .dispatch
            .text()
            .contains("wrap up their two-day")
    );
    assert!(revisions[1].dispatch.text().contains("end their two-day"));
    assert!(
        store
            .get(&voa.id)
            .unwrap()
            .unwrap()
            .text()
            .contains("end their two-day")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_feed_file_reads_pages_from_disk_with_the_same_identity() {
    let db = Db::new();
    let pipeline = pipeline();
    let feed = resolve_source(
        fixtures()
            .join("site/blogs.voa.example/feed.xml")
            .to_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(feed.scheme(), "file");
    let report = pipeline.ingest(&[feed], db.shared(), &()).await;
    let source = &report.sources[0];
    assert_eq!(source.counts.new, 4, "{source:#?}");
    assert!(source.fallbacks.is_empty(), "{:#?}", source.fallbacks);
    let store = db.open();
    let voa = find_dispatch(&store, VOA_CANONICAL)
        .unwrap()
        .expect("found by its canonical URL");
    assert_eq!(
        voa.published_at.unwrap().to_string(),
        "2012-07-24T06:10:00-05:00"
    );
    assert_eq!(voa.body.len(), 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn atom_feed_and_page_families() {
    let server = site_server();
    let db = Db::new();
    let feed = Url::parse(&server.url("/wire.example/atom.xml")).unwrap();
    let report = pipeline().ingest(&[feed], db.shared(), &()).await;
    let source = &report.sources[0];
    assert_eq!(source.counts.new, 5, "{source:#?}");
    assert!(source.fallbacks.is_empty(), "{:#?}", source.fallbacks);
    let store = db.open();
    let mut published = Vec::new();
    store
        .export(&Default::default(), &mut |d| {
            published.push((
                d.title.clone(),
                d.published_at.map(|t| t.to_string()).unwrap_or_default(),
            ));
            Ok(())
        })
        .unwrap();
    published.sort();
    let find = |needle: &str| {
        published
            .iter()
            .find(|(title, _)| title.contains(needle))
            .map(|(_, p)| p.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        find("Forced labour"),
        "2012-07-24T14:30:00+08:00",
        "JSON-LD"
    );
    assert_eq!(
        find("Singapore"),
        "2012-07-24T09:00:00+02:00",
        "article:published_time"
    );
    assert_eq!(
        find("Appeals court"),
        "2012-07-23T22:15:00-04:00",
        "<time datetime>"
    );
    assert_eq!(
        find("Riverside road"),
        "2012-07-24T06:10:00+00:00",
        "visible text"
    );
}

/// Ingests `feeds` one run after the other; each run's (new, updated, unchanged) counts.
async fn ingest_in_turn(
    pipeline: &Pipeline,
    db: &Db,
    feeds: &[&Url],
) -> Vec<(usize, usize, usize)> {
    let mut counts = Vec::new();
    for feed in feeds {
        let report = pipeline
            .ingest(std::slice::from_ref(*feed), db.shared(), &())
            .await;
        let source = &report.sources[0];
        assert_eq!(source.error, None, "{source:#?}");
        counts.push((
            source.counts.new,
            source.counts.updated,
            source.counts.unchanged,
        ));
    }
    counts
}

/// A site lists its articles in several feeds (the whole blog, and a section with its own name and categories).
/// Read one after the other, again and again, each article stays one dispatch with one revision: a listing by the
/// other feed is not a change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_in_two_feeds_of_a_site_is_stored_once_without_new_revisions() {
    let server = site_server();
    let db = Db::new();
    let pipeline = pipeline();
    let blog = Url::parse(&server.url("/blogs.voa.example/feed.xml")).unwrap();
    let original =
        std::fs::read_to_string(fixtures().join("site/blogs.voa.example/feed.xml")).unwrap();
    let section_feed = original
        .replace(
            "<title>Far Horizons News Blog</title>",
            "<title>Far Horizons News Blog: Asia</title>",
        )
        .replace(
            "<category><![CDATA[Human Rights]]></category>",
            "<category>Asia</category>",
        );
    assert_ne!(original, section_feed);
    server.route(
        "/blogs.voa.example/asia.xml",
        Route::ok("application/rss+xml", section_feed),
    );
    let section = Url::parse(&server.url("/blogs.voa.example/asia.xml")).unwrap();

    let counts = ingest_in_turn(&pipeline, &db, &[&blog, &section, &blog, &section]).await;
    assert_eq!(counts, [(4, 0, 0), (0, 0, 4), (0, 0, 4), (0, 0, 4)]);
    let store = db.open();
    assert_eq!(store.count().unwrap(), 4);
    let voa = find_dispatch(&store, VOA_CANONICAL).unwrap().unwrap();
    assert_eq!(store.revisions(&voa.id).unwrap().len(), 1);
    assert_eq!(voa.source.feed_url.as_deref(), Some(blog.as_str()));
    assert!(voa.categories.iter().any(|c| c == "Human Rights"));
}

/// A section feed that has not caught up lists the story as first written, while the front page has the
/// correction: reading the two in turn stores the correction once and no more revisions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_section_feed_does_not_undo_a_correction() {
    let server = site_server();
    let db = Db::new();
    let pipeline = pipeline();
    // The article page is gone (404), so each version's text is its feed's.
    let link = server.url("/desk.example/bridge-reopens");
    let feed = |title: &str, text: &str| {
        format!(
            "<rss version=\"2.0\"><channel><title>{title}</title><link>https://desk.example/</link>\
             <item><title>Bridge reopens after repairs</title><link>{link}</link>\
             <description>{text}</description></item></channel></rss>"
        )
    };
    let first = "The river bridge reopened on Monday after six months of repairs, officials said.";
    let corrected =
        "The river bridge reopened on Tuesday after six months of repairs, officials said.";
    server.route(
        "/desk.example/section.xml",
        Route::ok("application/rss+xml", feed("Desk: City", first)),
    );
    server.route(
        "/desk.example/front.xml",
        Route::ok("application/rss+xml", feed("Desk", corrected)),
    );
    let section = Url::parse(&server.url("/desk.example/section.xml")).unwrap();
    let front = Url::parse(&server.url("/desk.example/front.xml")).unwrap();

    let counts = ingest_in_turn(
        &pipeline,
        &db,
        &[&section, &front, &section, &front, &section],
    )
    .await;
    assert_eq!(
        counts,
        [(1, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, 1), (0, 0, 1)]
    );
    let store = db.open();
    let stored = find_dispatch(&store, &link).unwrap().unwrap();
    assert_eq!(stored.text(), corrected);
    assert_eq!(store.revisions(&stored.id).unwrap().len(), 2);
}

/// `ingest` tells where a source moved for good, by a 301/308 or by the feed's own word, so the user can update
/// the URL they give it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_reports_where_a_source_moved() {
    let server = site_server();
    let db = Db::new();
    let pipeline = pipeline();
    let home = server.url("/desk.example/home.xml");
    let feed = |item: &str, new_home: &str| {
        format!(
            "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"><channel>\
             <title>Desk</title>{new_home}<item><title>{item}</title>\
             <guid>https://desk.example/{item}</guid><description>About {item}.</description></item>\
             </channel></rss>"
        )
    };
    server.route(
        "/desk.example/home.xml",
        Route::ok("application/rss+xml", feed("home", "")),
    );
    server.route(
        "/desk.example/redirected.xml",
        Route::redirect(301, "/desk.example/home.xml"),
    );
    server.route(
        "/desk.example/says-moved.xml",
        Route::ok(
            "application/rss+xml",
            feed(
                "old",
                &format!("<itunes:new-feed-url>{home}</itunes:new-feed-url>"),
            ),
        ),
    );
    let urls: Vec<Url> = ["redirected.xml", "says-moved.xml", "home.xml"]
        .iter()
        .map(|path| Url::parse(&server.url(&format!("/desk.example/{path}"))).unwrap())
        .collect();
    let report = pipeline.ingest(&urls, db.shared(), &()).await;
    let moved: Vec<Option<&str>> = report
        .sources
        .iter()
        .map(|s| s.moved_to.as_deref())
        .collect();
    assert_eq!(moved, [Some(home.as_str()), Some(home.as_str()), None]);
    assert!(
        report.sources.iter().all(|s| s.error.is_none()),
        "{report:#?}"
    );
    // A local file that states a new home is read where it is.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("says-moved.xml");
    std::fs::write(
        &path,
        feed(
            "local",
            &format!("<itunes:new-feed-url>{home}</itunes:new-feed-url>"),
        ),
    )
    .unwrap();
    let file = Url::from_file_path(&path).unwrap();
    let report = pipeline.ingest(&[file], db.shared(), &()).await;
    assert_eq!(report.sources[0].error, None, "{report:#?}");
    assert_eq!(report.sources[0].moved_to, None);
}
