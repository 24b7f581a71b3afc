CREATE TABLE feed (
    id integer PRIMARY KEY,
    title text NOT NULL,
    amount text
);
CREATE VIEW titles AS SELECT id, upper(title) AS title FROM feed;
CREATE VIEW amounts AS SELECT id, amount FROM feed WHERE amount IS NOT NULL;
