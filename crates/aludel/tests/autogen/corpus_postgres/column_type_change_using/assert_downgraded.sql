SELECT count(*) = 1 FROM feed WHERE amount = '30';
