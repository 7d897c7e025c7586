//! The source registry: the sources a worker checks, their schedule, their leases, and per-host request slots.
//!
//! The types here are plain records; each engine stores them in its `sources` and `host_slots` tables (schema
//! version 2). How several workers share the registry:
//!
//! - [`Store::lease_due`](crate::Store::lease_due) takes due sources for one worker (the *owner*) for a while;
//!   no other worker gets them until the lease is released or expires.
//! - [`Store::finish_check`](crate::Store::finish_check) writes what a check found, but only while the worker
//!   still holds the lease: a worker that stalled past its lease writes nothing, since the source may already
//!   have been checked by another.
//! - [`Store::reserve_host_slot`](crate::Store::reserve_host_slot) spaces requests to one host across workers.
//!
//! Times are stored to the microsecond (both engines), and no later than the end of year 9999.

use chrono::{DateTime, Utc};

/// The check interval of a newly added source, in seconds (an hour).
pub const DEFAULT_INTERVAL_SECS: u32 = 3600;

/// A registered source with its schedule and the result of its last check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// Assigned by the database; never reused.
    pub id: i64,
    /// The URL checked now: the one added, or where it moved for good since. Unique among sources.
    pub url: String,
    /// The URL as first added; never changes.
    pub original_url: String,
    /// The source's title: as added, or else the first title a check found.
    pub title: Option<String>,
    /// The web site the source belongs to, as added.
    pub site_url: Option<String>,
    /// Categories (OPML folders, tags), in the order first given, without duplicates.
    pub categories: Vec<String>,
    /// When the source was added.
    pub added_at: DateTime<Utc>,
    /// The `ETag` of the last response, for a conditional request.
    pub etag: Option<String>,
    /// The `Last-Modified` of the last response, for a conditional request.
    pub last_modified: Option<String>,
    /// When the source was last checked; `None` before its first check.
    pub last_checked_at: Option<DateTime<Utc>>,
    /// The last check's [`CheckStatus`] as text: `"ok"`, `"not modified"` or `"error"`.
    pub last_status: Option<String>,
    /// What went wrong at the last check (or a note, such as a move that could not be followed).
    pub last_error: Option<String>,
    /// Consecutive failed checks.
    pub error_count: u32,
    /// When the source is next due.
    pub next_check_at: DateTime<Utc>,
    /// The current check interval, in seconds.
    pub interval_secs: u32,
    /// Dispatches first stored from this source, over all checks.
    pub items_total: u64,
    /// Dispatches first stored at the last check.
    pub last_new: u32,
    /// The worker holding the source's lease, if any (an expired lease may still be shown).
    pub lease_owner: Option<String>,
    /// When the lease ends.
    pub lease_until: Option<DateTime<Utc>>,
}

/// A source to add with [`Store::add_source`](crate::Store::add_source).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewSource {
    /// The URL to check; the store compares it as given (normalize it first).
    pub url: String,
    /// A title, if known (from OPML or discovery).
    pub title: Option<String>,
    /// The web site the source belongs to, if known.
    pub site_url: Option<String>,
    /// Categories to give it.
    pub categories: Vec<String>,
}

/// What [`Store::add_source`](crate::Store::add_source) found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddOutcome {
    /// The source was new and is now registered.
    Added(Source),
    /// A source with this URL (current or original) was already registered; it is returned with the new
    /// categories merged in.
    Exists(Source),
}

impl AddOutcome {
    /// The source, added or existing.
    pub fn source(&self) -> &Source {
        match self {
            AddOutcome::Added(source) | AddOutcome::Exists(source) => source,
        }
    }

    /// The source, added or existing.
    pub fn into_source(self) -> Source {
        match self {
            AddOutcome::Added(source) | AddOutcome::Exists(source) => source,
        }
    }
}

/// How a check of a source ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CheckStatus {
    /// Fetched and processed.
    Ok,
    /// The server answered 304 Not Modified.
    NotModified,
    /// The check failed.
    Error,
}

