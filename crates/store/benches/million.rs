//! The million-dispatch benchmark (issue 6): stores 1,000,000 synthetic dispatches of realistic sizes into each
//! engine with `Store::upsert_many`, and reports how fast storing stays as the store grows, how fast searches
//! are at the end, how much space a dispatch takes, and which stories were found.
//!
//! ```sh
//! cargo bench -p newswire-store --bench million
//! NEWSWIRE_BENCH_DISPATCHES=100000 cargo bench -p newswire-store --bench million   # a quick check
//! ```
//!
//! Per 100,000 dispatches stored it prints the dispatches stored per second of wall time spent in
//! `upsert_many` (generating the dispatches is not counted), the CPU seconds of this process in that time (user +
//! system, from `/proc/self/stat`; the PostgreSQL engine's connection thread is in this process), for
//! PostgreSQL also those of the server process serving the store's connection, and the resident set size.
//! Then, after `ANALYZE` (PostgreSQL), it runs 200 searches of mixed selectivity and prints the median and 99th
//! percentile latency per kind and overall, the database size per dispatch (SQLite: the file plus its WAL, which
//! grows to about 64 MiB between checkpoints; PostgreSQL: `pg_total_relation_size` of the store's tables, indexes
//! and TOAST included), the stories found (how many republications joined their original's story, and how many
//! other dispatches joined one), and the peak RSS (`VmHWM`). A summary table ends the run.
//!
//! Knobs, all environment variables:
//!
//! - `NEWSWIRE_BENCH_DISPATCHES`: how many dispatches to store (default 1,000,000; `100000` for a quick check).
//! - `NEWSWIRE_BENCH_ENGINES`: which engines, comma-separated (default `sqlite,postgres`). `fts5` is a baseline:
//!   the SQLite search index alone, fed the same titles and texts with the same settings, one transaction per
//!   batch; what the SQLite engine cannot go below while it indexes each dispatch as it stores it.
//! - `NEWSWIRE_BENCH_PG`: the PostgreSQL server (default the tests' `postgres://postgres@127.0.0.1:5432/test`). The
//!   bench makes a schema of its own there (`newswire_bench_<pid>`) and drops it at the end, so it never touches
//!   other data.
//! - `NEWSWIRE_BENCH_BATCH`: dispatches per `upsert_many` (default 500).
//! - `NEWSWIRE_BENCH_DIR`: where the SQLite file goes (default the system's temporary directory).
//! - `NEWSWIRE_BENCH_KEEP`: when set, the SQLite file and the PostgreSQL schema are kept (and named) rather than
//!   removed at the end.
//!
//! The dispatches: titles of 60–90 characters, bodies of 6–15 paragraphs (2–5 KB of text), a byline, 0–5
//! categories, URLs on 200 sources, publication times spread over 2025 with several UTC offsets. Words come from
//! a synthetic vocabulary of 60,000 words drawn with a Zipf distribution (exponent 1), so a common word is in
//! most dispatches and a rare one in a few dozen. About 3% of dispatches are republications of an earlier one (on
//! another source: a new headline half the time, a few words changed, a paragraph added or dropped), and about
//! 1% are exact repeats of an earlier one (stored again: unchanged). Everything follows from a fixed seed, so
//! every run stores the same dispatches.
//!
//! The searches: 40 each of a rare word, a word of middling frequency, a common word, two words, and a word with
//! a `since` (last 30 days) or `source` (one host) filter. Phrases are not a query form of the store (quotes are
//! ignored), so none are run.

use std::collections::HashMap;
use std::error::Error;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use newswire_model::{Block, BodyOrigin, Dispatch, Provenance, SourceRef, StatedTime};
use newswire_store::{Outcome, SearchQuery, Store};

type BoxError = Box<dyn Error + Send + Sync>;

const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/test";
const SOURCES: u64 = 200;
const VOCABULARY: usize = 60_000;
/// Every this many dispatches, a line of figures.
const STEP: u64 = 100_000;

