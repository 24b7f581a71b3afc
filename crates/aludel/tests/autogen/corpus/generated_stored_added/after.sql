CREATE TABLE download (id INTEGER PRIMARY KEY, title TEXT NOT NULL, title_lower TEXT GENERATED ALWAYS AS (lower(title)) STORED);
CREATE INDEX ix_download_title_lower ON download (title_lower);
