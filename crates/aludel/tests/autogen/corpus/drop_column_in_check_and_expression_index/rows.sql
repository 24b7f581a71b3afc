INSERT INTO feed (id, title, lo, hi) VALUES (1, 'a', 1, 2), (2, 'b', NULL, NULL);
