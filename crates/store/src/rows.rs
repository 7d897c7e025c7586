//! What both engines store beside the JSON: the fingerprint, the sort key, the body origin's name, the host; and
//! what both make of a search hit.

use chrono::{DateTime, Utc};
use newswire_model::{BodyOrigin, Dispatch};

use crate::StoreError;

/// The contract form of a dispatch with `"story": null` (the story is kept in a column of its own and set when the
/// dispatch is read back).
fn contract_json(dispatch: &Dispatch) -> String {
    if dispatch.story.is_some() {
        let mut copy = dispatch.clone();
        copy.story = None;
        return contract_json(&copy);
    }
    serde_json::to_string(dispatch).expect("a Dispatch always serializes")
}

/// How the contract form of a dispatch without a story ends (`story` is its last field).
const NO_STORY: &str = r#","story":null}"#;

/// The JSON stored for a dispatch and its fingerprint ([`fingerprint`]), from one serialization. The stored JSON is
/// the contract form with `"story": null` and without the `text` field, which is derived from `body` (the contract
/// form writes it, and reading ignores it), so the text is not stored twice; reading it back gives the same
/// [`Dispatch`], and so the same contract form on export.
pub(crate) fn json_and_fingerprint(dispatch: &Dispatch) -> (String, String) {
    let json = contract_json(dispatch);
    let print = fingerprint_of(&json).unwrap_or_else(|| fingerprint(dispatch));
    (compact(json), print)
}

/// The JSON stored for a dispatch, as [`json_and_fingerprint`] makes it.
#[cfg(test)]
pub(crate) fn stored_json(dispatch: &Dispatch) -> String {
    compact(contract_json(dispatch))
}

/// The byte range of the value of top-level key `key` in the contract form `json`, when `key` comes after the
/// first field and `json` has it. Every `"` inside a JSON string is escaped, so `,"key":` cannot occur within a
/// string: its one occurrence is the key (each of the contract's keys is unique), found from the end of `json`
/// when `from_end` (cheaper for a key after the body).
fn value_range(json: &str, key: &str, from_end: bool) -> Option<std::ops::Range<usize>> {
    let marker = format!(",\"{key}\":");
    let at = if from_end {
        json.rfind(&marker)?
    } else {
        json.find(&marker)?
    };
    let start = at + marker.len();
    let bytes = json.as_bytes();
    let end = match bytes.get(start)? {
        b'"' => {
            let mut idx = start + 1;
            loop {
                match bytes.get(idx)? {
                    b'\\' => idx += 2,
                    b'"' => break idx + 1,
                    _ => idx += 1,
                }
            }
        }
        b'[' => {
            // An array of strings (`warnings`): its end is the first `]` outside a string.
            let mut idx = start + 1;
            let mut in_string = false;
            loop {
                match (bytes.get(idx)?, in_string) {
                    (b'\\', true) => idx += 1,
                    (b'"', _) => in_string = !in_string,
                    (b']', false) => break idx + 1,
                    _ => {}
                }
                idx += 1;
            }
        }
        _ => return None,
    };
    Some(start..end)
}

