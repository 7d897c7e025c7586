-- newswire schema version 3: full-text search.
-- `search_index` is a contentless FTS5 index of each dispatch's title and body: the text itself lives in
-- `dispatches.json` already, and snippets are cut from it by the store. The store writes the words folded (lower
-- case, accents removed; see src/text.rs), so both engines match the same words; the tokenizer folds again, which
-- changes nothing for folded text. `search_docs` gives each dispatch its stable index row (an INTEGER PRIMARY KEY,
-- which VACUUM keeps, unlike the implicit rowid of `dispatches`) and holds what searches filter on, so a filter
-- never reads the wide `dispatches` row.
-- The store fills both for the dispatches already stored right after this script, in the same transaction.

CREATE TABLE search_docs (
    doc         INTEGER PRIMARY KEY,           -- the dispatch's rowid in search_index
    dispatch_id TEXT NOT NULL UNIQUE REFERENCES dispatches (id),
    sort_at     INTEGER NOT NULL,              -- as dispatches.sort_at
    feed_url    TEXT,                          -- as dispatches.feed_url
    host        TEXT                           -- the site's host, lower case (source.site without its scheme)
) STRICT;

CREATE VIRTUAL TABLE search_index USING fts5 (
    title,
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
