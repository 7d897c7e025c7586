//! Issue 6, second crash test: `cargo xtask ingest` into SQLite, SIGKILLed at three random moments and restarted
//! each time, then run to completion. After every kill the file must pass `PRAGMA integrity_check` and hold
//! every dispatch of every source the run had reported stored; at the end it must hold all 50,000 dispatches,
//! each once.
//!
//! The kill points come from a seeded generator; the seed is printed and named in every failure message, and
//! `NEWSWIRE_CRASH_SEED=<n>` replays a run.

#![cfg(unix)]

use std::collections::{BTreeSet, HashSet};
use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use newswire_testserver::{Route, TestServer};

/// Feeds served.
const N_FEEDS: usize = 500;
/// Items in each feed.
const N_ITEMS: usize = 100;
/// How many times the run is killed before it is let finish.
const N_KILLS: usize = 3;

/// xorshift64*: small, seedable, good enough to pick kill points.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

fn seed() -> u64 {
    match std::env::var("NEWSWIRE_CRASH_SEED") {
        Ok(seed) => seed.parse().expect("NEWSWIRE_CRASH_SEED is a number"),
        Err(_) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64;
            nanos ^ u64::from(std::process::id()).rotate_left(32)
        }
    }
}

fn feed_path(feed: usize) -> String {
    format!("/feeds/{feed}.xml")
}

fn item_link(base: &str, feed: usize, item: usize) -> String {
    format!("{base}/news/{feed}/{item}.html")
}

/// Words for the items' text.
const WORDS: &str = "council budget river bridge school mayor voters market harbor storm festival court judge rail \
     station farmers drought museum library police hospital nurses strike union factory airport tunnel \
     election senate minister treaty border coast village valley mountain forest fire rescue flood bank \
     loan tax housing tenants rent clinic vaccine teachers students exam science rocket satellite ocean \
     fishing port ferry tourism hotel concert theatre film award novel poet gallery stadium league coach \
     match record season injury derby cycling marathon sailing weather frost wind solar grid pipeline \
     mine copper wheat rice coffee cocoa";

/// splitmix64: the items' text is varied (as real articles are, so none looks like a copy of another) and the
/// same in every run.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// An RSS feed of `N_ITEMS` items with unique GUIDs, links and times, and twenty words of text each.
fn feed(base: &str, feed: usize) -> Vec<u8> {
    use std::fmt::Write;
    let epoch = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00+00:00").unwrap();
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut xml = String::with_capacity(N_ITEMS * 400);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Crash feed {feed}</title><link>{base}/</link>\n"
    );
    for item in 0..N_ITEMS {
        let published = epoch + chrono::Duration::minutes((feed * N_ITEMS + item) as i64);
        let _ = write!(
            xml,
            "<item><title>Feed {feed} story {item}</title><link>{}</link>\
             <guid isPermaLink=\"false\">crash-{feed}-{item}</guid><pubDate>{}</pubDate><description>",
            item_link(base, feed, item),
            published.to_rfc2822()
        );
        let mut state = mix((feed * N_ITEMS + item) as u64);
        for word in 0..20 {
            state = mix(state);
            let sep = if word == 0 { "" } else { " " };
            let _ = write!(xml, "{sep}{}", words[(state % words.len() as u64) as usize]);
        }
        xml.push_str(".</description></item>\n");
    }
    xml.push_str("</channel></rss>\n");
    xml.into_bytes()
}

