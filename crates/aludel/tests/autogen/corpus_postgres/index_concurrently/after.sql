CREATE TABLE doc (id integer PRIMARY KEY, owner text, data jsonb, created timestamptz, title text, score integer, code text);
CREATE INDEX doc_owner ON doc (owner);
CREATE INDEX doc_data_gin ON doc USING gin (data);
