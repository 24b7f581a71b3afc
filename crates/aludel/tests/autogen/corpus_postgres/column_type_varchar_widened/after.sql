CREATE TABLE feed (
    id integer PRIMARY KEY,
    title varchar(200) NOT NULL,
    amount text
);
