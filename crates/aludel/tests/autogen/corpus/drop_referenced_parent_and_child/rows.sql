INSERT INTO keep (id) VALUES (1);
INSERT INTO parent (id, name) VALUES (1, 'p');
INSERT INTO child (id, parent_id) VALUES (1, 1);
