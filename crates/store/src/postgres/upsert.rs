//! PostgreSQL upserts: a batch in one transaction, planned by `batch.rs`, with a few multi-row statements per
//! batch (arrays passed whole and `unnest`ed) rather than several statements per dispatch.
//!
//! # Locks
//!
//! Several processes store at once, and a wire story reaches many feeds at the same moment, so two
//! near-duplicates (or two copies of one dispatch) may well be stored concurrently; neither would see the other's
//! uncommitted rows. Before it reads anything, a transaction therefore takes transaction-scoped advisory locks:
//! a small batch takes the *upsert lock* shared, then one lock per band key, URL and id of its dispatches, in
//! ascending order (so waiting cannot deadlock): near-duplicates share keys, so they take turns and the second
//! sees the first, while unrelated dispatches rarely wait for each other. A large batch (more keys than
//! [`MAX_KEY_LOCKS`]) takes the upsert lock exclusively instead, and so runs alone: one advisory lock per key
//! would fill PostgreSQL's shared lock table (`max_locks_per_transaction`).

use std::collections::{HashMap, HashSet};

use ::postgres::types::ToSql;
use ::postgres::{Client, GenericClient, Row, Statement, Transaction};
use chrono::{DateTime, Utc};

use crate::Outcome;
use crate::batch::{Found, Lookup, Member, Plan, Prepared, Seen, Stored, plan};
use crate::rows::from_json;
use crate::similar::{BANDS, CANDIDATES_PER_BAND, NEARBY, Shingles, band_hash, nearby, shingles};

/// The first key of the advisory locks on band keys, URLs and ids ("st" for stories); the two-key lock space does
/// not overlap the one-key space the migration lock uses.
const KEY_LOCK_CLASS: i32 = 0x7374;
/// The first key of the upsert lock ("up"); its second key is 0.
const UPSERT_LOCK_CLASS: i32 = 0x7570;
/// The most key locks one transaction takes (a batch of about 25 dispatches); a batch with more takes the upsert
/// lock exclusively. Advisory locks live in the shared lock table, sized by `max_locks_per_transaction` (64 by
/// default) times the connections allowed (100), so a few workers holding this many each fit.
pub(super) const MAX_KEY_LOCKS: usize = 256;

thread_local! {
    /// The statements prepared on this connection thread's client, by their SQL.
    static STATEMENTS: std::cell::RefCell<HashMap<String, Statement>> = Default::default();
}

/// `sql` prepared on the connection once, then reused.
fn prepared(client: &mut impl GenericClient, sql: &str) -> Result<Statement, ::postgres::Error> {
    if let Some(stmt) = STATEMENTS.with(|cache| cache.borrow().get(sql).cloned()) {
        return Ok(stmt);
    }
    let stmt = client.prepare(sql)?;
    STATEMENTS.with(|cache| cache.borrow_mut().insert(sql.to_owned(), stmt.clone()));
    Ok(stmt)
}

