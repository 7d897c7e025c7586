//! When a source is checked next: intervals that adapt to how often it publishes, and backoff after errors.
//!
//! After a successful check the interval is half the mean gap between the source's recent entries (so a
//! source that publishes hourly is checked every half hour), never shorter than what the publisher asked
//! for (RSS `<ttl>`, `sy:updatePeriod`/`sy:updateFrequency`, `Cache-Control: max-age`), and always within the
//! user's bounds (default 15 minutes to 24 hours). A 304 or a feed with nothing new stretches the interval by
//! a quarter. After an error the wait doubles with each consecutive failure, from the lower bound up to a
//! ceiling, with ±20% jitter so that sources that failed together do not return together; a 429 or 503's
//! `Retry-After` is honoured when it asks for longer. The first success resets the error count and the
//! source returns to its normal interval.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use chrono::{DateTime, Utc};

/// The user's bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// The shortest interval between two checks of a source.
    pub min: Duration,
    /// The longest interval between two checks of a healthy source.
    pub max: Duration,
    /// The longest wait after errors.
    pub backoff_ceiling: Duration,
}

impl Default for Bounds {
    /// 15 minutes to 24 hours; backoff up to 24 hours.
    fn default() -> Bounds {
        Bounds {
            min: Duration::from_secs(15 * 60),
            max: Duration::from_secs(24 * 3600),
            backoff_ceiling: Duration::from_secs(24 * 3600),
        }
    }
}

impl Bounds {
    fn clamp(&self, interval: Duration) -> Duration {
        interval.clamp(self.min, self.max.max(self.min))
    }
}

/// How many recent entries the publication rate is estimated from.
const RECENT_ENTRIES: usize = 20;

/// The interval after a successful check that returned a document.
///
/// `published` are the instants of the entries it carried (any order; future ones are ignored), `previous`
/// the interval in force, `ttl` the feed's own hint and `max_age` the response's `Cache-Control: max-age`.
pub fn after_success(
    published: &[DateTime<Utc>],
    now: DateTime<Utc>,
    previous: Duration,
    new_items: usize,
    ttl: Option<Duration>,
    max_age: Option<Duration>,
    bounds: &Bounds,
) -> Duration {
    let mut recent: Vec<DateTime<Utc>> = published.iter().copied().filter(|t| *t <= now).collect();
    recent.sort_unstable_by(|a, b| b.cmp(a));
    recent.truncate(RECENT_ENTRIES);
    let by_rate = match (recent.first(), recent.last()) {
        (Some(newest), Some(oldest)) if recent.len() >= 2 => {
            let span = (*newest - *oldest).to_std().unwrap_or_default();
            let mean_gap = span / (recent.len() as u32 - 1);
            // A source silent for longer than its usual gap is checked less often, not more.
            let quiet = (now - *newest).to_std().unwrap_or_default();
            Some((mean_gap / 2).max(quiet / 4))
        }
        _ => None,
    };
    let base = match by_rate {
        Some(interval) => interval,
        None if new_items == 0 => stretched(previous),
        None => previous,
    };
    let hinted = [ttl, max_age]
        .into_iter()
        .flatten()
        .fold(base, Duration::max);
    bounds.clamp(hinted)
}

/// The interval after a 304 Not Modified: a quarter longer than before, at least `max_age`.
pub fn after_not_modified(
    previous: Duration,
    max_age: Option<Duration>,
    bounds: &Bounds,
) -> Duration {
    bounds.clamp(stretched(previous).max(max_age.unwrap_or_default()))
}

fn stretched(previous: Duration) -> Duration {
    previous + previous / 4
}

/// The wait after the `errors`-th consecutive failure (1 for the first): `min · 2^(errors-1)`, capped at the
/// ceiling, with ±20% jitter, and at least what `Retry-After` asked for.
pub fn after_error(errors: u32, retry_after: Option<Duration>, bounds: &Bounds) -> Duration {
    let exponent = errors.saturating_sub(1).min(20);
    let backoff = bounds
        .min
        .saturating_mul(1 << exponent)
        .min(bounds.backoff_ceiling);
    let jittered = jitter(backoff, 0.2);
    jittered.max(retry_after.unwrap_or_default())
}

