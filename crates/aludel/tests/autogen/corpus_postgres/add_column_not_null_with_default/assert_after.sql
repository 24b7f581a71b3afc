SELECT count(*) = 3 FROM feed WHERE active;
