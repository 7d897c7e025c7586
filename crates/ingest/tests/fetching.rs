//! The fetcher against a fault-injecting HTTP server on 127.0.0.1: every hostile answer gets its own clear
//! error, limits hold, redirects and conditional requests behave, and the address guard refuses loopback.

use std::io::Write;
use std::time::Duration;

use newswire_ingest::fetch::{
    FetchError, FetchOutcome, Fetcher, FetcherBuilder, Limits, Validators,
};
use newswire_ingest::robots::{RobotsCache, Verdict};
use newswire_testserver::{Route, TestServer};
use url::Url;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A fetcher allowed to reach the test server, with short limits so faults cost seconds.
fn fetcher() -> Fetcher {
    builder().build().unwrap()
}

fn builder() -> FetcherBuilder {
    FetcherBuilder::new()
        .allow_private(true)
        .timeout(Duration::from_secs(2))
        .connect_timeout(Duration::from_secs(2))
        .limits(Limits {
            global: 8,
            per_host: 4,
            spacing: Duration::ZERO,
        })
}

fn url(server: &TestServer, path: &str) -> Url {
    Url::parse(&server.url(path)).unwrap()
}

fn fetch(fetcher: &Fetcher, url: &Url) -> Result<newswire_ingest::fetch::Fetched, FetchError> {
    runtime().block_on(fetcher.fetch(url))
}

