CREATE TABLE feed (id TEXT PRIMARY KEY, title TEXT, is_enabled BOOLEAN NOT NULL DEFAULT 1, total_downloads INTEGER NOT NULL DEFAULT 0);
CREATE TABLE download (id INTEGER PRIMARY KEY, feed_id TEXT NOT NULL REFERENCES feed (id), status TEXT NOT NULL DEFAULT 'QUEUED');
CREATE VIEW enabled_feed AS SELECT id, title FROM feed WHERE is_enabled;
CREATE VIEW feed_stats AS
  SELECT f.id, count(d.id) AS downloads -- every download, any status
  FROM feed f LEFT JOIN download d ON d.feed_id = f.id
  GROUP BY f.id;
