//! The upsert of a batch of dispatches, decided once for both engines: what each dispatch's outcome is, which
//! rows to write, and which story each stored version joins; the engines only read and write.
//!
//! A batch has the meaning of upserting its dispatches one after the other (a dispatch repeated in it is
//! compared with the version stored just before it), but the engines read the database once per batch rather
//! than once per dispatch, and write each row once. That works because every row a batch changes belongs to one
//! of its own dispatch ids: [`plan`] keeps the state of those ids in memory (as stored before the batch, then as
//! the batch changes it, the *overlay*), and asks the database ([`Lookup`]) only about dispatches outside the
//! batch, which the batch does not change, and, for one of its own that another feed lists again, its stored
//! JSON and its revisions' content hashes ([`Lookup::stored_json`], [`Lookup::revision_hashes`]). Engines must
//! answer lookups from the database as it was before the batch (they write only after planning) and leave out
//! the batch's ids that were already stored.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use newswire_model::Dispatch;

use crate::rows::{
    body_origin_name, decide, from_json, host, json_and_fingerprint, same_but_for_feed, sort_at,
};
use crate::similar::{
    BANDS, NEARBY, Shingles, band_keys, best_match, in_window, nearby, share_a_band, shingle_hashes,
};
use crate::text::{Folded, indexed_words};
use crate::{Outcome, StoreError};

/// A dispatch ready to store: everything the engines write that is computed from it (its stored JSON and
/// fingerprint, its words folded for search, its shingles and band keys for stories), computed once.
///
/// [`Store::upsert_many`](crate::Store::upsert_many) prepares its dispatches itself. A caller that stores from
/// one thread what other threads produce prepares them there ([`Prepared::new`]) and hands them to
/// [`Store::upsert_prepared`](crate::Store::upsert_prepared): this work is most of the CPU time a dispatch costs
/// the SQLite engine, and it needs no store.
pub struct Prepared<'a> {
    /// The dispatch.
    pub(crate) dispatch: Cow<'a, Dispatch>,
    /// Its stored JSON: the contract form without the derived `text` ([`crate::rows::json_and_fingerprint`]).
    pub(crate) json: String,
    /// Its fingerprint ([`crate::rows::fingerprint`]).
    pub(crate) print: String,
    /// The name of its body's origin.
    pub(crate) origin: &'static str,
    /// Its sort key ([`sort_at`]).
    pub(crate) sort_at: i64,
    /// Its publication time as stated, as text.
    pub(crate) published_at: Option<String>,
    /// Its site's host ([`host`]).
    pub(crate) host: Option<String>,
    /// Its title as indexed for search.
    pub(crate) indexed_title: String,
    /// Its text as indexed for search.
    pub(crate) indexed_body: String,
    /// Its shingles, folded as compared and stored.
    pub(crate) shingles: Shingles,
    /// Its band keys as stored ([`in_window`]), when it has enough shingles to match on.
    pub(crate) bands: Option<[i64; BANDS]>,
}

impl Prepared<'static> {
    /// Computes what is stored for `dispatch`.
    pub fn new(dispatch: Dispatch) -> Prepared<'static> {
        Prepared::of(Cow::Owned(dispatch))
    }
}

impl<'a> Prepared<'a> {
    /// The dispatch prepared.
    pub fn dispatch(&self) -> &Dispatch {
        &self.dispatch
    }

    /// Computes what is stored for `dispatch`.
    pub(crate) fn of(dispatch: Cow<'a, Dispatch>) -> Prepared<'a> {
        let title_words = Folded::new(&dispatch.title);
        let text_words = Folded::new(&dispatch.text());
        let hashes = shingle_hashes(&title_words, &text_words);
        let (json, print) = json_and_fingerprint(&dispatch);
        let sort_at = sort_at(&dispatch);
        Prepared {
            json,
            print,
            origin: body_origin_name(dispatch.provenance.body),
            sort_at,
            published_at: dispatch.published_at.map(|t| t.to_string()),
            host: host(&dispatch),
            indexed_title: indexed_words(title_words.iter()),
            indexed_body: indexed_words(text_words.iter()),
            bands: band_keys(&hashes).map(|keys| in_window(keys, sort_at)),
            shingles: Shingles::from_hashes(&hashes),
            dispatch,
        }
    }

    /// A copy that owns its dispatch (for an engine that stores from another thread).
    pub(crate) fn to_owned_static(&self) -> Prepared<'static> {
        Prepared {
            dispatch: Cow::Owned(self.dispatch.as_ref().clone()),
            json: self.json.clone(),
            print: self.print.clone(),
            origin: self.origin,
            sort_at: self.sort_at,
            published_at: self.published_at.clone(),
            host: self.host.clone(),
            indexed_title: self.indexed_title.clone(),
            indexed_body: self.indexed_body.clone(),
            shingles: self.shingles.clone(),
            bands: self.bands,
        }
    }

