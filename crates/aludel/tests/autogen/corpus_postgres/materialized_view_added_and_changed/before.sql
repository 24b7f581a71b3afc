CREATE TABLE feed (
    id integer PRIMARY KEY,
    title text NOT NULL,
    amount text
);
CREATE MATERIALIZED VIEW feed_count AS SELECT count(*) AS n FROM feed;
