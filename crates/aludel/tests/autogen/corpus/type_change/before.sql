CREATE TABLE download (id INTEGER PRIMARY KEY, filesize TEXT, ratio INTEGER NOT NULL DEFAULT 0, title VARCHAR(10));
CREATE INDEX ix_download_filesize ON download (filesize);
