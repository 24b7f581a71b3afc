INSERT INTO t (id, note) VALUES (1, 'a'), (2, NULL);
