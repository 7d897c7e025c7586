//! Fixture snapshots: the JSON newswire makes of each file of the offline fixture site.
//!
//! A file at `fixtures/site/<host>/<path>` stands for the URL `https://<host>/<path>` (a directory's
//! `index.html` for `https://<host>/<dir>/`). Its snapshot is the pretty JSON of what `cargo xtask parse` would
//! print for it, with a fixed fetch time and without fetching article pages, written beside it as
//! `<file>.expected.json` by `cargo xtask bless` and compared by the pipeline's snapshot test.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use url::Url;

use crate::PipelineBuilder;

/// The suffix of snapshot files.
pub const SNAPSHOT_SUFFIX: &str = ".expected.json";

/// The fetch time stamped on every snapshot.
pub fn snapshot_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

/// The URL a fixture file stands for.
pub fn url_for(site_root: &Path, file: &Path) -> Option<Url> {
    let relative = file.strip_prefix(site_root).ok()?;
    let mut path = relative.to_str()?.replace('\\', "/");
    if let Some(dir) = path.strip_suffix("index.html") {
        path = dir.to_owned();
    }
    Url::parse(&format!("https://{path}")).ok()
}

/// Every fixture document below `site_root` (`.xml`, `.html`, `.json` files that are not snapshots), sorted.
pub fn fixture_files(site_root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![site_root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if path.is_dir() {
                stack.push(path);
            } else if !name.ends_with(SNAPSHOT_SUFFIX)
                && matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("xml" | "html" | "json")
                )
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The snapshot path of a fixture file.
pub fn snapshot_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(SNAPSHOT_SUFFIX);
    PathBuf::from(name)
}

/// Renders the snapshot of one fixture file: pretty JSON with a trailing newline.
pub async fn render(
    site_root: &Path,
    file: &Path,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let url = url_for(site_root, file)
        .ok_or_else(|| format!("{} is not below {}", file.display(), site_root.display()))?;
    let bytes = std::fs::read(file)?;
    let time = snapshot_time();
    let pipeline = PipelineBuilder::new()
        .fetch_pages(false)
        .clock(Arc::new(move || time))
        .build()?;
    let value = match pipeline.parse_bytes(bytes, url, None).await {
        Ok(parsed) => serde_json::to_value(parsed)?,
        Err(err) => serde_json::json!({ "error": crate::run::error_chain(&err) }),
    };
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    Ok(text)
}
