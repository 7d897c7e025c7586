//! The source registry in SQLite: every write is one `BEGIN IMMEDIATE` transaction, so writers take turns.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use crate::StoreError;
use crate::sources::{
    AddOutcome, CheckRecord, DEFAULT_INTERVAL_SECS, NewSource, Source, categories_from_json,
    categories_to_json, key_id, later, max_time, merge_categories, moved_note,
};

/// The columns [`source_from_row`] reads, in its order.
const COLUMNS: &str = "id, url, original_url, title, site_url, categories, added_at, etag, last_modified,
    last_checked_at, last_status, last_error, error_count, next_check_at, interval_secs, items_total, last_new,
    lease_owner, lease_until";

/// A time as the `sources` and `host_slots` tables store it: RFC 3339 UTC with microseconds, a fixed width (years
/// after 9999 are capped), so that comparing the text compares the times.
fn ts(at: DateTime<Utc>) -> String {
    at.min(max_time())
        .to_rfc3339_opts(SecondsFormat::Micros, false)
}

fn parse_ts(idx: usize, text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|err| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(err)))
}

fn time_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    parse_ts(idx, &row.get::<_, String>(idx)?)
}

fn opt_time_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    row.get::<_, Option<String>>(idx)?
        .map(|text| parse_ts(idx, &text))
        .transpose()
}

fn source_from_row(row: &Row<'_>) -> rusqlite::Result<Source> {
    let categories: String = row.get(5)?;
    Ok(Source {
        id: row.get(0)?,
        url: row.get(1)?,
        original_url: row.get(2)?,
        title: row.get(3)?,
        site_url: row.get(4)?,
        categories: categories_from_json(&categories).map_err(|err| {
            rusqlite::Error::FromSqlConversionFailure(5, Type::Text, Box::new(err))
        })?,
        added_at: time_at(row, 6)?,
        etag: row.get(7)?,
        last_modified: row.get(8)?,
        last_checked_at: opt_time_at(row, 9)?,
        last_status: row.get(10)?,
        last_error: row.get(11)?,
        error_count: row.get(12)?,
        next_check_at: time_at(row, 13)?,
        interval_secs: row.get(14)?,
        items_total: row.get(15)?,
        last_new: row.get(16)?,
        lease_owner: row.get(17)?,
        lease_until: opt_time_at(row, 18)?,
    })
}

fn query_err(action: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> StoreError {
    let action = action.into();
    move |source| StoreError::Query {
        action,
        source: source.into(),
    }
}

/// The source `key` names: by id when it is a number, else by current URL, else by original URL.
fn find(conn: &Connection, key: &str) -> rusqlite::Result<Option<Source>> {
    match key_id(key) {
        Some(id) => conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM sources WHERE id = ?1"),
                [id],
                source_from_row,
            )
            .optional(),
        None => conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM sources WHERE url = ?1 OR original_url = ?1
                     ORDER BY url = ?1 DESC, id LIMIT 1"
                ),
                [key],
                source_from_row,
            )
            .optional(),
    }
}

pub(super) fn add_source(
    conn: &mut Connection,
    new: &NewSource,
    now: DateTime<Utc>,
) -> Result<AddOutcome, StoreError> {
    let action = format!("adding source {}", new.url);
    let res = (|| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing = tx
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM sources WHERE url = ?1 OR original_url = ?1
                     ORDER BY url = ?1 DESC, id LIMIT 1"
                ),
                [&new.url],
                source_from_row,
            )
            .optional()?;
        let outcome = match existing {
            Some(mut source) => {
                if let Some(merged) = merge_categories(&source.categories, &new.categories) {
                    tx.execute(
                        "UPDATE sources SET categories = ?2 WHERE id = ?1",
                        params![source.id, categories_to_json(&merged)],
                    )?;
                    source.categories = merged;
                }
                AddOutcome::Exists(source)
            }
            None => AddOutcome::Added(tx.query_row(
                &format!(
                    "INSERT INTO sources (url, original_url, title, site_url, categories, added_at,
                         next_check_at, interval_secs)
                     VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?5, ?6)
                     RETURNING {COLUMNS}"
                ),
                params![
                    new.url,
                    new.title,
                    new.site_url,
                    categories_to_json(&new.categories),
                    ts(now),
                    DEFAULT_INTERVAL_SECS
                ],
                source_from_row,
            )?),
        };
        tx.commit()?;
        Ok(outcome)
    })();
    res.map_err(query_err(action))
}

