//! robots.txt: fetched once per origin, cached, and honoured for article pages (RFC 9309).
//!
//! Rules are parsed by the `texting_robots` crate for the product token `newswire`. What an answer means
//! follows RFC 9309: a 2xx body is parsed; a 4xx (no robots.txt, or one we may not read) allows everything; a
//! 5xx or a network failure disallows everything until the entry expires, which happens sooner than for a good
//! answer, so a site whose robots.txt is briefly down is retried soon. Feeds themselves are not checked: the
//! user subscribed to them by URL, as a person would in a feed reader. A `Crawl-delay` for us (not part of RFC
//! 9309, but widely written) is reported by [`RobotsCache::crawl_delay`], capped at [`MAX_CRAWL_DELAY`], for
//! the fetcher's per-host spacing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use texting_robots::Robot;
use url::Url;

use crate::fetch::{FetchError, Fetcher};

/// The product token matched against `User-agent:` lines.
pub const PRODUCT_TOKEN: &str = "newswire";

/// The largest robots.txt read; RFC 9309 asks parsers to handle at least 500 KiB.
const MAX_ROBOTS_BYTES: usize = 512 * 1024;

/// The longest `Crawl-delay` honoured: a site asking for more is spaced this far apart (a delay of an hour
/// would stall its articles for days).
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

/// What robots.txt says about one URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Fetching is allowed.
    Allowed,
    /// robots.txt disallows it; the reason names the rule's origin.
    Disallowed(String),
}

enum Rules {
    AllowAll,
    DisallowAll(String),
    Parsed(Box<Robot>),
}

struct Entry {
    rules: Rules,
    expires: Instant,
}

/// A cache of robots.txt rules per origin, shared by the tasks of a run.
pub struct RobotsCache {
    ttl: Duration,
    error_ttl: Duration,
    origins: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<Entry>>>>>,
}

impl std::fmt::Debug for RobotsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RobotsCache")
            .field("ttl", &self.ttl)
            .field("error_ttl", &self.error_ttl)
            .finish_non_exhaustive()
    }
}

impl Default for RobotsCache {
    fn default() -> Self {
        RobotsCache::new(Duration::from_secs(24 * 3600))
    }
}

impl RobotsCache {
    /// A cache keeping good answers for `ttl` and failures for at most ten minutes.
    pub fn new(ttl: Duration) -> RobotsCache {
        RobotsCache {
            ttl,
            error_ttl: ttl.min(Duration::from_secs(600)),
            origins: Mutex::new(HashMap::new()),
        }
    }

    /// The `Crawl-delay` the cached robots.txt of `url`'s origin asks of us (capped at [`MAX_CRAWL_DELAY`]);
    /// `None` when it asks none, or when the origin's rules are not cached yet (call after [`Self::check`]).
    pub fn crawl_delay(&self, url: &Url) -> Option<Duration> {
        let origin = url.origin().ascii_serialization();
        let slot = {
            let origins = self.origins.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(origins.get(&origin)?)
        };
        let entry = slot.try_lock().ok()?;
        match entry.as_ref().map(|e| &e.rules) {
            Some(Rules::Parsed(robot)) => delay_of(robot.delay),
            _ => None,
        }
    }

    /// Whether `url` may be fetched, fetching the origin's robots.txt through `fetcher` when it is not cached.
    /// Non-HTTP URLs (local files) are always allowed.
    pub async fn check(&self, fetcher: &Fetcher, url: &Url) -> Verdict {
        if !matches!(url.scheme(), "http" | "https") {
            return Verdict::Allowed;
        }
        let origin = url.origin().ascii_serialization();
        let slot = {
            let mut origins = self.origins.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(origins.entry(origin.clone()).or_default())
        };
        // One fetch per origin at a time: the others wait for its answer.
        let mut entry = slot.lock().await;
        if entry.as_ref().is_none_or(|e| e.expires <= Instant::now()) {
            *entry = Some(self.load(fetcher, &origin).await);
        }
        match entry.as_ref().map(|e| &e.rules) {
            Some(Rules::Parsed(robot)) if !robot.allowed(url.as_str()) => {
                Verdict::Disallowed(format!("{origin}/robots.txt disallows {}", url.path()))
            }
            Some(Rules::DisallowAll(why)) => Verdict::Disallowed(why.clone()),
            _ => Verdict::Allowed,
        }
    }

    async fn load(&self, fetcher: &Fetcher, origin: &str) -> Entry {
        let robots_url = match Url::parse(&format!("{origin}/robots.txt")) {
            Ok(url) => url,
            Err(_) => return self.entry(Rules::AllowAll),
        };
        match fetcher.fetch(&robots_url).await {
            Ok(fetched) => {
                let body = &fetched.body[..fetched.body.len().min(MAX_ROBOTS_BYTES)];
                match Robot::new(PRODUCT_TOKEN, body) {
                    Ok(robot) => self.entry(Rules::Parsed(Box::new(robot))),
                    Err(err) => {
                        tracing::info!(%robots_url, error = %err, "unreadable robots.txt; allowing all");
                        self.entry(Rules::AllowAll)
                    }
                }
            }
            Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => {
                self.entry(Rules::AllowAll)
            }
            Err(err) => {
                let why = format!(
                    "{robots_url} is unavailable ({err}); the site is treated as disallowed for now"
                );
                Entry {
                    rules: Rules::DisallowAll(why),
                    expires: Instant::now() + self.error_ttl,
                }
            }
        }
    }

    fn entry(&self, rules: Rules) -> Entry {
        Entry {
            rules,
            expires: Instant::now() + self.ttl,
        }
    }
}

/// A `Crawl-delay` value in seconds as a duration: `None` for none, zero, negative or not a number; at most
/// [`MAX_CRAWL_DELAY`].
fn delay_of(seconds: Option<f32>) -> Option<Duration> {
    let seconds = seconds.filter(|s| s.is_finite() && *s > 0.0)?;
    Some(Duration::from_secs_f64(f64::from(seconds)).min(MAX_CRAWL_DELAY))
}
