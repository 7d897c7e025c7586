//! Reading the response headers that steer scheduling: `Retry-After` and `Cache-Control: max-age`.

use std::time::{Duration, SystemTime};

/// The longest wait honoured from a `Retry-After` or `max-age` (a week): larger values are capped, not ignored.
pub const MAX_HINT: Duration = Duration::from_secs(7 * 24 * 3600);

/// `Retry-After` as a wait from `now`: delta-seconds (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`).
/// A date in the past is a wait of zero; anything unreadable is `None`.
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds).min(MAX_HINT));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::UNIX_EPOCH
        .checked_add(Duration::from_secs(u64::try_from(date.timestamp()).ok()?))?;
    Some(
        at.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_HINT),
    )
}

/// `max-age` from a `Cache-Control` header (`s-maxage` is for shared caches and ignored); `no-cache` and
/// `no-store` say nothing about how often to come back, so they give `None` too.
pub fn max_age(cache_control: &str) -> Option<Duration> {
    cache_control.split(',').find_map(|directive| {
        let (name, value) = directive.trim().split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("max-age") {
            return None;
        }
        let seconds = value.trim().trim_matches('"').parse::<u64>().ok()?;
        Some(Duration::from_secs(seconds).min(MAX_HINT))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21T07:28:00Z
        assert_eq!(retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:30:00 GMT", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("99999999999", now), Some(MAX_HINT));
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("-5", now), None);
    }

    #[test]
    fn max_age_forms() {
        assert_eq!(max_age("max-age=300"), Some(Duration::from_secs(300)));
        assert_eq!(
            max_age("public, s-maxage=60, max-age=900"),
            Some(Duration::from_secs(900))
        );
        assert_eq!(max_age("MAX-AGE = \"60\""), Some(Duration::from_secs(60)));
        assert_eq!(max_age("no-cache"), None);
        assert_eq!(max_age("max-age=abc"), None);
    }
}
