INSERT INTO feed (id, title, amount) VALUES (1, 'one', '10'), (2, 'two', NULL), (3, 'three', '30');
