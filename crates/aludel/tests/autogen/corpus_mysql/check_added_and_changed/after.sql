CREATE TABLE price (id INT PRIMARY KEY, amount INT, CONSTRAINT price_amount CHECK (amount >= 0), CONSTRAINT price_small CHECK (amount < 1000000));
