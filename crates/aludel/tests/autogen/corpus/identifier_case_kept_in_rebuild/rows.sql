INSERT INTO Feed (Id, Title) VALUES (1, 'a');