fn main() -> Result<(), BoxError> {
    let n: u64 = env("NEWSWIRE_BENCH_DISPATCHES", "1000000")
        .replace('_', "")
        .parse()?;
    let batch: usize = env("NEWSWIRE_BENCH_BATCH", "500").parse()?;
    let engines = env("NEWSWIRE_BENCH_ENGINES", "sqlite,postgres");
    let pg = env("NEWSWIRE_BENCH_PG", DEFAULT_PG);
    let generator = synth::Generator::new();
    println!(
        "million: {n} dispatches in batches of {batch}, engines {engines}, {} vocabulary words",
        VOCABULARY
    );
    let mut summaries = Vec::new();
    for engine in engines.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let summary = match engine {
            "sqlite" => run_sqlite(&generator, n, batch)?,
            "postgres" => run_pg(&generator, n, batch, &pg)?,
            "fts5" => run_fts5(&generator, n, batch)?,
            other => {
                return Err(
                    format!("unknown engine {other:?}: expected sqlite, postgres or fts5").into(),
                );
            }
        };
        summaries.push(summary);
    }
    println!();
    println!("summary ({n} dispatches, batches of {batch})");
    println!(
        "{:<10} {:>12} {:>12} {:>12} {:>10} {:>10} {:>12} {:>10} {:>10}",
        "engine",
        "first 100k/s",
        "last 100k/s",
        "all /s",
        "search p50",
        "search p99",
        "bytes/disp",
        "stories",
        "peak RSS"
    );
    for s in &summaries {
        println!(
            "{:<10} {:>12.0} {:>12.0} {:>12.0} {:>8.2}ms {:>8.2}ms {:>12.0} {:>10} {:>7} MB",
            s.engine,
            s.first_rate,
            s.last_rate,
            s.rate,
            s.search_p50.as_secs_f64() * 1e3,
            s.search_p99.as_secs_f64() * 1e3,
            s.bytes_per_dispatch,
            s.stories,
            s.peak_rss_kb / 1024
        );
    }
    Ok(())
}

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

struct Summary {
    engine: &'static str,
    first_rate: f64,
    last_rate: f64,
    rate: f64,
    search_p50: Duration,
    search_p99: Duration,
    bytes_per_dispatch: f64,
    stories: u64,
    peak_rss_kb: u64,
}

/// A temporary directory for a SQLite file, in `NEWSWIRE_BENCH_DIR` or the system's.
fn bench_dir() -> Result<tempfile::TempDir, BoxError> {
    let base = std::env::var_os("NEWSWIRE_BENCH_DIR").map_or_else(std::env::temp_dir, Into::into);
    Ok(tempfile::Builder::new()
        .prefix("newswire-bench-")
        .tempdir_in(base)?)
}

/// The size of SQLite file `path` and its WAL.
fn file_and_wal_bytes(path: &std::path::Path) -> Result<u64, BoxError> {
    let mut total = std::fs::metadata(path)?.len();
    if let Ok(meta) = std::fs::metadata(path.with_extension("db-wal")) {
        total += meta.len();
    }
    Ok(total)
}

fn run_sqlite(generator: &synth::Generator, n: u64, batch: usize) -> Result<Summary, BoxError> {
    let dir = bench_dir()?;
    let path = dir.path().join("million.db");
    println!("\n== sqlite: {}", path.display());
    let mut store = newswire_store::SqliteStore::open(&path)?;
    let size = |_: &mut dyn Store| file_and_wal_bytes(&path);
    let stories = |_: &mut dyn Store| -> Result<(u64, u64), BoxError> {
        let conn = rusqlite::Connection::open(&path)?;
        Ok(conn.query_row(
            "SELECT count(*), coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM docs
             GROUP BY story_id HAVING count(*) > 1)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?)
    };
    let summary = run(
        "sqlite",
        &mut store,
        generator,
        n,
        batch,
        None,
        &size,
        &stories,
        &|_| Ok(()),
    )?;
    drop(store);
    if std::env::var_os("NEWSWIRE_BENCH_KEEP").is_some() {
        let kept = dir.keep();
        println!("kept {}", kept.display());
    }
    Ok(summary)
}

