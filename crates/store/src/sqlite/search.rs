//! SQLite full-text search: the FTS5 index kept in step with the dispatches (in the upsert's transaction), and
//! searches over it. See `migrations/sqlite/0003_search.sql` and `0007_docs.sql`.

use rusqlite::{Connection, OptionalExtension, params};

use crate::batch::Prepared;
use crate::rows::{from_json, hit};
use crate::text::query_terms;
use crate::{RANKED_MATCHES, SearchHit, SearchQuery, StoreError};

/// BM25 weights of the index's columns: a word in the title counts five times one in the body.
const RANK: &str = "bm25(search_index, 5.0, 1.0)";

/// Indexes the current version of a dispatch (already written to `dispatches`) as a member of story `story`,
/// replacing what was indexed, and returns its `doc`. `new` says it was stored for the first time, so nothing is
/// indexed yet.
pub(super) fn index(
    conn: &Connection,
    item: &Prepared<'_>,
    new: bool,
    story: &str,
) -> rusqlite::Result<i64> {
    let dispatch = &*item.dispatch;
    let feed_url = dispatch.source.feed_url.as_deref();
    let (host, sort_at) = (&item.host, item.sort_at);
    let doc: Option<i64> = if new {
        None
    } else {
        conn.prepare_cached("SELECT doc FROM docs WHERE dispatch_id = ?1")?
            .query_row([&dispatch.id], |row| row.get(0))
            .optional()?
    };
    let doc = match doc {
        Some(doc) => {
            conn.prepare_cached(
                "UPDATE docs SET story_id = ?2, sort_at = ?3, feed_url = ?4, host = ?5 WHERE doc = ?1",
            )?
            .execute(params![doc, story, sort_at, feed_url, host])?;
            conn.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?
                .execute([doc])?;
            doc
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO docs (dispatch_id, story_id, sort_at, feed_url, host) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![dispatch.id, story, sort_at, feed_url, host])?;
            conn.last_insert_rowid()
        }
    };
    conn.prepare_cached("INSERT INTO search_index (rowid, title, body) VALUES (?1, ?2, ?3)")?
        .execute(params![doc, item.indexed_title, item.indexed_body])?;
    Ok(doc)
}

/// Indexes every stored dispatch: migration 3's backfill, on the schema of version 3 (`search_docs`).
pub(super) fn backfill(conn: &Connection) -> Result<(), StoreError> {
    let action = "indexing the stored dispatches for search";
    let query_err = |source: rusqlite::Error| StoreError::Query {
        action: action.into(),
        source: source.into(),
    };
    let sql = "SELECT id, json FROM dispatches ORDER BY rowid";
    super::for_each_stored(conn, sql, action, |id, json| {
        let item = Prepared::new(from_json(&id, &json)?);
        let dispatch = &*item.dispatch;
        conn.prepare_cached(
            "INSERT INTO search_docs (dispatch_id, sort_at, feed_url, host) VALUES (?1, ?2, ?3, ?4)",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                dispatch.id,
                item.sort_at,
                dispatch.source.feed_url,
                item.host
            ])
        })
        .and_then(|_| {
            conn.prepare_cached("INSERT INTO search_index (rowid, title, body) VALUES (?1, ?2, ?3)")?
                .execute(params![
                    conn.last_insert_rowid(),
                    item.indexed_title,
                    item.indexed_body
                ])
        })
        .map_err(query_err)?;
        Ok(())
    })?;
    Ok(())
}

pub(super) fn search(conn: &Connection, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
    let query_err = |source: rusqlite::Error| StoreError::Query {
        action: format!("searching for {:?}", query.text),
        source: source.into(),
    };
    let terms = query_terms(&query.text);
    if terms.is_empty() || query.limit == 0 {
        return Ok(Vec::new());
    }
    // Each word a quoted string: FTS5 reads nothing in it as syntax, and juxtaposed strings must all match.
    let fts_query = terms
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ");
    let since = query.since.map_or(i64::MIN, |t| t.timestamp());
    let until = query.until.map_or(i64::MAX, |t| t.timestamp());
    let host = query.source.as_deref().map(str::to_lowercase);
    let limit = query.limit.min(i64::MAX as usize);
    // The most recently indexed matches (at most RANKED_MATCHES of them, newest first in the index's rowid
    // order) are ranked, and cut in the next subquery, so only the hits' rows are read from `dispatches`. The
    // limits are written into the SQL: a bound LIMIT makes SQLite prepare the statement again at every run.
    let sql = format!(
        "SELECT h.dispatch_id, h.score, d.json, h.story_id
         FROM (
             SELECT c.dispatch_id, c.score, c.story_id FROM (
                 SELECT s.dispatch_id, {RANK} AS score, s.story_id
                 FROM search_index JOIN docs s ON s.doc = search_index.rowid
                 WHERE search_index MATCH ?1 AND s.sort_at >= ?2 AND s.sort_at < ?3
                   AND (?4 IS NULL OR s.feed_url = ?4 OR s.host = ?5
                        OR substr(s.host, -length(?5) - 1) = '.' || ?5)
                 ORDER BY search_index.rowid DESC
                 LIMIT {RANKED_MATCHES}
             ) AS c
             ORDER BY c.score, c.dispatch_id
             LIMIT {limit}
         ) AS h
         JOIN dispatches d ON d.id = h.dispatch_id
         ORDER BY h.score, h.dispatch_id"
    );
    let mut stmt = conn.prepare_cached(&sql).map_err(query_err)?;
    let mut rows = stmt
        .query(params![fts_query, since, until, query.source, host])
        .map_err(query_err)?;
    let mut hits = Vec::new();
    while let Some(row) = rows.next().map_err(query_err)? {
        let id: String = row.get(0).map_err(query_err)?;
        let bm25: f64 = row.get(1).map_err(query_err)?;
        let json: String = row.get(2).map_err(query_err)?;
        let mut dispatch = from_json(&id, &json)?;
        dispatch.story = row.get(3).map_err(query_err)?;
        // FTS5's BM25 is negative, better matches more so.
        hits.push(hit(dispatch, -bm25, &terms));
    }
    Ok(hits)
}
