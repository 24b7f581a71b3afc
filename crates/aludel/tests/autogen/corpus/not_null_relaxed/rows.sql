INSERT INTO feed (id, title, author) VALUES (1, 'one', 'ann'), (2, 'two', '');
