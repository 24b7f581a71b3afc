CREATE TABLE doc (id INT PRIMARY KEY, title VARCHAR(255), body TEXT, owner VARCHAR(50), score INT) ENGINE=InnoDB;
CREATE UNIQUE INDEX doc_title_u ON doc (title);
CREATE INDEX doc_score ON doc (score DESC, owner);
