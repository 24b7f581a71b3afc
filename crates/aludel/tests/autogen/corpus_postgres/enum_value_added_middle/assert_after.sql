SELECT count(*) = 3 FROM person;
