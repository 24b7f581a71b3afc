CREATE TABLE doc (id integer PRIMARY KEY, owner text, data jsonb, created timestamptz, title text, score integer, code text);
CREATE INDEX doc_score_desc ON doc (score DESC NULLS LAST, created NULLS FIRST);
