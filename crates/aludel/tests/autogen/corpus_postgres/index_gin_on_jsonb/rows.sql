INSERT INTO doc (id, data) VALUES (1, '{"a": 1}');
