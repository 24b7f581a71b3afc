INSERT INTO metric (id, name, value, raw) VALUES (1, 'cpu', 0.5, 'x'), (2, 'mem', NULL, 3);
