CREATE TABLE author (id INT PRIMARY KEY, email VARCHAR(100) NOT NULL) ENGINE=InnoDB;
CREATE TABLE post (id INT PRIMARY KEY, author_id INT NULL, body TEXT, INDEX post_author_idx (author_id), CONSTRAINT post_author_fk FOREIGN KEY (author_id) REFERENCES author (id)) ENGINE=InnoDB;
