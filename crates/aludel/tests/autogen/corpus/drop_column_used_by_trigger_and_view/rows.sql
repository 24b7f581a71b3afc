INSERT INTO feed (id, title, legacy) VALUES (1, 'a', 'x'), (2, 'b', NULL);
