CREATE TABLE feed (id INTEGER PRIMARY KEY, title TEXT, legacy TEXT, touched INTEGER DEFAULT 0);
CREATE VIEW feed_legacy AS SELECT id, legacy FROM feed;
CREATE TRIGGER feed_touch AFTER UPDATE OF legacy ON feed BEGIN UPDATE feed SET touched = 1 WHERE id = NEW.id; END;
