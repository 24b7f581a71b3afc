INSERT INTO feed (id, title, retries, language) VALUES (1, 'one', 3, 'fr'), (2, 'two', NULL, NULL), (3, 'three', NULL, 'de');
