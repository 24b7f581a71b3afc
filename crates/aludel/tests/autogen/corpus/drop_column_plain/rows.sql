INSERT INTO feed (id, title, legacy) VALUES (1, 'one', 'a'), (2, 'two', NULL);