impl CheckStatus {
    /// The text stored in `last_status`: `"ok"`, `"not modified"` or `"error"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Ok => "ok",
            CheckStatus::NotModified => "not modified",
            CheckStatus::Error => "error",
        }
    }

    /// The status stored as `text`, if it is one of [`CheckStatus::as_str`]'s.
    pub fn from_stored(text: &str) -> Option<CheckStatus> {
        match text {
            "ok" => Some(CheckStatus::Ok),
            "not modified" => Some(CheckStatus::NotModified),
            "error" => Some(CheckStatus::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for CheckStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one check of a source found; written back by [`Store::finish_check`](crate::Store::finish_check).
///
/// Every field is written as given (except `title` and `moved_to`, see there): to keep the validators of a
/// source whose check learned none (an error), pass the source's own `etag` and `last_modified` back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckRecord {
    /// When the check was made (its response received). The lease must still run at this time.
    pub checked_at: DateTime<Utc>,
    /// How it ended.
    pub status: CheckStatus,
    /// What went wrong, for [`CheckStatus::Error`].
    pub error: Option<String>,
    /// The new URL after a permanent redirect. It replaces the source's URL unless another source already has
    /// it; then the URL is kept and `last_error` says so.
    pub moved_to: Option<String>,
    /// The response's `ETag`.
    pub etag: Option<String>,
    /// The response's `Last-Modified`.
    pub last_modified: Option<String>,
    /// The title the feed states; set only if given and the source has none.
    pub title: Option<String>,
    /// When the source is next due.
    pub next_check_at: DateTime<Utc>,
    /// The new check interval, in seconds.
    pub interval_secs: u32,
    /// Consecutive failures including this check (0 after a success).
    pub error_count: u32,
    /// Dispatches first stored by this check; added to `items_total`.
    pub new_items: u32,
}

/// The latest time the engines store: the end of year 9999, so stored times keep a fixed width.
pub(crate) fn max_time() -> DateTime<Utc> {
    DateTime::from_timestamp(253_402_300_799, 0).expect("9999-12-31T23:59:59Z is a valid time")
}

/// `at + span`, capped at [`max_time`] (a lease "for ever" ends in year 9999).
pub(crate) fn later(at: DateTime<Utc>, span: std::time::Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(span)
        .ok()
        .and_then(|span| at.checked_add_signed(span))
        .map_or_else(max_time, |t| t.min(max_time()))
}

/// `existing` followed by those of `new` it lacks, each once, in order; `None` when nothing is added.
pub(crate) fn merge_categories(existing: &[String], new: &[String]) -> Option<Vec<String>> {
    let mut merged = existing.to_vec();
    for category in new {
        if !merged.contains(category) {
            merged.push(category.clone());
        }
    }
    (merged.len() > existing.len()).then_some(merged)
}

/// Categories as stored: a JSON array of strings, duplicates removed.
pub(crate) fn categories_to_json(categories: &[String]) -> String {
    let unique = merge_categories(&[], categories).unwrap_or_default();
    serde_json::to_string(&unique).expect("a list of strings always serializes")
}

pub(crate) fn categories_from_json(json: &str) -> Result<Vec<String>, serde_json::Error> {
    serde_json::from_str(json)
}

/// What `last_error` says when a source moved to a URL another source already has; after the check's own
/// error, if any.
pub(crate) fn moved_note(
    error: Option<&str>,
    moved_to: &str,
    other_id: Option<i64>,
    kept: &str,
) -> String {
    let other = match other_id {
        Some(id) => format!("source {id}"),
        None => "another source".to_owned(),
    };
    let note = format!(
        "moved permanently to {moved_to}, which {other} already has; still checking {kept}"
    );
    match error {
        Some(error) => format!("{error}; {note}"),
        None => note,
    }
}

/// A key given to `source`/`remove_source`: a numeric id, or else a URL.
pub(crate) fn key_id(key: &str) -> Option<i64> {
    key.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_categories_in_order_without_duplicates() {
        let existing = vec!["news".to_owned(), "tech".to_owned()];
        assert_eq!(
            merge_categories(
                &existing,
                &["tech".into(), "science".into(), "science".into()]
            ),
            Some(vec!["news".into(), "tech".into(), "science".into()])
        );
        assert_eq!(merge_categories(&existing, &["news".into()]), None);
        assert_eq!(
            categories_to_json(&["a".into(), "b".into(), "a".into()]),
            r#"["a","b"]"#
        );
    }

    #[test]
    fn status_round_trips() {
        for status in [
            CheckStatus::Ok,
            CheckStatus::NotModified,
            CheckStatus::Error,
        ] {
            assert_eq!(CheckStatus::from_stored(status.as_str()), Some(status));
        }
        assert_eq!(CheckStatus::from_stored("fine"), None);
    }

    #[test]
    fn later_is_capped() {
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        assert_eq!(
            later(now, std::time::Duration::from_secs(60)),
            DateTime::from_timestamp(1_700_000_060, 0).unwrap()
        );
        assert_eq!(later(now, std::time::Duration::MAX), max_time());
    }
}
