CREATE TABLE feed (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
CREATE INDEX ix_feed_title ON feed (title);
