//! `cargo xtask export`: stored dispatches as JSON Lines.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use newswire_pipeline::store::{ExportFilter, Store, StoreError};

use crate::flags::Export;

impl Export {
    pub fn run(self, db: &str) -> anyhow::Result<ExitCode> {
        let filter = time_filter(self.since.as_deref(), self.until.as_deref())?;
        let store = crate::open_store(db)?;
        let stdout = std::io::stdout().lock();
        let mut out = BufWriter::new(stdout);
        let res = store.export(&filter, &mut |dispatch| {
            let write = serde_json::to_writer(&mut out, &dispatch)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n"));
            write.map_err(|err| StoreError::Sink(Box::new(err)))
        });
        match res.and_then(|n| {
            out.flush()
                .map(|()| n)
                .map_err(|err| StoreError::Sink(Box::new(err)))
        }) {
            Ok(n) => {
                tracing::info!("exported {n} dispatches");
                Ok(ExitCode::SUCCESS)
            }
            // A closed pipe (`| head`) is the reader's choice, not an error.
            Err(StoreError::Sink(err))
                if err
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
            {
                Ok(ExitCode::SUCCESS)
            }
            Err(err) => Err(err.into()),
        }
    }
}

/// The `--since` and `--until` flags of `export` and `search`, parsed by [`parse_bound`].
pub(crate) fn time_filter(
    since: Option<&str>,
    until: Option<&str>,
) -> anyhow::Result<ExportFilter> {
    Ok(ExportFilter {
        since: since.map(parse_bound).transpose().context("--since")?,
        until: until.map(parse_bound).transpose().context("--until")?,
    })
}

/// An RFC 3339 time, or a date taken as midnight UTC.
fn parse_bound(input: &str) -> anyhow::Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(input) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(input, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    anyhow::bail!(
        "expected an RFC 3339 time (2012-07-24T06:10:00-05:00) or a date (2012-07-24), but found {input:?}"
    )
}