/// The baseline `fts5`: what indexing the same dispatches' titles and texts for search alone costs in SQLite, the
/// same library and settings as the store's (WAL, `synchronous = NORMAL`, a 64 MiB page cache, checkpoints every
/// 16,384 pages, the search index of migrations 3 and 5), one transaction per batch, and nothing else: no
/// dispatch rows, no history, no stories. A floor under the SQLite engine's cost, as the tokenize-only loop is
/// a ceiling for the feed parser; it reports storing rates the same way, and no searches.
fn run_fts5(generator: &synth::Generator, n: u64, batch: usize) -> Result<Summary, BoxError> {
    let dir = bench_dir()?;
    let path = dir.path().join("fts5.db");
    println!("\n== fts5 (search index only, a floor): {}", path.display());
    let mut conn = rusqlite::Connection::open(&path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    conn.pragma_update(None, "wal_autocheckpoint", 16_384)?;
    conn.execute_batch(
        "CREATE VIRTUAL TABLE search_index USING fts5 (title, body, content = '', contentless_delete = 1,
             tokenize = 'unicode61 remove_diacritics 2');
         INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 8388608);",
    )?;
    println!(
        "{:>9} {:>10} {:>9} {:>9}",
        "stored", "disp/s", "wall s", "cpu s"
    );
    let mut rates = Vec::new();
    let mut total_wall = Duration::ZERO;
    let mut step = Step::start(None);
    let mut next = 0;
    while next < n {
        let end = (next + batch as u64).min(n);
        let texts: Vec<(String, String)> = (next..end)
            .map(|i| {
                let d = generator.dispatch(i).dispatch;
                let text = d.text();
                (d.title, text)
            })
            .collect();
        let cpu = probe::cpu_seconds(None);
        let started = Instant::now();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO search_index (rowid, title, body) VALUES (?1, ?2, ?3)",
            )?;
            for (i, (title, text)) in (next..end).zip(&texts) {
                insert.execute(rusqlite::params![i as i64 + 1, title, text])?;
            }
        }
        tx.commit()?;
        let wall = started.elapsed();
        step.add(wall, probe::cpu_seconds(None) - cpu, None);
        total_wall += wall;
        let before = next;
        next = end;
        if next / STEP != before / STEP || next == n {
            let rate = (next - step.start_at) as f64 / step.wall.as_secs_f64();
            rates.push(rate);
            println!(
                "{:>9} {:>10.0} {:>9.2} {:>9.2}",
                next,
                rate,
                step.wall.as_secs_f64(),
                step.cpu
            );
            step = Step::start(None);
            step.start_at = next;
        }
    }
    drop(conn);
    let bytes = file_and_wal_bytes(&path)?;
    println!(
        "{:.0} dispatches/s overall; size {:.0} bytes per dispatch",
        n as f64 / total_wall.as_secs_f64(),
        bytes as f64 / n as f64
    );
    Ok(Summary {
        engine: "fts5",
        first_rate: rates.first().copied().unwrap_or(0.0),
        last_rate: rates.last().copied().unwrap_or(0.0),
        rate: n as f64 / total_wall.as_secs_f64(),
        search_p50: Duration::ZERO,
        search_p99: Duration::ZERO,
        bytes_per_dispatch: bytes as f64 / n as f64,
        stories: 0,
        peak_rss_kb: probe::status_kb("VmHWM"),
    })
}

fn run_pg(
    generator: &synth::Generator,
    n: u64,
    batch: usize,
    server: &str,
) -> Result<Summary, BoxError> {
    let schema = format!("newswire_bench_{}", std::process::id());
    let app = format!("newswire-bench-{}", std::process::id());
    let mut admin = postgres::Client::connect(server, postgres::NoTls)?;
    admin.batch_execute(&format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
    ))?;
    let separator = if server.contains('?') { '&' } else { '?' };
    let url = format!("{server}{separator}options=-csearch_path%3D{schema}&application_name={app}");
    println!(
        "\n== postgres: schema {schema} on {}",
        newswire_store::redacted(server)
    );
    let result = (|| {
        let mut store = newswire_store::PgStore::open(&url)?;
        let backend: i32 = admin
            .query_one(
                "SELECT pid FROM pg_stat_activity WHERE application_name = $1 LIMIT 1",
                &[&app],
            )?
            .get(0);
        let size = |_: &mut dyn Store| -> Result<u64, BoxError> {
            let mut admin = postgres::Client::connect(server, postgres::NoTls)?;
            let bytes: i64 = admin
                .query_one(
                    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::int8 FROM pg_class c
                     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
                    &[&schema],
                )?
                .get(0);
            Ok(bytes as u64)
        };
        let stories = |_: &mut dyn Store| -> Result<(u64, u64), BoxError> {
            let mut admin = postgres::Client::connect(server, postgres::NoTls)?;
            let row = admin.query_one(
                &format!(
                    "SELECT count(*)::int8, coalesce(sum(n), 0)::int8 FROM (SELECT count(*) AS n
                     FROM {schema}.story_members GROUP BY story_id HAVING count(*) > 1) AS s"
                ),
                &[],
            )?;
            Ok((row.get::<_, i64>(0) as u64, row.get::<_, i64>(1) as u64))
        };
        let analyze = |_: &mut dyn Store| -> Result<(), BoxError> {
            let mut admin = postgres::Client::connect(server, postgres::NoTls)?;
            let started = Instant::now();
            admin.batch_execute(&format!("SET search_path TO {schema}; ANALYZE"))?;
            println!("ANALYZE: {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        };
        run(
            "postgres",
            &mut store,
            generator,
            n,
            batch,
            Some(backend),
            &size,
            &stories,
            &analyze,
        )
    })();
    if std::env::var_os("NEWSWIRE_BENCH_KEEP").is_some() {
        println!("kept schema {schema}");
    } else {
        admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))?;
    }
    result
}

