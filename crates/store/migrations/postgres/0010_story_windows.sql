-- newswire schema version 10 for PostgreSQL: each band key carries the 28-day window of its dispatch.
-- As in SQLite (migrations/sqlite/0010_story_windows.sql, which says why): a key is the band hash's low 40 bits
-- below the number of the dispatch's window (`sort_at` in 28-day steps from 1970, floored, clamped to
-- +-(2^22 - 1)). Rewriting a key that already has its window gives the same key.

UPDATE story_members m SET
    band0 = (w.win << 40) | (m.band0 & 1099511627775),
    band1 = (w.win << 40) | (m.band1 & 1099511627775),
    band2 = (w.win << 40) | (m.band2 & 1099511627775),
    band3 = (w.win << 40) | (m.band3 & 1099511627775),
    band4 = (w.win << 40) | (m.band4 & 1099511627775),
    band5 = (w.win << 40) | (m.band5 & 1099511627775),
    band6 = (w.win << 40) | (m.band6 & 1099511627775),
    band7 = (w.win << 40) | (m.band7 & 1099511627775)
FROM (
    SELECT id, LEAST(4194303, GREATEST(-4194303, floor(sort_at::numeric / 2419200)::bigint)) AS win
    FROM dispatches
) AS w
WHERE w.id = m.dispatch_id AND m.band0 IS NOT NULL;
