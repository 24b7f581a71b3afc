-- Add database triggers.
--
-- Revision ID: 78f7e4e33398
-- Revises: 423d964333d1
-- Create Date: 2025-06-25 23:50:21.208077

-- migrate:upgrade
-- Backfill total_downloads for existing feeds, so the counts are right before
-- the triggers start maintaining them.
UPDATE feed
SET total_downloads = (
    SELECT COUNT(*)
    FROM download
    WHERE download.feed_id = feed.id
    AND download.status = 'DOWNLOADED'
);

-- SQLite stores each trigger's text in sqlite_master starting from its name
-- (IF NOT EXISTS is dropped), so the body lines keep their original indentation.
CREATE TRIGGER IF NOT EXISTS feeds_update_updated_at
        AFTER UPDATE OF id, is_enabled, source_type, source_url, last_successful_sync,
                         last_rss_generation, last_failed_sync, consecutive_failures,
                         since, keep_last, title, subtitle, description, language, author, image_url,
                         category, explicit ON feed
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

CREATE TRIGGER IF NOT EXISTS downloads_after_delete_total_downloads
        AFTER DELETE ON download
        FOR EACH ROW
        WHEN OLD.status = 'DOWNLOADED'
        BEGIN
            UPDATE feed SET total_downloads = total_downloads - 1 WHERE id = OLD.feed_id;
        END;

CREATE TRIGGER IF NOT EXISTS downloads_status_to_downloaded_total_downloads
        AFTER UPDATE OF status ON download
        FOR EACH ROW
        WHEN NEW.status = 'DOWNLOADED' AND OLD.status != 'DOWNLOADED'
        BEGIN
            UPDATE feed SET total_downloads = total_downloads + 1 WHERE id = NEW.feed_id;
        END;

CREATE TRIGGER IF NOT EXISTS downloads_status_from_downloaded_total_downloads
        AFTER UPDATE OF status ON download
        FOR EACH ROW
        WHEN OLD.status = 'DOWNLOADED' AND NEW.status != 'DOWNLOADED'
        BEGIN
            UPDATE feed SET total_downloads = total_downloads - 1 WHERE id = NEW.feed_id;
        END;

CREATE TRIGGER IF NOT EXISTS downloads_update_updated_at
        AFTER UPDATE OF feed_id, id, source_url, title, published, ext, mime_type, filesize,
                         duration, status, thumbnail, description, quality_info, retries, last_error ON download
        FOR EACH ROW
        BEGIN
            UPDATE download SET updated_at = (datetime('now', 'utc')) WHERE feed_id = NEW.feed_id AND id = NEW.id;
        END;

CREATE TRIGGER IF NOT EXISTS downloads_update_downloaded_at
        AFTER UPDATE OF status ON download
        FOR EACH ROW
        WHEN NEW.status = 'DOWNLOADED' AND OLD.status != 'DOWNLOADED'
        BEGIN
            UPDATE download SET downloaded_at = (datetime('now', 'utc')) WHERE feed_id = NEW.feed_id AND id = NEW.id;
        END;

-- migrate:downgrade
DROP TRIGGER IF EXISTS downloads_update_downloaded_at;
DROP TRIGGER IF EXISTS downloads_update_updated_at;
DROP TRIGGER IF EXISTS downloads_status_from_downloaded_total_downloads;
DROP TRIGGER IF EXISTS downloads_status_to_downloaded_total_downloads;
DROP TRIGGER IF EXISTS downloads_after_delete_total_downloads;
DROP TRIGGER IF EXISTS downloads_after_insert_total_downloads;
DROP TRIGGER IF EXISTS feeds_update_updated_at;
