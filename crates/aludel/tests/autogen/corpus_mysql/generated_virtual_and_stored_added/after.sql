CREATE TABLE line (id INT PRIMARY KEY, price DECIMAL(10,2) NOT NULL, qty INT NOT NULL, total DECIMAL(12,2) AS (price * qty) VIRTUAL, twice INT AS (qty * 2) STORED);
