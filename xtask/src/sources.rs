//! `cargo xtask sources`: the source registry (add with feed discovery, list, remove, OPML import and export).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use newswire_pipeline::ingest::opml::{self, Subscription};
use newswire_pipeline::resolve_source;
use newswire_pipeline::store::{AddOutcome, NewSource, Source, Store};

use crate::flags::{Sources, SourcesCommand};
use crate::ingest::pipeline;

impl Sources {
    pub async fn run(self, db: &str) -> anyhow::Result<ExitCode> {
        match self.command {
            SourcesCommand::Add {
                urls,
                all,
                categories,
                fetch,
            } => {
                let mut store = crate::open_store(db)?;
                let pipeline = pipeline(&fetch)?;
                let mut failed = 0;
                for arg in &urls {
                    let url = match resolve_source(arg) {
                        Ok(url) => url,
                        Err(err) => {
                            println!("FAILED  {arg}: {err}");
                            failed += 1;
                            continue;
                        }
                    };
                    let found = match pipeline.discover(&url).await {
                        Ok(found) => found,
                        Err(err) => {
                            println!(
                                "FAILED  {arg}: {}",
                                format_args!("{:#}", anyhow::Error::from(err))
                            );
                            failed += 1;
                            continue;
                        }
                    };
                    let take = if all { found.len() } else { 1 };
                    for feed in &found[..take] {
                        let new = NewSource {
                            url: feed.url.to_string(),
                            title: feed.title.clone(),
                            site_url: feed.site_url.clone(),
                            categories: categories.clone(),
                        };
                        match store.add_source(&new, Utc::now())? {
                            AddOutcome::Added(source) => println!(
                                "added   {} {} ({}){}",
                                source.id,
                                source.url,
                                feed.how,
                                source
                                    .title
                                    .as_deref()
                                    .map(|t| format!(": {t}"))
                                    .unwrap_or_default()
                            ),
                            AddOutcome::Exists(source) => {
                                println!("exists  {} {}", source.id, source.url)
                            }
                        }
                    }
                    for other in &found[take..] {
                        println!(
                            "        also declared: {}{} (add it with `sources add {}`, or use --all)",
                            other.url,
                            other
                                .title
                                .as_deref()
                                .map(|t| format!(" \"{t}\""))
                                .unwrap_or_default(),
                            other.url
                        );
                    }
                }
                Ok(if failed == urls.len() {
                    ExitCode::FAILURE
                } else {
                    ExitCode::SUCCESS
                })
            }
            SourcesCommand::List { json } => {
                let store = crate::open_store(db)?;
                let sources = store.sources()?;
                let mut out = std::io::stdout().lock();
                if json {
                    for source in &sources {
                        writeln!(out, "{}", source_json(source))?;
                    }
                } else {
                    print_table(&mut out, &sources)?;
                }
                Ok(ExitCode::SUCCESS)
            }
            SourcesCommand::Remove { keys } => {
                let mut store = crate::open_store(db)?;
                let mut missing = 0;
                for key in &keys {
                    match store.remove_source(key)? {
                        Some(source) => println!("removed {} {}", source.id, source.url),
                        None => {
                            println!("FAILED  {key}: no such source");
                            missing += 1;
                        }
                    }
                }
                Ok(if missing > 0 {
                    ExitCode::FAILURE
                } else {
                    ExitCode::SUCCESS
                })
            }
            SourcesCommand::Import { file } => {
                let bytes = std::fs::read(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                let list = opml::parse_opml(&bytes)
                    .with_context(|| format!("{} is not a usable OPML file", file.display()))?;
                let mut store = crate::open_store(db)?;
                let (mut added, mut existed, mut skipped) = (0, 0, 0);
                for sub in &list.outlines {
                    let Ok(url) = url::Url::parse(&sub.xml_url) else {
                        println!("skipped {}: not an absolute URL", sub.xml_url);
                        skipped += 1;
                        continue;
                    };
                    let new = NewSource {
                        url: url.to_string(),
                        title: sub.title.clone(),
                        site_url: sub.html_url.clone(),
                        categories: sub.categories.clone(),
                    };
                    match store.add_source(&new, Utc::now())? {
                        AddOutcome::Added(_) => added += 1,
                        AddOutcome::Exists(_) => existed += 1,
                    }
                }
                println!(
                    "imported {} feeds from {}: {added} added, {existed} already registered, {skipped} skipped",
                    list.outlines.len(),
                    file.display()
                );
                Ok(ExitCode::SUCCESS)
            }
            SourcesCommand::Export { output } => {
                let store = crate::open_store(db)?;
                let subs: Vec<Subscription> = store
                    .sources()?
                    .into_iter()
                    .map(|s| Subscription {
                        xml_url: s.url,
                        html_url: s.site_url,
                        title: s.title,
                        categories: s.categories,
                    })
                    .collect();
                let text = opml::write_opml("newswire sources", &subs, &Utc::now().to_rfc2822());
                match output {
                    Some(path) => std::fs::write(&path, text)
                        .with_context(|| format!("cannot write {}", path.display()))?,
                    None => std::io::stdout().lock().write_all(text.as_bytes())?,
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}

fn source_json(source: &Source) -> serde_json::Value {
    serde_json::json!({
        "id": source.id,
        "url": source.url,
        "original_url": source.original_url,
        "title": source.title,
        "site_url": source.site_url,
        "categories": source.categories,
        "added_at": source.added_at.to_rfc3339(),
        "last_checked_at": source.last_checked_at.map(|t| t.to_rfc3339()),
        "last_status": source.last_status,
        "last_error": source.last_error,
        "error_count": source.error_count,
        "next_check_at": source.next_check_at.to_rfc3339(),
        "interval_secs": source.interval_secs,
        "items_total": source.items_total,
        "last_new": source.last_new,
        "etag": source.etag,
        "last_modified": source.last_modified,
    })
}

fn print_table(out: &mut impl Write, sources: &[Source]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:>4}  {:<14} {:>6}  {:<20} {:>7} {:>5}  URL",
        "ID", "STATUS", "ERRORS", "NEXT CHECK (UTC)", "ITEMS", "LAST"
    )?;
    for s in sources {
        let status = s.last_status.as_deref().unwrap_or("never checked");
        writeln!(
            out,
            "{:>4}  {:<14} {:>6}  {:<20} {:>7} {:>5}  {}{}",
            s.id,
            status,
            s.error_count,
            s.next_check_at.format("%Y-%m-%d %H:%M:%S"),
            s.items_total,
            s.last_new,
            s.url,
            s.title
                .as_deref()
                .map(|t| format!("  ({t})"))
                .unwrap_or_default()
        )?;
        if let Some(error) = &s.last_error {
            writeln!(out, "      last error: {error}")?;
        }
        if s.url != s.original_url {
            writeln!(out, "      moved from: {}", s.original_url)?;
        }
    }
    Ok(())
}
