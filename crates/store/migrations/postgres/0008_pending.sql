-- newswire schema version 8 for PostgreSQL: the search index takes new dispatches in larger batches.
-- A GIN index first appends new entries to its pending list and, once the list outgrows
-- `gin_pending_list_limit` (4 MB by default), the insert that overflowed it moves them into the index, word by
-- word: each word's posting list is decoded and compressed again for every batch. Measured at 100,000 dispatches
-- (crates/store/benches/million.rs), that cleanup was 55% of the server's time, and it grows with the store as
-- the common words' lists grow. A 64 MB list, moved in one go (the upsert raises `work_mem`, which bounds how
-- much of the list one step moves, to 64 MB for its own transaction: src/postgres/upsert.rs), rewrites each
-- word's list about 16 times less often. A search reads the pending list as well, so none is missed; the
-- insert that overflows the list takes longer (one such batch in a few hundred).
ALTER INDEX search_docs_search SET (gin_pending_list_limit = 65536);
