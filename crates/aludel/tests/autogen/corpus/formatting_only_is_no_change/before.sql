CREATE TABLE Feed (
    ID integer PRIMARY KEY,   -- the key
    "Title" VARCHAR(20) not null DEFAULT ('x'),
    n INTEGER DEFAULT (0) CHECK (n >= 0)
);
CREATE INDEX IX_feed_title ON feed ("title" DESC);
CREATE VIEW v_feed AS SELECT id, title FROM Feed;
