CREATE TABLE t (id integer PRIMARY KEY, a integer, b text DEFAULT 'x', c numeric(10,2) DEFAULT 1.5);
