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

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use newswire_ingest::fetch::{FetchOutcome, Validators};
use newswire_store::{CheckRecord, CheckStatus, Source, Store, StoreError};
use tokio::sync::watch;
use url::Url;

use crate::report::{RunReport, SourceReport};
use crate::run::{Pipeline, Progress, SharedStore, error_chain};
use crate::schedule::{self, Bounds};

/// How a [`Worker`] leases and schedules.
#[derive(Clone, Debug)]
pub struct WorkerOptions {
    /// This worker's name in leases; unique among the workers sharing a database (host name and process id).
    pub owner: String,
    /// How long a lease lasts; a worker that dies loses its sources to another after this.
    pub lease_for: Duration,
    /// Most sources leased per transaction (never more than the pipeline has free slots for).
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
    /// Sources are checked as a continuous stream, up to the pipeline's source concurrency at once: whenever
    /// a check ends, the free slots are leased again at once, so a slow source never holds up the others (a
    /// run is bound by the hosts' politeness limits, not by the slowest source of a batch). A worker never
    /// leases more than it can check at once (a source waiting in its queue would see its lease run out while
    /// the worker is busy, and another worker would fetch it too), and renews the leases of the sources in
    /// flight every third of the lease term.
    pub async fn run_due(
        &self,
        progress: &dyn Progress,
        stop: &watch::Receiver<bool>,
    ) -> Result<RunReport, StoreError> {
        let mut report = RunReport::default();
        let slots = self.pipeline.source_concurrency().max(1);
        let held: Mutex<HashSet<i64>> = Mutex::new(HashSet::new());
        let mut in_flight = futures_util::stream::FuturesUnordered::new();
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
        loop {
            let stopping = *stop.borrow();
            if stopping && give_up_at.is_none() {
                give_up_at = Some(tokio::time::Instant::now() + self.options.grace);
            }
            // Slots are leased a few at a time (an eighth of them, at least one), so that a lease, which
            // looks at every source, is not made for each check that ends.
            let free = slots - in_flight.len().min(slots);
            if !stopping
                && !drained
                && failure.is_none()
                && (free >= (slots / 8).max(1) || (free > 0 && in_flight.is_empty()))
            {
                let want = (slots - in_flight.len()).min(self.options.batch.max(1));
                let (owner, lease_for, now) = (
                    self.options.owner.clone(),
                    self.options.lease_for,
                    self.pipeline.now(),
                );
                match with_store(&self.store, move |s| {
                    s.lease_due(&owner, now, lease_for, want)
                })
                .await
                {
                    Ok(leased) => {
                        drained = leased.len() < want;
                        let mut guard = held.lock().unwrap_or_else(|e| e.into_inner());
                        for source in leased {
                            guard.insert(source.id);
                            in_flight.push(self.check_leased(source, &held, progress));
                        }
                    }
                    Err(err) => failure = Some(err),
                }
                continue;
            }
            if in_flight.is_empty() {
                break;
            }
            tokio::select! {
                done = in_flight.next() => {
                    if let Some(Some(done)) = done {
                        report.sources.push(done);
                    }
                    drained = false;
                }
                _ = renewals.tick() => self.renew_leases(&held).await,
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
        // Whatever was leased and not finished (abandoned after the grace period) is released, so it is due
        // again at once for this or another worker.
        let unfinished: Vec<i64> = held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain()
            .collect();
        if !unfinished.is_empty() {
            let owner = self.options.owner.clone();
            let released = with_store(&self.store, move |s| {
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
            let next = with_store(&self.store, |s| s.next_due()).await?;
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
    async fn renew_leases(&self, held: &Mutex<HashSet<i64>>) {
        let ids: Vec<i64> = held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .copied()
            .collect();
        if ids.is_empty() {
            return;
        }
        let (owner, lease_for, now) = (
            self.options.owner.clone(),
            self.options.lease_for,
            self.pipeline.now(),
        );
        let renewed = with_store(&self.store, move |s| {
            let mut lost = Vec::new();
            for id in ids {
                if !s.renew_lease(id, &owner, now, lease_for)? {
                    lost.push(id);
                }
            }
            Ok(lost)
        })
        .await;
        match renewed {
            Ok(lost) if !lost.is_empty() => {
                tracing::warn!(?lost, "leases ran out before they could be renewed");
            }
            Ok(_) => {}
            Err(err) => {
                tracing::warn!(error = %error_chain(&err), "could not renew leases; retrying later");
            }
        }
    }

    /// Checks one leased source, unless its lease ran out before the check began; `held` loses the source
    /// once it is done with.
    async fn check_leased(
        &self,
        source: Source,
        held: &Mutex<HashSet<i64>>,
        progress: &dyn Progress,
    ) -> Option<SourceReport> {
        let id = source.id;
        let report = if self.still_held(&source).await {
            if let Ok(url) = Url::parse(&source.url) {
                progress.source_started(&url);
            }
            let report = self.check(source).await;
            progress.source_finished(&report);
            Some(report)
        } else {
            tracing::info!(source = %source.url, "lease expired before the check began; skipped");
            None
        };
        held.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
        report
    }

    /// Checks one leased source and records the result.
    async fn check(&self, source: Source) -> SourceReport {
        let mut report = SourceReport {
            source: source.url.clone(),
            ..SourceReport::default()
        };
        let bounds = &self.options.bounds;
        let previous = Duration::from_secs(u64::from(source.interval_secs.max(1)));
        let mut record = CheckRecord {
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
        let url = match Url::parse(&source.url) {
            Ok(url) => url,
            Err(err) => {
                let message = format!("{} is not a valid URL: {err}", source.url);
                self.failed(&source, &mut record, &mut report, message, None);
                return self.finish(&source, record, report).await;
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
                schedule_next(&mut record, interval);
            }
            Ok(FetchOutcome::Fetched(fetched)) => {
                record.moved_to = moved(&url, fetched.moved_to.as_ref());
                let (etag, last_modified, max_age) = (
                    fetched.etag.clone(),
                    fetched.last_modified.clone(),
                    fetched.max_age,
                );
                let parsed = self
                    .pipeline
                    .parse_fetched(fetched, record.checked_at, Some(&scope))
                    .await;
                match parsed {
                    Err(err) => {
                        self.failed(&source, &mut record, &mut report, error_chain(&err), None);
                    }
                    Ok(parsed) => {
                        if !self.still_held(&source).await {
                            report.error = Some(
                                "lease lost before storing; another worker has this source".into(),
                            );
                            return report;
                        }
                        let yielded = self
                            .pipeline
                            .store_parsed(parsed, &mut report, Arc::clone(&self.store))
                            .await;
                        record.etag = etag;
                        record.last_modified = last_modified;
                        record.title = yielded.title;
                        record.new_items = report.counts.new as u32;
                        let interval = schedule::after_success(
                            &yielded.published,
                            record.checked_at,
                            previous,
                            report.counts.new,
                            yielded.ttl,
                            max_age,
                            bounds,
                        );
                        schedule_next(&mut record, interval);
                        if let Some(error) = &report.error {
                            record.status = CheckStatus::Error;
                            record.error = Some(error.clone());
                        }
                    }
                }
            }
            Err(err) => {
                let retry_after = err.retry_after();
                self.failed(
                    &source,
                    &mut record,
                    &mut report,
                    error_chain(&err),
                    retry_after,
                );
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

    async fn still_held(&self, source: &Source) -> bool {
        let (id, owner, now) = (source.id, self.options.owner.clone(), self.pipeline.now());
        with_store(&self.store, move |s| s.holds_lease(id, &owner, now))
            .await
            .unwrap_or(false)
    }

    async fn finish(
        &self,
        source: &Source,
        record: CheckRecord,
        mut report: SourceReport,
    ) -> SourceReport {
        let (id, owner) = (source.id, self.options.owner.clone());
        match with_store(&self.store, move |s| s.finish_check(id, &owner, &record)).await {
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

fn schedule_next(record: &mut CheckRecord, interval: Duration) {
    record.interval_secs = u32::try_from(interval.as_secs()).unwrap_or(u32::MAX);
    record.next_check_at =
        record.checked_at + chrono::Duration::from_std(interval).unwrap_or_default();
}

/// The new URL of a source that moved for good, when it differs from the one requested.
fn moved(requested: &Url, moved_to: Option<&Url>) -> Option<String> {
    moved_to
        .filter(|to| *to != requested)
        .map(|to| to.to_string())
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
