//! The source registry in PostgreSQL: leases are taken with `FOR UPDATE SKIP LOCKED`, so workers leasing at
//! the same time pass over each other's rows instead of waiting for them or taking them twice.

use std::time::Duration;

use ::postgres::error::SqlState;
use ::postgres::{Client, GenericClient, Row};
use chrono::{DateTime, Utc};

use super::PgStore;
use crate::sources::{
    AddOutcome, CheckRecord, DEFAULT_INTERVAL_SECS, NewSource, Source, categories_from_json,
    categories_to_json, key_id, later, merge_categories, moved_note,
};
use crate::{EngineError, StoreError};

/// The columns [`source_from_row`] reads, in its order.
const COLUMNS: &str = "id, url, original_url, title, site_url, categories, added_at, etag, last_modified,
    last_checked_at, last_status, last_error, error_count, next_check_at, interval_secs, items_total, last_new,
    lease_owner, lease_until";

/// How often `add_source` looks again when a concurrent add or remove of the same URL got in between.
const ADD_ATTEMPTS: usize = 5;

fn source_from_row(row: &Row) -> Result<Source, EngineError> {
    let count = |idx: usize| -> Result<u32, EngineError> {
        let n: i64 = row.try_get(idx)?;
        Ok(u32::try_from(n)?)
    };
    Ok(Source {
        id: row.try_get(0)?,
        url: row.try_get(1)?,
        original_url: row.try_get(2)?,
        title: row.try_get(3)?,
        site_url: row.try_get(4)?,
        categories: categories_from_json(row.try_get(5)?)?,
        added_at: row.try_get(6)?,
        etag: row.try_get(7)?,
        last_modified: row.try_get(8)?,
        last_checked_at: row.try_get(9)?,
        last_status: row.try_get(10)?,
        last_error: row.try_get(11)?,
        error_count: count(12)?,
        next_check_at: row.try_get(13)?,
        interval_secs: count(14)?,
        items_total: u64::try_from(row.try_get::<_, i64>(15)?)?,
        last_new: count(16)?,
        lease_owner: row.try_get(17)?,
        lease_until: row.try_get(18)?,
    })
}

fn sources_from_rows(rows: &[Row]) -> Result<Vec<Source>, EngineError> {
    rows.iter().map(source_from_row).collect()
}

/// The source `key` names: by id when it is a number, else by current URL, else by original URL.
fn find(client: &mut impl GenericClient, key: &str) -> Result<Option<Source>, EngineError> {
    let row = match key_id(key) {
        Some(id) => client.query_opt(
            &format!("SELECT {COLUMNS} FROM sources WHERE id = $1"),
            &[&id],
        )?,
        None => client.query_opt(
            &format!(
                "SELECT {COLUMNS} FROM sources WHERE url = $1 OR original_url = $1
                 ORDER BY url = $1 DESC, id LIMIT 1"
            ),
            &[&key],
        )?,
    };
    row.as_ref().map(source_from_row).transpose()
}

fn add_source(
    client: &mut Client,
    new: &NewSource,
    now: DateTime<Utc>,
) -> Result<AddOutcome, EngineError> {
    let mut tx = client.transaction()?;
    for _ in 0..ADD_ATTEMPTS {
        let existing = tx.query_opt(
            &format!(
                "SELECT {COLUMNS} FROM sources WHERE url = $1 OR original_url = $1
                 ORDER BY url = $1 DESC, id LIMIT 1 FOR UPDATE"
            ),
            &[&new.url],
        )?;
        if let Some(row) = existing {
            let mut source = source_from_row(&row)?;
            if let Some(merged) = merge_categories(&source.categories, &new.categories) {
                tx.execute(
                    "UPDATE sources SET categories = $2 WHERE id = $1",
                    &[&source.id, &categories_to_json(&merged)],
                )?;
                source.categories = merged;
            }
            tx.commit()?;
            return Ok(AddOutcome::Exists(source));
        }
        // Of two transactions adding one URL at once, the second waits here for the first, inserts nothing,
        // and finds the first's row on the next round.
        let inserted = tx.query_opt(
            &format!(
                "INSERT INTO sources (url, original_url, title, site_url, categories, added_at, next_check_at,
                     interval_secs)
                 VALUES ($1, $1, $2, $3, $4, $5, $5, $6)
                 ON CONFLICT (url) DO NOTHING
                 RETURNING {COLUMNS}"
            ),
            &[
                &new.url,
                &new.title,
                &new.site_url,
                &categories_to_json(&new.categories),
                &now,
                &i64::from(DEFAULT_INTERVAL_SECS),
            ],
        )?;
        if let Some(row) = inserted {
            let source = source_from_row(&row)?;
            tx.commit()?;
            return Ok(AddOutcome::Added(source));
        }
    }
    Err(format!("the source kept changing under {ADD_ATTEMPTS} attempts to add it").into())
}

