INSERT INTO member VALUES (1, 'a');
