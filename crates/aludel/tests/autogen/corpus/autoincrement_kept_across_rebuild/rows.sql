INSERT INTO event (kind, at) VALUES ('start', NULL), ('stop', NULL), ('gone', NULL);
DELETE FROM event WHERE kind = 'gone';
