INSERT INTO t (id, flags) VALUES (1, 3), (2, 5);
