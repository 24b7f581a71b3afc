INSERT INTO feed (id, title, n) VALUES (1, 'a', 1);
