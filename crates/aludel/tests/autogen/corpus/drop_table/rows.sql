INSERT INTO feed (id, title) VALUES (1, 'one');
INSERT INTO obsolete (id, note) VALUES (1, 'gone after the upgrade');
