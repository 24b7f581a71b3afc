SELECT sum(size) = 210 FROM item;
