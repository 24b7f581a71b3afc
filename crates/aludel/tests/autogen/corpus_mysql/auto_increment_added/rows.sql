INSERT INTO item VALUES (1, 'a'), (5, 'b');
