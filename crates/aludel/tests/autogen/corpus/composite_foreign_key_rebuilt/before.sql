CREATE TABLE episode (feed_id TEXT NOT NULL, number INTEGER NOT NULL, title TEXT, UNIQUE (feed_id, number));
CREATE TABLE clip (id INTEGER PRIMARY KEY, feed_id TEXT, number INTEGER, note TEXT,
  FOREIGN KEY (feed_id, number) REFERENCES episode (feed_id, number) ON DELETE CASCADE);
