-- newswire schema version 3 for PostgreSQL: full-text search. The same tables as the SQLite schema, with a
-- `tsvector` (title weighted A, body B) and a GIN index where SQLite has its FTS5 index.
-- The store writes the words folded (lower case, accents removed; see src/text.rs) and uses the `simple`
-- configuration: no stemming and no stop words, because news comes in many languages and an English stemmer
-- would mangle the others (and drop words such as "who" or "us" that matter in headlines). It also keeps
-- PostgreSQL finding exactly what SQLite finds. Folding in the store rather than with the `unaccent` extension
-- needs no extension installed in the database.
-- The store fills this table for the dispatches already stored right after this script, in the same transaction.

CREATE TABLE search_docs (
    dispatch_id text COLLATE "C" PRIMARY KEY REFERENCES dispatches (id),
    sort_at     bigint NOT NULL,               -- as dispatches.sort_at
    feed_url    text,                          -- as dispatches.feed_url
    host        text,                          -- the site's host, lower case (source.site without its scheme)
    search      tsvector NOT NULL
);

CREATE INDEX search_docs_search ON search_docs USING gin (search);
