-- newswire schema version 4 for PostgreSQL: stories, the dispatches that carry the same story (syndicated copies,
-- republications with small edits; see src/similar.rs). The same table as the SQLite schema.
-- `story_id` is the id of the story's first dispatch. `band0` to `band7` are the dispatch's MinHash band keys
-- (NULL when its text is too short to match on): dispatches sharing any key are the candidates compared when a
-- dispatch is stored, found through these indexes rather than a scan.
-- The store fills this table for the dispatches already stored right after this script, in the same transaction,
-- oldest first.

CREATE TABLE story_members (
    dispatch_id text COLLATE "C" PRIMARY KEY REFERENCES dispatches (id),
    story_id    text COLLATE "C" NOT NULL,
    band0       bigint,
    band1       bigint,
    band2       bigint,
    band3       bigint,
    band4       bigint,
    band5       bigint,
    band6       bigint,
    band7       bigint
);

CREATE INDEX story_members_story_id ON story_members (story_id);
CREATE INDEX story_members_band0 ON story_members (band0);
CREATE INDEX story_members_band1 ON story_members (band1);
CREATE INDEX story_members_band2 ON story_members (band2);
CREATE INDEX story_members_band3 ON story_members (band3);
CREATE INDEX story_members_band4 ON story_members (band4);
CREATE INDEX story_members_band5 ON story_members (band5);
CREATE INDEX story_members_band6 ON story_members (band6);
CREATE INDEX story_members_band7 ON story_members (band7);
