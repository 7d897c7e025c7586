//! Issue 6, first crash test: four `cargo xtask watch` processes share one PostgreSQL database and one of them
//! is SIGKILLed while it holds leases. The other three must finish every source, each source must be fetched
//! once (twice only if the dead worker had it in flight), every dispatch must be stored once, no lease may stay
//! stuck, and the survivors must stop cleanly (exit 0) on SIGTERM.
//!
//! The database is a fresh schema on the server `NEWSWIRE_TEST_PG` names (default
//! `postgres://postgres@127.0.0.1:5432/test`); the test fails when no server answers there.
//! `NEWSWIRE_TEST_PG=skip` skips it, loudly, as it does the store's PostgreSQL tests; CI never sets it.

#![cfg(unix)]

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use newswire_testserver::{Route, TestServer};

/// The server used when `NEWSWIRE_TEST_PG` is not set.
const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/test";
/// Feeds served and registered.
const N_FEEDS: usize = 200;
/// Items in each feed.
const N_ITEMS: usize = 3;
/// Worker processes started; the first one is killed.
const N_WORKERS: usize = 4;
/// Sources a worker leases per transaction (`WorkerOptions::default().batch`).
const BATCH: usize = 16;
/// The host name the workers are given, so their lease owner is `HOSTNAME:<pid>`.
const HOST: &str = "newswire-test";

/// A fresh schema on the test server, dropped at the end.
struct Schema {
    admin: String,
    name: String,
    /// `admin` with the schema first on the `search_path`: what `--db` takes.
    url: String,
}

