INSERT INTO doc (id, owner) VALUES (1, 'a'), (2, 'b');
