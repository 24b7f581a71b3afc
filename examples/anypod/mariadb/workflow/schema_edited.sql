-- examples/anypod/mariadb/schema.sql after the edit of the walk-through
-- (workflow.sh copies it over schema.sql): feed.title renamed to feed.name,
-- a JSON column feed.tags (LONGTEXT with a JSON_VALID check on MariaDB), an
-- index on download.published, download.mime_type nullable, and
-- download.filesize BIGINT.

CREATE TABLE feed (
    id VARCHAR(255) NOT NULL,
    is_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    source_type ENUM('channel', 'playlist', 'single_video', 'unknown') NOT NULL,
    source_url VARCHAR(2048) NOT NULL,
    last_successful_sync DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_rss_generation DATETIME NULL,
    last_failed_sync DATETIME NULL,
    consecutive_failures INT NOT NULL DEFAULT 0,
    total_downloads INT NOT NULL DEFAULT 0,
    since DATETIME NULL,
    keep_last INT NULL,
    name VARCHAR(1024) NULL,
    subtitle VARCHAR(1024) NULL,
    description TEXT NULL,
    language VARCHAR(32) NULL,
    author VARCHAR(255) NULL,
    image_url VARCHAR(2048) NULL,
    category VARCHAR(255) NOT NULL DEFAULT 'TV & Film',
    explicit VARCHAR(5) NOT NULL DEFAULT 'NO',
    tags JSON NULL,
    PRIMARY KEY (id),
    KEY ix_feed_is_enabled (is_enabled),
    CONSTRAINT feed_explicit CHECK (explicit IN ('YES', 'NO', 'CLEAN'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE download (
    feed_id VARCHAR(255) NOT NULL,
    id VARCHAR(255) NOT NULL,
    source_url VARCHAR(2048) NOT NULL,
    title VARCHAR(1024) NOT NULL,
    published DATETIME NOT NULL,
    ext VARCHAR(16) NOT NULL,
    mime_type VARCHAR(255) NULL,
    filesize BIGINT NOT NULL,
    duration INT NOT NULL,
    status ENUM('UPCOMING', 'QUEUED', 'DOWNLOADED', 'ERROR', 'SKIPPED', 'ARCHIVED') NOT NULL,
    discovered_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    thumbnail VARCHAR(2048) NULL,
    description TEXT NULL,
    quality_info VARCHAR(255) NULL,
    retries INT NOT NULL DEFAULT 0,
    last_error TEXT NULL,
    downloaded_at DATETIME NULL,
    PRIMARY KEY (feed_id, id),
    KEY idx_feed_published (feed_id, published),
    KEY idx_feed_status (feed_id, status),
    KEY idx_download_published (published),
    CONSTRAINT download_feed FOREIGN KEY (feed_id) REFERENCES feed (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
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
