CREATE TABLE price (id INT PRIMARY KEY, amount INT, CONSTRAINT price_amount CHECK (amount > 0));