type Probe<'a, T> = &'a dyn Fn(&mut dyn Store) -> Result<T, BoxError>;

#[allow(clippy::too_many_arguments)]
fn run(
    engine: &'static str,
    store: &mut dyn Store,
    generator: &synth::Generator,
    n: u64,
    batch: usize,
    backend: Option<i32>,
    size: Probe<'_, u64>,
    stories: Probe<'_, (u64, u64)>,
    before_search: Probe<'_, ()>,
) -> Result<Summary, BoxError> {
    println!(
        "{:>9} {:>10} {:>9} {:>9} {:>10} {:>8} {:>8} {:>9} {:>9}",
        "stored", "disp/s", "wall s", "cpu s", "server s", "new", "unchngd", "RSS MB", "gen s"
    );
    let mut rates = Vec::new();
    let mut total_wall = Duration::ZERO;
    let mut step = Step::start(backend);
    let mut gen_time = Duration::ZERO;
    let mut counts: HashMap<&str, u64> = HashMap::new();
    let mut republished: Vec<(String, String)> = Vec::new();
    let mut next = 0;
    while next < n {
        let end = (next + batch as u64).min(n);
        let started = Instant::now();
        let dispatches: Vec<synth::Generated> =
            (next..end).map(|i| generator.dispatch(i)).collect();
        gen_time += started.elapsed();
        for d in &dispatches {
            if let Some(original) = &d.republishes {
                republished.push((d.dispatch.id.clone(), original.clone()));
            }
        }
        let plain: Vec<Dispatch> = dispatches.into_iter().map(|d| d.dispatch).collect();
        let cpu = probe::cpu_seconds(None);
        let server_cpu = backend.map(|pid| probe::cpu_seconds(Some(pid)));
        let started = Instant::now();
        let outcomes = store.upsert_many(&plain)?;
        let wall = started.elapsed();
        step.add(
            wall,
            probe::cpu_seconds(None) - cpu,
            backend
                .zip(server_cpu)
                .map(|(pid, before)| probe::cpu_seconds(Some(pid)) - before),
        );
        total_wall += wall;
        for outcome in outcomes {
            let key = match outcome {
                Outcome::New => "new",
                Outcome::Unchanged => "unchanged",
                Outcome::Updated { .. } => "updated",
                Outcome::KeptBetter => "kept",
                Outcome::Stale => "stale",
                _ => "other",
            };
            *counts.entry(key).or_default() += 1;
            step.count(key);
        }
        let before = next;
        next = end;
        if next / STEP != before / STEP || next == n {
            let stored = next - step.start_at;
            let rate = stored as f64 / step.wall.as_secs_f64();
            rates.push(rate);
            println!(
                "{:>9} {:>10.0} {:>9.2} {:>9.2} {:>10} {:>8} {:>8} {:>9} {:>9.1}",
                next,
                rate,
                step.wall.as_secs_f64(),
                step.cpu,
                step.server.map_or("-".into(), |s| format!("{s:.2}")),
                step.new,
                step.unchanged,
                probe::status_kb("VmRSS") / 1024,
                gen_time.as_secs_f64()
            );
            step = Step::start(backend);
            step.start_at = next;
        }
    }
    println!(
        "outcomes: {counts:?}; {:.0} dispatches/s overall ({:.1} s in upsert_many)",
        n as f64 / total_wall.as_secs_f64(),
        total_wall.as_secs_f64()
    );
    before_search(store)?;
    let (p50, p99) = searches(store, generator)?;
    let bytes = size(store)?;
    println!(
        "size: {:.1} MB, {:.0} bytes per dispatch",
        bytes as f64 / 1e6,
        bytes as f64 / n as f64
    );
    let (n_stories, n_members) = stories(store)?;
    let mut joined = 0;
    for (copy, original) in &republished {
        let story = |id: &str| store.get(id).map(|d| d.and_then(|d| d.story));
        if story(copy)? == story(original)? {
            joined += 1;
        }
    }
    let others = n_members.saturating_sub(n_stories + joined);
    println!(
        "stories: {n_stories} of several dispatches ({n_members} dispatches); {joined} of {} republications \
         joined their original's story; about {others} other dispatches joined a story",
        republished.len()
    );
    let peak = probe::status_kb("VmHWM");
    println!("peak RSS (VmHWM): {} MB", peak / 1024);
    Ok(Summary {
        engine,
        first_rate: rates.first().copied().unwrap_or(0.0),
        last_rate: rates.last().copied().unwrap_or(0.0),
        rate: n as f64 / total_wall.as_secs_f64(),
        search_p50: p50,
        search_p99: p99,
        bytes_per_dispatch: bytes as f64 / n as f64,
        stories: n_stories,
        peak_rss_kb: peak,
    })
}

