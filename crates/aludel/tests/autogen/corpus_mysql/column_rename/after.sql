CREATE TABLE feed (
    id INT NOT NULL PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    amount VARCHAR(20) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE INDEX feed_title ON feed (name);
