//! What both engines store beside the JSON: the fingerprint, the sort key, the body origin's name, the host; and
//! what both make of a search hit.

use chrono::{DateTime, Utc};
use newswire_model::{BodyOrigin, Dispatch};

use crate::StoreError;

/// The JSON stored for a dispatch: its contract form with `"story": null`, since the story is kept in a column of
/// its own and set when the dispatch is read back.
pub(crate) fn to_json(dispatch: &Dispatch) -> String {
    if dispatch.story.is_some() {
        let mut copy = dispatch.clone();
        copy.story = None;
        return to_json(&copy);
    }
    serde_json::to_string(dispatch).expect("a Dispatch always serializes")
}

/// How the contract form of a dispatch without a story ends (`story` is its last field).
const NO_STORY: &str = r#","story":null}"#;

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
    copy.story = None;
    // Hashed without the `story` key, which is not content: dispatches stored before it existed keep their
    // fingerprints, so storing them again is "unchanged", not a new revision.
    let json = to_json(&copy);
    let json = match json.strip_suffix(NO_STORY) {
        Some(head) => format!("{head}}}"),
        None => json,
    };
    let digest = Sha256::digest(json.as_bytes());
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

/// The host of the dispatch's site, lower case (its `source.site` origin without the scheme), for
/// [`crate::SearchQuery::source`].
pub(crate) fn host(dispatch: &Dispatch) -> Option<String> {
    let site = dispatch.source.site.as_deref()?;
    let (_, host) = site.split_once("://")?;
    Some(host.trim_end_matches('/').to_lowercase())
}

/// A search hit for a stored dispatch (its story already set), its score, and the query's folded terms.
pub(crate) fn hit(dispatch: Dispatch, score: f64, terms: &[String]) -> crate::SearchHit {
    let snippet = crate::text::snippet(&dispatch.title, &dispatch.text(), terms);
    crate::SearchHit {
        id: dispatch.id,
        url: dispatch.url,
        title: dispatch.title,
        published_at: dispatch.published_at,
        source: dispatch.source,
        story: dispatch.story,
        score,
        snippet,
    }
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use newswire_model::{Block, Provenance, SourceRef};

    use super::*;

    fn sample() -> Dispatch {
        Dispatch {
            id: "0123456789abcdef".into(),
            url: "https://example.com/a".into(),
            title: "A title".into(),
            published_at: Some("2012-07-24T06:10:00-05:00".parse().unwrap()),
            updated_at: None,
            fetched_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            authors: vec!["Jane Doe".into()],
            summary: None,
            body: vec![Block::paragraph("One."), Block::paragraph("Two.")],
            language: Some("en".into()),
            categories: vec![],
            image: None,
            source: SourceRef::default(),
            guid: None,
            content_hash: "hash".into(),
            provenance: Provenance {
                body: BodyOrigin::Page,
                ..Provenance::default()
            },
            warnings: vec![],
            story: None,
        }
    }

    #[test]
    fn fingerprint_ignores_the_story_and_is_what_it_was_before_stories() {
        // The fingerprint of `sample()` as computed before `Dispatch::story` existed.
        assert_eq!(fingerprint(&sample()), "618054da49fe6dda3e477606fa2e6452");
        let mut with_story = sample();
        with_story.story = Some("fedcba9876543210".into());
        assert_eq!(fingerprint(&with_story), fingerprint(&sample()));
        assert_eq!(to_json(&with_story), to_json(&sample()));
        assert!(to_json(&sample()).ends_with(NO_STORY));
    }

    #[test]
    fn host_is_the_site_without_its_scheme() {
        let mut d = sample();
        assert_eq!(host(&d), None);
        d.source.site = Some("https://Blogs.VOA.example".into());
        assert_eq!(host(&d).as_deref(), Some("blogs.voa.example"));
        d.source.site = Some("http://localhost:8080".into());
        assert_eq!(host(&d).as_deref(), Some("localhost:8080"));
    }
}
