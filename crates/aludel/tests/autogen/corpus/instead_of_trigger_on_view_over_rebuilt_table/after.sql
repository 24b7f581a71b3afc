CREATE TABLE feed (id INTEGER PRIMARY KEY, title TEXT NOT NULL DEFAULT '');
CREATE VIEW feed_titles AS SELECT id, title FROM feed;
CREATE TRIGGER feed_titles_insert INSTEAD OF INSERT ON feed_titles BEGIN INSERT INTO feed (id, title) VALUES (NEW.id, NEW.title); END;
