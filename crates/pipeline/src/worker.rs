//! Scheduled ingest of the sources registered in the store: lease the due ones, check each with a conditional
//! request, store what it yields, and write back when it is next due.
//!
//! A [`Worker`] is what `cargo xtask ingest --due` and `cargo xtask watch` run. Several workers (threads,
//! processes, machines) can share one database: sources are leased in short transactions, a lease expires so
//! that a worker that dies loses its sources to another, and a worker writes a source's result only while it
//! still holds the lease. A stop request (Ctrl-C, SIGTERM) stops leasing at once; sources in flight get a
//! grace period to finish, after which they are abandoned and their leases released. Nothing is half-written
//! either way: a source's dispatches are stored in one transaction, and its check is recorded only after
//! its dispatches, so an abandoned source is simply due again and re-checking it is idempotent.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use futures_util::StreamExt;
use newswire_ingest::fetch::{FetchOutcome, Validators};
use newswire_store::{CheckRecord, CheckStatus, Source, Store, StoreError};
use tokio::sync::watch;
use url::Url;

use crate::parse::Parsed;
use crate::report::{RunReport, SourceReport};
use crate::run::{Pipeline, Progress, SharedStore, error_chain, moved, moved_or_stated};
use crate::schedule::{self, Bounds};

/// How a [`Worker`] leases and schedules.
#[derive(Clone, Debug)]
pub struct WorkerOptions {
    /// This worker's name in leases; unique among the workers sharing a database (host name and process id).
    pub owner: String,
    /// How long a lease lasts; a worker that dies loses its sources to another after this.
    pub lease_for: Duration,
    /// Most sources leased per transaction (never more than the room left among the sources waiting for a
    /// slot, of which a worker holds at most as many as the pipeline's source concurrency).
    pub batch: usize,
    /// Interval bounds and backoff ceiling.
    pub bounds: Bounds,
    /// How long sources in flight may take to finish after a stop request.
    pub grace: Duration,
    /// How long `watch` sleeps at most between two looks at the schedule.
    pub poll: Duration,
}

impl Default for WorkerOptions {
    /// A name from the host and process id, 10-minute leases, batches of 16, default bounds, 20 s grace,
    /// 60 s poll.
    fn default() -> WorkerOptions {
        let host = std::env::var("HOSTNAME")
            .ok()
            .or_else(|| {
                std::fs::read_to_string("/etc/hostname")
                    .ok()
                    .map(|h| h.trim().to_owned())
            })
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "localhost".to_owned());
        WorkerOptions {
            owner: format!("{host}:{}", std::process::id()),
            lease_for: Duration::from_secs(600),
            batch: 16,
            bounds: Bounds::default(),
            grace: Duration::from_secs(20),
            poll: Duration::from_secs(60),
        }
    }
}

/// Runs due sources through a [`Pipeline`] into a store.
#[derive(Clone)]
pub struct Worker {
    pipeline: Pipeline,
    store: SharedStore,
    options: WorkerOptions,
}

/// Runs `f` on the store on a blocking thread.
async fn with_store<T: Send + 'static>(
    store: &SharedStore,
    f: impl FnOnce(&mut dyn Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || {
        let mut guard = store.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut **guard)
    })
    .await
    .unwrap_or_else(|join| {
        Err(StoreError::Query {
            action: "running a store task".into(),
            source: join.to_string().into(),
        })
    })
}

impl Worker {
    /// A worker over `pipeline` and `store`.
    pub fn new(pipeline: Pipeline, store: SharedStore, options: WorkerOptions) -> Worker {
        Worker {
            pipeline,
            store,
            options,
        }
    }

    /// The options in force.
    pub fn options(&self) -> &WorkerOptions {
        &self.options
    }