    /// The stored form of its shingles: present exactly when it has band keys (without them it is never a
    /// candidate, so its shingles are never read).
    pub(crate) fn shingles_bytes(&self) -> Option<Vec<u8>> {
        self.bands.map(|_| self.shingles.to_bytes())
    }
}

/// Refuses a batch in which a dispatch has a NUL character in any of its texts ([`StoreError::Invalid`]), so that
/// both engines store and refuse the same dispatches.
pub(crate) fn check(items: &[Prepared<'_>]) -> Result<(), StoreError> {
    for item in items {
        if let Some(field) = nul_field(&item.dispatch) {
            return Err(StoreError::Invalid {
                id: item.dispatch.id.clone(),
                field,
            });
        }
    }
    Ok(())
}

/// The first field of `d` whose text holds a NUL character.
fn nul_field(d: &Dispatch) -> Option<&'static str> {
    let nul = |s: &str| s.as_bytes().contains(&0);
    let any = |list: &[String]| list.iter().any(|s| nul(s));
    let opt = |s: &Option<String>| s.as_deref().is_some_and(nul);
    [
        ("id", nul(&d.id)),
        ("url", nul(&d.url)),
        ("title", nul(&d.title)),
        ("authors", any(&d.authors)),
        ("summary", opt(&d.summary)),
        ("body", d.body.iter().any(|b| nul(&b.text))),
        ("language", opt(&d.language)),
        ("categories", any(&d.categories)),
        ("image", opt(&d.image)),
        ("source.feed_url", opt(&d.source.feed_url)),
        ("source.site", opt(&d.source.site)),
        ("source.site_name", opt(&d.source.site_name)),
        ("guid", opt(&d.guid)),
        ("content_hash", nul(&d.content_hash)),
        ("warnings", any(&d.warnings)),
        ("story", opt(&d.story)),
    ]
    .into_iter()
    .find_map(|(field, has)| has.then_some(field))
}

/// What storing `items` is called in messages: "storing dispatch ID" or "storing a batch of N dispatches".
pub(crate) fn action(items: &[Prepared<'_>]) -> String {
    match items {
        [one] => format!("storing dispatch {}", one.dispatch.id),
        _ => format!("storing a batch of {} dispatches", items.len()),
    }
}

/// When a dispatch was first stored, as the engine orders it (`ORDER BY first_seen_at`): SQLite compares its
/// RFC 3339 text, PostgreSQL its microseconds. One engine uses one form only.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Seen {
    /// SQLite's `first_seen_at` text.
    Text(String),
    /// PostgreSQL's `first_seen_at`, in microseconds since the Unix epoch.
    Micros(i64),
}

/// A dispatch's story membership (SQLite: its `docs` and `story_keys` rows; PostgreSQL: its `story_members` row).
#[derive(Clone, Debug)]
pub(crate) struct Member {
    /// Its story.
    pub(crate) story: String,
    /// Its band keys as stored ([`in_window`]), if it has them.
    pub(crate) bands: Option<[i64; BANDS]>,
    /// Its shingles (empty without band keys: they are never compared then).
    pub(crate) shingles: Shingles,
}

/// What an upsert needs to know of a stored dispatch of the batch.
#[derive(Clone, Debug)]
pub(crate) struct Stored {
    /// Its fingerprint.
    pub(crate) print: String,
    /// Its body origin's name.
    pub(crate) origin: String,
    /// Its current revision.
    pub(crate) revision: u32,
    /// Its URL.
    pub(crate) url: String,
    /// When it was first stored.
    pub(crate) seen: Seen,
    /// Its story, if it has one.
    pub(crate) member: Option<Member>,
    /// The feed it was stored through (`source.feed_url`).
    pub(crate) feed_url: Option<String>,
    /// The item of the batch stored as its current version; `None` while it is the version stored before the
    /// batch (read through [`Lookup::stored_json`] when needed).
    pub(crate) version: Option<usize>,
}

