CREATE TYPE color AS ENUM ('red', 'green');
CREATE TABLE person (id integer PRIMARY KEY, fav color);
