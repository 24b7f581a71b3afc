SELECT sum(amount) = 40 FROM feed;