    /// Checks every source that is due now (and those that fall due while it runs), until none is left or
    /// `stop` turns true. Store failures while leasing end the run with an error, once the sources in flight
    /// are done.
    ///
    /// Sources are checked as a continuous stream, up to the pipeline's source concurrency fetched at once:
    /// whenever a source is fetched (its document, and a feed's article pages), its slot goes to the next
    /// source at once, of the host with the fewest sources being fetched, so a slow source never holds up the
    /// others and a host is not left idle while the store is busy (a run is bound by the hosts' politeness
    /// limits, not by the slowest source of a batch nor by storing). What a fetched source yielded is then
    /// stored and its check recorded outside the slots; at most as many sources wait for that as are fetched
    /// at once, so a store that cannot keep up slows fetching down instead of filling memory.
    ///
    /// Sources are leased a few at a time, ahead of the slots: a worker holds at most as many sources waiting
    /// for a slot as it has slots, so that a free slot never waits for the store. The leases of all the
    /// sources it holds (waiting, fetched or being stored) are renewed every third of the lease term, so no
    /// lease runs out while its source waits, and the sources still waiting when the run stops are released.
    /// Leasing, renewing and recording go through the pipeline's writer thread ahead of the batches waiting
    /// to be written, and the checks in flight go on while they wait.
    pub async fn run_due(
        &self,
        progress: &dyn Progress,
        stop: &watch::Receiver<bool>,
    ) -> Result<RunReport, StoreError> {
        let mut report = RunReport::default();
        let slots = self.pipeline.source_concurrency().max(1);
        let held = Held::default();
        // Sources leased and waiting for a slot, and how many sources of each host are being fetched.
        let mut waiting: VecDeque<Source> = VecDeque::new();
        let mut fetching: HashMap<String, usize> = HashMap::new();
        // Sources being fetched (a slot each), and sources whose dispatches are being stored and whose check
        // is being recorded. A slot is free again once its source is fetched, so that its host gets its next
        // source while the store is busy; at most as many sources wait for the store as are fetched at once.
        let mut in_flight = futures_util::stream::FuturesUnordered::new();
        let mut storing = futures_util::stream::FuturesUnordered::new();
        // The lease being taken, with the number of sources asked for.
        let mut leasing: Option<(usize, StoreFuture<'_, Vec<Source>>)> = None;
        let mut renewing: Option<Pin<Box<dyn Future<Output = ()> + Send + '_>>> = None;
        // Whether the last lease found fewer sources than it asked for; cleared when a check ends, since
        // more may have fallen due meanwhile.
        let mut drained = false;
        let mut failure = None;
        let mut stop_seen = stop.clone();
        // Whether a stop can still be requested (a dropped sender never will).
        let mut stop_open = true;
        let mut give_up_at: Option<tokio::time::Instant> = None;
        // Leases of sources in flight are renewed every third of their term, so that a check that takes long
        // (its host is busy with other sources, its server is slow) keeps its source.
        let renew_every = (self.options.lease_for / 3).max(Duration::from_millis(100));
        let mut renewals =
            tokio::time::interval_at(tokio::time::Instant::now() + renew_every, renew_every);
        renewals.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let (held, progress) = (&held, progress);
        loop {
            let stopping = *stop.borrow();
            if stopping && give_up_at.is_none() {
                give_up_at = Some(tokio::time::Instant::now() + self.options.grace);
            }
            // Free slots take the waiting sources of the hosts with the fewest sources being fetched.
            while !stopping
                && in_flight.len() < slots
                && storing.len() < slots
                && let Some(source) = take_next(&mut waiting, &fetching)
            {
                let host = host_of(&source.url);
                *fetching.entry(host.clone()).or_default() += 1;
                in_flight
                    .push(async move { (host, self.fetch_leased(source, held, progress).await) });
            }
            // Sources are leased ahead, up to as many as there are slots, so that a slot that frees up never
            // waits for the store, and a few at a time (an eighth of the slots, at least one), so that a lease,
            // which looks at every source, is not made for each check that ends.
            let room = slots - waiting.len().min(slots);
            if leasing.is_none()
                && !stopping
                && !drained
                && failure.is_none()
                && (room >= (slots / 8).max(1) || (room > 0 && in_flight.is_empty()))
            {
                let want = room.min(self.options.batch.max(1));
                let (owner, lease_for, now) = (
                    self.options.owner.clone(),
                    self.options.lease_for,
                    self.pipeline.now(),
                );
                leasing = Some((
                    want,
                    Box::pin(self.pipeline.with_store(&self.store, move |s| {
                        s.lease_due(&owner, now, lease_for, want)
                    })),
                ));
            }
            if in_flight.is_empty()
                && storing.is_empty()
                && leasing.is_none()
                && (waiting.is_empty() || stopping)
            {
                break;
            }
            tokio::select! {
                leased = async {
                    match leasing.as_mut() {
                        Some((_, lease)) => lease.await,
                        None => std::future::pending().await,
                    }
                }, if leasing.is_some() => {
                    let want = leasing.take().map_or(0, |(want, _)| want);
                    match leased {
                        Ok(leased) => {
                            drained = leased.len() < want;
                            for source in leased {
                                held.insert(&source, self.options.lease_for, self.pipeline.now());
                                waiting.push_back(source);
                            }
                        }
                        Err(err) => failure = Some(err),
                    }
                }
                fetched = in_flight.next(), if !in_flight.is_empty() => {
                    if let Some((host, checked)) = fetched {
                        if let Some(count) = fetching.get_mut(&host) {
                            *count = count.saturating_sub(1);
                        }
                        if let Some(checked) = checked {
                            storing.push(self.record_checked(checked, held, progress));
                        }
                    }
                    drained = false;
                }
                done = storing.next(), if !storing.is_empty() => {
                    if let Some(done) = done {
                        report.sources.push(done);
                    }
                }
                _ = renewals.tick(), if renewing.is_none() => {
                    renewing = Some(Box::pin(self.renew_leases(held)));
                }
                () = async {
                    match renewing.as_mut() {
                        Some(renewal) => renewal.await,
                        None => std::future::pending().await,
                    }
                }, if renewing.is_some() => renewing = None,
                open = async { stop_seen.wait_for(|stopped| *stopped).await.is_ok() },
                    if give_up_at.is_none() && stop_open => {
                    stop_open = open;
                }
                _ = async {
                    match give_up_at {
                        Some(at) => tokio::time::sleep_until(at).await,
                        None => std::future::pending().await,
                    }
                } => break,
            }
        }
        drop(in_flight);
        drop(storing);
        // A lease still being taken is seen through, so that what it leased is released below.
        if let Some((_, lease)) = leasing.take()
            && let Ok(leased) = lease.await
        {
            for source in leased {
                held.insert(&source, self.options.lease_for, self.pipeline.now());
            }
        }
        drop(renewing);
        // Whatever was leased and not finished (abandoned after the grace period) is released, so it is due
        // again at once for this or another worker.
        let unfinished = held.drain();
        if !unfinished.is_empty() {
            let owner = self.options.owner.clone();
            let released = self
                .pipeline
                .with_store(&self.store, move |s| {
                    for id in unfinished {
                        s.release_lease(id, &owner)?;
                    }
                    Ok(())
                })
                .await;
            if let Err(err) = released {
                tracing::warn!(error = %error_chain(&err), "could not release leases; they expire on their own");
            }
        }
        match failure {
            Some(err) => Err(err),
            None => Ok(report),
        }
    }

    /// Runs [`Worker::run_due`] again and again, sleeping until the next source falls due, until `stop` turns
    /// true. Returns every source check made.
    pub async fn watch(
        &self,
        progress: &dyn Progress,
        mut stop: watch::Receiver<bool>,
    ) -> Result<RunReport, StoreError> {
        let mut report = RunReport::default();
        loop {
            let round = self.run_due(progress, &stop).await?;
            report.sources.extend(round.sources);
            if *stop.borrow() {
                return Ok(report);
            }
            let next = self
                .pipeline
                .with_store(&self.store, |s| s.next_due())
                .await?;
            let now = self.pipeline.now();
            let wait = next
                .map(|at| (at - now).to_std().unwrap_or_default())
                .unwrap_or(self.options.poll)
                .min(self.options.poll)
                .max(Duration::from_millis(200));
            tracing::debug!(?wait, "waiting for the next due source");
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => {}
            }
        }
    }