/// The figures of one step of [`STEP`] dispatches.
struct Step {
    start_at: u64,
    wall: Duration,
    cpu: f64,
    server: Option<f64>,
    new: u64,
    unchanged: u64,
}

impl Step {
    fn start(backend: Option<i32>) -> Step {
        Step {
            start_at: 0,
            wall: Duration::ZERO,
            cpu: 0.0,
            server: backend.map(|_| 0.0),
            new: 0,
            unchanged: 0,
        }
    }

    fn add(&mut self, wall: Duration, cpu: f64, server: Option<f64>) {
        self.wall += wall;
        self.cpu += cpu;
        if let (Some(total), Some(s)) = (&mut self.server, server) {
            *total += s;
        }
    }

    fn count(&mut self, key: &str) {
        match key {
            "new" => self.new += 1,
            "unchanged" => self.unchanged += 1,
            _ => {}
        }
    }
}

/// Runs the searches; prints latencies per kind; returns the overall median and 99th percentile.
fn searches(
    store: &mut dyn Store,
    generator: &synth::Generator,
) -> Result<(Duration, Duration), BoxError> {
    let latest = generator.latest();
    let kinds: Vec<(&str, Vec<SearchQuery>)> = vec![
        (
            "rare word",
            (0..40)
                .map(|i| SearchQuery::new(generator.word_at(20_000 + i * 997)))
                .collect(),
        ),
        (
            "middling word",
            (0..40)
                .map(|i| SearchQuery::new(generator.word_at(500 + i * 101)))
                .collect(),
        ),
        (
            "common word",
            (0..40)
                .map(|i| SearchQuery::new(generator.word_at(i)))
                .collect(),
        ),
        (
            "two words",
            (0..40)
                .map(|i| {
                    SearchQuery::new(format!(
                        "{} {}",
                        generator.word_at(i % 20),
                        generator.word_at(1_000 + i * 53)
                    ))
                })
                .collect(),
        ),
        (
            "word + filter",
            (0..40)
                .map(|i| {
                    let mut q = SearchQuery::new(generator.word_at(i * 37 % 3_000));
                    if i % 2 == 0 {
                        q.since = Some(latest - chrono::Duration::days(30));
                    } else {
                        q.source = Some(synth::host(i * 7 % SOURCES));
                    }
                    q
                })
                .collect(),
        ),
    ];
    let mut all = Vec::new();
    println!(
        "{:<14} {:>10} {:>10} {:>10} {:>9}",
        "search", "p50 ms", "p99 ms", "max ms", "hits avg"
    );
    for (kind, queries) in kinds {
        let mut times = Vec::new();
        let mut hits = 0;
        for query in &queries {
            let started = Instant::now();
            hits += store.search(query)?.len();
            times.push(started.elapsed());
        }
        all.extend(times.iter().copied());
        let (p50, p99) = percentiles(&mut times);
        println!(
            "{:<14} {:>10.2} {:>10.2} {:>10.2} {:>9.1}",
            kind,
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            times.last().unwrap().as_secs_f64() * 1e3,
            hits as f64 / queries.len() as f64
        );
    }
    let (p50, p99) = percentiles(&mut all);
    println!(
        "{:<14} {:>10.2} {:>10.2} {:>10.2}",
        "all",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        all.last().unwrap().as_secs_f64() * 1e3
    );
    Ok((p50, p99))
}

