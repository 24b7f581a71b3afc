CREATE TABLE author (id integer PRIMARY KEY, email text NOT NULL);
CREATE TABLE login (id integer PRIMARY KEY, name text, CONSTRAINT login_name_key UNIQUE (name));
