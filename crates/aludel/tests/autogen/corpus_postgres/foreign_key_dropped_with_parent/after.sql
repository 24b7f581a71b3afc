CREATE TABLE post (id integer PRIMARY KEY, author_id integer, body text);
