CREATE TABLE t (id integer PRIMARY KEY, a integer DEFAULT 7, b text DEFAULT 'y', c numeric(10,2));