    /// Extends the leases of the sources in `held`. One that cannot be renewed has run out: its check goes on,
    /// and finds before storing that the source is no longer its own.
    async fn renew_leases(&self, held: &Held) {
        let ids = held.ids();
        if ids.is_empty() {
            return;
        }
        let (owner, lease_for, now) = (
            self.options.owner.clone(),
            self.options.lease_for,
            self.pipeline.now(),
        );
        let renewed = self
            .pipeline
            .with_store(&self.store, move |s| {
                let mut outcomes = Vec::with_capacity(ids.len());
                for id in ids {
                    outcomes.push((id, s.renew_lease(id, &owner, now, lease_for)?));
                }
                Ok(outcomes)
            })
            .await;
        match renewed {
            Ok(outcomes) => {
                let lost = held.renewed(&outcomes, now, lease_for);
                if !lost.is_empty() {
                    tracing::warn!(?lost, "leases ran out before they could be renewed");
                }
            }
            Err(err) => {
                tracing::warn!(error = %error_chain(&err), "could not renew leases; retrying later");
            }
        }
    }

    /// Fetches one leased source (its document, and a feed's article pages), unless its lease ran out
    /// before the check began; `held` loses a source skipped so.
    async fn fetch_leased(
        &self,
        source: Source,
        held: &Held,
        progress: &dyn Progress,
    ) -> Option<Checked> {
        if !held.holds(source.id, self.pipeline.now()) {
            tracing::info!(source = %source.url, "lease expired before the check began; skipped");
            held.remove(source.id);
            return None;
        }
        if let Ok(url) = Url::parse(&source.url) {
            progress.source_started(&url);
        }
        Some(self.fetch(source).await)
    }

