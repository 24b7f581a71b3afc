-- examples/anypod/postgres/schema.sql after the edit of the walk-through
-- (workflow.sh copies it over schema.sql): feed.title renamed to feed.name
-- (the trigger feeds_update_updated_at lists it), a column feed.tags (a text
-- array), an index on download.published, download.mime_type nullable,
-- and download.filesize bigint.

CREATE TYPE source_type AS ENUM ('channel', 'playlist', 'single_video', 'unknown');
CREATE TYPE download_status AS ENUM ('UPCOMING', 'QUEUED', 'DOWNLOADED', 'ERROR', 'SKIPPED', 'ARCHIVED');
CREATE TABLE feed (
    id varchar NOT NULL PRIMARY KEY,
    is_enabled boolean NOT NULL DEFAULT true,
    source_type source_type NOT NULL,
    source_url varchar NOT NULL,
    last_successful_sync timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_rss_generation timestamptz,
    last_failed_sync timestamptz,
    consecutive_failures integer NOT NULL DEFAULT 0,
    total_downloads integer NOT NULL DEFAULT 0,
    since timestamptz,
    keep_last integer,
    name varchar,
    subtitle varchar,
    description varchar,
    language varchar,
    author varchar,
    image_url varchar,
    category varchar NOT NULL DEFAULT 'TV & Film',
    explicit varchar(5) NOT NULL DEFAULT 'NO' CHECK (explicit IN ('YES', 'NO', 'CLEAN')),
    tags text[]
);
CREATE INDEX ix_feed_is_enabled ON feed (is_enabled);
CREATE TABLE download (
    feed_id varchar NOT NULL REFERENCES feed (id),
    id varchar NOT NULL,
    source_url varchar NOT NULL,
    title varchar NOT NULL,
    published timestamptz NOT NULL,
    ext varchar NOT NULL,
    mime_type varchar,
    filesize bigint NOT NULL,
    duration integer NOT NULL,
    status download_status NOT NULL,
    discovered_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    thumbnail varchar,
    description varchar,
    quality_info varchar,
    retries integer NOT NULL DEFAULT 0,
    last_error varchar,
    downloaded_at timestamptz,
    PRIMARY KEY (feed_id, id)
);
CREATE INDEX idx_feed_published ON download (feed_id, published);
CREATE INDEX idx_feed_status ON download (feed_id, status);
CREATE INDEX idx_download_published ON download (published DESC);
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
        since, keep_last, name, subtitle, description, language, author, image_url,
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
