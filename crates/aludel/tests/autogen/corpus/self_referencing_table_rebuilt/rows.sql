INSERT INTO category (id, parent_id, name) VALUES (1, NULL, 'root'), (2, 1, 'child'), (3, 2, NULL);
