CREATE TABLE feed (
    id integer PRIMARY KEY,
    title text NOT NULL,
    amount text
);
CREATE VIEW titles AS SELECT id, title FROM feed;
CREATE VIEW gone AS SELECT id FROM feed;
