INSERT INTO item VALUES ('a'), ('b');
