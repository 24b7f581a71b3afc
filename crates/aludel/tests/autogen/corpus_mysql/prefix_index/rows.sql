INSERT INTO doc (id, title) VALUES (1, 'abc');