/// A running `ingest`. Killed (SIGKILL) and reaped on drop if still running, so a failing test leaves no process
/// behind.
struct Ingest {
    child: Child,
    /// Standard output, line by line, as it comes.
    lines: mpsc::Receiver<String>,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Ingest {
    fn start(db: &Path, urls: &[String]) -> Ingest {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("--db")
            .arg(db)
            .args([
                "ingest",
                "--allow-private",
                "--no-pages",
                "--spacing-ms",
                "0",
                "--concurrency",
                "8",
                "--per-host",
                "8",
            ])
            .args(urls)
            .env_remove("RUST_LOG")
            .env_remove("NEWSWIRE_DB")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start xtask ingest");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&stderr);
        let pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Ingest {
            child,
            lines,
            stderr,
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }
}

impl Drop for Ingest {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The source of an `ok` line, when it reports every item of its feed stored (new, updated or unchanged).
fn stored_source(line: &str, seed: u64) -> Option<String> {
    let rest = line.strip_prefix("ok      ")?;
    let (url, counts) = rest.split_once(" (feed): ")?;
    let numbers: Vec<usize> = counts
        .split(", ")
        .map(|part| {
            part.split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("seed {seed}: unexpected report {line:?}"))
        })
        .collect();
    let [new, updated, unchanged, failed] = numbers[..] else {
        panic!("seed {seed}: unexpected report {line:?}");
    };
    assert_eq!(
        (new + updated + unchanged, failed),
        (N_ITEMS, 0),
        "seed {seed}: every item of {url} stored: {line:?}"
    );
    Some(url.to_owned())
}

/// The URLs of the dispatches in the database, after checking that the file is sound and holds each dispatch once,
/// with one revision.
fn inspect(db: &Path, seed: u64, when: &str) -> HashSet<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(problems, ["ok"], "seed {seed}: integrity check {when}");
    let (rows, ids, urls): (i64, i64, i64) = conn
        .query_row(
            "SELECT count(*), count(DISTINCT id), count(DISTINCT url) FROM dispatches",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (ids, urls),
        (rows, rows),
        "seed {seed}: no duplicate ids or URLs {when}"
    );
    let revisions: i64 = conn
        .query_row("SELECT count(*) FROM revisions", [], |row| row.get(0))
        .unwrap();
    assert_eq!(
        revisions, rows,
        "seed {seed}: one revision per dispatch {when}: storing again after a crash rewrites nothing"
    );
    conn.prepare("SELECT url FROM dispatches")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<HashSet<String>, _>>()
        .unwrap()
}

#[test]
fn sqlite_survives_sigkill_at_random_points() {
    let seed = seed();
    eprintln!("crash test: seed {seed} (replay with NEWSWIRE_CRASH_SEED={seed})");
    let mut rng = Rng::new(seed);
    let started = Instant::now();

    let server = TestServer::start(None).unwrap();
    let base = server.url("");
    for feed_idx in 0..N_FEEDS {
        server.route(
            &feed_path(feed_idx),
            Route::ok("application/rss+xml", feed(&base, feed_idx)),
        );
    }
    let urls: Vec<String> = (0..N_FEEDS).map(|f| server.url(&feed_path(f))).collect();
    let items_of = |source: &str| -> Vec<String> {
        let feed_idx = urls
            .iter()
            .position(|u| u == source)
            .unwrap_or_else(|| panic!("seed {seed}: unknown source {source}"));
        (0..N_ITEMS)
            .map(|item| item_link(&base, feed_idx, item))
            .collect()
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");

    // Every source any run reported stored, so far.
    let mut reported: BTreeSet<String> = BTreeSet::new();
    // Each run is given the sources no earlier run reported stored, as an operator restarting a killed run would;
    // among them are those that were in flight at the kill, partly stored.
    let pending = |reported: &BTreeSet<String>| -> Vec<String> {
        urls.iter()
            .filter(|url| !reported.contains(*url))
            .cloned()
            .collect()
    };
    for kill in 0..N_KILLS {
        let run_started = Instant::now();
        let sources = pending(&reported);
        let mut run = Ingest::start(&db, &sources);
        // Sources are reported in the order given: kill once this run has reported a random number of them, then
        // a random few milliseconds later, in the middle of other sources.
        let target = rng.between(1, (sources.len() as u64 / 3).max(1));
        let jitter = Duration::from_millis(rng.between(0, 40));
        let mut seen = 0;
        let mut this_run = Vec::new();
        while seen < target {
            match run.lines.recv_timeout(Duration::from_secs(120)) {
                Ok(line) => {
                    if let Some(source) = stored_source(&line, seed) {
                        this_run.push(source);
                        seen += 1;
                    } else {
                        assert!(
                            !line.starts_with("FAILED") && !line.starts_with("total:"),
                            "seed {seed}: run {kill} before its kill: {line}\n{}",
                            run.stderr()
                        );
                    }
                }
                Err(err) => panic!(
                    "seed {seed}: run {kill} stopped reporting after {seen} sources ({err}); waiting for {target}\n{}",
                    run.stderr()
                ),
            }
        }
        std::thread::sleep(jitter);
        run.child.kill().unwrap();
        let status = run.child.wait().unwrap();
        // Lines written before the kill still count as reported.
        while let Ok(line) = run.lines.recv_timeout(Duration::from_secs(5)) {
            if let Some(source) = stored_source(&line, seed) {
                this_run.push(source);
            }
        }
        assert!(
            !status.success(),
            "seed {seed}: run {kill} was killed before it finished: {status:?}"
        );
        reported.extend(this_run.iter().cloned());
        let stored = inspect(&db, seed, &format!("after kill {kill}"));
        eprintln!(
            "crash test: run {kill} killed after {} sources reported (+{jitter:?}) at {:?}: {} sources reported \
             so far, {} dispatches stored",
            this_run.len(),
            run_started.elapsed(),
            reported.len(),
            stored.len()
        );
        let missing: Vec<String> = reported
            .iter()
            .flat_map(|source| items_of(source))
            .filter(|url| !stored.contains(url))
            .collect();
        assert!(
            missing.is_empty(),
            "seed {seed}: after kill {kill}, dispatches of sources reported stored are missing: {missing:?}"
        );
    }

    let stored_before = inspect(&db, seed, "before the last run").len();
    let run_started = Instant::now();
    let sources = pending(&reported);
    let mut run = Ingest::start(&db, &sources);
    let mut lines = Vec::new();
    while !lines
        .last()
        .is_some_and(|l: &String| l.starts_with("total:"))
    {
        match run.lines.recv_timeout(Duration::from_secs(300)) {
            Ok(line) => lines.push(line),
            Err(err) => panic!(
                "seed {seed}: the last run stopped before its total ({err})\n{}\n{}",
                lines.join("\n"),
                run.stderr()
            ),
        }
    }
    let status = run.child.wait().unwrap();
    assert!(
        status.success(),
        "seed {seed}: the last run succeeds: {status:?}\n{}\n{}",
        lines.join("\n"),
        run.stderr()
    );
    let stored: BTreeSet<String> = lines
        .iter()
        .filter_map(|line| stored_source(line, seed))
        .collect();
    assert_eq!(
        stored,
        sources.iter().cloned().collect(),
        "seed {seed}: the last run reports every source it was given stored\n{}",
        lines.join("\n")
    );
    // What the killed runs had stored is found unchanged, the rest is new: nothing stored twice, nothing rewritten.
    let new = N_FEEDS * N_ITEMS - stored_before;
    let totals = format!(
        "total: {} sources (0 failed), {new} new, 0 updated, {} unchanged, 0 failed;",
        sources.len(),
        sources.len() * N_ITEMS - new
    );
    assert!(
        lines.iter().any(|l| l.starts_with(&totals)),
        "seed {seed}: the last run reports {totals:?}\n{}",
        lines.join("\n")
    );
    eprintln!(
        "crash test: last run {:?}: {}",
        run_started.elapsed(),
        lines.last().map(String::as_str).unwrap_or_default()
    );

    let stored = inspect(&db, seed, "at the end");
    let expected: HashSet<String> = (0..N_FEEDS)
        .flat_map(|feed| (0..N_ITEMS).map(move |item| (feed, item)))
        .map(|(feed, item)| item_link(&base, feed, item))
        .collect();
    assert_eq!(
        stored.len(),
        N_FEEDS * N_ITEMS,
        "seed {seed}: dispatches stored"
    );
    assert!(
        stored == expected,
        "seed {seed}: the dispatches stored are those served"
    );
    eprintln!("crash test: total {:?}", started.elapsed());
}
