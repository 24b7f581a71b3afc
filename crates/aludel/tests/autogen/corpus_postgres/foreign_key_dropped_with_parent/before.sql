CREATE TABLE author (id integer PRIMARY KEY, email text NOT NULL);
CREATE TABLE post (id integer PRIMARY KEY, author_id integer REFERENCES author (id), body text);
