
CREATE TABLE feed (
	id VARCHAR NOT NULL,
	is_enabled BOOLEAN DEFAULT '1' NOT NULL,
	source_type VARCHAR(12) NOT NULL,
	source_url VARCHAR NOT NULL,
	last_successful_sync DATETIME DEFAULT (datetime('now', 'utc')) NOT NULL,
	created_at DATETIME DEFAULT (datetime('now', 'utc')) NOT NULL,
	updated_at DATETIME DEFAULT (datetime('now', 'utc')) NOT NULL,
	last_rss_generation DATETIME,
	last_failed_sync DATETIME,
	consecutive_failures INTEGER DEFAULT '0' NOT NULL,
	total_downloads INTEGER DEFAULT '0' NOT NULL,
	since DATETIME,
	keep_last INTEGER,
	name VARCHAR,
	subtitle VARCHAR,
	description VARCHAR,
	language VARCHAR,
	author VARCHAR,
	image_url VARCHAR,
	category VARCHAR DEFAULT 'TV & Film' NOT NULL,
	explicit VARCHAR(5) DEFAULT 'NO' NOT NULL,
	tags VARCHAR,
	PRIMARY KEY (id)
);
CREATE INDEX ix_feed_is_enabled ON feed (is_enabled);
CREATE TABLE download (
	feed_id VARCHAR NOT NULL,
	id VARCHAR NOT NULL,
	source_url VARCHAR NOT NULL,
	title VARCHAR NOT NULL,
	published DATETIME NOT NULL,
	ext VARCHAR NOT NULL,
	mime_type VARCHAR,
	filesize BIGINT NOT NULL,
	duration INTEGER NOT NULL,
	status VARCHAR(10) NOT NULL,
	discovered_at DATETIME DEFAULT (datetime('now', 'utc')) NOT NULL,
	updated_at DATETIME DEFAULT (datetime('now', 'utc')) NOT NULL,
	thumbnail VARCHAR,
	description VARCHAR,
	quality_info VARCHAR,
	retries INTEGER DEFAULT '0' NOT NULL,
	last_error VARCHAR,
	downloaded_at DATETIME,
	PRIMARY KEY (feed_id, id),
	FOREIGN KEY(feed_id) REFERENCES feed (id)
);
CREATE INDEX idx_feed_published ON download (feed_id, published);
CREATE INDEX idx_feed_status ON download (feed_id, status);
CREATE TRIGGER feeds_update_updated_at
        AFTER UPDATE OF id, is_enabled, source_type, source_url, last_successful_sync,
                         last_rss_generation, last_failed_sync, consecutive_failures,
                         since, keep_last, name, subtitle, description, language, author, image_url,
                         category, explicit ON feed
        FOR EACH ROW
        BEGIN
            UPDATE feed SET updated_at = (datetime('now', 'utc')) WHERE id = NEW.id;
        END;
CREATE TRIGGER downloads_after_insert_total_downloads
        AFTER INSERT ON download
        FOR EACH ROW
        WHEN NEW.status = 'DOWNLOADED'
        BEGIN
            UPDATE feed SET total_downloads = total_downloads + 1 WHERE id = NEW.feed_id;
        END;
CREATE TRIGGER downloads_after_delete_total_downloads
        AFTER DELETE ON download
        FOR EACH ROW
        WHEN OLD.status = 'DOWNLOADED'
        BEGIN
            UPDATE feed SET total_downloads = total_downloads - 1 WHERE id = OLD.feed_id;
        END;
CREATE TRIGGER downloads_status_to_downloaded_total_downloads
        AFTER UPDATE OF status ON download
        FOR EACH ROW
        WHEN NEW.status = 'DOWNLOADED' AND OLD.status != 'DOWNLOADED'
        BEGIN
            UPDATE feed SET total_downloads = total_downloads + 1 WHERE id = NEW.feed_id;
        END;
CREATE TRIGGER downloads_status_from_downloaded_total_downloads
        AFTER UPDATE OF status ON download
        FOR EACH ROW
        WHEN OLD.status = 'DOWNLOADED' AND NEW.status != 'DOWNLOADED'
        BEGIN
            UPDATE feed SET total_downloads = total_downloads - 1 WHERE id = NEW.feed_id;
        END;
CREATE TRIGGER downloads_update_updated_at
        AFTER UPDATE OF feed_id, id, source_url, title, published, ext, mime_type, filesize,
                         duration, status, thumbnail, description, quality_info, retries, last_error ON download
        FOR EACH ROW
        BEGIN
            UPDATE download SET updated_at = (datetime('now', 'utc')) WHERE feed_id = NEW.feed_id AND id = NEW.id;
        END;
CREATE TRIGGER downloads_update_downloaded_at
        AFTER UPDATE OF status ON download
        FOR EACH ROW
        WHEN NEW.status = 'DOWNLOADED' AND OLD.status != 'DOWNLOADED'
        BEGIN
            UPDATE download SET downloaded_at = (datetime('now', 'utc')) WHERE feed_id = NEW.feed_id AND id = NEW.id;
        END;
