//! PostgreSQL stories: each dispatch's story and MinHash band keys, assigned in the upsert's transaction. See
//! `migrations/postgres/0004_stories.sql`.
//!
//! Several processes store at once, and a wire story reaches many feeds at the same moment, so two
//! near-duplicates may well be stored concurrently; neither would see the other's uncommitted row. Before it looks
//! for a story, a transaction therefore takes transaction-scoped advisory locks on its band keys and its URL (in
//! a fixed order, so waiting cannot deadlock): near-duplicates share keys, so they take turns and the second sees
//! the first, while unrelated dispatches rarely wait for each other.

use std::collections::HashSet;

use ::postgres::{GenericClient, Transaction};
use newswire_model::Dispatch;

use crate::postgres::search::for_each_dispatch;
use crate::rows::from_json;
use crate::similar::{BANDS, CANDIDATES_PER_BAND, Candidate, band_keys, best_match, shingles};
use crate::{StoreError, StoryMember};

/// The first key of the advisory locks on band keys ("st" for stories); the two-key lock space does not overlap
/// the one-key space the migration lock uses.
const STORY_LOCK_CLASS: i32 = 0x7374;

/// Records the story of `dispatch` (its current version already written to `dispatches`): a dispatch seen for
/// the first time, or alone in its story, looks for one to join; one in a story of several stays in it. Its band
/// keys follow its current text either way.
///
/// `new` says the dispatch was stored for the first time, so it has no story yet.
pub(super) fn assign(
    client: &mut impl GenericClient,
    dispatch: &Dispatch,
    new: bool,
) -> Result<(), ::postgres::Error> {
    let text = dispatch.text();
    let shingles = shingles(&dispatch.title, &text);
    let bands = band_keys(&shingles);
    let current: Option<String> = if new {
        None
    } else {
        client
            .query_opt(
                "SELECT story_id FROM story_members WHERE dispatch_id = $1",
                &[&dispatch.id],
            )?
            .map(|row| row.get(0))
    };
    let stays = match &current {
        Some(story) if *story != dispatch.id => true,
        Some(story) => client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM story_members WHERE story_id = $1 AND dispatch_id <> $2)",
                &[story, &dispatch.id],
            )?
            .get(0),
        None => false,
    };
    let story = match current {
        Some(story) if stays => story,
        _ => {
            lock(client, dispatch, bands.as_ref())?;
            find(client, dispatch, &shingles, bands.as_ref())?
        }
    };
    let bands = bands.map_or([None; BANDS], |keys| keys.map(Some));
    client.execute(
        "INSERT INTO story_members (dispatch_id, story_id, band0, band1, band2, band3, band4, band5, band6, band7)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (dispatch_id) DO UPDATE SET story_id = excluded.story_id, band0 = excluded.band0,
             band1 = excluded.band1, band2 = excluded.band2, band3 = excluded.band3, band4 = excluded.band4,
             band5 = excluded.band5, band6 = excluded.band6, band7 = excluded.band7",
        &[
            &dispatch.id,
            &story,
            &bands[0],
            &bands[1],
            &bands[2],
            &bands[3],
            &bands[4],
            &bands[5],
            &bands[6],
            &bands[7],
        ],
    )?;
    Ok(())
}

/// Takes the advisory locks on the dispatch's band keys and URL, held until the transaction ends.
fn lock(
    client: &mut impl GenericClient,
    dispatch: &Dispatch,
    bands: Option<&[i64; BANDS]>,
) -> Result<(), ::postgres::Error> {
    let fold = |key: i64| ((key >> 32) ^ key) as i32;
    let mut keys: Vec<i32> = bands.into_iter().flatten().map(|&k| fold(k)).collect();
    keys.push(fold(url_key(&dispatch.url)));
    keys.sort_unstable();
    keys.dedup();
    // A function scan yields the array's elements in order, so the locks are taken in that order.
    client.query_one(
        "SELECT count(pg_advisory_xact_lock($1, key)) FROM unnest($2::int4[]) AS key",
        &[&STORY_LOCK_CLASS, &keys],
    )?;
    Ok(())
}

/// A hash of a URL, for its advisory lock.
fn url_key(url: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(url.as_bytes());
    let mut bytes = [0; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_le_bytes(bytes)
}

/// The story `dispatch` belongs to: that of the first stored dispatch with the same URL, else of the most
/// similar candidate sharing a band key, else its own.
fn find(
    client: &mut impl GenericClient,
    dispatch: &Dispatch,
    shingles: &HashSet<u64>,
    bands: Option<&[i64; BANDS]>,
) -> Result<String, ::postgres::Error> {
    let same_url = client.query_opt(
        "SELECT m.story_id FROM dispatches d JOIN story_members m ON m.dispatch_id = d.id
         WHERE d.url = $1 AND d.id <> $2 ORDER BY d.first_seen_at, d.id LIMIT 1",
        &[&dispatch.url, &dispatch.id],
    )?;
    if let Some(row) = same_url {
        return Ok(row.get(0));
    }
    let Some(bands) = bands else {
        return Ok(dispatch.id.clone());
    };
    let arms: Vec<String> = (0..BANDS)
        .map(|band| {
            format!(
                "(SELECT dispatch_id FROM story_members WHERE band{band} = ${} LIMIT {CANDIDATES_PER_BAND})",
                band + 2
            )
        })
        .collect();
    let sql = format!(
        "SELECT d.id, d.json, m.story_id FROM story_members m JOIN dispatches d ON d.id = m.dispatch_id
         WHERE m.dispatch_id IN ({}) AND m.dispatch_id <> $1
         ORDER BY d.first_seen_at, d.id",
        arms.join(" UNION ALL ")
    );
    let rows = client.query(
        &sql,
        &[
            &dispatch.id,
            &bands[0],
            &bands[1],
            &bands[2],
            &bands[3],
            &bands[4],
            &bands[5],
            &bands[6],
            &bands[7],
        ],
    )?;
    let candidates = rows.iter().filter_map(|row| {
        // A row this version cannot read is no candidate; reading it back reports it.
        let found = from_json(row.get(0), row.get(1)).ok()?;
        Some(Candidate {
            story_id: row.get(2),
            text: found.text(),
            title: found.title,
        })
    });
    Ok(best_match(shingles, candidates).unwrap_or_else(|| dispatch.id.clone()))
}

/// Assigns every stored dispatch its story, oldest first: migration 4's backfill.
pub(super) fn backfill(tx: &mut Transaction<'_>) -> Result<(), StoreError> {
    for_each_dispatch(tx, "first_seen_at, id", |tx, dispatch| {
        assign(tx, &dispatch, true)
    })
}

/// The dispatches of story `story_id`, first stored first.
pub(super) fn story(
    client: &mut impl GenericClient,
    story_id: &str,
) -> Result<Vec<StoryMember>, ::postgres::Error> {
    let rows = client.query(
        "SELECT d.id, d.url, d.title, d.published_at FROM story_members m JOIN dispatches d ON d.id = m.dispatch_id
         WHERE m.story_id = $1 ORDER BY d.first_seen_at, d.id",
        &[&story_id],
    )?;
    Ok(rows
        .iter()
        .map(|row| StoryMember {
            id: row.get(0),
            url: row.get(1),
            title: row.get(2),
            published_at: row.get::<_, Option<String>>(3).and_then(|t| t.parse().ok()),
        })
        .collect())
}
