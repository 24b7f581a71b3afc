CREATE TABLE person (id INT PRIMARY KEY, mood ENUM('sad','ok','happy') NOT NULL DEFAULT 'ok');