pub(super) fn remove_source(
    conn: &mut Connection,
    key: &str,
) -> Result<Option<Source>, StoreError> {
    let res = (|| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = find(&tx, key)?;
        if let Some(source) = &found {
            tx.execute("DELETE FROM sources WHERE id = ?1", [source.id])?;
        }
        tx.commit()?;
        Ok(found)
    })();
    res.map_err(query_err(format!("removing source {key}")))
}

pub(super) fn sources(conn: &Connection) -> Result<Vec<Source>, StoreError> {
    let res = (|| {
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM sources ORDER BY id"))?;
        let rows = stmt.query_map([], source_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })();
    res.map_err(query_err("listing sources"))
}

pub(super) fn source(conn: &Connection, key: &str) -> Result<Option<Source>, StoreError> {
    find(conn, key).map_err(query_err(format!("looking up source {key}")))
}

pub(super) fn lease_due(
    conn: &mut Connection,
    owner: &str,
    now: DateTime<Utc>,
    lease_for: Duration,
    limit: usize,
) -> Result<Vec<Source>, StoreError> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let res = (|| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut leased = {
            let mut stmt = tx.prepare(&format!(
                "UPDATE sources SET lease_owner = ?1, lease_until = ?2
                 WHERE id IN (
                     SELECT s.id FROM sources s
                     JOIN (
                         SELECT id, row_number() OVER (
                             PARTITION BY CASE WHEN instr(substr(url, 9), '/') > 0
                                 THEN substr(url, 1, instr(substr(url, 9), '/') + 7) ELSE url END
                             ORDER BY coalesce(lease_until > ?3, 0) DESC, next_check_at, id
                         ) AS turn
                         FROM sources
                     ) r ON r.id = s.id
                     WHERE s.next_check_at <= ?3 AND (s.lease_until IS NULL OR s.lease_until <= ?3)
                     ORDER BY r.turn, s.next_check_at, s.id
                     LIMIT ?4
                 )
                 RETURNING {COLUMNS}"
            ))?;
            let rows = stmt.query_map(
                params![
                    owner,
                    ts(later(now, lease_for)),
                    ts(now),
                    i64::try_from(limit).unwrap_or(i64::MAX)
                ],
                source_from_row,
            )?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        tx.commit()?;
        // RETURNING gives rows in no particular order.
        leased.sort_by_key(|s| (s.next_check_at, s.id));
        Ok(leased)
    })();
    res.map_err(query_err("leasing due sources"))
}

pub(super) fn finish_check(
    conn: &mut Connection,
    id: i64,
    owner: &str,
    record: &CheckRecord,
) -> Result<bool, StoreError> {
    let mut known_url = None;
    let res = finish_check_in(conn, id, owner, record, &mut known_url);
    res.map_err(|source| StoreError::Query {
        action: match known_url {
            Some(url) => format!("recording check of source {id} ({url})"),
            None => format!("recording check of source {id}"),
        },
        source: source.into(),
    })
}

