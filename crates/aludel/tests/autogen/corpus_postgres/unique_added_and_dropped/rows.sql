INSERT INTO author VALUES (1, 'a@x'), (2, 'b@x');
INSERT INTO login VALUES (1, 'n');
