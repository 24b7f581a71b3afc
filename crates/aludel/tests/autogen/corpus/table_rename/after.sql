CREATE TABLE feed (id TEXT PRIMARY KEY, title TEXT);
CREATE TABLE download (id INTEGER PRIMARY KEY, feed_id TEXT NOT NULL REFERENCES feed (id) ON DELETE CASCADE, title TEXT);
CREATE INDEX ix_episode_feed ON download (feed_id);
