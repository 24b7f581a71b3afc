SELECT total = 20 FROM line WHERE id = 1;
