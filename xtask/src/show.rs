//! `cargo xtask show`: one stored dispatch for a person to read.

use std::process::ExitCode;

use newswire_pipeline::find_dispatch;
use newswire_pipeline::store::Store;

use crate::flags::Show;

impl Show {
    pub fn run(self, db: &str) -> anyhow::Result<ExitCode> {
        let store = crate::open_store(db)?;
        let Some(dispatch) = find_dispatch(&store, &self.key)? else {
            anyhow::bail!(
                "no dispatch with id or URL {:?} in {}",
                self.key,
                newswire_pipeline::store::redacted(db)
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
