CREATE TABLE price (id integer PRIMARY KEY, amount integer, CONSTRAINT price_amount_check CHECK (amount >= 0), CONSTRAINT price_small CHECK (amount < 1000000));
