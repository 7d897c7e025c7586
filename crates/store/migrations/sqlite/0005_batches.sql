-- newswire schema version 5: cheaper upserts (batches of dispatches; see src/batch.rs).
-- `story_members.shingles` keeps each dispatch's shingle hashes (8 little-endian bytes each, ascending; see
-- src/similar.rs) beside its band keys, so a candidate is compared without reading and folding its text again.
-- It is NULL exactly when the band keys are. The store fills it for the dispatches already stored right after
-- this script, in the same transaction.
-- `revisions.json` becomes NULL for a dispatch's current revision: that version is the dispatch row's JSON, and
-- storing it twice doubled the space taken. When a newer revision is stored, the one it supersedes gets its JSON
-- back from the dispatch row first. A column cannot lose NOT NULL in SQLite, so the table is rebuilt.
-- The search index keeps up to 8 MiB of new entries in memory before writing them out as a segment (FTS5's
-- default is 1 MiB): a batch of a few hundred dispatches then makes one segment, and merging segments costs less.

ALTER TABLE story_members ADD COLUMN shingles BLOB;

CREATE TABLE revisions_v5 (
    dispatch_id  TEXT NOT NULL REFERENCES dispatches (id),
    revision     INTEGER NOT NULL,
    recorded_at  TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    json         TEXT,                          -- NULL: the current revision, whose JSON is dispatches.json
    PRIMARY KEY (dispatch_id, revision)
) STRICT;

INSERT INTO revisions_v5 (dispatch_id, revision, recorded_at, content_hash, json)
SELECT r.dispatch_id, r.revision, r.recorded_at, r.content_hash,
       CASE WHEN d.revision = r.revision AND d.json = r.json THEN NULL ELSE r.json END
FROM revisions r LEFT JOIN dispatches d ON d.id = r.dispatch_id
ORDER BY r.dispatch_id, r.revision;

DROP TABLE revisions;
ALTER TABLE revisions_v5 RENAME TO revisions;

INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 8388608);
