CREATE TABLE download (id TEXT NOT NULL, title TEXT, PRIMARY KEY (id));
