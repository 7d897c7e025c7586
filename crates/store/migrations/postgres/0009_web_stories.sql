-- newswire schema version 9 for PostgreSQL: a story is joined by URL only through a web address.
-- As in SQLite (migrations/sqlite/0009_web_stories.sql, which says why): every dispatch whose `url` is not an
-- `http(s)` address, and that shares its story with another dispatch of the same `url`, leaves that story for
-- one of its own. The rows to change are chosen before any changes (one statement sees one snapshot).

UPDATE story_members m SET story_id = m.dispatch_id
FROM dispatches d
WHERE m.story_id <> m.dispatch_id
  AND d.id = m.dispatch_id
  AND NOT (d.url ILIKE 'http://%' OR d.url ILIKE 'https://%')
  AND EXISTS (
      SELECT 1 FROM story_members o JOIN dispatches od ON od.id = o.dispatch_id
      WHERE o.story_id = m.story_id AND o.dispatch_id <> m.dispatch_id AND od.url = d.url
  );
