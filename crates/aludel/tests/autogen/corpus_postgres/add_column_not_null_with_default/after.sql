CREATE TABLE feed (
    id integer PRIMARY KEY,
    title text NOT NULL,
    amount text,
    active boolean NOT NULL DEFAULT true
);