/// The median and 99th percentile (nearest rank) of `times`, which it sorts.
fn percentiles(times: &mut [Duration]) -> (Duration, Duration) {
    times.sort_unstable();
    let at = |q: f64| times[((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    (at(0.5), at(0.99))
}

/// Process figures from `/proc` (Linux).
mod probe {
    /// Clock ticks per second in `/proc/<pid>/stat`: `USER_HZ`, 100 on every Linux ABI.
    const USER_HZ: f64 = 100.0;

    /// User + system CPU seconds of this process, or of process `pid`.
    pub fn cpu_seconds(pid: Option<i32>) -> f64 {
        let path = pid.map_or("/proc/self/stat".to_owned(), |pid| {
            format!("/proc/{pid}/stat")
        });
        let Ok(stat) = std::fs::read_to_string(path) else {
            return 0.0;
        };
        // The command name may hold spaces; the fields after it are space-separated.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ticks = |idx: usize| {
            fields
                .get(idx)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
        (ticks(11) + ticks(12)) / USER_HZ
    }

    /// A `kB` figure of `/proc/self/status` (`VmRSS`, `VmHWM`).
    pub fn status_kb(name: &str) -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                status.lines().find_map(|line| {
                    let rest = line.strip_prefix(name)?.strip_prefix(':')?;
                    rest.trim().trim_end_matches("kB").trim().parse().ok()
                })
            })
            .unwrap_or(0)
    }
}

/// The synthetic dispatches.
mod synth {
    use super::*;

    /// SplitMix64: a small, fast, seedable generator.
    pub struct Rng(u64);

    impl Rng {
        pub fn new(seed: u64) -> Rng {
            Rng(seed ^ 0x6e65_7773_7769_7265)
        }

        pub fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        /// A number in `lo..=hi`.
        pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
            lo + self.next() % (hi - lo + 1)
        }

