CREATE TABLE doc (id integer PRIMARY KEY, owner text, data jsonb, created timestamptz, title text, score integer, code text);