fn lease_due(
    client: &mut Client,
    owner: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Source>, EngineError> {
    // The inner SELECT locks the rows it picks and skips rows another transaction has locked; a row another
    // worker leased and committed meanwhile is rechecked against the WHERE clause and no longer qualifies.
    let rows = client.query(
        &format!(
            "UPDATE sources SET lease_owner = $1, lease_until = $2
             WHERE id IN (
                 SELECT s.id FROM sources s
                 JOIN (
                     SELECT id, row_number() OVER (
                         PARTITION BY CASE WHEN strpos(substr(url, 9), '/') > 0
                             THEN substr(url, 1, strpos(substr(url, 9), '/') + 7) ELSE url END
                         ORDER BY coalesce(lease_until > $3, false) DESC, next_check_at, id
                     ) AS turn
                     FROM sources
                 ) r ON r.id = s.id
                 WHERE s.next_check_at <= $3 AND (s.lease_until IS NULL OR s.lease_until <= $3)
                 ORDER BY r.turn, s.next_check_at, s.id
                 LIMIT $4
                 FOR UPDATE OF s SKIP LOCKED
             )
             RETURNING {COLUMNS}"
        ),
        &[&owner, &until, &now, &limit],
    )?;
    let mut leased = sources_from_rows(&rows)?;
    // RETURNING gives rows in no particular order.
    leased.sort_by_key(|s| (s.next_check_at, s.id));
    Ok(leased)
}

fn finish_check(
    client: &mut Client,
    id: i64,
    owner: &str,
    record: &CheckRecord,
    known_url: &mut Option<String>,
) -> Result<bool, EngineError> {
    let mut tx = client.transaction()?;
    // The row lock keeps another worker from leasing the source between this check and the write below.
    let held = tx.query_opt(
        "SELECT url FROM sources WHERE id = $1 AND lease_owner = $2 AND lease_until > $3 FOR UPDATE",
        &[&id, &owner, &record.checked_at],
    )?;
    let Some(held) = held else {
        // Dropping the transaction rolls it back; nothing was written.
        return Ok(false);
    };
    let current: String = held.try_get(0)?;
    *known_url = Some(current.clone());
    let mut last_error = record.error.clone();
    if let Some(moved_to) = record.moved_to.as_ref().filter(|to| **to != current) {
        let taken = |tx: &mut ::postgres::Transaction<'_>| -> Result<Option<i64>, EngineError> {
            Ok(tx
                .query_opt(
                    "SELECT id FROM sources WHERE url = $1 AND id <> $2",
                    &[moved_to, &id],
                )?
                .map(|row| row.try_get(0))
                .transpose()?)
        };
        let mut other = taken(&mut tx)?;
        let mut moved = false;
        if other.is_none() {
            // Another source may move to the same URL at this moment: try the move in a savepoint, and if the
            // unique index refuses it, keep the current URL as when another source was found up front.
            let mut savepoint = tx.savepoint("move_source")?;
            match savepoint.execute(
                "UPDATE sources SET url = $2 WHERE id = $1",
                &[&id, moved_to],
            ) {
                Ok(_) => {
                    savepoint.commit()?;
                    moved = true;
                }
                Err(err) if err.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                    drop(savepoint);
                    other = taken(&mut tx)?;
                }
                Err(err) => return Err(err.into()),
            }
        }
        if !moved {
            last_error = Some(moved_note(
                record.error.as_deref(),
                moved_to,
                other,
                &current,
            ));
        }
    }
    tx.execute(
        "UPDATE sources SET last_checked_at = $2, last_status = $3, last_error = $4, etag = $5,
             last_modified = $6, title = coalesce(title, $7), next_check_at = $8, interval_secs = $9,
             error_count = $10, items_total = items_total + $11, last_new = $11,
             lease_owner = NULL, lease_until = NULL
         WHERE id = $1",
        &[
            &id,
            &record.checked_at,
            &record.status.as_str(),
            &last_error,
            &record.etag,
            &record.last_modified,
            &record.title,
            &record.next_check_at,
            &i64::from(record.interval_secs),
            &i64::from(record.error_count),
            &i64::from(record.new_items),
        ],
    )?;
    tx.commit()?;
    Ok(true)
}

