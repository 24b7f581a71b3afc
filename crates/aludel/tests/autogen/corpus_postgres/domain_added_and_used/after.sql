CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%');
CREATE TABLE contact (id integer PRIMARY KEY, email text, backup email_address);