    /// Stores what a fetched source yielded and records the check; `held` loses the source then.
    async fn record_checked(
        &self,
        checked: Checked,
        held: &Held,
        progress: &dyn Progress,
    ) -> SourceReport {
        let id = checked.source.id;
        let report = self.store_and_record(checked, held).await;
        progress.source_finished(&report);
        held.remove(id);
        report
    }

    /// The network side of a check: fetches the source with a conditional request and, when it changed,
    /// parses it (fetching a feed's article pages). Nothing is written yet.
    async fn fetch(&self, source: Source) -> Checked {
        let report = SourceReport {
            source: source.url.clone(),
            ..SourceReport::default()
        };
        let record = CheckRecord {
            checked_at: self.pipeline.now(),
            status: CheckStatus::Ok,
            error: None,
            moved_to: None,
            etag: source.etag.clone(),
            last_modified: source.last_modified.clone(),
            title: None,
            next_check_at: self.pipeline.now(),
            interval_secs: source.interval_secs,
            error_count: 0,
            new_items: 0,
        };
        let mut checked = Checked {
            source,
            record,
            report,
            yielded: None,
        };
        let (source, record, report) = (&checked.source, &mut checked.record, &mut checked.report);
        let bounds = &self.options.bounds;
        let previous = Duration::from_secs(u64::from(source.interval_secs.max(1)));
        let url = match Url::parse(&source.url) {
            Ok(url) => url,
            Err(err) => {
                let message = format!("{} is not a valid URL: {err}", source.url);
                self.failed(source, record, report, message, None);
                return checked;
            }
        };
        let scope = Url::parse(&source.original_url).unwrap_or_else(|_| url.clone());
        let validators = Validators {
            etag: source.etag.clone(),
            last_modified: source.last_modified.clone(),
        };
        let fetcher = self.pipeline.fetcher_for_source(&url);
        let outcome = fetcher.fetch_conditional(&url, &validators).await;
        record.checked_at = self.pipeline.now();
        match outcome {
            Ok(FetchOutcome::NotModified(not_modified)) => {
                report.kind = Some("feed");
                report.not_modified = true;
                record.status = CheckStatus::NotModified;
                record.moved_to = moved(&url, not_modified.moved_to.as_ref());
                record.etag = not_modified.validators.etag;
                record.last_modified = not_modified.validators.last_modified;
                let interval = schedule::after_not_modified(previous, not_modified.max_age, bounds);
                schedule_next(record, interval);
            }
            Ok(FetchOutcome::Fetched(fetched)) => {
                let redirected = moved(&url, fetched.moved_to.as_ref());
                let (etag, last_modified, max_age) = (
                    fetched.etag.clone(),
                    fetched.last_modified.clone(),
                    fetched.max_age,
                );
                let parsed = self
                    .pipeline
                    .parse_fetched(fetched, record.checked_at, Some(&scope))
                    .await;
                record.moved_to = moved_or_stated(redirected, &url, &parsed);
                match parsed {
                    Err(err) => {
                        self.failed(source, record, report, error_chain(&err), None);
                    }
                    Ok(parsed) => {
                        checked.yielded = Some(Yielded {
                            parsed,
                            etag,
                            last_modified,
                            max_age,
                        });
                    }
                }
            }
            Err(err) => {
                let retry_after = err.retry_after();
                self.failed(source, record, report, error_chain(&err), retry_after);
            }
        }
        checked
    }

