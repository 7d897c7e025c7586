-- newswire schema version 1: dispatches and their revisions.
-- The full dispatch is kept as JSON (contract version 1); the columns beside it exist for lookups and ranges.

CREATE TABLE dispatches (
    id            TEXT PRIMARY KEY NOT NULL,      -- 16 hex digits, from the canonical URL
    url           TEXT NOT NULL,                  -- canonical URL (not unique: identity is the id)
    guid          TEXT,
    feed_url      TEXT,
    title         TEXT NOT NULL,
    published_at  TEXT,                           -- as stated: RFC 3339 with offset, local time, or date
    sort_at       INTEGER NOT NULL,               -- unix seconds: published instant (zone-less read as UTC) or fetch time
    first_seen_at TEXT NOT NULL,                  -- RFC 3339 UTC
    fetched_at    TEXT NOT NULL,                  -- RFC 3339 UTC, of the current revision
    content_hash  TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,                  -- hash of the JSON without fetch time and warnings
    body_origin   TEXT NOT NULL,
    revision      INTEGER NOT NULL,
    json          TEXT NOT NULL
) STRICT;

CREATE INDEX dispatches_sort_at ON dispatches (sort_at, id);
CREATE INDEX dispatches_url ON dispatches (url);

CREATE TABLE revisions (
    dispatch_id  TEXT NOT NULL REFERENCES dispatches (id),
    revision     INTEGER NOT NULL,
    recorded_at  TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    json         TEXT NOT NULL,
    PRIMARY KEY (dispatch_id, revision)
) STRICT;
