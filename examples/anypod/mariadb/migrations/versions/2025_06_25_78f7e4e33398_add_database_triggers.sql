-- Add database triggers.
--
-- Revision ID: 78f7e4e33398
-- Revises: 423d964333d1
-- Create Date: 2025-06-25 23:50:21.208077

-- migrate:upgrade
-- Backfill total_downloads for existing feeds, so the counts are right before
-- the triggers start maintaining them.
UPDATE feed SET total_downloads = (
    SELECT COUNT(*) FROM download
    WHERE download.feed_id = feed.id AND download.status = 'DOWNLOADED'
);

-- The triggers as MariaDB/MySQL write them: no UPDATE OF column lists and
-- no WHEN clause (an IF in the body instead), and a trigger may not update
-- its own table (BEFORE triggers set NEW's columns instead). The two status
-- triggers of the SQLite schema are one AFTER UPDATE trigger here.
CREATE TRIGGER feeds_update_updated_at
    BEFORE UPDATE ON feed
    FOR EACH ROW
    BEGIN
        IF NEW.total_downloads = OLD.total_downloads THEN
            SET NEW.updated_at = CURRENT_TIMESTAMP;
        END IF;
    END;
CREATE TRIGGER downloads_after_insert_total_downloads
    AFTER INSERT ON download
    FOR EACH ROW
    BEGIN
        IF NEW.status = 'DOWNLOADED' THEN
            UPDATE feed SET total_downloads = total_downloads + 1 WHERE id = NEW.feed_id;
        END IF;
    END;
CREATE TRIGGER downloads_after_delete_total_downloads
    AFTER DELETE ON download
    FOR EACH ROW
    BEGIN
        IF OLD.status = 'DOWNLOADED' THEN
            UPDATE feed SET total_downloads = total_downloads - 1 WHERE id = OLD.feed_id;
        END IF;
    END;
CREATE TRIGGER downloads_status_total_downloads
    AFTER UPDATE ON download
    FOR EACH ROW
    BEGIN
        IF NEW.status = 'DOWNLOADED' AND OLD.status <> 'DOWNLOADED' THEN
            UPDATE feed SET total_downloads = total_downloads + 1 WHERE id = NEW.feed_id;
        ELSEIF OLD.status = 'DOWNLOADED' AND NEW.status <> 'DOWNLOADED' THEN
            UPDATE feed SET total_downloads = total_downloads - 1 WHERE id = NEW.feed_id;
        END IF;
    END;
CREATE TRIGGER downloads_update_downloaded_at
    BEFORE UPDATE ON download
    FOR EACH ROW
    BEGIN
        IF NEW.status = 'DOWNLOADED' AND OLD.status <> 'DOWNLOADED' THEN
            SET NEW.downloaded_at = CURRENT_TIMESTAMP;
        END IF;
    END;

-- migrate:downgrade
DROP TRIGGER downloads_update_downloaded_at;
DROP TRIGGER downloads_status_total_downloads;
DROP TRIGGER downloads_after_delete_total_downloads;
DROP TRIGGER downloads_after_insert_total_downloads;
DROP TRIGGER feeds_update_updated_at;
