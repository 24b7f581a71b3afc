CREATE TABLE podcast (
    id INT NOT NULL PRIMARY KEY,
    title VARCHAR(100) NOT NULL,
    amount VARCHAR(20) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE VIEW feed_titles AS SELECT id, title FROM podcast;