impl Schema {
    /// A new empty schema, or `None` (after a loud notice) when `NEWSWIRE_TEST_PG=skip`.
    fn create() -> Option<Schema> {
        let admin = std::env::var("NEWSWIRE_TEST_PG").unwrap_or_else(|_| DEFAULT_PG.to_owned());
        if admin == "skip" {
            // Written past the test harness's capture, so it shows even when the test passes.
            let _ = writeln!(
                std::io::stderr(),
                "\n!!! NEWSWIRE_TEST_PG=skip: the four-workers crash test SKIPPED; leasing on PostgreSQL is untested !!!"
            );
            return None;
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!("newswire_workers_{}_{nanos}", std::process::id());
        connect(&admin)
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .unwrap();
        let separator = if admin.contains('?') { '&' } else { '?' };
        let url = format!("{admin}{separator}options=-csearch_path%3D{name}");
        Some(Schema { admin, name, url })
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// A connection, or a panic that says what to do.
fn connect(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap_or_else(|err| {
        panic!(
            "this test needs a PostgreSQL server, and none answered at {url}: {err}\n\
             start one (see .ci/run), point NEWSWIRE_TEST_PG at another \
             (postgres://user@host:port/database), or set NEWSWIRE_TEST_PG=skip to skip it"
        )
    })
}

/// A running xtask process whose output is collected by two threads. Killed (SIGKILL) and reaped on drop if
/// it is still running, so a failing test leaves no process behind.
struct Proc {
    name: String,
    child: Child,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Proc {
    fn spawn(name: &str, args: &[&str]) -> Proc {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(args)
            .env("HOSTNAME", HOST)
            .env_remove("RUST_LOG")
            .env_remove("NEWSWIRE_DB")
            .env_remove("NEWSWIRE_ALLOW_PRIVATE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start xtask");
        let (stdout, out_reader) = collect(child.stdout.take().unwrap());
        let (stderr, err_reader) = collect(child.stderr.take().unwrap());
        Proc {
            name: name.to_owned(),
            child,
            stdout,
            stderr,
            readers: vec![out_reader, err_reader],
        }
    }

    /// The lease owner name this worker uses.
    fn owner(&self) -> String {
        format!("{HOST}:{}", self.child.id())
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill {signal} {}", self.name);
    }

    /// Waits for the process to exit, at most `limit`, then for its output to be read; `None` if it is still
    /// running then.
    fn wait_for(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for xtask") {
                for reader in self.readers.drain(..) {
                    let _ = reader.join();
                }
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stdout(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    /// Both outputs, for failure messages (the last lines of each).
    fn output(&self) -> String {
        let tail = |lines: &[String]| lines[lines.len().saturating_sub(30)..].join("\n");
        format!(
            "--- {} stdout (tail) ---\n{}\n--- {} stderr (tail) ---\n{}",
            self.name,
            tail(&self.stdout.lock().unwrap()),
            self.name,
            tail(&self.stderr.lock().unwrap())
        )
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Reads `pipe` line by line into a shared list, on a thread of its own.
fn collect(
    pipe: impl std::io::Read + Send + 'static,
) -> (Arc<Mutex<Vec<String>>>, std::thread::JoinHandle<()>) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    (lines, reader)
}

fn feed_path(feed: usize) -> String {
    format!("/feeds/{feed}.xml")
}

fn item_link(base: &str, feed: usize, item: usize) -> String {
    format!("{base}/n/{feed}/{item}")
}

/// A small RSS feed (about 400 bytes) with unique GUIDs and links.
fn feed(base: &str, feed: usize) -> String {
    let mut xml = format!("<rss version=\"2.0\"><channel><title>F{feed}</title>");
    for item in 0..N_ITEMS {
        xml.push_str(&format!(
            "<item><title>F{feed} s{item}</title><link>{}</link>\
             <guid isPermaLink=\"false\">f{feed}i{item}</guid></item>",
            item_link(base, feed, item),
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

/// How long the server takes to answer one request for `path`, read with a bare HTTP/1.1 client.
fn time_request(server: &TestServer, path: &str) -> Duration {
    use std::io::Read;
    let start = Instant::now();
    let mut stream = std::net::TcpStream::connect(server.addr()).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    assert!(response.starts_with(b"HTTP/1.1 200"), "{path} answers");
    start.elapsed()
}

fn opml(server: &TestServer) -> String {
    let mut opml = String::from(
        "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>workers</title></head><body>\n",
    );
    for feed in 0..N_FEEDS {
        opml.push_str(&format!(
            "<outline type=\"rss\" text=\"Feed {feed}\" xmlUrl=\"{}\"/>\n",
            server.url(&feed_path(feed))
        ));
    }
    opml.push_str("</body></opml>\n");
    opml
}

fn count(client: &mut postgres::Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).unwrap().get(0)
}

/// Polls until `done` holds, or panics with `what` and the workers' output after `limit` or as soon as one of
/// `workers` exits.
fn wait_until(limit: Duration, what: &str, workers: &mut [Proc], mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        let exited = workers.iter_mut().find_map(|w| {
            w.child
                .try_wait()
                .ok()
                .flatten()
                .map(|s| (w.name.clone(), s))
        });
        if start.elapsed() > limit || exited.is_some() {
            let outputs: Vec<String> = workers.iter().map(Proc::output).collect();
            panic!(
                "{what} did not happen within {limit:?} (exited: {exited:?})\n{}",
                outputs.join("\n")
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn four_workers_one_killed_every_source_checked_once() {
    let Some(schema) = Schema::create() else {
        return;
    };
    let server = TestServer::start(None).unwrap();
    let base = server.url("");
    // A byte every half millisecond: a feed takes a few tenths of a second to arrive (more on a loaded machine), so
    // the run lasts several seconds and every worker always has sources in flight.
    let drip = |feed_idx: usize| Route::Drip {
        body: feed(&base, feed_idx).into_bytes(),
        interval: Duration::from_micros(500),
    };
    for feed_idx in 0..N_FEEDS {
        server.route(&feed_path(feed_idx), drip(feed_idx));
    }
    server.route("/probe.xml", drip(0));
    let one_feed = time_request(&server, "/probe.xml");
    let dir = tempfile::tempdir().unwrap();
    let opml_path = dir.path().join("feeds.opml");
    std::fs::write(&opml_path, opml(&server)).unwrap();
    let db = schema.url.as_str();

    let mut import = Proc::spawn(
        "import",
        &["--db", db, "sources", "import", opml_path.to_str().unwrap()],
    );
    let status = import.wait_for(Duration::from_secs(120));
    assert!(
        status.is_some_and(|s| s.success()),
        "sources import: {status:?}\n{}",
        import.output()
    );
    assert!(
        import
            .stdout()
            .iter()
            .any(|l| l.contains(&format!("{N_FEEDS} added, 0 already registered, 0 skipped"))),
        "{}",
        import.output()
    );
    let mut client = connect(db);
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM sources"),
        N_FEEDS as i64
    );

    let start = Instant::now();
    let mut workers: Vec<Proc> = (0..N_WORKERS)
        .map(|idx| {
            Proc::spawn(
                &format!("worker {idx}"),
                &[
                    "--db",
                    db,
                    "watch",
                    "--allow-private",
                    "--no-pages",
                    "--poll",
                    "1",
                    "--lease",
                    "5",
                    "--grace",
                    "2",
                    "--spacing-ms",
                    "0",
                    "--concurrency",
                    "4",
                    // All the feeds are on one host: let each worker fetch as many at once as it checks.
                    "--per-host",
                    "4",
                ],
            )
        })
        .collect();

    // Kill the first worker a second or more in, once some sources are done, while it holds leases.
    let victim_owner = workers[0].owner();
    wait_until(
        Duration::from_secs(60),
        "some sources checked while the first worker holds leases",
        &mut workers,
        || {
            start.elapsed() >= Duration::from_secs(1)
                && count(
                    &mut client,
                    "SELECT count(*) FROM sources WHERE last_checked_at IS NOT NULL",
                ) > 0
                && client
                    .query_one(
                        "SELECT count(*) FROM sources WHERE lease_owner = $1",
                        &[&victim_owner],
                    )
                    .unwrap()
                    .get::<_, i64>(0)
                    > 0
        },
    );
    workers[0].child.kill().unwrap();
    let killed = workers[0]
        .wait_for(Duration::from_secs(30))
        .expect("a SIGKILLed process exits");
    let killed_at = start.elapsed();
    assert!(!killed.success(), "the first worker was killed: {killed:?}");
    // What the dead worker held stays leased to it until the leases expire; only these may be fetched twice.
    let held: HashSet<String> = client
        .query(
            "SELECT url FROM sources WHERE lease_owner = $1",
            &[&victim_owner],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let checked_at_kill = count(
        &mut client,
        "SELECT count(*) FROM sources WHERE last_checked_at IS NOT NULL",
    );
    assert!(
        !held.is_empty(),
        "the first worker held leases when it was killed"
    );

    wait_until(
        Duration::from_secs(180),
        "every source checked",
        &mut workers[1..],
        || {
            count(
                &mut client,
                "SELECT count(*) FROM sources WHERE last_checked_at IS NULL",
            ) == 0
        },
    );
    let all_checked_at = start.elapsed();

    for worker in &workers[1..] {
        worker.signal("-TERM");
    }
    for worker in &mut workers[1..] {
        let status = worker.wait_for(Duration::from_secs(60));
        assert!(
            status.is_some_and(|s| s.code() == Some(0)),
            "{} exits 0 on SIGTERM: {status:?}\n{}",
            worker.name,
            worker.output()
        );
    }
    let stopped_at = start.elapsed();
    let outputs = || {
        workers
            .iter()
            .map(Proc::output)
            .collect::<Vec<_>>()
            .join("\n")
    };

    // Each source was fetched once, or twice if the dead worker had it; never more.
    let mut histogram: BTreeMap<usize, usize> = BTreeMap::new();
    let mut twice = Vec::new();
    let mut wrong = Vec::new();
    for feed_idx in 0..N_FEEDS {
        let path = feed_path(feed_idx);
        let hits = server.hits(&path);
        *histogram.entry(hits).or_default() += 1;
        let url = server.url(&path);
        match hits {
            1 => {}
            2 if held.contains(&url) => twice.push(url),
            _ => wrong.push(format!("{url}: {hits} requests")),
        }
    }
    let per_worker: Vec<String> = workers
        .iter()
        .map(|w| {
            let lines = w.stdout();
            let checks = lines.iter().filter(|l| l.starts_with("ok ")).count();
            let failed = lines.iter().filter(|l| l.starts_with("FAILED ")).count();
            format!("{}: {checks} ok, {failed} failed", w.name)
        })
        .collect();
    eprintln!("four workers: one feed takes {one_feed:?} to serve, alone");
    eprintln!(
        "four workers: killed worker 0 at {killed_at:?} ({checked_at_kill} sources checked, {} leased to it); \
         all {N_FEEDS} checked at {all_checked_at:?}; survivors stopped at {stopped_at:?}",
        held.len()
    );
    eprintln!("four workers: requests per feed -> number of feeds: {histogram:?}");
    eprintln!("four workers: fetched twice (held by the dead worker): {twice:?}");
    eprintln!("four workers: {}", per_worker.join("; "));
    assert!(
        wrong.is_empty(),
        "sources fetched more than once without the dead worker holding them, or never: {wrong:?}\n\
         held by the dead worker: {held:?}\n{}",
        outputs()
    );
    assert!(
        twice.len() <= BATCH,
        "at most one batch is fetched twice: {twice:?}"
    );

    // Every source checked, with success, and released.
    let rows = client
        .query(
            "SELECT url, last_status, last_error, error_count, items_total FROM sources ORDER BY id",
            &[],
        )
        .unwrap();
    assert_eq!(rows.len(), N_FEEDS);
    let mut undercounted = Vec::new();
    for row in &rows {
        let url: String = row.get(0);
        let status: Option<String> = row.get(1);
        let error: Option<String> = row.get(2);
        let errors: i64 = row.get(3);
        let items: i64 = row.get(4);
        assert_eq!(
            (status.as_deref(), errors),
            (Some("ok"), 0),
            "{url}: {error:?}\n{}",
            outputs()
        );
        // A source the dead worker had stored before it died counts those dispatches as not new when it is checked
        // again, so its `items_total` may fall short; every other source counts its items exactly.
        if held.contains(&url) {
            assert!(
                (0..=N_ITEMS as i64).contains(&items),
                "{url}: {items} items counted"
            );
            if items < N_ITEMS as i64 {
                undercounted.push(format!("{url}: {items}"));
            }
        } else {
            assert_eq!(
                items,
                N_ITEMS as i64,
                "{url} counted its items once\n{}",
                outputs()
            );
        }
    }
    eprintln!(
        "four workers: items_total short for sources the dead worker stored before dying: {undercounted:?}"
    );
    let stuck: Vec<(String, String)> = client
        .query(
            "SELECT url, lease_owner FROM sources
             WHERE lease_owner IS NOT NULL AND (lease_until IS NULL OR lease_until > now())",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert!(stuck.is_empty(), "leases left stuck: {stuck:?}");

    // Every dispatch stored exactly once.
    let expected = (N_FEEDS * N_ITEMS) as i64;
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM dispatches"),
        expected
    );
    assert_eq!(
        count(&mut client, "SELECT count(DISTINCT url) FROM dispatches"),
        expected
    );
    assert_eq!(
        count(&mut client, "SELECT count(DISTINCT guid) FROM dispatches"),
        expected
    );
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM revisions"),
        expected,
        "each dispatch has one revision"
    );
    let mut export = Proc::spawn("export", &["--db", db, "export"]);
    let status = export.wait_for(Duration::from_secs(120));
    assert!(
        status.is_some_and(|s| s.success()),
        "export: {status:?}\n{}",
        export.output()
    );
    let exported = export.stdout();
    assert_eq!(exported.len(), expected as usize, "dispatches exported");
    let mut ids = HashSet::new();
    let mut urls = HashSet::new();
    for line in &exported {
        let dispatch: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            ids.insert(dispatch["id"].as_str().unwrap().to_owned()),
            "{line}"
        );
        assert!(
            urls.insert(dispatch["url"].as_str().unwrap().to_owned()),
            "{line}"
        );
    }
    let wanted: HashSet<String> = (0..N_FEEDS)
        .flat_map(|feed| (0..N_ITEMS).map(move |item| (feed, item)))
        .map(|(feed, item)| item_link(&base, feed, item))
        .collect();
    assert_eq!(urls, wanted, "every item of every feed is exported");
}
