SELECT total = 10 FROM line WHERE id = 1;
