CREATE TABLE feed (id TEXT PRIMARY KEY, title TEXT);
CREATE TABLE episode (id INTEGER PRIMARY KEY, feed_id TEXT NOT NULL REFERENCES feed (id) ON DELETE CASCADE, title TEXT);
CREATE INDEX ix_episode_feed ON episode (feed_id);
