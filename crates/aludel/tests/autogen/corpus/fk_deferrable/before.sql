CREATE TABLE feed (id TEXT PRIMARY KEY, title TEXT);
CREATE TABLE download (id INTEGER PRIMARY KEY, feed_id TEXT, title TEXT, CONSTRAINT fk_download_feed FOREIGN KEY (feed_id) REFERENCES feed (id));
