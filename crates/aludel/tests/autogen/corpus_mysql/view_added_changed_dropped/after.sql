CREATE TABLE feed (
    id INT NOT NULL PRIMARY KEY,
    title VARCHAR(100) NOT NULL,
    amount VARCHAR(20) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE VIEW titles AS SELECT id, UPPER(title) AS title FROM feed;
CREATE VIEW amounts AS SELECT id, amount FROM feed WHERE amount IS NOT NULL;