/// Stores `items` (prepared by the caller) in one transaction.
pub(super) fn upsert_many(
    client: &mut Client,
    items: &[Prepared<'static>],
) -> Result<Vec<Outcome>, ::postgres::Error> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = client.transaction()?;
    // The insert that overflows the search index's pending list moves the list into the index, in steps of at
    // most `work_mem`: one step for the whole list (migrations/postgres/0008_pending.sql), in this transaction
    // only.
    tx.batch_execute("SET LOCAL work_mem = '64MB'")?;
    lock(&mut tx, items)?;
    let ids: Vec<&str> = {
        let mut seen = HashSet::new();
        items
            .iter()
            .map(|item| item.dispatch.id.as_str())
            .filter(|id| seen.insert(*id))
            .collect()
    };
    let stmt = prepared(
        &mut tx,
        "SELECT d.id, d.fingerprint, d.body_origin, d.revision, d.url, d.first_seen_at, m.story_id,
             m.band0, m.band1, m.band2, m.band3, m.band4, m.band5, m.band6, m.band7, m.shingles,
             CASE WHEN m.band0 IS NOT NULL AND m.shingles IS NULL THEN d.json END, d.feed_url
         FROM dispatches d LEFT JOIN story_members m ON m.dispatch_id = d.id
         WHERE d.id = ANY($1) FOR UPDATE OF d",
    )?;
    let mut stored = HashMap::new();
    for row in tx.query(&stmt, &[&ids])? {
        let id: String = row.get(0);
        let bands = bands_at(&row, 7);
        let member = row.get::<_, Option<String>>(6).map(|story| Member {
            story,
            bands,
            shingles: match bands {
                Some(_) => stored_shingles(&id, row.get(15), row.get(16)),
                None => Shingles::default(),
            },
        });
        let state = Stored {
            print: row.get(1),
            origin: row.get(2),
            revision: u32::try_from(row.get::<_, i32>(3)).unwrap_or(0),
            url: row.get(4),
            seen: Seen::Micros(row.get::<_, DateTime<Utc>>(5).timestamp_micros()),
            member,
            feed_url: row.get(17),
            version: None,
        };
        stored.insert(id, state);
    }
    let mut lookup = PgLookup::new(&mut tx, stored.keys().cloned().collect(), false);
    lookup.prefetch(items, &stored)?;
    let plan = plan(items, stored, &mut lookup, |d| {
        Seen::Micros(d.fetched_at.timestamp_micros())
    })?;
    write(&mut tx, items, &plan)?;
    tx.commit()?;
    Ok(plan.outcomes)
}

/// Takes the advisory locks the module docs describe, held until the transaction ends.
fn lock(tx: &mut Transaction<'_>, items: &[Prepared<'_>]) -> Result<(), ::postgres::Error> {
    let fold = |key: i64| ((key >> 32) ^ key) as i32;
    let mut keys: Vec<i32> = Vec::new();
    for item in items {
        // On the band's hash without its window: near-duplicates in neighbouring windows meet too.
        keys.extend(item.bands.iter().flatten().map(|&k| fold(band_hash(k))));
        keys.push(fold(text_key(&item.dispatch.url)));
        keys.push(fold(text_key(&item.dispatch.id)));
    }
    keys.sort_unstable();
    keys.dedup();
    if keys.len() > MAX_KEY_LOCKS {
        let stmt = prepared(tx, "SELECT pg_advisory_xact_lock($1, 0)")?;
        tx.execute(&stmt, &[&UPSERT_LOCK_CLASS])?;
        return Ok(());
    }
    let stmt = prepared(tx, "SELECT pg_advisory_xact_lock_shared($1, 0)")?;
    tx.execute(&stmt, &[&UPSERT_LOCK_CLASS])?;
    // A function scan yields the array's elements in order, so the locks are taken in that order.
    let stmt = prepared(
        tx,
        "SELECT count(pg_advisory_xact_lock($1, key)) FROM unnest($2::int4[]) AS key",
    )?;
    tx.query_one(&stmt, &[&KEY_LOCK_CLASS, &keys])?;
    Ok(())
}

