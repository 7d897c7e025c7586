//! Every fixture document against its `.expected.json` snapshot (regenerate with `cargo xtask bless`).

use newswire_pipeline::snapshot;

use crate::support::fixtures;

#[tokio::test]
async fn fixture_snapshots() {
    let site = fixtures().join("site");
    let files = snapshot::fixture_files(&site).unwrap();
    assert!(
        files.len() >= 15,
        "the fixture site is there ({} files)",
        files.len()
    );
    let mut mismatched = Vec::new();
    for file in &files {
        let rendered = snapshot::render(&site, file).await.unwrap();
        let expected_path = snapshot::snapshot_path(file);
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == rendered => {}
            Ok(expected) => {
                let line = expected
                    .lines()
                    .zip(rendered.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0)
                    + 1;
                mismatched.push(format!(
                    "{} differs from line {line}",
                    expected_path.display()
                ));
            }
            Err(_) => mismatched.push(format!("{} is missing", expected_path.display())),
        }
    }
    assert!(
        mismatched.is_empty(),
        "snapshots out of date (run `cargo xtask bless` if the change is intended):\n{}",
        mismatched.join("\n")
    );
}
