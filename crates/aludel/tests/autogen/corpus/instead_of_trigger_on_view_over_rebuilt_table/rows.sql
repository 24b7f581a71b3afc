INSERT INTO feed (id, title) VALUES (1, 'a');
INSERT INTO feed_titles (id, title) VALUES (2, 'through the view');