/// A stored dispatch outside the batch that shares a band key with one of the batch.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    /// When it was first stored.
    pub(crate) seen: Seen,
    /// Its story.
    pub(crate) story: String,
    /// Its shingles.
    pub(crate) shingles: Shingles,
}

/// What [`plan`] asks the database, about stored dispatches outside the batch (those whose ids are not in the
/// batch), as they were before the batch.
pub(crate) trait Lookup {
    /// The engine's error.
    type Error;

    /// Of the dispatches with URL `url` that have a story, the first stored (then the least id): its first
    /// stored time, id and story.
    fn first_with_url(&mut self, url: &str) -> Result<Option<(Seen, String, String)>, Self::Error>;

    /// The ids of the dispatches that share a band key with one of `keys` (a dispatch's keys in its window and
    /// the two beside it: [`nearby`]): for each band (SQLite) or each of its keys (PostgreSQL), up to
    /// [`crate::similar::CANDIDATES_PER_BAND`] of those whose key in that band is one of the band's keys in
    /// `keys` (an id may come more than once).
    fn band_candidates(
        &mut self,
        keys: &[[i64; BANDS]; NEARBY],
    ) -> Result<Vec<String>, Self::Error>;

    /// The story and shingles of dispatch `id`, one that [`Lookup::band_candidates`] gave (`None` when it
    /// cannot be read).
    fn found(&mut self, id: &str) -> Result<Option<Found>, Self::Error>;

    /// Whether story `story` has a dispatch.
    fn story_has_members(&mut self, story: &str) -> Result<bool, Self::Error>;

    /// The stored JSON of dispatch `id`, one of the batch's that was stored before it, as it was before the
    /// batch (one of the two lookups about the batch's own dispatches; the engines write only after planning).
    fn stored_json(&mut self, id: &str) -> Result<Option<String>, Self::Error>;

    /// The revisions of dispatch `id`, one of the batch's that was stored before it, as (number, content hash),
    /// as they were before the batch.
    fn revision_hashes(&mut self, id: &str) -> Result<Vec<(u32, String)>, Self::Error>;
}

/// One dispatch row to write: the version current after the batch, its revision and its story.
#[derive(Debug)]
pub(crate) struct RowWrite {
    /// The item of the batch whose version is current.
    pub(crate) item: usize,
    /// Whether the row is new (inserted) rather than updated.
    pub(crate) new: bool,
    /// For a new row, the item that first stored it: its fetch time is the row's `first_seen_at`.
    pub(crate) first_item: usize,
    /// The current revision.
    pub(crate) revision: u32,
    /// Its story.
    pub(crate) story: String,
}

/// One revision row to insert.
#[derive(Debug)]
pub(crate) struct RevisionWrite {
    /// The item of the batch stored as this revision.
    pub(crate) item: usize,
    /// Its number.
    pub(crate) revision: u32,
    /// Whether it is the current version after the batch: its JSON is then the dispatch row's, and the revision
    /// row holds none.
    pub(crate) current: bool,
}

/// What a batch does: each dispatch's outcome, and the writes, in the order the engines make them.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// One per dispatch of the batch, in order.
    pub(crate) outcomes: Vec<Outcome>,
    /// Revisions stored before the batch that stop being current, as (dispatch id, revision): their JSON, until
    /// now the dispatch row's, is copied into the revision row before the dispatch row changes.
    pub(crate) superseded: Vec<(String, u32)>,
    /// One per dispatch id written (insert or update), also indexed for search and given its story.
    pub(crate) rows: Vec<RowWrite>,
    /// The revisions stored, in order.
    pub(crate) revisions: Vec<RevisionWrite>,
}

