CREATE TABLE download (id INTEGER PRIMARY KEY, feed_id TEXT NOT NULL, status TEXT, published DATETIME, title TEXT);
