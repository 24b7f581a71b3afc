CREATE TABLE item (id integer NOT NULL PRIMARY KEY, name text);
