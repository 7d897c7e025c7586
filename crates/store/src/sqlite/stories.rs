//! SQLite stories: each dispatch's story and MinHash band keys, assigned in the upsert's transaction (which holds
//! the write lock, so two near-duplicates stored at once still meet). See `migrations/sqlite/0004_stories.sql`.

use newswire_model::Dispatch;
use rusqlite::{Connection, OptionalExtension, params};

use crate::rows::from_json;
use crate::similar::{BANDS, CANDIDATES_PER_BAND, Candidate, band_keys, best_match, shingles};
use crate::{StoreError, StoryMember};

/// Records the story of `dispatch` (its current version already written to `dispatches`): a dispatch seen for
/// the first time, or alone in its story, looks for one to join; one in a story of several stays in it. Its band
/// keys follow its current text either way.
///
/// `new` says the dispatch was stored for the first time, so it has no story yet.
pub(super) fn assign(conn: &Connection, dispatch: &Dispatch, new: bool) -> rusqlite::Result<()> {
    let text = dispatch.text();
    let shingles = shingles(&dispatch.title, &text);
    let bands = band_keys(&shingles);
    let current: Option<String> = if new {
        None
    } else {
        conn.prepare_cached("SELECT story_id FROM story_members WHERE dispatch_id = ?1")?
            .query_row([&dispatch.id], |row| row.get(0))
            .optional()?
    };
    let story = match current {
        Some(story) if story != dispatch.id || has_others(conn, &story, &dispatch.id)? => story,
        _ => find(conn, dispatch, &shingles, bands.as_ref())?,
    };
    let bands = bands.map_or([None; BANDS], |keys| keys.map(Some));
    conn.prepare_cached(
        "INSERT INTO story_members (dispatch_id, story_id, band0, band1, band2, band3, band4, band5, band6, band7)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (dispatch_id) DO UPDATE SET story_id = excluded.story_id, band0 = excluded.band0,
             band1 = excluded.band1, band2 = excluded.band2, band3 = excluded.band3, band4 = excluded.band4,
             band5 = excluded.band5, band6 = excluded.band6, band7 = excluded.band7",
    )?
    .execute(params![
        dispatch.id,
        story,
        bands[0],
        bands[1],
        bands[2],
        bands[3],
        bands[4],
        bands[5],
        bands[6],
        bands[7]
    ])?;
    Ok(())
}

/// Whether story `story` has a dispatch other than `id`.
fn has_others(conn: &Connection, story: &str, id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM story_members WHERE story_id = ?1 AND dispatch_id <> ?2)",
    )?
    .query_row([story, id], |row| row.get(0))
}

/// The story `dispatch` belongs to: that of the first stored dispatch with the same URL, else of the most
/// similar candidate sharing a band key, else its own.
fn find(
    conn: &Connection,
    dispatch: &Dispatch,
    shingles: &std::collections::HashSet<u64>,
    bands: Option<&[i64; BANDS]>,
) -> rusqlite::Result<String> {
    let same_url: Option<String> = conn
        .prepare_cached(
            "SELECT m.story_id FROM dispatches d JOIN story_members m ON m.dispatch_id = d.id
             WHERE d.url = ?1 AND d.id <> ?2 ORDER BY d.first_seen_at, d.id LIMIT 1",
        )?
        .query_row([&dispatch.url, &dispatch.id], |row| row.get(0))
        .optional()?;
    if let Some(story) = same_url {
        return Ok(story);
    }
    let Some(bands) = bands else {
        return Ok(dispatch.id.clone());
    };
    let arms: Vec<String> = (0..BANDS)
        .map(|band| {
            format!(
                "SELECT dispatch_id FROM (SELECT dispatch_id FROM story_members WHERE band{band} = ?{} LIMIT {CANDIDATES_PER_BAND})",
                band + 2
            )
        })
        .collect();
    let sql = format!(
        "SELECT d.id, d.json, m.story_id FROM story_members m JOIN dispatches d ON d.id = m.dispatch_id
         WHERE m.dispatch_id IN ({}) AND m.dispatch_id <> ?1
         ORDER BY d.first_seen_at, d.id",
        arms.join(" UNION ALL ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![
        dispatch.id,
        bands[0],
        bands[1],
        bands[2],
        bands[3],
        bands[4],
        bands[5],
        bands[6],
        bands[7]
    ])?;
    let mut candidates = Vec::new();
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let json: String = row.get(1)?;
        // A row this version cannot read is no candidate; reading it back reports it.
        if let Ok(found) = from_json(&id, &json) {
            candidates.push(Candidate {
                story_id: row.get(2)?,
                text: found.text(),
                title: found.title,
            });
        }
    }
    Ok(best_match(shingles, candidates).unwrap_or_else(|| dispatch.id.clone()))
}

/// Assigns every stored dispatch its story, oldest first: migration 4's backfill.
pub(super) fn backfill(conn: &Connection) -> Result<(), StoreError> {
    let query_err = |source: rusqlite::Error| StoreError::Query {
        action: "grouping the stored dispatches into stories".into(),
        source: source.into(),
    };
    let mut stmt = conn
        .prepare("SELECT id, json FROM dispatches ORDER BY first_seen_at, id")
        .map_err(query_err)?;
    let mut rows = stmt.query([]).map_err(query_err)?;
    while let Some(row) = rows.next().map_err(query_err)? {
        let id: String = row.get(0).map_err(query_err)?;
        let json: String = row.get(1).map_err(query_err)?;
        assign(conn, &from_json(&id, &json)?, true).map_err(query_err)?;
    }
    Ok(())
}

pub(super) fn story(conn: &Connection, story_id: &str) -> Result<Vec<StoryMember>, StoreError> {
    let query_err = |source: rusqlite::Error| StoreError::Query {
        action: format!("reading story {story_id}"),
        source: source.into(),
    };
    let mut stmt = conn
        .prepare_cached(
            "SELECT d.id, d.url, d.title, d.published_at FROM story_members m JOIN dispatches d ON d.id = m.dispatch_id
             WHERE m.story_id = ?1 ORDER BY d.first_seen_at, d.id",
        )
        .map_err(query_err)?;
    let rows = stmt
        .query_map([story_id], |row| {
            Ok(StoryMember {
                id: row.get(0)?,
                url: row.get(1)?,
                title: row.get(2)?,
                published_at: row
                    .get::<_, Option<String>>(3)?
                    .and_then(|t| t.parse().ok()),
            })
        })
        .map_err(query_err)?;
    rows.collect::<Result<_, _>>().map_err(query_err)
}
