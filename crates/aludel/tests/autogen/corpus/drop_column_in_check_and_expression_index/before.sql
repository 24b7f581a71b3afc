CREATE TABLE feed (id INTEGER PRIMARY KEY, title TEXT, lo INTEGER, hi INTEGER, CHECK (lo <= hi));
CREATE INDEX ix_feed_span ON feed (hi - lo);
