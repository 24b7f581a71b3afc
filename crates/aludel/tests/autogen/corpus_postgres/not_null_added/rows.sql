INSERT INTO feed VALUES (1, 'one', '10');
