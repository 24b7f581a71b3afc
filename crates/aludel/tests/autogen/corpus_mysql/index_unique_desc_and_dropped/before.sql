CREATE TABLE doc (id INT PRIMARY KEY, title VARCHAR(255), body TEXT, owner VARCHAR(50), score INT) ENGINE=InnoDB;
CREATE INDEX doc_owner ON doc (owner);
