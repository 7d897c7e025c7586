//! `cargo xtask search`: full-text search over the stored dispatches, ranked, with marked snippets.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use newswire_pipeline::store::{SearchHit, SearchQuery, Store};

use crate::export::time_filter;
use crate::flags::Search;

impl Search {
    pub fn run(self, db: &str) -> anyhow::Result<ExitCode> {
        let bounds = time_filter(self.since.as_deref(), self.until.as_deref())?;
        let query = SearchQuery {
            text: self.query.join(" "),
            since: bounds.since,
            until: bounds.until,
            source: self.source.as_deref().map(source_key).transpose()?,
            limit: self.limit,
        };
        let store = crate::open_store(db)?;
        let hits = store.search(&query)?;
        tracing::info!("{} hits for {:?}", hits.len(), query.text);
        let mut out = BufWriter::new(std::io::stdout().lock());
        let res = hits.iter().enumerate().try_for_each(|(idx, hit)| {
            if self.json {
                print_json(&mut out, idx + 1, hit)
            } else {
                print_hit(&mut out, idx + 1, hit)
            }
        });
        match res.and_then(|()| out.flush()) {
            Ok(()) => {}
            // A closed pipe (`| head`) is the reader's choice, not an error.
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(err) => return Err(err).context("cannot write the hits"),
        }
        if hits.is_empty() && !self.json {
            eprintln!("no dispatch matches {:?}", query.text);
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// What `--source` names, as the store compares it: a local feed file becomes the `file://` URL it was
/// ingested under; a URL or a host is taken as it is.
fn source_key(arg: &str) -> anyhow::Result<String> {
    if !arg.contains("://") && Path::new(arg).is_file() {
        let url = newswire_pipeline::resolve_source(arg).context("--source")?;
        return Ok(url.to_string());
    }
    Ok(arg.to_owned())
}

/// The site's host, else the feed, for a reader.
fn source_label(hit: &SearchHit) -> &str {
    hit.source
        .site
        .as_deref()
        .map(|site| site.split_once("://").map_or(site, |(_, host)| host))
        .or(hit.source.feed_url.as_deref())
        .unwrap_or("-")
}

fn print_hit(out: &mut impl Write, rank: usize, hit: &SearchHit) -> std::io::Result<()> {
    let time = hit
        .published_at
        .map_or_else(|| "-".to_owned(), |t| t.to_string());
    writeln!(out, "{rank:>3}. {time}  {}", source_label(hit))?;
    writeln!(out, "     {}", hit.title)?;
    writeln!(out, "     {}", hit.url)?;
    writeln!(out, "     {}", hit.snippet)?;
    writeln!(out)
}

fn print_json(out: &mut impl Write, rank: usize, hit: &SearchHit) -> std::io::Result<()> {
    let line = serde_json::json!({
        "rank": rank,
        "id": hit.id,
        "url": hit.url,
        "title": hit.title,
        "published_at": hit.published_at,
        "source": hit.source,
        "story": hit.story,
        "score": hit.score,
        "snippet": hit.snippet,
    });
    serde_json::to_writer(&mut *out, &line)?;
    writeln!(out)
}
