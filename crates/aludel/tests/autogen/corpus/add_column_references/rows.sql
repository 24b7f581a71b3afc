INSERT INTO feed (id, title) VALUES (1, 'a');
INSERT INTO download (id, title) VALUES (1, 'x'), (2, 'y');
