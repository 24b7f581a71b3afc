CREATE TABLE feed (id INTEGER PRIMARY KEY, source_url TEXT NOT NULL, slug TEXT, CONSTRAINT uq_feed_source_url UNIQUE (source_url));
