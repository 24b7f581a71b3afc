INSERT INTO episode (id, name) VALUES (1, 'a'), (2, 'b');
INSERT INTO note (id, episode_id) VALUES (1, 1), (2, 2);
