INSERT INTO doc (id, code) VALUES (1, NULL), (2, 'x');
