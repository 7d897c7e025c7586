//! What both engines store beside the JSON: the fingerprint, the sort key, the body origin's name.

use chrono::{DateTime, Utc};
use newswire_model::{BodyOrigin, Dispatch};

use crate::StoreError;

pub(crate) fn to_json(dispatch: &Dispatch) -> String {
    serde_json::to_string(dispatch).expect("a Dispatch always serializes")
}

pub(crate) fn from_json(id: &str, json: &str) -> Result<Dispatch, StoreError> {
    serde_json::from_str(json).map_err(|source| StoreError::Corrupt {
        id: id.to_owned(),
        source,
    })
}

/// A hash of everything a reader would see change: the dispatch without its fetch time and warnings.
pub(crate) fn fingerprint(dispatch: &Dispatch) -> String {
    use sha2::{Digest, Sha256};
    let mut copy = dispatch.clone();
    copy.fetched_at = DateTime::<Utc>::UNIX_EPOCH;
    copy.warnings.clear();
    let digest = Sha256::digest(to_json(&copy).as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn body_origin_name(origin: BodyOrigin) -> &'static str {
    match origin {
        BodyOrigin::Page => "page",
        BodyOrigin::FeedContent => "feed_content",
        BodyOrigin::FeedSummary => "feed_summary",
        BodyOrigin::None => "none",
    }
}

/// Unix seconds of the publication instant (a zone-less time read as UTC), or of the fetch when undated.
pub(crate) fn sort_at(dispatch: &Dispatch) -> i64 {
    dispatch
        .published_at
        .map_or(dispatch.fetched_at, |t| t.sort_key())
        .timestamp()
}

/// What an upsert does given the stored row's fingerprint and body origin.
pub(crate) fn decide(
    dispatch: &Dispatch,
    print: &str,
    old_print: &str,
    old_origin: &str,
    old_revision: u32,
) -> crate::Outcome {
    if old_print == print {
        crate::Outcome::Unchanged
    } else if old_origin == "page" && dispatch.provenance.body != BodyOrigin::Page {
        crate::Outcome::KeptBetter
    } else {
        crate::Outcome::Updated {
            revision: old_revision + 1,
        }
    }
}
