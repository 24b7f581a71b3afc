INSERT INTO word VALUES (1, 'abc'), (2, 'Zed');
