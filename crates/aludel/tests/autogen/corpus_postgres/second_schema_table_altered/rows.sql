INSERT INTO billing.invoice VALUES (1, 5), (2, 7);
