-- newswire schema version 2 for PostgreSQL: the source registry (with leases for workers sharing the database)
-- and per-host request slots. The same columns as the SQLite schema; keys use the "C" collation as in version 1.

CREATE TABLE sources (
    id              bigserial PRIMARY KEY,
    url             text COLLATE "C" NOT NULL UNIQUE,  -- current URL (after permanent redirects)
    original_url    text COLLATE "C" NOT NULL,         -- as first added; never changes
    title           text,
    site_url        text,
    categories      text NOT NULL DEFAULT '[]',        -- JSON array of strings
    added_at        timestamptz NOT NULL,
    etag            text,
    last_modified   text,
    last_checked_at timestamptz,
    last_status     text CHECK (last_status IN ('ok', 'not modified', 'error')),
    last_error      text,
    error_count     bigint NOT NULL DEFAULT 0,         -- consecutive failed checks
    next_check_at   timestamptz NOT NULL,
    interval_secs   bigint NOT NULL,
    items_total     bigint NOT NULL DEFAULT 0,         -- dispatches first stored from this source
    last_new        bigint NOT NULL DEFAULT 0,         -- of those, at the last check
    lease_owner     text,                              -- the worker checking it now, until lease_until
    lease_until     timestamptz
);

CREATE INDEX sources_next_check_at ON sources (next_check_at, id);
CREATE INDEX sources_original_url ON sources (original_url);

-- When the next request to each host may start, shared by every worker on this database.
CREATE TABLE host_slots (
    host    text COLLATE "C" PRIMARY KEY,
    next_at timestamptz NOT NULL
);
