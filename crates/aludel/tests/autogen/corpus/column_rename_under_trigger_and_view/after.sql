CREATE TABLE feed (id TEXT PRIMARY KEY, title TEXT NOT NULL, total INTEGER NOT NULL DEFAULT 0);
CREATE TABLE download (id INTEGER PRIMARY KEY, feed_id TEXT NOT NULL REFERENCES feed (id));
CREATE VIEW feed_names AS SELECT id, title FROM feed WHERE title <> '';
CREATE TRIGGER download_counts AFTER INSERT ON download
BEGIN
  UPDATE feed SET total = total + 1 WHERE id = NEW.feed_id AND title IS NOT NULL;
END;
