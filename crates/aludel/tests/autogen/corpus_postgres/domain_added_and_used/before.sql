CREATE TABLE contact (id integer PRIMARY KEY, email text);
