//! SQLite stories: each dispatch's story, MinHash band keys and shingles, written in the upsert's transaction
//! (which holds the write lock, so two near-duplicates stored at once still meet) as `batch.rs` assigns them.
//! See `migrations/sqlite/0004_stories.sql`, `0005_batches.sql` and `0007_docs.sql`.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::upsert::SqliteLookup;
use crate::batch::{Prepared, Seen, plan};
use crate::rows::from_json;
use crate::similar::{BANDS, shingles};
use crate::{StoreError, StoryMember};

/// Writes the band keys and shingles of the dispatch indexed as `doc` (its story is written with its `docs`
/// row), or removes them when it has none.
pub(super) fn write(
    conn: &Connection,
    doc: i64,
    new: bool,
    bands: Option<[i64; BANDS]>,
    shingles: Option<Vec<u8>>,
) -> rusqlite::Result<()> {
    let Some(b) = bands else {
        if !new {
            conn.prepare_cached("DELETE FROM story_keys WHERE doc = ?1")?
                .execute([doc])?;
        }
        return Ok(());
    };
    // A new dispatch's row is appended; a stored one's is replaced (its old keys leave the band indexes).
    let sql = if new {
        "INSERT INTO story_keys (doc, band0, band1, band2, band3, band4, band5, band6, band7, shingles)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    } else {
        "INSERT OR REPLACE INTO story_keys (doc, band0, band1, band2, band3, band4, band5, band6, band7, shingles)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    };
    conn.prepare_cached(sql)?.execute(params![
        doc, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], shingles
    ])?;
    Ok(())
}

/// Assigns every stored dispatch its story, oldest first, as storing them one by one would have: migration 4's
/// backfill (so on the schema of version 4, without stored shingles).
pub(super) fn backfill(conn: &Connection) -> Result<(), StoreError> {
    let action = "grouping the stored dispatches into stories";
    let query_err = |source: rusqlite::Error| StoreError::Query {
        action: action.into(),
        source: source.into(),
    };
    let sql = "SELECT id, json FROM dispatches ORDER BY first_seen_at, id";
    super::for_each_stored(conn, sql, action, |id, json| {
        let item = Prepared::new(from_json(&id, &json)?);
        let mut lookup = SqliteLookup {
            conn,
            exclude: Default::default(),
            legacy: true,
        };
        let plan = plan(
            std::slice::from_ref(&item),
            HashMap::new(),
            &mut lookup,
            |d| Seen::Text(d.fetched_at.to_rfc3339()),
        )
        .map_err(query_err)?;
        let bands = item.bands.map_or([None; BANDS], |keys| keys.map(Some));
        conn.prepare_cached(
            "INSERT INTO story_members (dispatch_id, story_id, band0, band1, band2, band3, band4, band5, band6,
                 band7)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                id,
                plan.rows[0].story,
                bands[0],
                bands[1],
                bands[2],
                bands[3],
                bands[4],
                bands[5],
                bands[6],
                bands[7]
            ])
        })
        .map_err(query_err)?;
        Ok(())
    })
}

/// Stores the shingles of every dispatch with band keys: migration 5's backfill.
pub(super) fn backfill_shingles(conn: &Connection) -> Result<(), StoreError> {
    let action = "keeping the shingles of the stored dispatches";
    let query_err = |source: rusqlite::Error| StoreError::Query {
        action: action.into(),
        source: source.into(),
    };
    let sql = "SELECT d.id, d.json FROM story_members m JOIN dispatches d ON d.id = m.dispatch_id
               WHERE m.band0 IS NOT NULL";
    super::for_each_stored(conn, sql, action, |id, json| {
        // A row this version cannot read keeps no shingles; reading it back reports it.
        let Ok(dispatch) = from_json(&id, &json) else {
            return Ok(());
        };
        let shingles = shingles(&dispatch.title, &dispatch.text());
        conn.prepare_cached("UPDATE story_members SET shingles = ?2 WHERE dispatch_id = ?1")
            .and_then(|mut stmt| stmt.execute(params![id, shingles.to_bytes()]))
            .map_err(query_err)?;
        Ok(())
    })
}

pub(super) fn story(conn: &Connection, story_id: &str) -> Result<Vec<StoryMember>, StoreError> {
    let query_err = |source: rusqlite::Error| StoreError::Query {
        action: format!("reading story {story_id}"),
        source: source.into(),
    };
    let mut stmt = conn
        .prepare_cached(
            "SELECT d.id, d.url, d.title, d.published_at FROM (
                 SELECT dispatch_id FROM docs WHERE story_id = ?1 AND story_id <> dispatch_id
                 UNION ALL
                 SELECT dispatch_id FROM docs WHERE dispatch_id = ?1 AND story_id = ?1
             ) AS m JOIN dispatches d ON d.id = m.dispatch_id
             ORDER BY d.first_seen_at, d.id",
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
