CREATE TABLE author (id integer PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE login (id integer PRIMARY KEY, name text);
