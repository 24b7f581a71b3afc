INSERT INTO feed (id, title, is_enabled) VALUES ('f1', 'one', 1), ('f2', 'two', NULL), ('f3', 'three', 0);
