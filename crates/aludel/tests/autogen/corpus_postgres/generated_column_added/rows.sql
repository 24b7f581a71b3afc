INSERT INTO line VALUES (1, 2.50, 4), (2, 1.00, 3);
