-- newswire schema version 10: each band key carries the 28-day window of its dispatch.
-- A band key was the 64-bit hash of one band of the dispatch's MinHash signature, so each of the eight band
-- indexes put every new dispatch on a random page: once the indexes outgrew the page cache, storing a dispatch
-- read and rewrote about eight pages of them, more as the store grew. A key is now the band hash's low 40 bits
-- below the number of the dispatch's window (`sort_at` in 28-day steps, counted from 1970, floored), so the
-- dispatches of one month sit together in each index, and a near-duplicate is looked for in its own window and
-- the two beside it (src/similar.rs, `in_window` and `nearby`). Windows are clamped to +-(2^22 - 1).
-- Rewriting a key that already has its window gives the same key, so this script may run on keys of either form.

UPDATE story_keys SET
    band0 = (w.win << 40) | (band0 & 1099511627775),
    band1 = (w.win << 40) | (band1 & 1099511627775),
    band2 = (w.win << 40) | (band2 & 1099511627775),
    band3 = (w.win << 40) | (band3 & 1099511627775),
    band4 = (w.win << 40) | (band4 & 1099511627775),
    band5 = (w.win << 40) | (band5 & 1099511627775),
    band6 = (w.win << 40) | (band6 & 1099511627775),
    band7 = (w.win << 40) | (band7 & 1099511627775)
FROM (
    SELECT doc, max(-4194303, min(4194303,
        CASE WHEN sort_at >= 0 THEN sort_at / 2419200 ELSE -((2419199 - sort_at) / 2419200) END)) AS win
    FROM docs
) AS w
WHERE w.doc = story_keys.doc;
