CREATE TABLE feed (id INTEGER PRIMARY KEY, title TEXT NOT NULL, legacy TEXT);
CREATE INDEX ix_feed_legacy ON feed (legacy);
CREATE INDEX ix_feed_title ON feed (title);
