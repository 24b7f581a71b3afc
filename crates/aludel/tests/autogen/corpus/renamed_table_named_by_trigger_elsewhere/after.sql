CREATE TABLE podcast (id INTEGER PRIMARY KEY, total INTEGER NOT NULL DEFAULT 0);
CREATE TABLE download (id INTEGER PRIMARY KEY, feed_id INTEGER REFERENCES podcast (id));
CREATE TRIGGER count_downloads AFTER INSERT ON download BEGIN UPDATE podcast SET total = total + 1 WHERE id = NEW.feed_id; END;