        /// True with probability `p`.
        pub fn chance(&mut self, p: f64) -> bool {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
        }
    }

    /// The host of source `source`.
    pub fn host(source: u64) -> String {
        format!("s{source:03}.news.example")
    }

    /// A dispatch, and the id of the one it republishes, if it is a republication.
    pub struct Generated {
        pub dispatch: Dispatch,
        pub republishes: Option<String>,
    }

    /// Bits of the Zipf table index.
    const TABLE_BITS: u32 = 20;

    pub struct Generator {
        words: Vec<String>,
        /// Word rank by the top [`TABLE_BITS`] bits of a random number: the inverse CDF of Zipf(1).
        zipf: Vec<u32>,
        names: Vec<String>,
        categories: Vec<String>,
        start: DateTime<Utc>,
    }

    const ONSETS: &[&str] = &[
        "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
        "br", "ch", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr",
    ];
    const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"];
    const CODAS: &[&str] = &["", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck"];

    impl Generator {
        pub fn new() -> Generator {
            let mut rng = Rng::new(1);
            let mut seen = std::collections::HashSet::new();
            let mut words = Vec::with_capacity(VOCABULARY);
            while words.len() < VOCABULARY {
                // Frequent words are short: the syllable count grows with the rank.
                let rank = words.len();
                let syllables = 1
                    + (rank > 60) as u64
                    + (rank > 2_000) as u64
                    + rng.range(0, 1 + (rank > 20_000) as u64);
                let mut word = String::new();
                for _ in 0..syllables {
                    word.push_str(ONSETS[rng.range(0, ONSETS.len() as u64 - 1) as usize]);
                    word.push_str(VOWELS[rng.range(0, VOWELS.len() as u64 - 1) as usize]);
                    word.push_str(CODAS[rng.range(0, CODAS.len() as u64 - 1) as usize]);
                }
                if seen.insert(word.clone()) {
                    words.push(word);
                }
            }
            let harmonic: f64 = (1..=VOCABULARY).map(|r| 1.0 / r as f64).sum();
            let size = 1usize << TABLE_BITS;
            let mut zipf = Vec::with_capacity(size);
            let mut cumulative = 0.0;
            let mut rank = 0;
            for slot in 0..size {
                let target = (slot as f64 + 0.5) / size as f64;
                while rank + 1 < VOCABULARY
                    && cumulative + 1.0 / ((rank + 1) as f64 * harmonic) < target
                {
                    cumulative += 1.0 / ((rank + 1) as f64 * harmonic);
                    rank += 1;
                }
                zipf.push(rank as u32);
            }
            let capital = |w: &str| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            };
            let names = (0..400).map(|i| capital(&words[3_000 + i * 7])).collect();
            let categories = (0..40).map(|i| capital(&words[200 + i * 3])).collect();
            Generator {
                words,
                zipf,
                names,
                categories,
                start: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
            }
        }

        /// The word of rank `rank` (0 is the most common).
        pub fn word_at(&self, rank: u64) -> &str {
            &self.words[rank as usize % VOCABULARY]
        }

        /// About when the last dispatch was published.
        pub fn latest(&self) -> DateTime<Utc> {
            self.start + chrono::Duration::days(365)
        }

        fn word(&self, rng: &mut Rng) -> &str {
            &self.words[self.zipf[(rng.next() >> (64 - TABLE_BITS)) as usize] as usize]
        }

        fn sentence(&self, rng: &mut Rng, out: &mut String) {
            let n = rng.range(8, 24);
            for idx in 0..n {
                let word = self.word(rng);
                if idx == 0 {
                    let mut chars = word.chars();
                    if let Some(first) = chars.next() {
                        out.extend(first.to_uppercase());
                        out.push_str(chars.as_str());
                    }
                } else {
                    out.push(' ');
                    out.push_str(word);
                }
                if idx + 1 < n && rng.chance(0.06) {
                    out.push(',');
                }
            }
            out.push('.');
        }

        fn paragraph(&self, rng: &mut Rng) -> String {
            let mut out = String::new();
            let sentences = rng.range(2, 4);
            for idx in 0..sentences {
                if idx > 0 {
                    out.push(' ');
                }
                self.sentence(rng, &mut out);
            }
            out
        }

        fn title(&self, rng: &mut Rng) -> String {
            let target = rng.range(60, 90) as usize;
            let mut out = String::new();
            while out.len() < target {
                let word = self.word(rng);
                if !out.is_empty() {
                    out.push(' ');
                }
                if out.is_empty() || rng.chance(0.3) {
                    let mut chars = word.chars();
                    if let Some(first) = chars.next() {
                        out.extend(first.to_uppercase());
                        out.push_str(chars.as_str());
                    }
                } else {
                    out.push_str(word);
                }
            }
            out
        }

        /// The original content of dispatch `i`: source, title, paragraphs, publication time.
        fn original(&self, i: u64) -> (u64, String, Vec<String>, DateTime<Utc>, Rng) {
            let mut rng = Rng::new(i.wrapping_mul(0x2545_f491_4f6c_dd1d));
            let source = rng.range(0, SOURCES - 1);
            let title = self.title(&mut rng);
            let target = rng.range(2_000, 5_000) as usize;
            let n_paragraphs = rng.range(6, 15) as usize;
            let mut paragraphs = Vec::with_capacity(n_paragraphs);
            let mut len = 0;
            while paragraphs.len() < n_paragraphs || (len < target && paragraphs.len() < 15) {
                let p = self.paragraph(&mut rng);
                len += p.len();
                paragraphs.push(p);
                if len > target + 400 && paragraphs.len() >= 6 {
                    break;
                }
            }
            // Published in order over the year, give or take an hour.
            let seconds = 365 * 86_400 * i / super::total().max(1);
            let jitter = rng.range(0, 3_600) as i64;
            let published = self.start + chrono::Duration::seconds(seconds as i64 + jitter);
            (source, title, paragraphs, published, rng)
        }

        /// Dispatch number `i`.
        pub fn dispatch(&self, i: u64) -> Generated {
            let mut pick = Rng::new(i ^ 0x5eed);
            let roll = pick.next() % 1000;
            // 1%: an exact repeat of an earlier dispatch; 3%: a republication of one, on another source.
            if i > 1_000 && roll < 10 {
                let earlier = i - pick.range(1, i.min(50_000));
                let again = self.dispatch(earlier);
                return Generated {
                    dispatch: again.dispatch,
                    republishes: None,
                };
            }
            if i > 1_000 && roll < 40 {
                let earlier = i - pick.range(1, i.min(5_000));
                let original = self.dispatch(earlier).dispatch;
                let mut rng = Rng::new(i.wrapping_mul(0x9e37_79b9));
                let mut title = original.title.clone();
                if rng.chance(0.5) {
                    title = self.title(&mut rng);
                }
                let mut paragraphs: Vec<String> =
                    original.body.iter().map(|b| b.text.clone()).collect();
                // A few words changed in a few paragraphs.
                for _ in 0..rng.range(1, 4) {
                    let idx = rng.range(0, paragraphs.len() as u64 - 1) as usize;
                    let mut words: Vec<String> =
                        paragraphs[idx].split(' ').map(str::to_owned).collect();
                    let w = rng.range(0, words.len() as u64 - 1) as usize;
                    words[w] = self.word(&mut rng).to_owned();
                    paragraphs[idx] = words.join(" ");
                }
                if rng.chance(0.5) {
                    let at = rng.range(0, paragraphs.len() as u64) as usize;
                    paragraphs.insert(at, self.paragraph(&mut rng));
                } else if paragraphs.len() > 6 {
                    paragraphs.pop();
                }
                let source = rng.range(0, SOURCES - 1);
                let published = original
                    .published_at
                    .and_then(|t| t.instant())
                    .unwrap_or(self.start)
                    + chrono::Duration::minutes(rng.range(5, 600) as i64);
                let d = self.build(i, source, title, paragraphs, published, &mut rng);
                return Generated {
                    dispatch: d,
                    republishes: Some(original.id),
                };
            }
            self.fresh(i)
        }

        /// Dispatch `i` as first published.
        fn fresh(&self, i: u64) -> Generated {
            let (source, title, paragraphs, published, mut rng) = self.original(i);
            Generated {
                dispatch: self.build(i, source, title, paragraphs, published, &mut rng),
                republishes: None,
            }
        }

        fn build(
            &self,
            i: u64,
            source: u64,
            title: String,
            paragraphs: Vec<String>,
            published: DateTime<Utc>,
            rng: &mut Rng,
        ) -> Dispatch {
            let host = host(source);
            let slug: Vec<&str> = title.split(' ').take(6).collect();
            let url = format!(
                "https://{host}/{}/{}",
                published.format("%Y/%m/%d"),
                format!("{}-{i}", slug.join("-")).to_lowercase()
            );
            let offset = [-5, -4, 0, 1, 2, 9][(i % 6) as usize];
            let zone = FixedOffset::east_opt(offset * 3600).unwrap();
            let authors = (0..rng.range(1, 2))
                .map(|_| {
                    let first = &self.names[rng.range(0, 399) as usize];
                    let last = &self.names[rng.range(0, 399) as usize];
                    format!("{first} {last}")
                })
                .collect();
            let categories = (0..rng.range(0, 5))
                .map(|_| self.categories[rng.range(0, 39) as usize].clone())
                .collect();
            let body: Vec<Block> = paragraphs.into_iter().map(Block::paragraph).collect();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            std::hash::Hash::hash(&title, &mut hasher);
            for block in &body {
                std::hash::Hash::hash(&block.text, &mut hasher);
            }
            let content_hash = format!("{:016x}", std::hash::Hasher::finish(&hasher));
            let id = format!("{:016x}", Rng::new(i ^ 0x1d).next());
            Dispatch {
                id,
                url: url.clone(),
                title,
                published_at: Some(StatedTime::Zoned(published.with_timezone(&zone))),
                updated_at: None,
                fetched_at: published + chrono::Duration::minutes(rng.range(1, 30) as i64),
                authors,
                summary: None,
                body,
                language: Some("en".into()),
                categories,
                image: None,
                source: SourceRef {
                    feed_url: Some(format!("https://{host}/feed.xml")),
                    site: Some(format!("https://{host}")),
                    ..SourceRef::default()
                },
                guid: Some(url),
                content_hash,
                provenance: Provenance {
                    body: BodyOrigin::Page,
                    ..Provenance::default()
                },
                warnings: vec![],
                story: None,
            }
        }
    }
}

/// How many dispatches the run stores (dates are spread over the year accordingly).
fn total() -> u64 {
    env("NEWSWIRE_BENCH_DISPATCHES", "1000000")
        .replace('_', "")
        .parse()
        .unwrap_or(1_000_000)
}
