//! Shared helpers: the fixture site server, a pipeline with a fixed clock, a temporary database.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use newswire_pipeline::ingest::fetch::{FetcherBuilder, Limits};
use newswire_pipeline::store::SqliteStore;
use newswire_pipeline::{Pipeline, PipelineBuilder, SharedStore, shared};
use newswire_testserver::TestServer;

pub fn fixtures() -> PathBuf {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures"));
    path.canonicalize().unwrap_or(path)
}

pub fn site_server() -> TestServer {
    TestServer::start(Some(fixtures().join("site"))).expect("start the fixture server")
}

pub fn fixed_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()
}

/// A pipeline with a fixed clock and a short timeout, so hanging servers cost seconds, not minutes.
pub fn pipeline() -> Pipeline {
    let time = fixed_time();
    PipelineBuilder::new()
        .clock(Arc::new(move || time))
        .fetcher(
            FetcherBuilder::new()
                .timeout(Duration::from_secs(2))
                .connect_timeout(Duration::from_secs(2))
                // The fixture server is on 127.0.0.1, and the tests need no pacing.
                .allow_private(true)
                .limits(Limits {
                    global: 16,
                    per_host: 8,
                    spacing: Duration::ZERO,
                }),
        )
        .build()
        .unwrap()
}

pub struct Db {
    pub dir: tempfile::TempDir,
}

impl Db {
    pub fn new() -> Db {
        Db {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("newswire.db")
    }

    pub fn open(&self) -> SqliteStore {
        SqliteStore::open(self.path()).unwrap()
    }

    pub fn shared(&self) -> SharedStore {
        shared(self.open())
    }
}

/// The reference dispatch's 12 body paragraphs, read from the seed text (everything after "Leave a comment").
pub fn seed_paragraphs() -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join("reference/voa-2012-07-24.txt")).unwrap();
    let body = text.split_once("Leave a comment").unwrap().1;
    body.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

pub const VOA_PATH: &str =
    "/blogs.voa.example/2012/07/24/rights-groups-call-for-us-to-pressure-china-on-rights-abuses/";
pub const VOA_CANONICAL: &str = "https://blogs.voa.example/2012/07/24/rights-groups-call-for-us-to-pressure-china-on-rights-abuses/";
