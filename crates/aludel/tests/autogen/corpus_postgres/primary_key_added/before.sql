CREATE TABLE tag (name text NOT NULL, note text);
