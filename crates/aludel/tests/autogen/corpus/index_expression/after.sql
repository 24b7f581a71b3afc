CREATE TABLE download (id INTEGER PRIMARY KEY, feed_id TEXT NOT NULL, status TEXT, published DATETIME, title TEXT);
CREATE INDEX ix_download_title_lower ON download (lower(title), feed_id);
CREATE INDEX ix_download_day ON download (date(published));