/// A hash of a URL or id, for its advisory lock.
fn text_key(text: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    let mut bytes = [0; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_le_bytes(bytes)
}

/// The band keys in columns `first..first + BANDS` of `row` (all NULL or none).
fn bands_at(row: &Row, first: usize) -> Option<[i64; BANDS]> {
    let mut keys = [0; BANDS];
    for (band, key) in keys.iter_mut().enumerate() {
        *key = row.get::<_, Option<i64>>(first + band)?;
    }
    Some(keys)
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

/// Writes what `plan` decided, a statement per table (and kind of write), in an order the foreign keys accept.
fn write(
    tx: &mut Transaction<'_>,
    items: &[Prepared<'_>],
    plan: &Plan,
) -> Result<(), ::postgres::Error> {
    if !plan.superseded.is_empty() {
        let ids: Vec<&str> = plan.superseded.iter().map(|(id, _)| id.as_str()).collect();
        let revisions: Vec<i32> = plan.superseded.iter().map(|(_, r)| *r as i32).collect();
        let stmt = prepared(
            tx,
            "UPDATE revisions r SET json = d.json
             FROM unnest($1::text[], $2::int4[]) AS s (id, revision), dispatches d
             WHERE r.dispatch_id = s.id AND r.revision = s.revision AND d.id = s.id",
        )?;
        tx.execute(&stmt, &[&ids, &revisions])?;
    }
    for new in [true, false] {
        let rows: Vec<_> = plan.rows.iter().filter(|row| row.new == new).collect();
        if rows.is_empty() {
            continue;
        }
        let item = |idx: usize| &items[rows[idx].item];
        let n = rows.len();
        let ids: Vec<&str> = (0..n).map(|i| item(i).dispatch.id.as_str()).collect();
        let urls: Vec<&str> = (0..n).map(|i| item(i).dispatch.url.as_str()).collect();
        let guids: Vec<Option<&str>> = (0..n).map(|i| item(i).dispatch.guid.as_deref()).collect();
        let feeds: Vec<Option<&str>> = (0..n)
            .map(|i| item(i).dispatch.source.feed_url.as_deref())
            .collect();
        let titles: Vec<&str> = (0..n).map(|i| item(i).dispatch.title.as_str()).collect();
        let published: Vec<Option<&str>> =
            (0..n).map(|i| item(i).published_at.as_deref()).collect();
        let sort_at: Vec<i64> = (0..n).map(|i| item(i).sort_at).collect();
        let first_seen: Vec<DateTime<Utc>> = rows
            .iter()
            .map(|row| items[row.first_item].dispatch.fetched_at)
            .collect();
        let fetched: Vec<DateTime<Utc>> = (0..n).map(|i| item(i).dispatch.fetched_at).collect();
        let hashes: Vec<&str> = (0..n)
            .map(|i| item(i).dispatch.content_hash.as_str())
            .collect();
        let prints: Vec<&str> = (0..n).map(|i| item(i).print.as_str()).collect();
        let origins: Vec<&str> = (0..n).map(|i| item(i).origin).collect();
        let revisions: Vec<i32> = rows.iter().map(|row| row.revision as i32).collect();
        let jsons: Vec<&str> = (0..n).map(|i| item(i).json.as_str()).collect();
        let params: [&(dyn ToSql + Sync); 14] = [
            &ids,
            &urls,
            &guids,
            &feeds,
            &titles,
            &published,
            &sort_at,
            &first_seen,
            &fetched,
            &hashes,
            &prints,
            &origins,
            &revisions,
            &jsons,
        ];
        let sql = if new {
            "INSERT INTO dispatches (id, url, guid, feed_url, title, published_at, sort_at, first_seen_at,
                 fetched_at, content_hash, fingerprint, body_origin, revision, json)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                 $7::int8[], $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[], $12::text[],
                 $13::int4[], $14::text[])"
        } else {
            "UPDATE dispatches d SET url = u.url, guid = u.guid, feed_url = u.feed_url, title = u.title,
                 published_at = u.published_at, sort_at = u.sort_at, fetched_at = u.fetched_at,
                 content_hash = u.content_hash, fingerprint = u.fingerprint, body_origin = u.body_origin,
                 revision = u.revision, json = u.json
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                 $7::int8[], $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[], $12::text[],
                 $13::int4[], $14::text[])
                 AS u (id, url, guid, feed_url, title, published_at, sort_at, first_seen_at, fetched_at,
                     content_hash, fingerprint, body_origin, revision, json)
             WHERE d.id = u.id"
        };
        let stmt = prepared(tx, sql)?;
        tx.execute(&stmt, &params)?;
    }
    if !plan.revisions.is_empty() {
        let revs = &plan.revisions;
        let ids: Vec<&str> = revs
            .iter()
            .map(|r| items[r.item].dispatch.id.as_str())
            .collect();
        let numbers: Vec<i32> = revs.iter().map(|r| r.revision as i32).collect();
        let recorded: Vec<DateTime<Utc>> = revs
            .iter()
            .map(|r| items[r.item].dispatch.fetched_at)
            .collect();
        let hashes: Vec<&str> = revs
            .iter()
            .map(|r| items[r.item].dispatch.content_hash.as_str())
            .collect();
        let jsons: Vec<Option<&str>> = revs
            .iter()
            .map(|r| (!r.current).then_some(items[r.item].json.as_str()))
            .collect();
        let stmt = prepared(
            tx,
            "INSERT INTO revisions (dispatch_id, revision, recorded_at, content_hash, json)
             SELECT * FROM unnest($1::text[], $2::int4[], $3::timestamptz[], $4::text[], $5::text[])",
        )?;
        tx.execute(&stmt, &[&ids, &numbers, &recorded, &hashes, &jsons])?;
    }
    if !plan.rows.is_empty() {
        let rows = &plan.rows;
        let item = |idx: usize| &items[rows[idx].item];
        let n = rows.len();
        let ids: Vec<&str> = (0..n).map(|i| item(i).dispatch.id.as_str()).collect();
        let sort_at: Vec<i64> = (0..n).map(|i| item(i).sort_at).collect();
        let feeds: Vec<Option<&str>> = (0..n)
            .map(|i| item(i).dispatch.source.feed_url.as_deref())
            .collect();
        let hosts: Vec<Option<&str>> = (0..n).map(|i| item(i).host.as_deref()).collect();
        let titles: Vec<&str> = (0..n).map(|i| item(i).indexed_title.as_str()).collect();
        let bodies: Vec<&str> = (0..n).map(|i| item(i).indexed_body.as_str()).collect();
        let stmt = prepared(
            tx,
            "INSERT INTO search_docs (dispatch_id, sort_at, feed_url, host, search)
             SELECT u.id, u.sort_at, u.feed_url, u.host,
                 setweight(to_tsvector('simple', u.title), 'A') || setweight(to_tsvector('simple', u.body), 'B')
             FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[], $6::text[])
                 AS u (id, sort_at, feed_url, host, title, body)
             ON CONFLICT (dispatch_id) DO UPDATE SET sort_at = excluded.sort_at, feed_url = excluded.feed_url,
                 host = excluded.host, search = excluded.search",
        )?;
        tx.execute(&stmt, &[&ids, &sort_at, &feeds, &hosts, &titles, &bodies])?;

        let stories: Vec<&str> = rows.iter().map(|row| row.story.as_str()).collect();
        let bands: Vec<Vec<Option<i64>>> = (0..BANDS)
            .map(|band| (0..n).map(|i| item(i).bands.map(|b| b[band])).collect())
            .collect();
        let shingles: Vec<Option<Vec<u8>>> = (0..n).map(|i| item(i).shingles_bytes()).collect();
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![&ids, &stories];
        params.extend(bands.iter().map(|b| b as &(dyn ToSql + Sync)));
        params.push(&shingles);
        let stmt = prepared(
            tx,
            "INSERT INTO story_members (dispatch_id, story_id, band0, band1, band2, band3, band4, band5, band6,
                 band7, shingles)
             SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::int8[], $6::int8[],
                 $7::int8[], $8::int8[], $9::int8[], $10::int8[], $11::bytea[])
             ON CONFLICT (dispatch_id) DO UPDATE SET story_id = excluded.story_id, band0 = excluded.band0,
                 band1 = excluded.band1, band2 = excluded.band2, band3 = excluded.band3, band4 = excluded.band4,
                 band5 = excluded.band5, band6 = excluded.band6, band7 = excluded.band7,
                 shingles = excluded.shingles",
        )?;
        tx.execute(&stmt, &params)?;
    }
    Ok(())
}

