//! Anypod's two revisions in MySQL's SQL: the feed and download schema (with
//! lengths on every `VARCHAR`, which MySQL requires), then triggers that
//! count downloads (one event each; one with a `BEGIN … END` body, which the
//! MySQL flavour keeps whole without `DELIMITER`).

/// Anypod's first revision.
pub const MYSQL_ANYPOD_BASE_UP: &str = "CREATE TABLE feed (\n\
    id VARCHAR(255) NOT NULL PRIMARY KEY,\n\
    source_type VARCHAR(12) NOT NULL,\n\
    source_url VARCHAR(2048) NOT NULL,\n\
    total_downloads INTEGER DEFAULT 0 NOT NULL\n);\n\
CREATE TABLE download (\n\
    feed_id VARCHAR(255) NOT NULL,\n\
    id VARCHAR(255) NOT NULL,\n    source_url VARCHAR(2048) NOT NULL,\n    title VARCHAR(1024) NOT NULL,\n\
    published TIMESTAMP NOT NULL,\n    ext VARCHAR(16) NOT NULL,\n    mime_type VARCHAR(64) NOT NULL,\n\
    filesize INTEGER NOT NULL,\n    duration INTEGER NOT NULL,\n    status VARCHAR(32) NOT NULL,\n\
    PRIMARY KEY (feed_id, id),\n    FOREIGN KEY (feed_id) REFERENCES feed (id)\n);\n\
CREATE INDEX idx_feed_status ON download (feed_id, status);\n";

/// Anypod's trigger revision: two triggers keep `feed.total_downloads`, and
/// a backfill recomputes it.
pub const MYSQL_ANYPOD_HEAD_UP: &str = "CREATE TRIGGER download_counts_ins AFTER INSERT ON download\n\
    FOR EACH ROW\n\
BEGIN\n\
    UPDATE feed SET total_downloads = (SELECT count(*) FROM download\n\
        WHERE feed_id = NEW.feed_id AND status = 'DOWNLOADED') WHERE id = NEW.feed_id;\n\
END;\n\
CREATE TRIGGER download_counts_upd AFTER UPDATE ON download\n\
    FOR EACH ROW UPDATE feed SET total_downloads = (SELECT count(*) FROM download\n\
        WHERE feed_id = NEW.feed_id AND status = 'DOWNLOADED') WHERE id = NEW.feed_id;\n\
UPDATE feed SET total_downloads = (SELECT count(*) FROM download\n\
    WHERE download.feed_id = feed.id AND status = 'DOWNLOADED');\n";

/// The trigger revision's downgrade.
pub const MYSQL_ANYPOD_HEAD_DOWN: &str =
    "DROP TRIGGER download_counts_upd;\nDROP TRIGGER download_counts_ins;\n";
