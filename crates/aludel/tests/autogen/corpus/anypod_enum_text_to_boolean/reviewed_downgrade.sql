-- Rebuild table feed: type of 'explicit' (SQLite cannot ALTER these)
-- Reviewed by hand: the generated copy moved 1/0 into the text column
-- unchanged; the reviewer maps it back to 'YES'/'NO' ('CLEAN' is lost).
DROP TRIGGER downloads_after_insert_total_downloads;
CREATE TABLE _aludel_new_feed (
	id VARCHAR NOT NULL, 
	is_enabled BOOLEAN DEFAULT '1' NOT NULL, 
	source_type VARCHAR(12) NOT NULL, 
	title VARCHAR, 
	updated_at DATETIME DEFAULT (datetime('now', 'utc')) NOT NULL, 
	total_downloads INTEGER DEFAULT '0' NOT NULL, 
	explicit VARCHAR(5) DEFAULT 'NO' NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO _aludel_new_feed (id, is_enabled, source_type, title, updated_at, total_downloads, explicit)
SELECT id, is_enabled, source_type, title, updated_at, total_downloads,
       CASE explicit WHEN 1 THEN 'YES' ELSE 'NO' END
FROM feed;
DROP TABLE feed;
ALTER TABLE _aludel_new_feed RENAME TO feed;
CREATE INDEX ix_feed_is_enabled ON feed (is_enabled);
CREATE TRIGGER feeds_update_updated_at
        AFTER UPDATE OF id, is_enabled, source_type, title, explicit ON feed
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
CREATE TEMP TABLE _aludel_check_fk_feed (n INTEGER CONSTRAINT "foreign key violations after rebuilding feed" CHECK (n = 0));
INSERT INTO _aludel_check_fk_feed SELECT count(*) FROM pragma_foreign_key_check('download');
DROP TABLE _aludel_check_fk_feed;
