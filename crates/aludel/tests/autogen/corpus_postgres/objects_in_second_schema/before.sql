CREATE TABLE feed (id integer PRIMARY KEY);
