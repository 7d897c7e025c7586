//! `cargo xtask bless`: regenerate the fixture snapshots on purpose.

use std::process::ExitCode;

use newswire_pipeline::snapshot;

use crate::flags::Bless;

impl Bless {
    pub async fn run(self) -> anyhow::Result<ExitCode> {
        let site = crate::project_root().join("fixtures/site");
        let mut changed = 0;
        let files = snapshot::fixture_files(&site)?;
        for file in &files {
            let rendered = snapshot::render(&site, file)
                .await
                .map_err(|err| anyhow::anyhow!("{}: {err}", file.display()))?;
            let path = snapshot::snapshot_path(file);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(rendered.as_str()) {
                std::fs::write(&path, rendered)?;
                println!(
                    "blessed {}",
                    path.strip_prefix(crate::project_root())
                        .unwrap_or(&path)
                        .display()
                );
                changed += 1;
            }
        }
        println!("{} snapshots, {changed} changed", files.len());
        Ok(ExitCode::SUCCESS)
    }
}
