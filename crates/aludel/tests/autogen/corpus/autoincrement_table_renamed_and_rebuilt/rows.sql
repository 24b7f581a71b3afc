INSERT INTO event (kind) VALUES ('a'), (NULL), ('c'), ('gone');
DELETE FROM event WHERE kind = 'gone';
