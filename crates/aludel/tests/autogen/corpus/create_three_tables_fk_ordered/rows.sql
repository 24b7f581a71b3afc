INSERT INTO unrelated (id) VALUES (1), (2), (3);
