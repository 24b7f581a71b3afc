CREATE TABLE author (id integer PRIMARY KEY, email text NOT NULL);
CREATE TABLE post (id integer PRIMARY KEY, author_id integer CONSTRAINT post_author_fk REFERENCES author (id), body text);
