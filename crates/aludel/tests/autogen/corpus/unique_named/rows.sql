INSERT INTO feed (id, source_url, slug) VALUES (1, 'https://a', 'a'), (2, 'https://b', NULL);
