CREATE TABLE feed (id TEXT PRIMARY KEY, title TEXT, is_enabled BOOLEAN NOT NULL DEFAULT 1, total_downloads INTEGER NOT NULL DEFAULT 0);
CREATE TABLE download (id INTEGER PRIMARY KEY, feed_id TEXT NOT NULL REFERENCES feed (id), status TEXT NOT NULL DEFAULT 'QUEUED');
CREATE VIEW enabled_feed AS SELECT id, title, total_downloads FROM feed WHERE is_enabled = 1;
CREATE VIEW enabled_title AS SELECT title FROM enabled_feed;