/// Lookups outside a batch: read for the whole batch at once by [`PgLookup::prefetch`], else one at a time.
pub(super) struct PgLookup<'t, 'c> {
    tx: &'t mut Transaction<'c>,
    /// The batch's ids that were stored before it: lookups leave them out.
    exclude: Vec<String>,
    /// Whether the schema predates stored shingles (migration 4's backfill): candidates are read as JSON.
    legacy: bool,
    urls: HashMap<String, Option<(Seen, String, String)>>,
    bands: HashMap<(usize, i64), Vec<String>>,
    found: HashMap<String, Option<Found>>,
    stories: HashMap<String, bool>,
}

impl<'t, 'c> PgLookup<'t, 'c> {
    pub(super) fn new(
        tx: &'t mut Transaction<'c>,
        exclude: Vec<String>,
        legacy: bool,
    ) -> PgLookup<'t, 'c> {
        PgLookup {
            tx,
            exclude,
            legacy,
            urls: HashMap::new(),
            bands: HashMap::new(),
            found: HashMap::new(),
            stories: HashMap::new(),
        }
    }

    /// Reads what planning `items` may ask, in four queries.
    fn prefetch(
        &mut self,
        items: &[Prepared<'_>],
        stored: &HashMap<String, Stored>,
    ) -> Result<(), ::postgres::Error> {
        let urls: Vec<&str> = items.iter().map(|i| i.dispatch.url.as_str()).collect();
        self.fetch_urls(&urls)?;
        let mut keys: Vec<Vec<i64>> = vec![Vec::new(); BANDS];
        for bands in items.iter().filter_map(|i| i.bands) {
            for near in nearby(&bands) {
                for (band, key) in near.into_iter().enumerate() {
                    keys[band].push(key);
                }
            }
        }
        let ids = self.fetch_bands(keys)?;
        self.fetch_found(&ids)?;
        // A stored dispatch of the batch that leads its own story may ask whether the story has others.
        let leading: Vec<&str> = stored
            .iter()
            .filter(|(id, s)| s.member.as_ref().is_some_and(|m| &m.story == *id))
            .map(|(id, _)| id.as_str())
            .collect();
        self.fetch_stories(&leading)
    }

    fn fetch_urls(&mut self, urls: &[&str]) -> Result<(), ::postgres::Error> {
        let stmt = prepared(
            self.tx,
            "SELECT DISTINCT ON (d.url) d.url, d.first_seen_at, d.id, m.story_id
             FROM dispatches d JOIN story_members m ON m.dispatch_id = d.id
             WHERE d.url = ANY($1) AND d.id <> ALL($2)
             ORDER BY d.url, d.first_seen_at, d.id",
        )?;
        for url in urls {
            self.urls.insert((*url).to_owned(), None);
        }
        for row in self.tx.query(&stmt, &[&urls, &self.exclude])? {
            let seen = Seen::Micros(row.get::<_, DateTime<Utc>>(1).timestamp_micros());
            self.urls
                .insert(row.get(0), Some((seen, row.get(2), row.get(3))));
        }
        Ok(())
    }

    /// Reads the candidates of each band's keys (`keys[band]`); returns their distinct ids.
    fn fetch_bands(&mut self, mut keys: Vec<Vec<i64>>) -> Result<Vec<String>, ::postgres::Error> {
        let arms: Vec<String> = (0..BANDS)
            .map(|band| {
                format!(
                    "SELECT {band}, k.key, c.dispatch_id FROM unnest(${}::int8[]) AS k (key)
                     CROSS JOIN LATERAL (SELECT dispatch_id FROM story_members
                         WHERE band{band} = k.key AND dispatch_id <> ALL($9) LIMIT {CANDIDATES_PER_BAND}) AS c",
                    band + 1
                )
            })
            .collect();
        let stmt = prepared(self.tx, &arms.join(" UNION ALL "))?;
        for (band, keys) in keys.iter_mut().enumerate() {
            keys.sort_unstable();
            keys.dedup();
            for &key in keys.iter() {
                self.bands.insert((band, key), Vec::new());
            }
        }
        let mut params: Vec<&(dyn ToSql + Sync)> =
            keys.iter().map(|k| k as &(dyn ToSql + Sync)).collect();
        params.push(&self.exclude);
        let rows = self.tx.query(&stmt, &params)?;
        let mut ids = Vec::new();
        for row in rows {
            let band = row.get::<_, i32>(0) as usize;
            let id: String = row.get(2);
            ids.push(id.clone());
            self.bands.entry((band, row.get(1))).or_default().push(id);
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    fn fetch_found(&mut self, ids: &[String]) -> Result<(), ::postgres::Error> {
        let ids: Vec<&str> = ids
            .iter()
            .map(String::as_str)
            .filter(|id| !self.found.contains_key(*id))
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        let sql = if self.legacy {
            "SELECT m.dispatch_id, d.first_seen_at, m.story_id, NULL::bytea, d.json
             FROM story_members m JOIN dispatches d ON d.id = m.dispatch_id WHERE m.dispatch_id = ANY($1)"
        } else {
            "SELECT m.dispatch_id, d.first_seen_at, m.story_id, m.shingles,
                 CASE WHEN m.shingles IS NULL THEN d.json END
             FROM story_members m JOIN dispatches d ON d.id = m.dispatch_id WHERE m.dispatch_id = ANY($1)"
        };
        let stmt = prepared(self.tx, sql)?;
        for id in &ids {
            self.found.insert((*id).to_owned(), None);
        }
        for row in self.tx.query(&stmt, &[&ids])? {
            let id: String = row.get(0);
            let found = Found {
                seen: Seen::Micros(row.get::<_, DateTime<Utc>>(1).timestamp_micros()),
                story: row.get(2),
                shingles: stored_shingles(&id, row.get(3), row.get(4)),
            };
            self.found.insert(id, Some(found));
        }
        Ok(())
    }

    fn fetch_stories(&mut self, stories: &[&str]) -> Result<(), ::postgres::Error> {
        if stories.is_empty() {
            return Ok(());
        }
        let stmt = prepared(
            self.tx,
            "SELECT s FROM unnest($1::text[]) AS s
             WHERE EXISTS (SELECT 1 FROM story_members m WHERE m.story_id = s AND m.dispatch_id <> ALL($2))",
        )?;
        for story in stories {
            self.stories.insert((*story).to_owned(), false);
        }
        for row in self.tx.query(&stmt, &[&stories, &self.exclude])? {
            self.stories.insert(row.get(0), true);
        }
        Ok(())
    }
}

impl Lookup for PgLookup<'_, '_> {
    type Error = ::postgres::Error;

    fn first_with_url(
        &mut self,
        url: &str,
    ) -> Result<Option<(Seen, String, String)>, ::postgres::Error> {
        if !self.urls.contains_key(url) {
            self.fetch_urls(&[url])?;
        }
        Ok(self.urls.get(url).cloned().flatten())
    }

    fn band_candidates(
        &mut self,
        keys: &[[i64; BANDS]; NEARBY],
    ) -> Result<Vec<String>, ::postgres::Error> {
        let mut missing: Vec<Vec<i64>> = vec![Vec::new(); BANDS];
        for near in keys {
            for (band, &key) in near.iter().enumerate() {
                if !self.bands.contains_key(&(band, key)) {
                    missing[band].push(key);
                }
            }
        }
        if missing.iter().any(|keys| !keys.is_empty()) {
            self.fetch_bands(missing)?;
        }
        Ok(keys
            .iter()
            .flat_map(|near| near.iter().enumerate())
            .flat_map(|(band, &key)| self.bands.get(&(band, key)).cloned().unwrap_or_default())
            .collect())
    }

    fn found(&mut self, id: &str) -> Result<Option<Found>, ::postgres::Error> {
        if !self.found.contains_key(id) {
            self.fetch_found(&[id.to_owned()])?;
        }
        Ok(self.found.get(id).cloned().flatten())
    }

    fn stored_json(&mut self, id: &str) -> Result<Option<String>, ::postgres::Error> {
        let stmt = prepared(self.tx, "SELECT json FROM dispatches WHERE id = $1")?;
        Ok(self.tx.query_opt(&stmt, &[&id])?.map(|row| row.get(0)))
    }

    fn revision_hashes(&mut self, id: &str) -> Result<Vec<(u32, String)>, ::postgres::Error> {
        let stmt = prepared(
            self.tx,
            "SELECT revision, content_hash FROM revisions WHERE dispatch_id = $1",
        )?;
        Ok(self
            .tx
            .query(&stmt, &[&id])?
            .iter()
            .map(|row| (u32::try_from(row.get::<_, i32>(0)).unwrap_or(0), row.get(1)))
            .collect())
    }

    fn story_has_members(&mut self, story: &str) -> Result<bool, ::postgres::Error> {
        if !self.stories.contains_key(story) {
            self.fetch_stories(&[story])?;
        }
        Ok(self.stories.get(story).copied().unwrap_or(false))
    }
}
