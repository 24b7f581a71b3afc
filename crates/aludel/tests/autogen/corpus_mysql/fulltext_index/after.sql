CREATE TABLE doc (id INT PRIMARY KEY, title VARCHAR(255), body TEXT, owner VARCHAR(50), score INT) ENGINE=InnoDB;
CREATE FULLTEXT INDEX doc_body_ft ON doc (title, body);
