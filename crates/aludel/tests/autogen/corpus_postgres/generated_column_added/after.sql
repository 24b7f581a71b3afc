CREATE TABLE line (id integer PRIMARY KEY, price numeric(10,2) NOT NULL, qty integer NOT NULL, total numeric GENERATED ALWAYS AS (price * qty) STORED);
