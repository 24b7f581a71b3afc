CREATE TABLE doc (id integer PRIMARY KEY, owner text, data jsonb, created timestamptz, title text, score integer, code text);
CREATE INDEX doc_lower_title ON doc (lower(title));
CREATE UNIQUE INDEX doc_code_upper ON doc (upper(code));
