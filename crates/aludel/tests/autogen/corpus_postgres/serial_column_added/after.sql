CREATE TABLE item (name text PRIMARY KEY, seq serial NOT NULL);
