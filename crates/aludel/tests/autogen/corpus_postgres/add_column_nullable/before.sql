CREATE TABLE feed (
    id integer PRIMARY KEY,
    title text NOT NULL,
    amount text
);
