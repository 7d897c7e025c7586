//! SQLite upserts: a batch in one `IMMEDIATE` transaction (which holds the write lock, so two connections storing
//! the same dispatch, or two near-duplicates, take turns), planned by `batch.rs` and written with cached
//! statements.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::{search, stories};
use crate::batch::{Found, Lookup, Member, Prepared, Seen, Stored, plan};
use crate::rows::from_json;
use crate::similar::{BANDS, CANDIDATES_PER_BAND, NEARBY, Shingles, shingles};
use crate::{Outcome, StoreError};

/// What a failure while storing `dispatches` was doing.
pub(super) fn upsert_prepared(
    conn: &mut Connection,
    items: &[Prepared<'_>],
) -> Result<Vec<Outcome>, StoreError> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    crate::batch::check(items)?;
    let query_err = |source: rusqlite::Error| StoreError::Query {
        action: crate::batch::action(items),
        source: source.into(),
    };
    // IMMEDIATE takes the write lock up front (waiting out the busy timeout), so two connections storing the
    // same dispatch at once cannot both read "absent" and then collide on the insert.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(query_err)?;
    let mut stored = HashMap::new();
    for item in items {
        let id = &item.dispatch.id;
        if !stored.contains_key(id)
            && let Some(state) = read_stored(&tx, id).map_err(query_err)?
        {
            stored.insert(id.clone(), state);
        }
    }
    let mut lookup = SqliteLookup {
        conn: &tx,
        exclude: stored.keys().cloned().collect(),
        legacy: false,
    };
    let plan = plan(items, stored, &mut lookup, |d| {
        Seen::Text(d.fetched_at.to_rfc3339())
    })
    .map_err(query_err)?;
    write(&tx, items, &plan).map_err(query_err)?;
    tx.commit().map_err(query_err)?;
    Ok(plan.outcomes)
}

/// Writes what `plan` decided, in an order the foreign keys accept.
fn write(
    conn: &Connection,
    items: &[Prepared<'_>],
    plan: &crate::batch::Plan,
) -> rusqlite::Result<()> {
    for (id, revision) in &plan.superseded {
        conn.prepare_cached(
            "UPDATE revisions SET json = (SELECT json FROM dispatches WHERE id = ?1)
             WHERE dispatch_id = ?1 AND revision = ?2",
        )?
        .execute(params![id, revision])?;
    }
    for row in &plan.rows {
        let item = &items[row.item];
        let d = &*item.dispatch;
        if row.new {
            conn.prepare_cached(
                "INSERT INTO dispatches (id, url, guid, feed_url, title, published_at, sort_at, first_seen_at,
                     fetched_at, content_hash, fingerprint, body_origin, revision, json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                d.id,
                d.url,
                d.guid,
                d.source.feed_url,
                d.title,
                item.published_at,
                item.sort_at,
                items[row.first_item].dispatch.fetched_at.to_rfc3339(),
                d.fetched_at.to_rfc3339(),
                d.content_hash,
                item.print,
                item.origin,
                row.revision,
                item.json
            ])?;
        } else {
            conn.prepare_cached(
                "UPDATE dispatches SET url = ?2, guid = ?3, feed_url = ?4, title = ?5, published_at = ?6,
                     sort_at = ?7, fetched_at = ?8, content_hash = ?9, fingerprint = ?10, body_origin = ?11,
                     revision = ?12, json = ?13
                 WHERE id = ?1",
            )?
            .execute(params![
                d.id,
                d.url,
                d.guid,
                d.source.feed_url,
                d.title,
                item.published_at,
                item.sort_at,
                d.fetched_at.to_rfc3339(),
                d.content_hash,
                item.print,
                item.origin,
                row.revision,
                item.json
            ])?;
        }
    }
    for revision in &plan.revisions {
        let item = &items[revision.item];
        let d = &*item.dispatch;
        conn.prepare_cached(
            "INSERT INTO revisions (dispatch_id, revision, recorded_at, content_hash, json)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            d.id,
            revision.revision,
            d.fetched_at.to_rfc3339(),
            d.content_hash,
            (!revision.current).then_some(&item.json)
        ])?;
    }
    for row in &plan.rows {
        let item = &items[row.item];
        let doc = search::index(conn, item, row.new, &row.story)?;
        stories::write(conn, doc, row.new, item.bands, item.shingles_bytes())?;
    }
    Ok(())
}

