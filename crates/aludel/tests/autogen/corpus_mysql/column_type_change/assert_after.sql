SELECT SUM(amount) = 40 FROM feed;
