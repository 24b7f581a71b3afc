CREATE TABLE download (feed_id TEXT NOT NULL DEFAULT 'main', id TEXT NOT NULL, title TEXT, PRIMARY KEY (feed_id, id));
