INSERT INTO place VALUES (1, 'a', POINT(1, 2));
