INSERT INTO "order" ("group", "select", "two words", id) VALUES ('a', 1, 'x y', 1), (NULL, 2, NULL, 2);
