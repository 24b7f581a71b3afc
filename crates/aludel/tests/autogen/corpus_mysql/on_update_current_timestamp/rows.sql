INSERT INTO note (id, body) VALUES (1, 'x');
