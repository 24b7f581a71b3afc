INSERT INTO doc (id, body) VALUES (1, 'hello world');
