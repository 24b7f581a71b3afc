SELECT count(*) = 2 FROM item;
