CREATE TABLE doc (id INT PRIMARY KEY, title VARCHAR(255), body TEXT, owner VARCHAR(50), score INT) ENGINE=InnoDB;
CREATE INDEX doc_title_prefix ON doc (title(20), owner);