/// The band keys in columns `first..first + BANDS` of `row` (all NULL or none).
pub(super) fn bands_at(row: &Row<'_>, first: usize) -> rusqlite::Result<Option<[i64; BANDS]>> {
    let mut keys = [0; BANDS];
    for (band, key) in keys.iter_mut().enumerate() {
        match row.get::<_, Option<i64>>(first + band)? {
            Some(value) => *key = value,
            None => return Ok(None),
        }
    }
    Ok(Some(keys))
}

/// The shingles of a stored dispatch: its stored ones, else (a row stored before they were kept, or a bad
/// value) those of its JSON, else none.
fn stored_shingles(id: &str, bytes: Option<Vec<u8>>, json: Option<String>) -> Shingles {
    if let Some(shingles) = bytes.as_deref().and_then(Shingles::from_bytes) {
        return shingles;
    }
    json.and_then(|json| from_json(id, &json).ok())
        .map(|d| shingles(&d.title, &d.text()))
        .unwrap_or_default()
}

/// The state of stored dispatch `id`, if stored.
fn read_stored(conn: &Connection, id: &str) -> rusqlite::Result<Option<Stored>> {
    conn.prepare_cached(
        "SELECT d.fingerprint, d.body_origin, d.revision, d.url, d.first_seen_at, m.story_id,
             k.band0, k.band1, k.band2, k.band3, k.band4, k.band5, k.band6, k.band7, k.shingles,
             CASE WHEN k.band0 IS NOT NULL AND k.shingles IS NULL THEN d.json END, d.feed_url
         FROM dispatches d LEFT JOIN docs m ON m.dispatch_id = d.id LEFT JOIN story_keys k ON k.doc = m.doc
         WHERE d.id = ?1",
    )?
    .query_row([id], |row| {
        let story: Option<String> = row.get(5)?;
        let bands = bands_at(row, 6)?;
        let member = match story {
            Some(story) => Some(Member {
                story,
                bands,
                shingles: match bands {
                    Some(_) => stored_shingles(id, row.get(14)?, row.get(15)?),
                    None => Shingles::default(),
                },
            }),
            None => None,
        };
        Ok(Stored {
            print: row.get(0)?,
            origin: row.get(1)?,
            revision: row.get(2)?,
            url: row.get(3)?,
            seen: Seen::Text(row.get(4)?),
            member,
            feed_url: row.get(16)?,
            version: None,
        })
    })
    .optional()
}

/// Lookups outside a batch, one query each (SQLite answers them in microseconds).
pub(super) struct SqliteLookup<'c> {
    pub(super) conn: &'c Connection,
    /// The batch's ids that were stored before it: lookups leave them out.
    pub(super) exclude: HashSet<String>,
    /// Whether the schema is that of version 4 (migration 4's backfill): stories are in `story_members`, and
    /// candidates are read as JSON.
    pub(super) legacy: bool,
}

impl SqliteLookup<'_> {
    /// How many more rows to read than wanted, so that enough remain once the excluded ones are dropped.
    fn slack(&self) -> usize {
        self.exclude.len()
    }
}

