CREATE TABLE download (id INTEGER PRIMARY KEY, bytes INTEGER NOT NULL DEFAULT 0, kb INTEGER AS (bytes / 1024));
CREATE INDEX ix_download_bytes ON download (bytes);
