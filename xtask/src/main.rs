//! `cargo xtask`: the newswire command line, in the cargo-xtask style (see matklad/cargo-xtask).
//!
//! Tasks for users: `ingest`, `sources`, `watch`, `parse`, `export`, `show`. Tasks for developers: `bless`, `eval`, `bench`.
//! Real work lives in `newswire-pipeline`; this binary owns argument parsing, the Tokio runtime, logging
//! (`RUST_LOG`), progress bars and the exit code.

mod bench;
mod bless;
mod eval;
mod export;
mod flags;
mod history;
mod ingest;
mod parse;
mod search;
mod show;
mod sources;
#[cfg(test)]
mod tidy;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let flags = flags::Xtask::parse();
    init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let res = runtime.block_on(async {
        match flags.command {
            flags::Command::Ingest(cmd) => cmd.run(&flags.db).await,
            flags::Command::Sources(cmd) => cmd.run(&flags.db).await,
            flags::Command::Watch(cmd) => cmd.run(&flags.db).await,
            flags::Command::Parse(cmd) => cmd.run().await,
            flags::Command::Export(cmd) => cmd.run(&flags.db),
            flags::Command::Show(cmd) => cmd.run(&flags.db),
            flags::Command::Search(cmd) => cmd.run(&flags.db),
            flags::Command::History(cmd) => cmd.run(&flags.db),
            flags::Command::Bless(cmd) => cmd.run().await,
            flags::Command::Eval(cmd) => cmd.run(),
            flags::Command::Bench(cmd) => cmd.run(),
        }
    });
    match res {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

/// Opens the database `db` names (a SQLite path or a PostgreSQL URL), with an error that names it (password
/// redacted).
fn open_store(db: &str) -> anyhow::Result<Box<dyn newswire_pipeline::store::Store>> {
    use anyhow::Context;
    newswire_pipeline::store::open(db).with_context(|| {
        format!(
            "cannot use database {}",
            newswire_pipeline::store::redacted(db)
        )
    })
}

/// The workspace root, for tasks that work on the repository's own files.
fn project_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
