//! `cargo xtask ingest`: run sources into the database and print a summary per source.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use newswire_pipeline::ingest::fetch::FetcherBuilder;
use newswire_pipeline::{PipelineBuilder, Progress, SourceReport, resolve_source, shared};

use crate::flags::Ingest;

struct Bar(ProgressBar);

impl Progress for Bar {
    fn source_started(&self, source: &url::Url) {
        self.0.set_message(source.to_string());
    }

    fn source_finished(&self, report: &SourceReport) {
        self.0.inc(1);
        if self.0.is_hidden() {
            tracing::info!("{report}");
        }
    }
}

impl Ingest {
    pub async fn run(self, db: &str) -> anyhow::Result<ExitCode> {
        let mut sources = Vec::new();
        let mut unresolved = Vec::new();
        for arg in &self.sources {
            match resolve_source(arg) {
                Ok(url) => sources.push(url),
                Err(err) => unresolved.push(format!("FAILED  {arg}: {err}")),
            }
        }
        let store = newswire_pipeline::store::open(db).with_context(|| {
            format!(
                "cannot use database {}",
                newswire_pipeline::store::redacted(db)
            )
        })?;
        let pipeline = PipelineBuilder::new()
            .fetch_pages(!self.no_pages)
            .source_concurrency(self.concurrency)
            .fetcher(FetcherBuilder::new().timeout(Duration::from_secs(self.timeout)))
            .build()?;
        let bar = ProgressBar::new(sources.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} sources {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        let progress = Bar(bar);
        let report = pipeline.ingest(&sources, shared(store), &progress).await;
        progress.0.finish_and_clear();

        for line in &unresolved {
            println!("{line}");
        }
        for source in &report.sources {
            println!("{source}");
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
