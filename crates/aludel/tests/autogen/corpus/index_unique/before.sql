CREATE TABLE download (id INTEGER PRIMARY KEY, feed_id TEXT NOT NULL, status TEXT, published DATETIME, title TEXT);
CREATE INDEX ix_download_title ON download (feed_id, title);
