CREATE TABLE download (id INTEGER PRIMARY KEY, filesize INTEGER NOT NULL DEFAULT 0, kb INTEGER AS (filesize / 1024));
CREATE INDEX ix_download_bytes ON download (filesize);
