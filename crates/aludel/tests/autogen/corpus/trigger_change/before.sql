CREATE TABLE feed (id TEXT PRIMARY KEY, title TEXT, is_enabled BOOLEAN NOT NULL DEFAULT 1, total_downloads INTEGER NOT NULL DEFAULT 0);
CREATE TABLE download (id INTEGER PRIMARY KEY, feed_id TEXT NOT NULL REFERENCES feed (id), status TEXT NOT NULL DEFAULT 'QUEUED');
CREATE TRIGGER downloads_after_insert_total_downloads
        AFTER INSERT ON download
        FOR EACH ROW
        WHEN NEW.status = 'DOWNLOADED'
        BEGIN
            UPDATE feed SET total_downloads = total_downloads + 1 WHERE id = NEW.feed_id;
        END;
