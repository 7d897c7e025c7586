//! `cargo xtask watch`: ingest the registered sources as they fall due until Ctrl-C or SIGTERM.

use std::process::ExitCode;
use std::time::Duration;

use newswire_pipeline::{Worker, shared};

use crate::flags::Watch;
use crate::ingest::{Bar, pipeline_with_gate, print_details, worker_options};

impl Watch {
    pub async fn run(self, db: &str) -> anyhow::Result<ExitCode> {
        let store = crate::open_store(db)?;
        let mut options = worker_options(&self.schedule);
        options.grace = Duration::from_secs(self.grace);
        options.poll = Duration::from_secs(self.poll.max(1));
        let owner = options.owner.clone();
        // Workers sharing a PostgreSQL database also share per-host spacing, through the database.
        let store = shared(store);
        let gate = newswire_pipeline::store::is_postgres_url(db).then_some(&store);
        let worker = Worker::new(
            pipeline_with_gate(&self.fetch, gate)?,
            std::sync::Arc::clone(&store),
            options,
        );
        let (stop_tx, stop) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            let why = shutdown_signal().await;
            eprintln!("{why}: finishing the sources in flight, then stopping");
            let _ = stop_tx.send(true);
        });
        eprintln!(
            "watching the sources in {} as worker {owner}; Ctrl-C or SIGTERM stops",
            newswire_pipeline::store::redacted(db)
        );
        let progress = Bar::new(0);
        let hidden = progress.bar_hidden();
        let report = worker.watch(&progress, stop).await?;
        progress.finish();
        if !hidden {
            print_details(&report, false);
        }
        let totals = report.totals();
        println!(
            "stopped after {} checks ({} failed), {} new, {} updated, {} unchanged",
            report.sources.len(),
            report.failed_sources(),
            totals.new,
            totals.updated,
            totals.unchanged
        );
        Ok(ExitCode::SUCCESS)
    }
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM, naming which.
async fn shutdown_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => "interrupted",
                _ = term.recv() => "terminated",
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                "interrupted"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "interrupted"
    }
}
