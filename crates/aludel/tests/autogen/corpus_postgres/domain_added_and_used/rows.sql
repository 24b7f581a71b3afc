INSERT INTO contact VALUES (1, 'a@b');
