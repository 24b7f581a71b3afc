CREATE TABLE price (id integer PRIMARY KEY, amount integer, CONSTRAINT price_amount_check CHECK (amount > 0));
