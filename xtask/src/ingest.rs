//! `cargo xtask ingest`: run sources into the database and print a summary per source.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use newswire_pipeline::ingest::fetch::{FetcherBuilder, Limits};
use newswire_pipeline::schedule::Bounds;
use newswire_pipeline::{
    Pipeline, PipelineBuilder, Progress, RunReport, SharedStore, SourceReport, StoreGate, Worker,
    WorkerOptions, resolve_source, shared,
};

use crate::flags::{FetchFlags, Ingest, ScheduleFlags};

/// Progress for a multi-source run: a bar with sources done and dispatches new/updated and errors on a
/// terminal; a plain log line per source otherwise (or always, at `RUST_LOG=info`).
pub struct Bar {
    bar: ProgressBar,
    new: AtomicUsize,
    updated: AtomicUsize,
    errors: AtomicUsize,
}

impl Bar {
    /// A bar over `len` sources (0 when unknown).
    pub fn new(len: u64) -> Bar {
        let bar = if len == 0 {
            ProgressBar::new_spinner()
        } else {
            ProgressBar::new(len)
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{bar:30}] {pos}/{len} sources, {prefix} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Bar {
            bar,
            new: AtomicUsize::new(0),
            updated: AtomicUsize::new(0),
            errors: AtomicUsize::new(0),
        }
    }

    /// Whether the bar is not drawn (standard error is not a terminal).
    pub fn bar_hidden(&self) -> bool {
        self.bar.is_hidden()
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn source_started(&self, source: &url::Url) {
        self.bar.set_message(source.to_string());
    }

    fn source_finished(&self, report: &SourceReport) {
        let new = self.new.fetch_add(report.counts.new, Ordering::Relaxed) + report.counts.new;
        let updated = self
            .updated
            .fetch_add(report.counts.updated, Ordering::Relaxed)
            + report.counts.updated;
        let failed = usize::from(report.is_failed()) + report.counts.failed;
        let errors = self.errors.fetch_add(failed, Ordering::Relaxed) + failed;
        self.bar
            .set_prefix(format!("{new} new, {updated} updated, {errors} errors"));
        self.bar.inc(1);
        if self.bar.is_hidden() {
            println!("{report}");
        } else {
            tracing::info!("{report}");
        }
    }
}

/// The pipeline the fetch flags describe.
pub fn pipeline(flags: &FetchFlags) -> anyhow::Result<Pipeline> {
    pipeline_with_gate(flags, None)
}

/// The pipeline the fetch flags describe, with per-host spacing shared with the other workers on `store` when
/// it is given (a PostgreSQL database several workers share).
pub fn pipeline_with_gate(
    flags: &FetchFlags,
    store: Option<&SharedStore>,
) -> anyhow::Result<Pipeline> {
    let mut fetcher = FetcherBuilder::new()
        .timeout(Duration::from_secs(flags.timeout))
        .max_body_bytes(flags.max_body_mib.saturating_mul(1024 * 1024))
        .allow_private(flags.allow_private)
        .limits(Limits {
            global: flags.max_requests,
            per_host: flags.per_host,
            spacing: Duration::from_millis(flags.spacing_ms),
        });
    if let Some(agent) = &flags.user_agent {
        fetcher = fetcher.user_agent(agent.clone());
    }
    if let Some(store) = store {
        fetcher = fetcher.host_gate(Arc::new(StoreGate::new(
            Arc::clone(store),
            Duration::from_millis(flags.spacing_ms),
        )));
    }
    Ok(PipelineBuilder::new()
        .fetch_pages(!flags.no_pages)
        .source_concurrency(flags.concurrency)
        .max_entries(flags.max_entries)
        .respect_robots(!flags.ignore_robots)
        .fetcher(fetcher)
        .build()?)
}

/// The worker options the schedule flags describe.
pub fn worker_options(flags: &ScheduleFlags) -> WorkerOptions {
    let minutes = |m: u64| Duration::from_secs(m.saturating_mul(60));
    WorkerOptions {
        lease_for: Duration::from_secs(flags.lease.max(1)),
        bounds: Bounds {
            min: minutes(flags.min_interval),
            max: minutes(flags.max_interval),
            backoff_ceiling: minutes(flags.max_backoff),
        },
        ..WorkerOptions::default()
    }
}

/// Prints each source's report with its details.
pub fn print_details(report: &RunReport, hidden_bar: bool) {
    for source in &report.sources {
        if !hidden_bar {
            println!("{source}");
        }
        if let Some(to) = &source.moved_to {
            println!("        moved permanently to {to}");
        }
        for fallback in &source.fallbacks {
            println!("        page unavailable: {fallback}");
        }
        for failure in &source.failures {
            println!("        failed: {failure}");
        }
        for warning in &source.warnings {
            println!("        warning: {warning}");
        }
        for note in &source.notes {
            println!("        note: {note}");
        }
    }
}

impl Ingest {
    pub async fn run(self, db: &str) -> anyhow::Result<ExitCode> {
        if self.due {
            return self.run_due(db).await;
        }
        let mut sources = Vec::new();
        let mut unresolved = Vec::new();
        for arg in &self.sources {
            match resolve_source(arg) {
                Ok(url) => sources.push(url),
                Err(err) => unresolved.push(format!("FAILED  {arg}: {err}")),
            }
        }
        let store = crate::open_store(db)?;
        let pipeline = pipeline(&self.fetch)?;
        let progress = Bar::new(sources.len() as u64);
        let hidden = progress.bar_hidden();
        let report = pipeline.ingest(&sources, shared(store), &progress).await;
        progress.finish();

        for line in &unresolved {
            println!("{line}");
        }
        print_details(&report, hidden);
        let totals = report.totals();
        println!(
            "total: {} sources ({} failed), {} new, {} updated, {} unchanged, {} failed; database {}",
            self.sources.len(),
            report.failed_sources() + unresolved.len(),
            totals.new,
            totals.updated,
            totals.unchanged,
            totals.failed,
            newswire_pipeline::store::redacted(db)
        );
        let nothing =
            totals.ingested() == 0 && (report.nothing_ingested() || !unresolved.is_empty());
        Ok(if nothing {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        })
    }
}

impl Ingest {
    async fn run_due(&self, db: &str) -> anyhow::Result<ExitCode> {
        let store = crate::open_store(db)?;
        let store = shared(store);
        let gate = newswire_pipeline::store::is_postgres_url(db).then_some(&store);
        let worker = Worker::new(
            pipeline_with_gate(&self.fetch, gate)?,
            Arc::clone(&store),
            worker_options(&self.schedule),
        );
        let progress = Bar::new(0);
        let hidden = progress.bar_hidden();
        let (_stop_tx, stop) = tokio::sync::watch::channel(false);
        let report = worker.run_due(&progress, &stop).await?;
        progress.finish();
        print_details(&report, hidden);
        let totals = report.totals();
        println!(
            "total: {} sources due ({} failed, {} not modified), {} new, {} updated, {} unchanged, {} failed; database {}",
            report.sources.len(),
            report.failed_sources(),
            report.sources.iter().filter(|s| s.not_modified).count(),
            totals.new,
            totals.updated,
            totals.unchanged,
            totals.failed,
            newswire_pipeline::store::redacted(db)
        );
        Ok(ExitCode::SUCCESS)
    }
}
