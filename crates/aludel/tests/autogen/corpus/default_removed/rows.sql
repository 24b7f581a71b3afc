INSERT INTO feed (id, language, updated_at) VALUES (1, 'fr', '2025-06-25 12:00:00'), (2, NULL, NULL);
