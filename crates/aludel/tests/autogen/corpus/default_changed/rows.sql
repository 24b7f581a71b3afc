INSERT INTO feed (id) VALUES (1);
INSERT INTO feed (id, category, retries) VALUES (2, 'News', 5);
