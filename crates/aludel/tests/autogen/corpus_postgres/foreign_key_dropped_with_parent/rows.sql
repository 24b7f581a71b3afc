INSERT INTO author VALUES (1, 'a@x');
INSERT INTO post VALUES (1, NULL, 'hi');
