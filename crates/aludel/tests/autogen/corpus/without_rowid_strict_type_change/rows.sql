INSERT INTO kv (k, scope, v) VALUES ('a', 's', 1), ('b', 's', NULL);
