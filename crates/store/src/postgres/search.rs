//! PostgreSQL full-text search: each dispatch's `tsvector` kept in step with it (in the upsert's transaction),
//! and searches over the GIN index. See `migrations/postgres/0003_search.sql`.

use ::postgres::{GenericClient, Transaction};
use newswire_model::Dispatch;

use crate::rows::{from_json, host, sort_at};
use crate::text::{indexed, query_terms};
use crate::{SearchQuery, StoreError};

/// How many rows a backfill reads at a time.
const BACKFILL_BATCH: i32 = 500;

/// The `tsvector` of a dispatch from its folded title ($5) and body ($6).
const VECTOR: &str =
    "setweight(to_tsvector('simple', $5), 'A') || setweight(to_tsvector('simple', $6), 'B')";

/// Indexes the current version of `dispatch` (already written to `dispatches`), replacing what was indexed.
pub(super) fn index(
    client: &mut impl GenericClient,
    dispatch: &Dispatch,
) -> Result<(), ::postgres::Error> {
    let sql = format!(
        "INSERT INTO search_docs (dispatch_id, sort_at, feed_url, host, search)
         VALUES ($1, $2, $3, $4, {VECTOR})
         ON CONFLICT (dispatch_id) DO UPDATE SET sort_at = excluded.sort_at, feed_url = excluded.feed_url,
             host = excluded.host, search = excluded.search"
    );
    client.execute(
        &sql,
        &[
            &dispatch.id,
            &sort_at(dispatch),
            &dispatch.source.feed_url,
            &host(dispatch),
            &indexed(&dispatch.title),
            &indexed(&dispatch.text()),
        ],
    )?;
    Ok(())
}

/// Runs `each` on every stored dispatch, in `order`, reading them in batches: the migrations' backfills.
pub(super) fn for_each_dispatch(
    tx: &mut Transaction<'_>,
    order: &str,
    mut each: impl FnMut(&mut Transaction<'_>, Dispatch) -> Result<(), ::postgres::Error>,
) -> Result<(), StoreError> {
    let query_err = |source: ::postgres::Error| StoreError::Query {
        action: "reading the stored dispatches".into(),
        source: source.into(),
    };
    let portal = tx
        .bind(
            &format!("SELECT id, json FROM dispatches ORDER BY {order}"),
            &[],
        )
        .map_err(query_err)?;
    loop {
        let rows = tx
            .query_portal(&portal, BACKFILL_BATCH)
            .map_err(query_err)?;
        if rows.is_empty() {
            return Ok(());
        }
        for row in rows {
            let id: String = row.get(0);
            let json: String = row.get(1);
            each(tx, from_json(&id, &json)?).map_err(query_err)?;
        }
    }
}

/// Indexes every stored dispatch: migration 3's backfill.
pub(super) fn backfill(tx: &mut Transaction<'_>) -> Result<(), StoreError> {
    for_each_dispatch(tx, "id", |tx, dispatch| index(tx, &dispatch))
}

/// The hits of `query` as (id, score, JSON, story), best first.
pub(super) type Rows = Vec<(String, f64, String, Option<String>)>;

/// Runs `query`; returns its folded terms (for the snippets) and the rows found.
pub(super) fn search(
    client: &mut impl GenericClient,
    query: &SearchQuery,
) -> Result<(Vec<String>, Rows), ::postgres::Error> {
    let terms = query_terms(&query.text);
    if terms.is_empty() || query.limit == 0 {
        return Ok((terms, Vec::new()));
    }
    let since = query.since.map_or(i64::MIN, |t| t.timestamp());
    let until = query.until.map_or(i64::MAX, |t| t.timestamp());
    let host = query.source.as_deref().map(str::to_lowercase);
    let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
    // The folded words contain nothing `plainto_tsquery` reads as syntax; it ANDs them. Cover density with
    // weights {D, C, B, A} = {0.1, 0.1, 0.2, 1.0}: a title word counts five times a body word, as in SQLite;
    // normalization 1 divides by the log of the length, so long texts do not win by length alone. At most
    // RANKED_MATCHES matches (the first found) are ranked, and cut in the next subquery, so only the hits' rows are
    // read from `dispatches`.
    // The matches are always read through the GIN index. The planner does not count what reading a `tsvector`
    // from TOAST costs, so a sequential scan of `search_docs` looks cheap (the table itself is small) whenever the
    // index looks dear, for instance while its pending list is long: at 1,000,000 dispatches it chose one that
    // read every row for a word found nowhere, 8 s where the index answers in under a millisecond.
    let mut tx = client.transaction()?;
    tx.batch_execute("SET LOCAL enable_seqscan = off")?;
    let rows = tx.query(
        "SELECT h.dispatch_id, h.score, d.json, m.story_id
         FROM (
             SELECT c.dispatch_id, ts_rank_cd('{0.1, 0.1, 0.2, 1.0}', c.search, c.q, 1)::float8 AS score
             FROM (
                 SELECT s.dispatch_id, s.search, q
                 FROM search_docs s, plainto_tsquery('simple', $1) AS q
                 WHERE s.search @@ q AND s.sort_at >= $2 AND s.sort_at < $3
                   AND ($4::text IS NULL OR s.feed_url = $4 OR s.host = $5
                        OR right(s.host, length($5) + 1) = '.' || $5)
                 LIMIT $7
             ) AS c
             ORDER BY score DESC, c.dispatch_id
             LIMIT $6
         ) AS h
         JOIN dispatches d ON d.id = h.dispatch_id
         LEFT JOIN story_members m ON m.dispatch_id = h.dispatch_id
         ORDER BY h.score DESC, h.dispatch_id",
        &[
            &terms.join(" "),
            &since,
            &until,
            &query.source,
            &host,
            &limit,
            &(crate::RANKED_MATCHES as i64),
        ],
    )?;
    tx.commit()?;
    let rows = rows
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)))
        .collect();
    Ok((terms, rows))
}
