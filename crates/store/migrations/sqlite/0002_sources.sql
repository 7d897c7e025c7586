-- newswire schema version 2: the source registry (with leases for workers sharing the database) and per-host
-- request slots.
-- Times are RFC 3339 UTC text of a fixed width (microseconds, "+00:00"), so text order is time order and the
-- comparisons below (due, lease expired) can be made on the text.

CREATE TABLE sources (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: a removed source's id is never reused
    url             TEXT NOT NULL UNIQUE,               -- current URL (after permanent redirects)
    original_url    TEXT NOT NULL,                      -- as first added; never changes
    title           TEXT,
    site_url        TEXT,
    categories      TEXT NOT NULL DEFAULT '[]',         -- JSON array of strings
    added_at        TEXT NOT NULL,
    etag            TEXT,
    last_modified   TEXT,
    last_checked_at TEXT,
    last_status     TEXT CHECK (last_status IN ('ok', 'not modified', 'error')),
    last_error      TEXT,
    error_count     INTEGER NOT NULL DEFAULT 0,         -- consecutive failed checks
    next_check_at   TEXT NOT NULL,
    interval_secs   INTEGER NOT NULL,
    items_total     INTEGER NOT NULL DEFAULT 0,         -- dispatches first stored from this source
    last_new        INTEGER NOT NULL DEFAULT 0,         -- of those, at the last check
    lease_owner     TEXT,                               -- the worker checking it now, until lease_until
    lease_until     TEXT
) STRICT;

CREATE INDEX sources_next_check_at ON sources (next_check_at, id);
CREATE INDEX sources_original_url ON sources (original_url);

-- When the next request to each host may start, shared by every worker on this database.
CREATE TABLE host_slots (
    host    TEXT PRIMARY KEY NOT NULL,
    next_at TEXT NOT NULL
) STRICT;
