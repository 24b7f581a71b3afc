CREATE TABLE feed (
	id VARCHAR NOT NULL, 
	is_enabled BOOLEAN DEFAULT '1' NOT NULL, 
	source_type VARCHAR(12), 
	title VARCHAR, 
	updated_at DATETIME DEFAULT (datetime('now', 'utc')) NOT NULL, 
	total_downloads INTEGER DEFAULT '0' NOT NULL, 
	explicit VARCHAR(5) DEFAULT 'NO' NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_feed_is_enabled ON feed (is_enabled);
CREATE TABLE download (
	feed_id VARCHAR NOT NULL, 
	id VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	filesize INTEGER NOT NULL, 
	status VARCHAR(10) NOT NULL, 
	updated_at DATETIME DEFAULT (datetime('now', 'utc')) NOT NULL, 
	PRIMARY KEY (feed_id, id), 
	FOREIGN KEY(feed_id) REFERENCES feed (id) ON DELETE CASCADE
);
CREATE INDEX idx_feed_status ON download (feed_id, status);
CREATE TRIGGER IF NOT EXISTS feeds_update_updated_at
        AFTER UPDATE OF id, is_enabled, source_type, title, explicit ON feed
        FOR EACH ROW
        BEGIN
            UPDATE feed SET updated_at = (datetime('now', 'utc')) WHERE id = NEW.id;
        END;
CREATE TRIGGER IF NOT EXISTS downloads_after_insert_total_downloads
        AFTER INSERT ON download
        FOR EACH ROW
        WHEN NEW.status = 'DOWNLOADED'
        BEGIN
            UPDATE feed SET total_downloads = total_downloads + 1 WHERE id = NEW.feed_id;
        END;