/// `json` (a contract form) without its `text` field; `json` itself if it has none.
pub(crate) fn compact(mut json: String) -> String {
    if let Some(range) = value_range(&json, "text", false)
        && json.as_bytes().get(range.end) == Some(&b',')
    {
        json.replace_range(range.start - r#","text":"#.len()..range.end, "");
    }
    json
}

/// The fingerprint of `dispatch` from `json`, its contract form with `"story": null`: the hash of that form with
/// `fetched_at` replaced by the epoch and `warnings` by none, without the `story` key, as [`fingerprint`] makes it
/// from a copy. `None` when `json` is not laid out as expected (the caller then uses [`fingerprint`]).
fn fingerprint_of(json: &str) -> Option<String> {
    use sha2::{Digest, Sha256};
    let head = json.strip_suffix(NO_STORY)?;
    let fetched = value_range(head, "fetched_at", false)?;
    let warnings = value_range(head, "warnings", true)?;
    if warnings.end != head.len() || fetched.end > warnings.start {
        return None;
    }
    let epoch = serde_json::to_string(&DateTime::<Utc>::UNIX_EPOCH).ok()?;
    let mut hasher = Sha256::new();
    hasher.update(&head[..fetched.start]);
    hasher.update(&epoch);
    hasher.update(&head[fetched.end..warnings.start]);
    hasher.update("[]}");
    Some(hex_print(&hasher.finalize()))
}

/// A fingerprint from a SHA-256 digest: its first 16 bytes, in hex.
fn hex_print(digest: &[u8]) -> String {
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn from_json(id: &str, json: &str) -> Result<Dispatch, StoreError> {
    serde_json::from_str(json).map_err(|source| StoreError::Corrupt {
        id: id.to_owned(),
        source,
    })
}

/// A copy of `dispatch` without what a reader would not see change: its fetch time (the epoch), warnings and
/// story.
fn content_copy(dispatch: &Dispatch) -> Dispatch {
    let mut copy = dispatch.clone();
    copy.fetched_at = DateTime::<Utc>::UNIX_EPOCH;
    copy.warnings.clear();
    copy.story = None;
    copy
}

/// A hash of everything a reader would see change: the dispatch without its fetch time and warnings.
pub(crate) fn fingerprint(dispatch: &Dispatch) -> String {
    use sha2::{Digest, Sha256};
    let copy = content_copy(dispatch);
    // Hashed without the `story` key, which is not content: dispatches stored before it existed keep their
    // fingerprints, so storing them again is "unchanged", not a new revision.
    let json = contract_json(&copy);
    let json = match json.strip_suffix(NO_STORY) {
        Some(head) => format!("{head}}}"),
        None => json,
    };
    hex_print(&Sha256::digest(json.as_bytes()))
}

/// Whether `a` and `b` say the same apart from what depends on the feed they came through: the same article is
/// often listed by several feeds of a site (its front page, its sections), each with its own categories and name.
/// A dispatch stored through one feed and seen again through another is unchanged when nothing else differs (see
/// [`crate::batch::plan`]); compared as their fingerprints are, on the contract form without fetch time, warnings
/// and story.
pub(crate) fn same_but_for_feed(a: &Dispatch, b: &Dispatch) -> bool {
    let neutral = |d: &Dispatch| {
        let mut copy = content_copy(d);
        copy.source = Default::default();
        copy.categories.clear();
        contract_json(&copy)
    };
    neutral(a) == neutral(b)
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
        assert_eq!(stored_json(&with_story), stored_json(&sample()));
        assert!(contract_json(&sample()).ends_with(NO_STORY));
    }

    #[test]
    fn one_serialization_gives_the_same_fingerprint_and_a_json_without_text() {
        let mut tricky = sample();
        tricky.title = r#"A "title", \ with ,"text": and ,"warnings":[ in it"#.into();
        tricky.summary = Some(r#"\",\"fetched_at\":"x"#.into());
        tricky.body = vec![
            Block::paragraph(r#"Body ,"text":"no" \"#),
            Block::paragraph("\"quoted\" ] [ \\"),
        ];
        tricky.warnings = vec![r#"a warning with ] and "quotes" \"#.into(), "two".into()];
        let mut with_story = tricky.clone();
        with_story.story = Some("fedcba9876543210".into());
        let mut bare = sample();
        bare.body.clear();
        bare.fetched_at = DateTime::<Utc>::UNIX_EPOCH;
        for d in [sample(), tricky, with_story, bare] {
            let (json, print) = json_and_fingerprint(&d);
            assert_eq!(print, fingerprint(&d));
            assert_eq!(json, stored_json(&d));
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert!(value.get("text").is_none(), "{json}");
            assert!(value.get("body").is_some(), "{json}");
            let back: Dispatch = serde_json::from_str(&json).unwrap();
            assert_eq!(
                back,
                Dispatch {
                    story: None,
                    ..d.clone()
                }
            );
            assert_eq!(
                contract_json(&back),
                contract_json(&Dispatch { story: None, ..d })
            );
        }
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

    #[test]
    fn same_but_for_feed_ignores_the_feeds_source_and_categories_only() {
        let a = sample();
        let mut b = sample();
        b.source = SourceRef {
            feed_url: Some("https://example.com/world.xml".into()),
            site: Some("https://example.com".into()),
            site_name: Some("Example: World".into()),
        };
        b.categories = vec!["World".into()];
        b.fetched_at = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap();
        b.warnings = vec!["a warning".into()];
        assert!(same_but_for_feed(&a, &b));
        let differs = |change: fn(&mut Dispatch)| {
            let mut c = b.clone();
            change(&mut c);
            !same_but_for_feed(&a, &c)
        };
        assert!(differs(|d| d.title.push('!')));
        assert!(differs(|d| d.authors.clear()));
        assert!(differs(|d| d.summary = Some("A summary".into())));
        assert!(differs(|d| {
            d.body.pop();
        }));
        assert!(differs(|d| d.updated_at = d.published_at));
    }
}
