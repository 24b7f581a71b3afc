CREATE TABLE download (id INTEGER PRIMARY KEY, retries INTEGER NOT NULL DEFAULT 0, status TEXT, CONSTRAINT ck_retries CHECK (retries >= 0));
