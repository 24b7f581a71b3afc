SELECT COUNT(*) = 1 FROM feed WHERE name = 'two';
