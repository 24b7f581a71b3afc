INSERT INTO download (id, title) VALUES (1, 'Hello'), (2, 'WORLD');
