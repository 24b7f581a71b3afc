CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'ecstatic');
CREATE TABLE person (id integer PRIMARY KEY, current mood NOT NULL DEFAULT 'ok');
