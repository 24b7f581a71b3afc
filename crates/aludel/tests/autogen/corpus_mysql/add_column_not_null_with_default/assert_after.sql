SELECT COUNT(*) = 3 FROM feed WHERE active = 1;