#[test]
fn a_body_dripping_one_byte_a_second_times_out() {
    let server = TestServer::start(None).unwrap();
    server.route(
        "/drip.xml",
        Route::Drip {
            body: b"<rss version=\"2.0\"><channel><title>slow</title></channel></rss>".to_vec(),
            interval: Duration::from_secs(1),
        },
    );
    let err = fetch(&fetcher(), &url(&server, "/drip.xml")).unwrap_err();
    assert!(
        matches!(err, FetchError::Timeout { seconds: 2, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .ends_with("/drip.xml did not answer within 2 s"),
        "{err}"
    );
}

#[test]
fn a_body_that_never_ends_is_cut_off_at_the_cap() {
    let server = TestServer::start(None).unwrap();
    server.route(
        "/endless.xml",
        Route::Endless {
            content_type: "application/rss+xml".into(),
            chunk: b"<item><title>again</title></item>\n".repeat(256),
        },
    );
    let fetcher = builder()
        .max_body_bytes(1024 * 1024)
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let err = fetch(&fetcher, &url(&server, "/endless.xml")).unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::TooLarge {
                limit: 1_048_576,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("sent more than 1048576 bytes"),
        "{err}"
    );
}

#[test]
fn a_connection_reset_mid_body_is_an_http_error() {
    let server = TestServer::start(None).unwrap();
    server.route(
        "/reset.xml",
        Route::ResetMidBody {
            sent: b"<rss version=\"2.0\"><channel>".to_vec(),
            promised: 10_000,
        },
    );
    let err = fetch(&fetcher(), &url(&server, "/reset.xml")).unwrap_err();
    assert!(matches!(err, FetchError::Http { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("failed to fetch http://127.0.0.1:"),
        "{err}"
    );
}

#[test]
fn server_errors_and_rate_limits_carry_their_status_and_retry_after() {
    let server = TestServer::start(None).unwrap();
    server.route("/500.xml", Route::status(500));
    server.route(
        "/429.xml",
        Route::Response {
            status: 429,
            headers: vec![("Retry-After".into(), "120".into())],
            body: b"slow down".to_vec(),
        },
    );
    server.route(
        "/503.xml",
        Route::Response {
            status: 503,
            headers: vec![("Retry-After".into(), "Fri, 01 Jan 2100 00:00:00 GMT".into())],
            body: Vec::new(),
        },
    );
    let fetcher = fetcher();
    let err = fetch(&fetcher, &url(&server, "/500.xml")).unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::Status {
                status: 500,
                retry_after: None,
                ..
            }
        ),
        "{err:?}"
    );
    let err = fetch(&fetcher, &url(&server, "/429.xml")).unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert!(
        err.to_string()
            .ends_with("answered HTTP 429 (retry after 120 s)"),
        "{err}"
    );
    // A date far ahead is honoured up to the one-week cap.
    let err = fetch(&fetcher, &url(&server, "/503.xml")).unwrap_err();
    assert_eq!(
        err.retry_after(),
        Some(newswire_ingest::fetch::headers::MAX_HINT)
    );
}

#[test]
fn redirect_loops_are_detected_and_reported() {
    let server = TestServer::start(None).unwrap();
    server.route("/a", Route::redirect(302, "/b"));
    server.route("/b", Route::redirect(301, "/c"));
    server.route("/c", Route::redirect(307, "/a"));
    let err = fetch(&fetcher(), &url(&server, "/a")).unwrap_err();
    let FetchError::RedirectLoop { chain } = &err else {
        panic!("{err:?}")
    };
    let paths: Vec<&str> = chain.iter().map(Url::path).collect();
    assert_eq!(paths, ["/a", "/b", "/c", "/a"]);
    assert!(
        err.to_string().starts_with("redirect loop: http://"),
        "{err}"
    );
    assert_eq!(
        server.hits("/a"),
        1,
        "a loop is caught before the repeat is requested"
    );
}

#[test]
fn too_many_redirects_stop_at_the_limit() {
    let server = TestServer::start(None).unwrap();
    for i in 0..20 {
        server.route(
            &format!("/r{i}"),
            Route::redirect(302, &format!("/r{}", i + 1)),
        );
    }
    let fetcher = builder().max_redirects(5).build().unwrap();
    let err = fetch(&fetcher, &url(&server, "/r0")).unwrap_err();
    assert!(
        matches!(err, FetchError::TooManyRedirects { limit: 5, .. }),
        "{err:?}"
    );
    assert_eq!(server.hits("/r6"), 0);
}

#[test]
fn permanent_redirect_chains_move_the_source_and_temporary_ones_do_not() {
    let server = TestServer::start(None).unwrap();
    let feed = Route::ok(
        "application/rss+xml",
        "<rss version=\"2.0\"><channel/></rss>",
    );
    server.route("/feed.xml", feed);
    server.route("/old.xml", Route::redirect(301, "/older.xml"));
    server.route("/older.xml", Route::redirect(308, "/feed.xml"));
    server.route("/temp.xml", Route::redirect(302, "/old.xml"));
    server.route("/mixed.xml", Route::redirect(301, "/temp2.xml"));
    server.route("/temp2.xml", Route::redirect(307, "/feed.xml"));
    let fetcher = fetcher();

    let fetched = fetch(&fetcher, &url(&server, "/old.xml")).unwrap();
    assert_eq!(fetched.url.path(), "/feed.xml");
    assert_eq!(fetched.moved_to.as_ref().map(Url::path), Some("/feed.xml"));

    // A chain that starts with a temporary redirect leaves the source where it is.
    let fetched = fetch(&fetcher, &url(&server, "/temp.xml")).unwrap();
    assert_eq!(fetched.url.path(), "/feed.xml");
    assert_eq!(fetched.moved_to, None);

    // Permanent, then temporary: the source moves only as far as the permanent hop.
    let fetched = fetch(&fetcher, &url(&server, "/mixed.xml")).unwrap();
    assert_eq!(fetched.moved_to.as_ref().map(Url::path), Some("/temp2.xml"));
}

#[test]
fn a_redirect_to_another_scheme_is_refused() {
    let server = TestServer::start(None).unwrap();
    server.route("/sneaky", Route::redirect(302, "file:///etc/passwd"));
    let err = fetch(&fetcher(), &url(&server, "/sneaky")).unwrap_err();
    assert!(matches!(err, FetchError::BadRedirect { .. }), "{err:?}");
    assert!(err.to_string().contains("\"file:///etc/passwd\""), "{err}");
}

#[test]
fn a_gzip_bomb_is_cut_off_after_decompression() {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..64 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    assert!(
        bomb.len() < 200 * 1024,
        "the bomb is small on the wire: {}",
        bomb.len()
    );
    let server = TestServer::start(None).unwrap();
    server.route(
        "/bomb.xml",
        Route::Response {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "application/rss+xml".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            body: bomb,
        },
    );
    let fetcher = builder().max_body_bytes(8 * 1024 * 1024).build().unwrap();
    let err = fetch(&fetcher, &url(&server, "/bomb.xml")).unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::TooLarge {
                limit: 8_388_608,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn gzip_responses_are_decompressed() {
    let body = "<rss version=\"2.0\"><channel><title>Zipped</title></channel></rss>";
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body.as_bytes()).unwrap();
    let server = TestServer::start(None).unwrap();
    server.route(
        "/z.xml",
        Route::Response {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "application/rss+xml".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            body: encoder.finish().unwrap(),
        },
    );
    let fetched = fetch(&fetcher(), &url(&server, "/z.xml")).unwrap();
    assert_eq!(fetched.body, body.as_bytes());
    let accept = server
        .last_headers("/z.xml")
        .into_iter()
        .find(|(name, _)| name == "accept-encoding")
        .map(|(_, v)| v)
        .unwrap_or_default();
    for coding in ["gzip", "deflate", "br"] {
        assert!(accept.contains(coding), "Accept-Encoding: {accept}");
    }
}

#[test]
fn etag_flow_costs_a_304_and_no_body() {
    let server = TestServer::start(None).unwrap();
    server.route(
        "/feed.xml",
        Route::Conditional {
            content_type: "application/rss+xml".into(),
            body: b"<rss version=\"2.0\"><channel><title>T</title></channel></rss>".to_vec(),
            etag: Some("\"v1\"".into()),
            last_modified: None,
        },
    );
    let fetcher = fetcher();
    let rt = runtime();
    let target = url(&server, "/feed.xml");
    let first = rt
        .block_on(fetcher.fetch_conditional(&target, &Validators::default()))
        .unwrap();
    let FetchOutcome::Fetched(first) = first else {
        panic!("first fetch must return the body")
    };
    assert_eq!(first.etag.as_deref(), Some("\"v1\""));
    let second = rt
        .block_on(fetcher.fetch_conditional(&target, &first.validators()))
        .unwrap();
    let FetchOutcome::NotModified(not_modified) = second else {
        panic!("second fetch must be a 304")
    };
    assert_eq!(not_modified.validators.etag.as_deref(), Some("\"v1\""));
    let sent: Vec<(String, String)> = server.last_headers("/feed.xml");
    assert!(
        sent.contains(&("if-none-match".into(), "\"v1\"".into())),
        "{sent:?}"
    );
    assert_eq!(server.hits("/feed.xml"), 2);
}

#[test]
fn last_modified_flow_costs_a_304() {
    let server = TestServer::start(None).unwrap();
    let date = "Tue, 24 Jul 2012 11:10:00 GMT";
    server.route(
        "/feed.xml",
        Route::Conditional {
            content_type: "application/rss+xml".into(),
            body: b"<rss version=\"2.0\"><channel><title>T</title></channel></rss>".to_vec(),
            etag: None,
            last_modified: Some(date.into()),
        },
    );
    let fetcher = fetcher();
    let rt = runtime();
    let target = url(&server, "/feed.xml");
    let validators = Validators {
        etag: None,
        last_modified: Some(date.into()),
    };
    let outcome = rt
        .block_on(fetcher.fetch_conditional(&target, &validators))
        .unwrap();
    assert!(
        matches!(outcome, FetchOutcome::NotModified(_)),
        "{outcome:?}"
    );
    // Stale validators get the body and fresh validators.
    let stale = Validators {
        etag: None,
        last_modified: Some("Mon, 23 Jul 2012 00:00:00 GMT".into()),
    };
    let outcome = rt
        .block_on(fetcher.fetch_conditional(&target, &stale))
        .unwrap();
    let FetchOutcome::Fetched(fetched) = outcome else {
        panic!("stale validators must get the body")
    };
    assert_eq!(fetched.last_modified.as_deref(), Some(date));
}

#[test]
fn the_user_agent_names_newswire_and_can_be_changed() {
    let server = TestServer::start(None).unwrap();
    server.route("/ua", Route::ok("text/plain", "ok"));
    fetch(&fetcher(), &url(&server, "/ua")).unwrap();
    let agent = |server: &TestServer| {
        server
            .last_headers("/ua")
            .into_iter()
            .find(|(name, _)| name == "user-agent")
            .map(|(_, v)| v)
            .unwrap_or_default()
    };
    assert!(
        agent(&server).starts_with("newswire/"),
        "{}",
        agent(&server)
    );
    let custom = builder()
        .user_agent("newswire-test/1 (ops@example.org)")
        .build()
        .unwrap();
    fetch(&custom, &url(&server, "/ua")).unwrap();
    assert_eq!(agent(&server), "newswire-test/1 (ops@example.org)");
}

#[test]
fn loopback_is_refused_unless_allowed() {
    let server = TestServer::start(None).unwrap();
    server.route("/feed.xml", Route::ok("application/rss+xml", "<rss/>"));
    let guarded = FetcherBuilder::new().build().unwrap();
    // A literal address.
    let err = fetch(&guarded, &url(&server, "/feed.xml")).unwrap_err();
    assert!(matches!(err, FetchError::NonPublic { .. }), "{err:?}");
    let chain = format!("{}: {}", err, std::error::Error::source(&err).unwrap());
    assert!(
        chain.contains("127.0.0.1") && chain.contains("non-public"),
        "{chain}"
    );
    // A name that resolves to loopback, caught after DNS resolution.
    let by_name = Url::parse(&format!(
        "http://localhost:{}/feed.xml",
        server.addr().port()
    ))
    .unwrap();
    let err = fetch(&guarded, &by_name).unwrap_err();
    assert!(matches!(err, FetchError::NonPublic { .. }), "{err:?}");
    // A public-looking name mapped to loopback (as DNS rebinding would) is refused too.
    let rebound = FetcherBuilder::new()
        .resolve("news.example.com", server.addr())
        .build()
        .unwrap();
    let target = Url::parse(&format!(
        "http://news.example.com:{}/feed.xml",
        server.addr().port()
    ))
    .unwrap();
    let err = fetch(&rebound, &target);
    assert_eq!(
        server.hits("/feed.xml"),
        0,
        "nothing reached the server: {err:?}"
    );
    // Allowed explicitly, it works.
    assert!(fetch(&fetcher(), &url(&server, "/feed.xml")).is_ok());
    assert_eq!(server.hits("/feed.xml"), 1);
}

#[test]
fn robots_txt_is_fetched_once_and_honoured() {
    let server = TestServer::start(None).unwrap();
    server.route(
        "/robots.txt",
        Route::ok(
            "text/plain",
            "User-agent: *\nDisallow: /private/\n\nUser-agent: newswire\nDisallow: /no-newswire/\n",
        ),
    );
    let fetcher = fetcher();
    let robots = RobotsCache::default();
    let rt = runtime();
    let check = |path: &str| rt.block_on(robots.check(&fetcher, &url(&server, path)));
    assert_eq!(check("/news/2012/07/24/story.html"), Verdict::Allowed);
    assert!(matches!(
        check("/no-newswire/a.html"),
        Verdict::Disallowed(_)
    ));
    // Our own group replaces the `*` group, as RFC 9309 says.
    assert_eq!(check("/private/a.html"), Verdict::Allowed);
    assert_eq!(server.hits("/robots.txt"), 1, "cached per origin");
}

#[test]
fn robots_txt_crawl_delay_is_reported_for_our_group_and_capped() {
    let polite = TestServer::start(None).unwrap();
    polite.route(
        "/robots.txt",
        Route::ok(
            "text/plain",
            "User-agent: *\nCrawl-delay: 30\n\nUser-agent: newswire\nCrawl-delay: 2.5\nDisallow: /x/\n",
        ),
    );
    let greedy = TestServer::start(None).unwrap();
    greedy.route(
        "/robots.txt",
        Route::ok("text/plain", "User-agent: *\nCrawl-delay: 86400\n"),
    );
    let plain = TestServer::start(None).unwrap();
    plain.route(
        "/robots.txt",
        Route::ok("text/plain", "User-agent: *\nDisallow:\n"),
    );
    let fetcher = fetcher();
    let robots = RobotsCache::default();
    let rt = runtime();
    let page = url(&polite, "/news/a.html");
    assert_eq!(robots.crawl_delay(&page), None, "nothing before the check");
    assert_eq!(rt.block_on(robots.check(&fetcher, &page)), Verdict::Allowed);
    assert_eq!(robots.crawl_delay(&page), Some(Duration::from_millis(2500)));
    let page = url(&greedy, "/a.html");
    assert_eq!(rt.block_on(robots.check(&fetcher, &page)), Verdict::Allowed);
    assert_eq!(
        robots.crawl_delay(&page),
        Some(newswire_ingest::robots::MAX_CRAWL_DELAY)
    );
    let page = url(&plain, "/a.html");
    assert_eq!(rt.block_on(robots.check(&fetcher, &page)), Verdict::Allowed);
    assert_eq!(robots.crawl_delay(&page), None);
}

#[test]
fn robots_txt_missing_allows_and_unavailable_disallows() {
    let missing = TestServer::start(None).unwrap();
    let broken = TestServer::start(None).unwrap();
    broken.route("/robots.txt", Route::status(503));
    let fetcher = fetcher();
    let robots = RobotsCache::default();
    let rt = runtime();
    assert_eq!(
        rt.block_on(robots.check(&fetcher, &url(&missing, "/a.html"))),
        Verdict::Allowed
    );
    let verdict = rt.block_on(robots.check(&fetcher, &url(&broken, "/a.html")));
    let Verdict::Disallowed(why) = verdict else {
        panic!("a 503 robots.txt disallows for now")
    };
    assert!(why.contains("robots.txt is unavailable"), "{why}");
}
