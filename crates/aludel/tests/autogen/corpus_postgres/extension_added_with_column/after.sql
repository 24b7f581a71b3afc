CREATE EXTENSION IF NOT EXISTS citext;
CREATE TABLE member (id integer PRIMARY KEY, handle text, email citext);
