//! Politeness: a global limit on requests in flight, and per host a limit on concurrent requests and a minimum
//! spacing between the starts of two requests.
//!
//! Every request a [`Fetcher`](super::Fetcher) makes (each redirect hop included) first takes a turn here. The
//! order matters: a request waits for its host (a concurrency slot, then its spacing) before it takes one of
//! the global slots, so a slow or strict host never holds global slots while it waits. Spacing is enforced by
//! governor's keyed GCRA limiter with a burst of one; a host can ask for more (robots.txt `Crawl-delay`,
//! [`Politeness::set_host_delay`]). A [`HostGate`] can add a wait shared with other processes (several
//! workers against one database).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Limits for [`Politeness`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Requests in flight at once, over all hosts.
    pub global: usize,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// The least time between the starts of two requests to one host (zero for none).
    pub spacing: Duration,
}

impl Default for Limits {
    /// 32 requests at once in all, 2 per host, 1 s apart per host.
    fn default() -> Limits {
        Limits {
            global: 32,
            per_host: 2,
            spacing: Duration::from_secs(1),
        }
    }
}

/// A wait shared beyond this process: before a request to `host`, [`HostGate::wait_turn`] is awaited (after this
/// process's own limits). The store-backed gate of several workers implements it.
pub trait HostGate: Send + Sync + std::fmt::Debug {
    /// Resolves when a request to `host` may start.
    fn wait_turn(
        &self,
        host: &str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>>;
}

/// The state behind [`Limits`]: shared by every clone of a fetcher.
#[derive(Debug)]
pub struct Politeness {
    limits: Limits,
    global: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
    spacing: Option<DefaultKeyedRateLimiter<String>>,
    /// Hosts that asked for more spacing than `limits.spacing`: the spacing and the next free start.
    delays: Mutex<HashMap<String, (Duration, tokio::time::Instant)>>,
    gate: Option<Arc<dyn HostGate>>,
}

/// A turn to make one request; dropping it frees the slots.
#[derive(Debug)]
pub struct Turn {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

impl Politeness {
    /// Politeness with these limits (zero counts are taken as one).
    pub fn new(limits: Limits, gate: Option<Arc<dyn HostGate>>) -> Politeness {
        let limits = Limits {
            global: limits.global.max(1),
            per_host: limits.per_host.max(1),
            spacing: limits.spacing,
        };
        let spacing = Quota::with_period(limits.spacing)
            .map(|quota| RateLimiter::keyed(quota.allow_burst(NonZeroU32::MIN)));
        Politeness {
            limits,
            global: Arc::new(Semaphore::new(limits.global)),
            hosts: Mutex::new(HashMap::new()),
            spacing,
            delays: Mutex::new(HashMap::new()),
            gate,
        }
    }

    /// Spaces the starts of requests to `host` (lowercased) at least `delay` apart from now on, when that is
    /// more than the spacing in force: what a robots.txt `Crawl-delay` asks. A later call replaces the delay.
    pub fn set_host_delay(&self, host: &str, delay: Duration) {
        let mut delays = self.delays.lock().unwrap_or_else(|e| e.into_inner());
        if delay <= self.limits.spacing {
            delays.remove(host);
            return;
        }
        match delays.get_mut(host) {
            Some((spacing, _)) => *spacing = delay,
            None => {
                delays.insert(host.to_owned(), (delay, tokio::time::Instant::now()));
            }
        }
    }

    /// The start reserved for the next request to `host` under its own delay, if it has one and must wait.
    fn reserve_delayed(&self, host: &str) -> Option<tokio::time::Instant> {
        let mut delays = self.delays.lock().unwrap_or_else(|e| e.into_inner());
        let (spacing, next) = delays.get_mut(host)?;
        let now = tokio::time::Instant::now();
        let start = (*next).max(now);
        *next = start + *spacing;
        (start > now).then_some(start)
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Waits for a turn to request from `host` (a host name, lowercased; empty for none).
    pub async fn turn(&self, host: &str) -> Turn {
        let host_slots = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(
                hosts
                    .entry(host.to_owned())
                    .or_insert_with(|| Arc::new(Semaphore::new(self.limits.per_host))),
            )
        };
        // The semaphores are never closed, so acquiring cannot fail.
        let host_permit = host_slots
            .acquire_owned()
            .await
            .expect("host semaphore is never closed");
        if let Some(limiter) = &self.spacing {
            limiter.until_key_ready(&host.to_owned()).await;
        }
        if let Some(start) = self.reserve_delayed(host) {
            tokio::time::sleep_until(start).await;
        }
        if let Some(gate) = &self.gate {
            gate.wait_turn(host).await;
        }
        let global_permit = Arc::clone(&self.global)
            .acquire_owned()
            .await
            .expect("global semaphore is never closed");
        Turn {
            _host: host_permit,
            _global: global_permit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn a_host_delay_spaces_that_host_only() {
        runtime().block_on(async {
            let polite = Politeness::new(
                Limits {
                    global: 8,
                    per_host: 4,
                    spacing: Duration::from_millis(10),
                },
                None,
            );
            polite.set_host_delay("slow.example", Duration::from_millis(120));
            // A delay below the spacing in force changes nothing.
            polite.set_host_delay("fast.example", Duration::from_millis(5));
            let started = Instant::now();
            for _ in 0..3 {
                drop(polite.turn("slow.example").await);
            }
            let slow = started.elapsed();
            assert!(slow >= Duration::from_millis(240), "{slow:?}");
            // The other host keeps the ordinary spacing: no delay of its own is reserved.
            assert!(polite.reserve_delayed("fast.example").is_none());
            // Lifting the delay (one no more than the spacing) removes it.
            polite.set_host_delay("slow.example", Duration::ZERO);
            assert!(polite.reserve_delayed("slow.example").is_none());
        });
    }

    #[test]
    fn spacing_and_concurrency_per_host() {
        runtime().block_on(async {
            let polite = Arc::new(Politeness::new(
                Limits {
                    global: 8,
                    per_host: 1,
                    spacing: Duration::from_millis(50),
                },
                None,
            ));
            let start = Instant::now();
            let mut starts = Vec::new();
            for _ in 0..4 {
                let turn = polite.turn("a.example").await;
                starts.push(start.elapsed());
                drop(turn);
            }
            // Four starts on one host are at least 3 spacings apart in all.
            assert!(starts[3] >= Duration::from_millis(140), "{starts:?}");
            // Another host is not held up by the first.
            let other = tokio::time::timeout(Duration::from_secs(5), polite.turn("b.example"));
            assert!(other.await.is_ok());
        });
    }

    #[test]
    fn per_host_slot_is_held_until_the_turn_is_dropped() {
        runtime().block_on(async {
            let polite = Politeness::new(
                Limits {
                    global: 8,
                    per_host: 1,
                    spacing: Duration::ZERO,
                },
                None,
            );
            let first = polite.turn("a.example").await;
            let second = tokio::time::timeout(Duration::from_millis(50), polite.turn("a.example"));
            assert!(
                second.await.is_err(),
                "a second turn must wait for the first"
            );
            drop(first);
            let third = tokio::time::timeout(Duration::from_millis(50), polite.turn("a.example"));
            assert!(third.await.is_ok());
        });
    }
}