fn finish_check_in(
    conn: &mut Connection,
    id: i64,
    owner: &str,
    record: &CheckRecord,
    known_url: &mut Option<String>,
) -> rusqlite::Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let held: Option<String> = tx
        .query_row(
            "SELECT url FROM sources WHERE id = ?1 AND lease_owner = ?2 AND lease_until > ?3",
            params![id, owner, ts(record.checked_at)],
            |row| row.get(0),
        )
        .optional()?;
    let Some(current) = held else {
        // Dropping the transaction rolls it back; nothing was written.
        return Ok(false);
    };
    *known_url = Some(current.clone());
    let mut url = current;
    let mut last_error = record.error.clone();
    if let Some(moved_to) = record.moved_to.as_ref().filter(|to| **to != url) {
        let taken: Option<i64> = tx
            .query_row(
                "SELECT id FROM sources WHERE url = ?1 AND id <> ?2",
                params![moved_to, id],
                |row| row.get(0),
            )
            .optional()?;
        match taken {
            Some(other) => {
                last_error = Some(moved_note(
                    record.error.as_deref(),
                    moved_to,
                    Some(other),
                    &url,
                ));
            }
            None => url = moved_to.clone(),
        }
    }
    tx.execute(
        "UPDATE sources SET url = ?2, last_checked_at = ?3, last_status = ?4, last_error = ?5, etag = ?6,
             last_modified = ?7, title = coalesce(title, ?8), next_check_at = ?9, interval_secs = ?10,
             error_count = ?11, items_total = items_total + ?12, last_new = ?12,
             lease_owner = NULL, lease_until = NULL
         WHERE id = ?1",
        params![
            id,
            url,
            ts(record.checked_at),
            record.status.as_str(),
            last_error,
            record.etag,
            record.last_modified,
            record.title,
            ts(record.next_check_at),
            record.interval_secs,
            record.error_count,
            record.new_items,
        ],
    )?;
    tx.commit()?;
    Ok(true)
}

pub(super) fn holds_lease(
    conn: &Connection,
    id: i64,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sources WHERE id = ?1 AND lease_owner = ?2 AND lease_until > ?3)",
        params![id, owner, ts(now)],
        |row| row.get(0),
    )
    .map_err(query_err(format!("checking the lease on source {id}")))
}

pub(super) fn renew_lease(
    conn: &Connection,
    id: i64,
    owner: &str,
    now: DateTime<Utc>,
    lease_for: Duration,
) -> Result<bool, StoreError> {
    conn.execute(
        "UPDATE sources SET lease_until = ?4 WHERE id = ?1 AND lease_owner = ?2 AND lease_until > ?3",
        params![id, owner, ts(now), ts(later(now, lease_for))],
    )
    .map(|rows| rows == 1)
    .map_err(query_err(format!("renewing the lease on source {id}")))
}

pub(super) fn release_lease(conn: &Connection, id: i64, owner: &str) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE id = ?1 AND lease_owner = ?2",
        params![id, owner],
    )
    .map(drop)
    .map_err(query_err(format!("releasing the lease on source {id}")))
}

pub(super) fn next_due(conn: &Connection) -> Result<Option<DateTime<Utc>>, StoreError> {
    conn.query_row(
        "SELECT min(CASE WHEN lease_until > next_check_at THEN lease_until ELSE next_check_at END)
         FROM sources",
        [],
        |row| {
            row.get::<_, Option<String>>(0)?
                .map(|text| parse_ts(0, &text))
                .transpose()
        },
    )
    .map_err(query_err("finding when the next source is due"))
}

pub(super) fn reserve_host_slot(
    conn: &mut Connection,
    host: &str,
    now: DateTime<Utc>,
    spacing: Duration,
) -> Result<DateTime<Utc>, StoreError> {
    let res = (|| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stored: Option<String> = tx
            .query_row(
                "SELECT next_at FROM host_slots WHERE host = ?1",
                [host],
                |row| row.get(0),
            )
            .optional()?;
        let start = match stored {
            Some(text) => parse_ts(0, &text)?.max(now),
            None => now,
        };
        tx.execute(
            "INSERT INTO host_slots (host, next_at) VALUES (?1, ?2)
             ON CONFLICT (host) DO UPDATE SET next_at = excluded.next_at",
            params![host, ts(later(start, spacing))],
        )?;
        tx.commit()?;
        Ok(start)
    })();
    res.map_err(query_err(format!("reserving a request slot for {host}")))
}
