CREATE TABLE item (name text PRIMARY KEY);
