INSERT INTO account VALUES (1, 50), (2, 500);
