CREATE TABLE feed (id INTEGER PRIMARY KEY, language TEXT, updated_at DATETIME);
