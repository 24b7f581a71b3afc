INSERT INTO setting (key, value) VALUES ('theme', 'dark'), ('lang', '');
