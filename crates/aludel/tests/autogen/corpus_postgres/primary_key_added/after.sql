CREATE TABLE tag (name text NOT NULL PRIMARY KEY, note text);
