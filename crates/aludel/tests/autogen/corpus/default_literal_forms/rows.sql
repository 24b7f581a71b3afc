INSERT INTO t (id) VALUES (1);
INSERT INTO t (id, a, b, c, d, e, f) VALUES (2, 5, 6, X'01', 0, 'x', 2.5);
