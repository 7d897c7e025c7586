-- newswire schema version 7: fewer pages written per dispatch stored, so that storing stays fast as the database
-- grows (issue 6).
-- Every index keyed by a hash or an id takes each new entry at a random place: once such indexes outgrow the page
-- cache, each entry reads a page and each commit writes it back (to the WAL, then to the file). Storing a dispatch
-- wrote 13 such entries; it now writes 11, and a third fewer bytes:
-- - `docs` replaces `search_docs` and `story_members`: one row per dispatch, keyed by its row in the search index
--   (`doc`, an INTEGER PRIMARY KEY, so a new row goes at the end), with what searches filter on and the
--   dispatch's story. One index on the dispatch id where there were two.
-- - A story is indexed only for the dispatches that joined another's (`story_id <> dispatch_id`, a few in a
--   hundred); a dispatch that is its own story's first is found by its id.
-- - `story_keys` holds the band keys and shingles of the dispatches that have them, keyed by `doc` too, apart from
--   the narrow `docs` rows a search reads; a band index gives the `doc` of a candidate without reading the row.
-- - Shingles are stored in 4 bytes each rather than 8 (see src/similar.rs); those stored before are read as
--   they are, so none is rewritten here.

CREATE TABLE docs (
    doc         INTEGER PRIMARY KEY,           -- the dispatch's rowid in search_index
    dispatch_id TEXT NOT NULL UNIQUE REFERENCES dispatches (id),
    story_id    TEXT NOT NULL,                 -- the id of the story's first dispatch (its own when it is that)
    sort_at     INTEGER NOT NULL,              -- as dispatches.sort_at
    feed_url    TEXT,                          -- as dispatches.feed_url
    host        TEXT                           -- the site's host, lower case (source.site without its scheme)
) STRICT;

CREATE TABLE story_keys (
    doc      INTEGER PRIMARY KEY REFERENCES docs (doc),
    band0    INTEGER NOT NULL,
    band1    INTEGER NOT NULL,
    band2    INTEGER NOT NULL,
    band3    INTEGER NOT NULL,
    band4    INTEGER NOT NULL,
    band5    INTEGER NOT NULL,
    band6    INTEGER NOT NULL,
    band7    INTEGER NOT NULL,
    shingles BLOB                              -- NULL only for a row whose JSON could not be read in version 5
) STRICT;

INSERT INTO docs (doc, dispatch_id, story_id, sort_at, feed_url, host)
SELECT s.doc, s.dispatch_id, coalesce(m.story_id, s.dispatch_id), s.sort_at, s.feed_url, s.host
FROM search_docs s LEFT JOIN story_members m ON m.dispatch_id = s.dispatch_id
ORDER BY s.doc;

INSERT INTO story_keys (doc, band0, band1, band2, band3, band4, band5, band6, band7, shingles)
SELECT s.doc, m.band0, m.band1, m.band2, m.band3, m.band4, m.band5, m.band6, m.band7, m.shingles
FROM search_docs s JOIN story_members m ON m.dispatch_id = s.dispatch_id
WHERE m.band0 IS NOT NULL
ORDER BY s.doc;

DROP TABLE story_members;
DROP TABLE search_docs;

CREATE INDEX docs_story_id ON docs (story_id) WHERE story_id <> dispatch_id;
CREATE INDEX story_keys_band0 ON story_keys (band0);
CREATE INDEX story_keys_band1 ON story_keys (band1);
CREATE INDEX story_keys_band2 ON story_keys (band2);
CREATE INDEX story_keys_band3 ON story_keys (band3);
CREATE INDEX story_keys_band4 ON story_keys (band4);
CREATE INDEX story_keys_band5 ON story_keys (band5);
CREATE INDEX story_keys_band6 ON story_keys (band6);
CREATE INDEX story_keys_band7 ON story_keys (band7);