/// Decides what upserting `items` one after the other does, given the state before the batch of those of their
/// ids that were stored (`stored`), the database outside the batch (`lookup`), and how the engine orders the
/// time a new dispatch is first seen (`seen_of`).
pub(crate) fn plan<L: Lookup>(
    items: &[Prepared<'_>],
    stored: HashMap<String, Stored>,
    lookup: &mut L,
    seen_of: impl Fn(&Dispatch) -> Seen,
) -> Result<Plan, L::Error> {
    let mut planner = Planner {
        overlay: stored,
        lookup,
        found: HashMap::new(),
    };
    let mut plan = Plan::default();
    let mut row_of: HashMap<&str, usize> = HashMap::new();
    let mut current_revision: HashMap<&str, usize> = HashMap::new();
    for (idx, item) in items.iter().enumerate() {
        let d = &*item.dispatch;
        let (outcome, before) = match planner.overlay.get(&d.id) {
            Some(s) => {
                let mut outcome = decide(d, &item.print, &s.print, &s.origin, s.revision);
                // A version listed by another feed than the current one's may be the same article as that
                // feed gives it, or a copy that feed has not updated.
                if matches!(outcome, Outcome::Updated { .. }) && s.feed_url != d.source.feed_url {
                    if same_but_for_its_feed(planner.lookup, items, s, d)? {
                        outcome = Outcome::Unchanged;
                    } else if stale_copy(planner.lookup, items, &plan, s, d)? {
                        outcome = Outcome::Stale;
                    }
                }
                (
                    outcome,
                    Some((
                        s.revision,
                        s.seen.clone(),
                        s.member.as_ref().map(|m| m.story.clone()),
                    )),
                )
            }
            None => (Outcome::New, None),
        };
        plan.outcomes.push(outcome);
        let revision = match outcome {
            Outcome::New => 1,
            Outcome::Updated { revision } => revision,
            Outcome::Unchanged | Outcome::KeptBetter | Outcome::Stale => continue,
        };
        match current_revision.get(d.id.as_str()) {
            Some(&earlier) => plan.revisions[earlier].current = false,
            None => {
                if let Some((old_revision, _, _)) = &before {
                    plan.superseded.push((d.id.clone(), *old_revision));
                }
            }
        }
        current_revision.insert(&d.id, plan.revisions.len());
        plan.revisions.push(RevisionWrite {
            item: idx,
            revision,
            current: true,
        });

        // The story: as one upsert at a time would assign it.
        let (seen, current_story) = match before {
            Some((_, seen, story)) if outcome != Outcome::New => (seen, story),
            _ => (seen_of(d), None),
        };
        let story = match current_story {
            Some(story) if story != d.id || planner.has_others(&story, &d.id)? => story,
            _ => planner.find(item)?,
        };
        planner.overlay.insert(
            d.id.clone(),
            Stored {
                print: item.print.clone(),
                origin: item.origin.to_owned(),
                revision,
                url: d.url.clone(),
                seen,
                feed_url: d.source.feed_url.clone(),
                version: Some(idx),
                member: Some(Member {
                    story: story.clone(),
                    bands: item.bands,
                    shingles: if item.bands.is_some() {
                        item.shingles.clone()
                    } else {
                        Shingles::default()
                    },
                }),
            },
        );
        match row_of.get(d.id.as_str()) {
            Some(&row) => {
                let row = &mut plan.rows[row];
                row.item = idx;
                row.revision = revision;
                row.story = story;
            }
            None => {
                row_of.insert(&d.id, plan.rows.len());
                plan.rows.push(RowWrite {
                    item: idx,
                    new: outcome == Outcome::New,
                    first_item: idx,
                    revision,
                    story,
                });
            }
        }
    }
    Ok(plan)
}

/// Whether `d`, which differs from the stored version `s` of its id and came through another feed than `s`, says
/// the same but for what depends on the feed (its source and categories): the same article listed by two feeds
/// is then one unchanged dispatch, which keeps the feed it was stored through, rather than a new revision each
/// time the other feed lists it.
fn same_but_for_its_feed<L: Lookup>(
    lookup: &mut L,
    items: &[Prepared<'_>],
    s: &Stored,
    d: &Dispatch,
) -> Result<bool, L::Error> {
    Ok(match s.version {
        Some(idx) => same_but_for_feed(&items[idx].dispatch, d),
        // A stored JSON that cannot be read is not the same: the new version replaces it.
        None => lookup.stored_json(&d.id)?.is_some_and(|json| {
            from_json(&d.id, &json).is_ok_and(|stored| same_but_for_feed(&stored, d))
        }),
    })
}

/// Whether `d`, which differs from the stored version `s` of its id and came through another feed than `s`, has
/// the title and text (content hash) of an earlier revision but not of `s`: a stale copy (see [`Outcome::Stale`]).
/// `plan` holds the revisions stored so far by the batch.
fn stale_copy<L: Lookup>(
    lookup: &mut L,
    items: &[Prepared<'_>],
    plan: &Plan,
    s: &Stored,
    d: &Dispatch,
) -> Result<bool, L::Error> {
    let mut hashes = lookup.revision_hashes(&d.id)?;
    hashes.extend(plan.revisions.iter().filter_map(|r| {
        let version = &items[r.item].dispatch;
        (version.id == d.id).then(|| (r.revision, version.content_hash.clone()))
    }));
    let current = hashes.iter().find(|(revision, _)| *revision == s.revision);
    let is_current_text = current.is_none_or(|(_, hash)| *hash == d.content_hash);
    Ok(!is_current_text
        && hashes
            .iter()
            .any(|(revision, hash)| *revision < s.revision && *hash == d.content_hash))
}

struct Planner<'l, L> {
    /// The batch's dispatch ids that are stored, as they are at this point of the batch.
    overlay: HashMap<String, Stored>,
    lookup: &'l mut L,
    /// Candidates outside the batch already read.
    found: HashMap<String, Option<Found>>,
}

impl<L: Lookup> Planner<'_, L> {
    /// Whether story `story` has a dispatch other than `id`.
    fn has_others(&mut self, story: &str, id: &str) -> Result<bool, L::Error> {
        let in_batch = self
            .overlay
            .iter()
            .any(|(other, s)| other != id && s.member.as_ref().is_some_and(|m| m.story == story));
        Ok(in_batch || self.lookup.story_has_members(story)?)
    }

    /// The story of the first stored dispatch (in the database or earlier in the batch) other than `d` with
    /// `d`'s URL.
    fn story_of_first_with_url(&mut self, d: &Dispatch) -> Result<Option<String>, L::Error> {
        let mut same_url = self.lookup.first_with_url(&d.url)?;
        for (other, s) in &self.overlay {
            if other == &d.id || s.url != d.url {
                continue;
            }
            let Some(member) = &s.member else { continue };
            let earlier = same_url
                .as_ref()
                .is_none_or(|(seen, id, _)| (&s.seen, other) < (seen, id));
            if earlier {
                same_url = Some((s.seen.clone(), other.clone(), member.story.clone()));
            }
        }
        Ok(same_url.map(|(_, _, story)| story))
    }

    /// The story `item` belongs to: that of the first stored dispatch with the same URL (a web address: see
    /// [`is_web_address`]), else of the most similar candidate sharing a band key, else its own.
    fn find(&mut self, item: &Prepared<'_>) -> Result<String, L::Error> {
        let d = &*item.dispatch;
        if is_web_address(&d.url)
            && let Some(story) = self.story_of_first_with_url(d)?
        {
            return Ok(story);
        }
        let Some(bands) = item.bands else {
            return Ok(d.id.clone());
        };
        let mut ids: HashSet<String> = HashSet::new();
        for id in self.lookup.band_candidates(&nearby(&bands))? {
            if id != d.id && !self.found.contains_key(&id) {
                let found = self.lookup.found(&id)?;
                self.found.insert(id.clone(), found);
            }
            ids.insert(id);
        }
        let mut candidates: Vec<(&Seen, &str, &str, &Shingles)> = Vec::new();
        for id in &ids {
            if *id == d.id {
                continue;
            }
            if let Some(Some(found)) = self.found.get(id) {
                candidates.push((&found.seen, id, &found.story, &found.shingles));
            }
        }
        for (other, s) in &self.overlay {
            let Some(member) = &s.member else { continue };
            let shares = member
                .bands
                .is_some_and(|theirs| share_a_band(&theirs, &bands));
            if other != &d.id && shares {
                candidates.push((&s.seen, other, &member.story, &member.shingles));
            }
        }
        candidates.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let best = best_match(
            &item.shingles,
            candidates
                .iter()
                .map(|&(_, _, story, shingles)| (story, shingles)),
        );
        Ok(best.unwrap_or(&d.id).to_owned())
    }
}

/// Whether a dispatch's `url` is a web address, so that two dispatches with it are the same story. An entry with
/// neither link nor GUID has an empty `url`, and one with a GUID that is not a link has that GUID (`42`,
/// `tag:...`): many unrelated entries share those.
fn is_web_address(url: &str) -> bool {
    let scheme = url.split_once("://").map_or("", |(scheme, _)| scheme);
    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

#[cfg(test)]
mod tests {
    use super::is_web_address;

    #[test]
    fn web_addresses_are_http_and_https_urls_only() {
        for url in [
            "https://a.example/1",
            "http://a.example/",
            "HTTPS://A.EXAMPLE/x",
        ] {
            assert!(is_web_address(url), "{url}");
        }
        for url in [
            "",
            "42",
            "tag:a.example,2012:1",
            "urn:uuid:1",
            "ftp://a.example/1",
            "https:/x",
        ] {
            assert!(!is_web_address(url), "{url}");
        }
    }
}
