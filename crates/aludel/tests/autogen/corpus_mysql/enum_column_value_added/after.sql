CREATE TABLE person (id INT PRIMARY KEY, mood ENUM('sad','meh','ok','happy') NOT NULL DEFAULT 'ok');
