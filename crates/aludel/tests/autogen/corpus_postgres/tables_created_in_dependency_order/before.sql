CREATE TABLE z_base (id integer PRIMARY KEY);
