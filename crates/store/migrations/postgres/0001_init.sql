-- newswire schema version 1 for PostgreSQL: dispatches, their revisions, and the migration ledger.
-- The same columns as the SQLite schema. The full dispatch is kept as JSON text (contract version 1, exactly as
-- serialized, key order kept); query into it with `json::jsonb` when needed. The other columns exist for lookups,
-- ranges and the upsert's decision. Keys use the "C" collation so ordering matches SQLite's byte order.

CREATE TABLE schema_migrations (
    version    bigint PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dispatches (
    id            text COLLATE "C" PRIMARY KEY,  -- 16 hex digits, from the canonical URL
    url           text COLLATE "C" NOT NULL,     -- canonical URL (not unique: identity is the id)
    guid          text,
    feed_url      text,
    title         text NOT NULL,
    published_at  text,                          -- as stated: RFC 3339 with offset, local time, or date
    sort_at       bigint NOT NULL,               -- unix seconds: published instant (zone-less read as UTC) or fetch time
    first_seen_at timestamptz NOT NULL,
    fetched_at    timestamptz NOT NULL,          -- of the current revision
    content_hash  text NOT NULL,
    fingerprint   text NOT NULL,                 -- hash of the JSON without fetch time and warnings
    body_origin   text NOT NULL,
    revision      integer NOT NULL,
    json          text NOT NULL
);

CREATE INDEX dispatches_sort_at ON dispatches (sort_at, id);
CREATE INDEX dispatches_url ON dispatches (url);

CREATE TABLE revisions (
    dispatch_id  text COLLATE "C" NOT NULL REFERENCES dispatches (id),
    revision     integer NOT NULL,
    recorded_at  timestamptz NOT NULL,
    content_hash text NOT NULL,
    json         text NOT NULL,
    PRIMARY KEY (dispatch_id, revision)
);
