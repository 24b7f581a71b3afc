SELECT count(*) = 1 FROM person WHERE current = 'happy';
