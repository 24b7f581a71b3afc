CREATE TABLE feed (
    id integer PRIMARY KEY,
    title varchar(20) NOT NULL,
    amount text
);
