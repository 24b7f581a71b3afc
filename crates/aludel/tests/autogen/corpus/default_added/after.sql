CREATE TABLE feed (id INTEGER PRIMARY KEY, retries INTEGER DEFAULT 0, created_at DATETIME DEFAULT (datetime('now', 'utc')));
