INSERT INTO log VALUES (1, 'a'), (2, 'b');
