CREATE TABLE member (id integer PRIMARY KEY, handle text);
