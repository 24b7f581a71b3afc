CREATE TABLE feed (
    id integer PRIMARY KEY,
    title text NOT NULL,
    amount text
);
CREATE MATERIALIZED VIEW feed_count AS SELECT count(*) AS n, max(id) AS top FROM feed;
CREATE MATERIALIZED VIEW titles AS SELECT title FROM feed WITH NO DATA;
