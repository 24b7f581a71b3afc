INSERT INTO feed (id, title) VALUES (1, 'one'), (2, 'two');