    /// The store side of a check: stores what the source yielded (while its lease is still held) and
    /// records the result and the next check.
    async fn store_and_record(&self, checked: Checked, held: &Held) -> SourceReport {
        let Checked {
            source,
            mut record,
            mut report,
            yielded,
        } = checked;
        if let Some(yielded) = yielded {
            if !held.holds(source.id, self.pipeline.now()) {
                report.error =
                    Some("lease lost before storing; another worker has this source".into());
                return report;
            }
            let previous = Duration::from_secs(u64::from(source.interval_secs.max(1)));
            let stored = self
                .pipeline
                .store_parsed(yielded.parsed, &mut report, Arc::clone(&self.store))
                .await;
            record.etag = yielded.etag;
            record.last_modified = yielded.last_modified;
            record.title = stored.title;
            record.new_items = report.counts.new as u32;
            let interval = schedule::after_success(
                &stored.published,
                record.checked_at,
                previous,
                report.counts.new,
                stored.ttl,
                yielded.max_age,
                &self.options.bounds,
            );
            schedule_next(&mut record, interval);
            if let Some(error) = &report.error {
                record.status = CheckStatus::Error;
                record.error = Some(error.clone());
            }
        }
        if let Some(to) = &record.moved_to {
            report.moved_to = Some(to.clone());
        }
        self.finish(&source, record, report).await
    }

    fn failed(
        &self,
        source: &Source,
        record: &mut CheckRecord,
        report: &mut SourceReport,
        message: String,
        retry_after: Option<Duration>,
    ) {
        tracing::info!(source = %source.url, error = %message, "source failed");
        record.status = CheckStatus::Error;
        record.error_count = source.error_count.saturating_add(1);
        record.error = Some(message.clone());
        record.interval_secs = source.interval_secs;
        let wait = schedule::after_error(record.error_count, retry_after, &self.options.bounds);
        record.next_check_at =
            record.checked_at + chrono::Duration::from_std(wait).unwrap_or_default();
        report.error = Some(message);
    }

    async fn finish(
        &self,
        source: &Source,
        record: CheckRecord,
        mut report: SourceReport,
    ) -> SourceReport {
        let (id, owner) = (source.id, self.options.owner.clone());
        match self
            .pipeline
            .with_store(&self.store, move |s| s.finish_check(id, &owner, &record))
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(source = %source.url, "lease expired before the check was recorded");
                report.notes.push(
                    "lease expired before the check was recorded; another worker will check it"
                        .into(),
                );
            }
            Err(err) => {
                report.error = Some(format!("could not record the check: {}", error_chain(&err)));
            }
        }
        report
    }
}

/// A source whose network side is done: what is left is to store what it yielded and record the check.
struct Checked {
    source: Source,
    record: CheckRecord,
    report: SourceReport,
    /// What a changed document yielded, with its validators; `None` when there is nothing to store
    /// (unchanged, or failed).
    yielded: Option<Yielded>,
}

struct Yielded {
    parsed: Parsed,
    etag: Option<String>,
    last_modified: Option<String>,
    max_age: Option<Duration>,
}

/// A store call in flight.
type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// The leases a worker holds, each with the time it runs out, as the store last set it (when leased or
/// renewed). A lease is only ever taken from its holder once it has run out, so whether the worker still
/// holds a source is known here without asking the store (which may be busy writing for a while); the store
/// checks again when the check is recorded.
#[derive(Default)]
struct Held(Mutex<HashMap<i64, DateTime<Utc>>>);

