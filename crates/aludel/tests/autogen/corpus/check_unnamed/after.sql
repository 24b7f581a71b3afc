CREATE TABLE download (id INTEGER PRIMARY KEY, retries INTEGER NOT NULL DEFAULT 0, status TEXT, CHECK (length(status) <= 10));
