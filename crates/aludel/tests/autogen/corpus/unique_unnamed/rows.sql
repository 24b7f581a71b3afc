INSERT INTO feed (id, source_url, slug, lang) VALUES (1, 'https://a', 'a', 'en'), (2, 'https://b', 'a', 'fr');