impl PgStore {
    /// Runs `job` on the connection thread; its error becomes a [`StoreError::Query`] about `action`.
    fn run<R: Send + 'static>(
        &self,
        action: String,
        job: impl FnOnce(&mut Client) -> Result<R, EngineError> + Send + 'static,
    ) -> Result<R, StoreError> {
        self.call(&action, job)?
            .map_err(|source| StoreError::Query { action, source })
    }

    pub(super) fn add_source_impl(
        &self,
        new: &NewSource,
        now: DateTime<Utc>,
    ) -> Result<AddOutcome, StoreError> {
        let new = new.clone();
        self.run(format!("adding source {}", new.url), move |client| {
            add_source(client, &new, now)
        })
    }

    pub(super) fn remove_source_impl(&self, key: &str) -> Result<Option<Source>, StoreError> {
        let owned_key = key.to_owned();
        self.run(format!("removing source {key}"), move |client| {
            let row = match key_id(&owned_key) {
                Some(id) => client.query_opt(
                    &format!("DELETE FROM sources WHERE id = $1 RETURNING {COLUMNS}"),
                    &[&id],
                )?,
                None => client.query_opt(
                    &format!(
                        "DELETE FROM sources WHERE id = (
                             SELECT id FROM sources WHERE url = $1 OR original_url = $1
                             ORDER BY url = $1 DESC, id LIMIT 1
                         )
                         RETURNING {COLUMNS}"
                    ),
                    &[&owned_key],
                )?,
            };
            row.as_ref().map(source_from_row).transpose()
        })
    }

    pub(super) fn sources_impl(&self) -> Result<Vec<Source>, StoreError> {
        self.run("listing sources".into(), |client| {
            let rows = client.query(&format!("SELECT {COLUMNS} FROM sources ORDER BY id"), &[])?;
            sources_from_rows(&rows)
        })
    }

    pub(super) fn source_impl(&self, key: &str) -> Result<Option<Source>, StoreError> {
        let owned_key = key.to_owned();
        self.run(format!("looking up source {key}"), move |client| {
            find(client, &owned_key)
        })
    }

    pub(super) fn lease_due_impl(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
        limit: usize,
    ) -> Result<Vec<Source>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let owner = owner.to_owned();
        let until = later(now, lease_for);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.run("leasing due sources".into(), move |client| {
            lease_due(client, &owner, now, until, limit)
        })
    }

    pub(super) fn finish_check_impl(
        &self,
        id: i64,
        owner: &str,
        record: &CheckRecord,
    ) -> Result<bool, StoreError> {
        let action = format!("recording check of source {id}");
        let (owner, record) = (owner.to_owned(), record.clone());
        let (res, known_url) = self.call(&action, move |client| {
            let mut known_url = None;
            let res = finish_check(client, id, &owner, &record, &mut known_url);
            (res, known_url)
        })?;
        res.map_err(|source| StoreError::Query {
            action: match known_url {
                Some(url) => format!("{action} ({url})"),
                None => action,
            },
            source,
        })
    }

    pub(super) fn holds_lease_impl(
        &self,
        id: i64,
        owner: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let owner = owner.to_owned();
        self.run(
            format!("checking the lease on source {id}"),
            move |client| {
                Ok(client
                    .query_one(
                        "SELECT EXISTS (SELECT 1 FROM sources
                         WHERE id = $1 AND lease_owner = $2 AND lease_until > $3)",
                        &[&id, &owner, &now],
                    )?
                    .try_get(0)?)
            },
        )
    }

    pub(super) fn renew_lease_impl(
        &self,
        id: i64,
        owner: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
    ) -> Result<bool, StoreError> {
        let owner = owner.to_owned();
        let until = later(now, lease_for);
        self.run(format!("renewing the lease on source {id}"), move |client| {
            let rows = client.execute(
                "UPDATE sources SET lease_until = $4 WHERE id = $1 AND lease_owner = $2 AND lease_until > $3",
                &[&id, &owner, &now, &until],
            )?;
            Ok(rows == 1)
        })
    }

    pub(super) fn release_lease_impl(&self, id: i64, owner: &str) -> Result<(), StoreError> {
        let owner = owner.to_owned();
        self.run(format!("releasing the lease on source {id}"), move |client| {
            client.execute(
                "UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2",
                &[&id, &owner],
            )?;
            Ok(())
        })
    }

    pub(super) fn next_due_impl(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.run("finding when the next source is due".into(), |client| {
            // greatest() ignores NULLs: a source without a lease counts by its next_check_at.
            Ok(client
                .query_one(
                    "SELECT min(greatest(next_check_at, lease_until)) FROM sources",
                    &[],
                )?
                .try_get(0)?)
        })
    }

    pub(super) fn reserve_host_slot_impl(
        &self,
        host: &str,
        now: DateTime<Utc>,
        spacing: Duration,
    ) -> Result<DateTime<Utc>, StoreError> {
        let owned_host = host.to_owned();
        let spacing_us = i64::try_from(spacing.as_micros()).unwrap_or(i64::MAX);
        self.run(
            format!("reserving a request slot for {host}"),
            move |client| {
                // One statement: concurrent callers for one host queue on the row, each seeing the slot the
                // previous one left. The slot this caller gets is the new next_at less the spacing.
                Ok(client
                    .query_one(
                        "INSERT INTO host_slots AS slot (host, next_at)
                     VALUES ($1, $2::timestamptz + $3::bigint * interval '1 microsecond')
                     ON CONFLICT (host) DO UPDATE
                         SET next_at = greatest(slot.next_at, $2::timestamptz)
                             + $3::bigint * interval '1 microsecond'
                     RETURNING next_at - $3::bigint * interval '1 microsecond'",
                        &[&owned_host, &now, &spacing_us],
                    )?
                    .try_get(0)?)
            },
        )
    }
}
