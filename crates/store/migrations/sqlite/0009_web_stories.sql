-- newswire schema version 9: a story is joined by URL only through a web address.
-- Before version 9, every dispatch joined the story of the first one stored with the same `url`, whatever it
-- was; an entry with neither link nor GUID has an empty `url`, and one whose GUID is not a link has that GUID
-- ("42"), so unrelated articles from such feeds all joined one story. Every dispatch whose `url` is not an
-- `http(s)` address, and that shares its story with another dispatch of the same `url`, leaves that story for
-- one of its own. One that was also a near-duplicate of the story leaves with the others (telling them apart
-- would need shingles compared); it looks for its story again when its text next changes.

-- The other dispatch is the story's first (found by its id) or another that joined it (found through the index of
-- those, docs_story_id), so that no dispatch costs a scan.
CREATE TEMP TABLE leaving AS
SELECT m.dispatch_id FROM docs m JOIN dispatches d ON d.id = m.dispatch_id
WHERE m.story_id <> m.dispatch_id
  AND NOT (d.url LIKE 'http://%' OR d.url LIKE 'https://%')
  AND (
      EXISTS (SELECT 1 FROM dispatches first WHERE first.id = m.story_id AND first.url = d.url)
      OR EXISTS (
          SELECT 1 FROM docs o JOIN dispatches od ON od.id = o.dispatch_id
          WHERE o.story_id = m.story_id AND o.story_id <> o.dispatch_id
            AND o.dispatch_id <> m.dispatch_id AND od.url = d.url
      )
  );

UPDATE docs SET story_id = dispatch_id WHERE dispatch_id IN (SELECT dispatch_id FROM leaving);

DROP TABLE leaving;