impl Held {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, DateTime<Utc>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a source just leased (`now` is the time the lease was asked for at the latest).
    fn insert(&self, source: &Source, lease_for: Duration, now: DateTime<Utc>) {
        let until = source.lease_until.unwrap_or_else(|| later(now, lease_for));
        self.lock().insert(source.id, until);
    }

    /// Whether the lease on source `id` is still this worker's at `now`.
    fn holds(&self, id: i64, now: DateTime<Utc>) -> bool {
        self.lock().get(&id).is_some_and(|until| *until > now)
    }

    fn remove(&self, id: i64) {
        self.lock().remove(&id);
    }

    fn ids(&self) -> Vec<i64> {
        self.lock().keys().copied().collect()
    }

    /// Records the outcome of renewing leases at `now`; returns the ids whose lease had run out.
    fn renewed(
        &self,
        outcomes: &[(i64, bool)],
        now: DateTime<Utc>,
        lease_for: Duration,
    ) -> Vec<i64> {
        let mut held = self.lock();
        let mut lost = Vec::new();
        for &(id, renewed) in outcomes {
            // A check that ended meanwhile is no longer tracked.
            let Some(until) = held.get_mut(&id) else {
                continue;
            };
            if renewed {
                *until = later(now, lease_for);
            } else {
                *until = (*until).min(now);
                lost.push(id);
            }
        }
        lost
    }

    fn drain(&self) -> Vec<i64> {
        self.lock().drain().map(|(id, _)| id).collect()
    }
}

/// `at` plus `span`, to the microsecond, as the store records a lease's end.
fn later(at: DateTime<Utc>, span: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(span)
        .ok()
        .and_then(|span| at.checked_add_signed(span))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
        .trunc_subsecs(6)
}

/// Takes the waiting source whose host has the fewest sources being fetched (the first such one leased).
fn take_next(waiting: &mut VecDeque<Source>, fetching: &HashMap<String, usize>) -> Option<Source> {
    let idx = waiting
        .iter()
        .enumerate()
        .min_by_key(|(idx, source)| {
            let host = host_of(&source.url);
            (fetching.get(&host).copied().unwrap_or(0), *idx)
        })
        .map(|(idx, _)| idx)?;
    waiting.remove(idx)
}

/// The host a source's requests go to (the key of the fetcher's per-host limits).
fn host_of(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|url| url.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

fn schedule_next(record: &mut CheckRecord, interval: Duration) {
    record.interval_secs = u32::try_from(interval.as_secs()).unwrap_or(u32::MAX);
    record.next_check_at =
        record.checked_at + chrono::Duration::from_std(interval).unwrap_or_default();
}

/// Per-host politeness shared by every worker on one database: before each request to a host, a slot is
/// reserved in the store (`Store::reserve_host_slot`), which hands out start times at least `spacing` apart
/// across all processes, and the request waits for its slot.
pub struct StoreGate {
    store: SharedStore,
    spacing: Duration,
}

impl StoreGate {
    /// A gate over `store` spacing requests to one host by `spacing`.
    pub fn new(store: SharedStore, spacing: Duration) -> StoreGate {
        StoreGate { store, spacing }
    }
}

impl std::fmt::Debug for StoreGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreGate")
            .field("spacing", &self.spacing)
            .finish_non_exhaustive()
    }
}

impl newswire_ingest::fetch::HostGate for StoreGate {
    fn wait_turn(
        &self,
        host: &str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        let host = host.to_owned();
        Box::pin(async move {
            if host.is_empty() || self.spacing.is_zero() {
                return;
            }
            let spacing = self.spacing;
            let now = chrono::Utc::now();
            let slot = with_store(&self.store, move |s| {
                s.reserve_host_slot(&host, now, spacing)
            })
            .await;
            match slot {
                Ok(at) => {
                    if let Ok(wait) = (at - chrono::Utc::now()).to_std() {
                        tokio::time::sleep(wait).await;
                    }
                }
                // The local limits still hold; a store hiccup must not stop fetching.
                Err(err) => {
                    tracing::warn!(error = %error_chain(&err), "could not reserve a shared host slot")
                }
            }
        })
    }
}
