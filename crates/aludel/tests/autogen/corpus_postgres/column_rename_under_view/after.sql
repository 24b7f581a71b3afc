CREATE TABLE feed (
    id integer PRIMARY KEY,
    name text NOT NULL,
    amount text
);
CREATE VIEW feed_titles AS SELECT id, name FROM feed;
