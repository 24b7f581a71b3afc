CREATE TABLE download (id INTEGER PRIMARY KEY, filesize INTEGER, ratio REAL NOT NULL DEFAULT 0, title VARCHAR(200));
CREATE INDEX ix_download_filesize ON download (filesize);