/// `d` scaled by a random factor in `[1 - spread, 1 + spread]`.
fn jitter(d: Duration, spread: f64) -> Duration {
    // A randomly keyed hasher is a good enough source of randomness for spreading retries.
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    let unit = (random >> 11) as f64 / (1u64 << 53) as f64; // in [0, 1)
    d.mul_f64(1.0 - spread + 2.0 * spread * unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 10, 0, 0, 0).unwrap() + chrono::Duration::hours(hour)
    }

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn hourly_publisher_is_checked_every_half_hour() {
        let published: Vec<_> = (0..10).map(at).collect();
        let interval = after_success(&published, at(9), HOUR, 3, None, None, &Bounds::default());
        assert_eq!(interval, HOUR / 2);
    }

    #[test]
    fn bounds_win() {
        let bounds = Bounds::default();
        // Every minute: clamped to the 15-minute floor.
        let busy: Vec<_> = (0..10)
            .map(|m| at(0) + chrono::Duration::minutes(m))
            .collect();
        let now = at(0) + chrono::Duration::minutes(9);
        assert_eq!(
            after_success(&busy, now, HOUR, 5, None, None, &bounds),
            bounds.min
        );
        // Weekly: clamped to the 24-hour ceiling.
        let weekly: Vec<_> = (0..4).map(|w| at(w * 24 * 7)).collect();
        assert_eq!(
            after_success(&weekly, at(3 * 24 * 7), HOUR, 1, None, None, &bounds),
            bounds.max
        );
        // A ttl beyond the user's ceiling is capped by it.
        let published: Vec<_> = (0..10).map(at).collect();
        let ttl = Some(Duration::from_secs(48 * 3600));
        assert_eq!(
            after_success(&published, at(9), HOUR, 1, ttl, None, &bounds),
            bounds.max
        );
    }

    #[test]
    fn publisher_hints_lengthen_the_interval() {
        let published: Vec<_> = (0..10).map(at).collect();
        let bounds = Bounds::default();
        let ttl = Some(2 * HOUR);
        assert_eq!(
            after_success(&published, at(9), HOUR, 1, ttl, None, &bounds),
            2 * HOUR
        );
        let max_age = Some(3 * HOUR);
        assert_eq!(
            after_success(&published, at(9), HOUR, 1, ttl, max_age, &bounds),
            3 * HOUR
        );
    }

    #[test]
    fn quiet_source_slows_down() {
        let published: Vec<_> = (0..10).map(at).collect();
        // Hourly until hour 9, then silent for two days.
        let interval = after_success(
            &published,
            at(9 + 48),
            HOUR,
            0,
            None,
            None,
            &Bounds::default(),
        );
        assert_eq!(interval, 12 * HOUR);
    }

    #[test]
    fn not_modified_stretches() {
        let bounds = Bounds::default();
        assert_eq!(after_not_modified(HOUR, None, &bounds), HOUR + HOUR / 4);
        assert_eq!(after_not_modified(23 * HOUR, None, &bounds), bounds.max);
        assert_eq!(after_not_modified(HOUR, Some(4 * HOUR), &bounds), 4 * HOUR);
    }

    #[test]
    fn errors_back_off_exponentially_with_jitter_up_to_the_ceiling() {
        let bounds = Bounds::default();
        for errors in 1..=12u32 {
            let expected = bounds
                .min
                .saturating_mul(1 << (errors - 1))
                .min(bounds.backoff_ceiling);
            for _ in 0..20 {
                let wait = after_error(errors, None, &bounds);
                assert!(
                    wait >= expected.mul_f64(0.8) && wait <= expected.mul_f64(1.2),
                    "errors {errors}: {wait:?} vs {expected:?}"
                );
            }
        }
        // Jitter spreads: twenty draws are not all equal.
        let draws: std::collections::HashSet<_> =
            (0..20).map(|_| after_error(3, None, &bounds)).collect();
        assert!(draws.len() > 1);
    }

    #[test]
    fn retry_after_is_honoured_when_longer() {
        let bounds = Bounds::default();
        let wait = after_error(1, Some(Duration::from_secs(7200)), &bounds);
        assert_eq!(wait, Duration::from_secs(7200));
        let wait = after_error(1, Some(Duration::from_secs(5)), &bounds);
        assert!(wait >= bounds.min.mul_f64(0.8));
    }
}
