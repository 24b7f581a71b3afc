CREATE TABLE download (id INTEGER PRIMARY KEY, feed_id TEXT NOT NULL, status TEXT, published DATETIME, title TEXT);
CREATE INDEX idx_feed_status ON download (feed_id, status);