impl Lookup for SqliteLookup<'_> {
    type Error = rusqlite::Error;

    fn first_with_url(&mut self, url: &str) -> rusqlite::Result<Option<(Seen, String, String)>> {
        // Limits are written into the SQL: a bound LIMIT makes SQLite prepare the statement again at every run.
        let members = if self.legacy { "story_members" } else { "docs" };
        let sql = format!(
            "SELECT d.id, d.first_seen_at, m.story_id FROM dispatches d JOIN {members} m ON m.dispatch_id = d.id
             WHERE d.url = ?1 ORDER BY d.first_seen_at, d.id LIMIT {}",
            1 + self.slack()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([url])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            if !self.exclude.contains(&id) {
                return Ok(Some((Seen::Text(row.get(1)?), id, row.get(2)?)));
            }
        }
        Ok(None)
    }

    fn band_candidates(&mut self, keys: &[[i64; BANDS]; NEARBY]) -> rusqlite::Result<Vec<String>> {
        let limit = CANDIDATES_PER_BAND + self.slack();
        let arms: Vec<String> = (0..BANDS)
            .map(|band| {
                // Parameters ?1..?8 are the keys of the window before, ?9..?16 its own, ?17..?24 the one after.
                let [a, b, c] = [band + 1, band + 1 + BANDS, band + 1 + 2 * BANDS];
                if self.legacy {
                    format!(
                        "SELECT * FROM (SELECT dispatch_id FROM story_members WHERE band{band} IN (?{a}, ?{b}, ?{c})
                         LIMIT {limit})"
                    )
                } else {
                    // The band index holds the `doc`: only the candidates' `docs` rows are read.
                    format!(
                        "SELECT * FROM (SELECT doc FROM story_keys WHERE band{band} IN (?{a}, ?{b}, ?{c}) LIMIT {limit})"
                    )
                }
            })
            .collect();
        let sql = if self.legacy {
            arms.join(" UNION ALL ")
        } else {
            format!(
                "SELECT m.dispatch_id FROM ({}) AS k JOIN docs m ON m.doc = k.doc",
                arms.join(" UNION ALL ")
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = stmt.query_map(rusqlite::params_from_iter(keys.iter().flatten()), |row| {
            row.get::<_, String>(0)
        })?;
        let mut out = Vec::new();
        for id in ids {
            let id = id?;
            if !self.exclude.contains(&id) {
                out.push(id);
            }
        }
        Ok(out)
    }

    fn found(&mut self, id: &str) -> rusqlite::Result<Option<Found>> {
        let sql = if self.legacy {
            "SELECT d.first_seen_at, m.story_id, NULL, d.json FROM story_members m JOIN dispatches d ON d.id = m.dispatch_id
             WHERE m.dispatch_id = ?1"
        } else {
            "SELECT d.first_seen_at, m.story_id, k.shingles, CASE WHEN k.shingles IS NULL THEN d.json END
             FROM docs m JOIN dispatches d ON d.id = m.dispatch_id LEFT JOIN story_keys k ON k.doc = m.doc
             WHERE m.dispatch_id = ?1"
        };
        self.conn
            .prepare_cached(sql)?
            .query_row([id], |row| {
                Ok(Found {
                    seen: Seen::Text(row.get(0)?),
                    story: row.get(1)?,
                    shingles: stored_shingles(id, row.get(2)?, row.get(3)?),
                })
            })
            .optional()
    }

    fn stored_json(&mut self, id: &str) -> rusqlite::Result<Option<String>> {
        self.conn
            .prepare_cached("SELECT json FROM dispatches WHERE id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()
    }

    fn revision_hashes(&mut self, id: &str) -> rusqlite::Result<Vec<(u32, String)>> {
        self.conn
            .prepare_cached("SELECT revision, content_hash FROM revisions WHERE dispatch_id = ?1")?
            .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect()
    }

    fn story_has_members(&mut self, story: &str) -> rusqlite::Result<bool> {
        let sql = if self.legacy {
            format!(
                "SELECT dispatch_id FROM story_members WHERE story_id = ?1 LIMIT {}",
                1 + self.slack()
            )
        } else {
            // The story's first dispatch by its id, then the others through the index of those that joined it.
            format!(
                "SELECT dispatch_id FROM docs WHERE dispatch_id = ?1 AND story_id = ?1
                 UNION ALL
                 SELECT * FROM (SELECT dispatch_id FROM docs WHERE story_id = ?1 AND story_id <> dispatch_id
                                LIMIT {})",
                1 + self.slack()
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([story])?;
        while let Some(row) = rows.next()? {
            if !self.exclude.contains(&row.get::<_, String>(0)?) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
