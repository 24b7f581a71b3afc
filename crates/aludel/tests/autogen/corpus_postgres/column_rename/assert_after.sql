SELECT count(*) = 1 FROM feed WHERE name = 'two';
