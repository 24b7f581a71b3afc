-- The INSTEAD OF trigger still works on the recreated view.
SELECT count(*) = 1 FROM sqlite_schema WHERE type = 'trigger' AND name = 'feed_titles_insert';
