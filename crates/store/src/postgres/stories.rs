//! PostgreSQL stories: reading them, and filling them for the dispatches stored before they existed (each
//! dispatch's story, MinHash band keys and shingles are written by the upsert, `postgres/upsert.rs`, as `batch.rs`
//! assigns them). See `migrations/postgres/0004_stories.sql` and `0005_batches.sql`.

use std::collections::HashMap;

use ::postgres::{GenericClient, Transaction};

use super::upsert::PgLookup;
use crate::batch::{Prepared, Seen, plan};
use crate::postgres::search::for_each_dispatch;
use crate::similar::BANDS;
use crate::{StoreError, StoryMember};

/// Assigns every stored dispatch its story, oldest first, as storing them one by one would have: migration 4's
/// backfill (so on the schema of version 4, without stored shingles). The migration lock keeps others out.
pub(super) fn backfill(tx: &mut Transaction<'_>) -> Result<(), StoreError> {
    for_each_dispatch(tx, "first_seen_at, id", |tx, dispatch| {
        let item = Prepared::new(dispatch);
        let mut lookup = PgLookup::new(tx, Vec::new(), true);
        let plan = plan(
            std::slice::from_ref(&item),
            HashMap::new(),
            &mut lookup,
            |d| Seen::Micros(d.fetched_at.timestamp_micros()),
        )?;
        let bands = item.bands.map_or([None; BANDS], |keys| keys.map(Some));
        tx.execute(
            "INSERT INTO story_members (dispatch_id, story_id, band0, band1, band2, band3, band4, band5, band6,
                 band7)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &[
                &item.dispatch.id,
                &plan.rows[0].story,
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
    })
}

/// Stores the shingles of every dispatch with band keys: migration 5's backfill.
pub(super) fn backfill_shingles(tx: &mut Transaction<'_>) -> Result<(), StoreError> {
    for_each_dispatch(tx, "id", |tx, dispatch| {
        let shingles = crate::similar::shingles(&dispatch.title, &dispatch.text());
        tx.execute(
            "UPDATE story_members SET shingles = $2 WHERE dispatch_id = $1 AND band0 IS NOT NULL",
            &[&dispatch.id, &shingles.to_bytes()],
        )?;
        Ok(())
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
