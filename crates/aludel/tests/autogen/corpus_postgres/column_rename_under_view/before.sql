CREATE TABLE feed (
    id integer PRIMARY KEY,
    title text NOT NULL,
    amount text
);
CREATE VIEW feed_titles AS SELECT id, title FROM feed;
