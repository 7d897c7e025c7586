//! `cargo xtask parse`: what a source would yield, without storing.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context;
use newswire_pipeline::model::Dispatch;
use newswire_pipeline::{PageStatus, Parsed, resolve_source};

use crate::flags::Parse;

impl Parse {
    pub async fn run(self) -> anyhow::Result<ExitCode> {
        let pipeline = crate::ingest::pipeline(&self.fetch)?;
        let parsed = match &self.url {
            Some(url) => {
                let url =
                    url::Url::parse(url).with_context(|| format!("--url {url:?} is not a URL"))?;
                let bytes = std::fs::read(&self.source)
                    .with_context(|| format!("cannot read {}", self.source))?;
                pipeline
                    .parse_bytes(bytes, url, self.content_type.clone())
                    .await?
            }
            None => pipeline.parse(&resolve_source(&self.source)?).await?,
        };
        let ok = !parsed.dispatches().is_empty();
        if self.json {
            let json = match &parsed {
                Parsed::Page(page) => match &page.dispatch {
                    Ok(dispatch) => serde_json::to_string_pretty(dispatch)?,
                    Err(error) => {
                        serde_json::to_string_pretty(&serde_json::json!({ "error": error }))?
                    }
                },
                Parsed::Feed(_) => serde_json::to_string_pretty(&parsed)?,
            };
            println!("{json}");
        } else {
            print!("{}", render(&parsed));
        }
        Ok(if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    }
}

fn render(parsed: &Parsed) -> String {
    let mut out = String::new();
    match parsed {
        Parsed::Feed(feed) => {
            let meta = &feed.feed;
            let _ = writeln!(out, "feed      {}", feed.url);
            let _ = writeln!(out, "title     {}", meta.title.as_deref().unwrap_or("-"));
            let _ = writeln!(
                out,
                "format    {} {}",
                meta.kind
                    .map_or("unknown".to_owned(), |k| format!("{k:?}").to_lowercase()),
                meta.version.as_deref().unwrap_or("")
            );
            let _ = writeln!(out, "entries   {}", feed.items.len());
            for warning in &meta.warnings {
                let _ = writeln!(out, "warning   {warning}");
            }
            for (idx, item) in feed.items.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "\n#{} {}",
                    idx + 1,
                    item.entry.title.as_deref().unwrap_or("(untitled)")
                );
                match &item.page {
                    PageStatus::Failed(reason) => {
                        let _ = writeln!(
                            out,
                            "   page unavailable ({reason}); the feed's content is used"
                        );
                    }
                    PageStatus::Empty => {
                        let _ = writeln!(
                            out,
                            "   no article found on the page; the feed's content is used"
                        );
                    }
                    PageStatus::Extracted | PageStatus::NotFetched => {}
                }
                match &item.dispatch {
                    Ok(dispatch) => render_dispatch(&mut out, dispatch, false),
                    Err(error) => {
                        let _ = writeln!(out, "   error: {error}");
                    }
                }
            }
        }
        Parsed::Page(page) => match &page.dispatch {
            Ok(dispatch) => render_dispatch(&mut out, dispatch, true),
            Err(error) => {
                let _ = writeln!(out, "error: {error}");
            }
        },
    }
    out
}

/// A dispatch for a person: header lines, then the body (or its first paragraphs).
pub fn render_dispatch(out: &mut String, d: &Dispatch, full_body: bool) {
    let time = |t: &Option<newswire_pipeline::model::StatedTime>| match t {
        Some(t) => match t.instant() {
            Some(utc) => format!("{t}  ({} UTC)", utc.format("%Y-%m-%d %H:%M:%S")),
            None => t.to_string(),
        },
        None => "-".to_owned(),
    };
    let _ = writeln!(out, "   title      {}", d.title);
    let _ = writeln!(out, "   url        {}", d.url);
    let _ = writeln!(out, "   id         {}", d.id);
    let _ = writeln!(out, "   published  {}", time(&d.published_at));
    if d.updated_at.is_some() {
        let _ = writeln!(out, "   updated    {}", time(&d.updated_at));
    }
    let authors = if d.authors.is_empty() {
        "-".to_owned()
    } else {
        d.authors.join(", ")
    };
    let _ = writeln!(out, "   authors    {authors}");
    let _ = writeln!(
        out,
        "   body       {} blocks from {:?}",
        d.body.len(),
        d.provenance.body
    );
    for warning in &d.warnings {
        let _ = writeln!(out, "   warning    {warning}");
    }
    let shown = if full_body {
        d.body.len()
    } else {
        d.body.len().min(2)
    };
    for block in &d.body[..shown] {
        let marker = match block.kind {
            newswire_pipeline::model::BlockKind::Quote => "   > ",
            newswire_pipeline::model::BlockKind::ListItem => "   - ",
            newswire_pipeline::model::BlockKind::Heading => "   # ",
            _ => "     ",
        };
        let _ = writeln!(out, "\n{marker}{}", block.text);
    }
    if shown < d.body.len() {
        let _ = writeln!(out, "\n     [... {} more blocks]", d.body.len() - shown);
    }
}
