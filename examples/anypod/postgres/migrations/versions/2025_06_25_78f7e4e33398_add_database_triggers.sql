-- Add database triggers.
--
-- Revision ID: 78f7e4e33398
-- Revises: 423d964333d1
-- Create Date: 2025-06-25 23:50:21.208077

-- migrate:upgrade
-- Backfill total_downloads for existing feeds, so the counts are right before
-- the triggers start maintaining them.
UPDATE feed SET total_downloads = (
    SELECT count(*) FROM download
    WHERE download.feed_id = feed.id AND download.status = 'DOWNLOADED'
);

-- The triggers as PostgreSQL writes them: each runs a PL/pgSQL trigger
-- function; the updated_at and downloaded_at ones set NEW's column BEFORE
-- the update instead of updating the row again.
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
CREATE FUNCTION adjust_total_downloads() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target varchar;
BEGIN
    IF TG_OP = 'DELETE' THEN
        target := OLD.feed_id;
    ELSE
        target := NEW.feed_id;
    END IF;
    UPDATE feed SET total_downloads = total_downloads + TG_ARGV[0]::integer WHERE id = target;
    RETURN NULL;
END;
$$;
CREATE FUNCTION set_downloaded_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.downloaded_at := now();
    RETURN NEW;
END;
$$;
CREATE TRIGGER feeds_update_updated_at
    BEFORE UPDATE OF id, is_enabled, source_type, source_url, last_successful_sync,
        last_rss_generation, last_failed_sync, consecutive_failures,
        since, keep_last, title, subtitle, description, language, author, image_url,
        category, explicit ON feed
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER downloads_after_insert_total_downloads
    AFTER INSERT ON download
    FOR EACH ROW WHEN (NEW.status = 'DOWNLOADED')
    EXECUTE FUNCTION adjust_total_downloads('1');
CREATE TRIGGER downloads_after_delete_total_downloads
    AFTER DELETE ON download
    FOR EACH ROW WHEN (OLD.status = 'DOWNLOADED')
    EXECUTE FUNCTION adjust_total_downloads('-1');
CREATE TRIGGER downloads_status_to_downloaded_total_downloads
    AFTER UPDATE OF status ON download
    FOR EACH ROW WHEN (NEW.status = 'DOWNLOADED' AND OLD.status <> 'DOWNLOADED')
    EXECUTE FUNCTION adjust_total_downloads('1');
CREATE TRIGGER downloads_status_from_downloaded_total_downloads
    AFTER UPDATE OF status ON download
    FOR EACH ROW WHEN (OLD.status = 'DOWNLOADED' AND NEW.status <> 'DOWNLOADED')
    EXECUTE FUNCTION adjust_total_downloads('-1');
CREATE TRIGGER downloads_update_updated_at
    BEFORE UPDATE OF feed_id, id, source_url, title, published, ext, mime_type, filesize,
        duration, status, thumbnail, description, quality_info, retries, last_error ON download
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER downloads_update_downloaded_at
    BEFORE UPDATE OF status ON download
    FOR EACH ROW WHEN (NEW.status = 'DOWNLOADED' AND OLD.status <> 'DOWNLOADED')
    EXECUTE FUNCTION set_downloaded_at();

-- migrate:downgrade
DROP TRIGGER downloads_update_downloaded_at ON download;
DROP TRIGGER downloads_update_updated_at ON download;
DROP TRIGGER downloads_status_from_downloaded_total_downloads ON download;
DROP TRIGGER downloads_status_to_downloaded_total_downloads ON download;
DROP TRIGGER downloads_after_delete_total_downloads ON download;
DROP TRIGGER downloads_after_insert_total_downloads ON download;
DROP TRIGGER feeds_update_updated_at ON feed;
DROP FUNCTION set_downloaded_at();
DROP FUNCTION adjust_total_downloads();
DROP FUNCTION set_updated_at();
