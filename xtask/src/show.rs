//! `cargo xtask show`: one stored dispatch for a person to read.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use newswire_pipeline::find_dispatch;
use newswire_pipeline::store::{SqliteStore, Store};

use crate::flags::Show;

impl Show {
    pub fn run(self, db: &Path) -> anyhow::Result<ExitCode> {
        let store = SqliteStore::open(db)
            .with_context(|| format!("cannot use database {}", db.display()))?;
        let Some(dispatch) = find_dispatch(&store, &self.key)? else {
            anyhow::bail!(
                "no dispatch with id or URL {:?} in {}",
                self.key,
                db.display()
            );
        };
        let revisions = store.revisions(&dispatch.id)?;
        let mut out = String::new();
        crate::parse::render_dispatch(&mut out, &dispatch, true);
        print!("{out}");
        println!(
            "\n   revisions  {} (fetched {})",
            revisions.len(),
            dispatch.fetched_at.format("%Y-%m-%d %H:%M:%S UTC")
        );
        Ok(ExitCode::SUCCESS)
    }
}
