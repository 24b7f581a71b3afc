CREATE TABLE download (id INTEGER PRIMARY KEY, feed_id TEXT, status TEXT);
CREATE INDEX ix_download_queued ON download (feed_id) WHERE status = 'QUEUED';
