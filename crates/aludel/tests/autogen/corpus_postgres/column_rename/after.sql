CREATE TABLE feed (
    id integer PRIMARY KEY,
    name text NOT NULL,
    amount text
);
CREATE INDEX feed_title ON feed (name);
