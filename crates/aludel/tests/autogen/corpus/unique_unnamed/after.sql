CREATE TABLE feed (id INTEGER PRIMARY KEY, source_url TEXT NOT NULL, slug TEXT, lang TEXT, UNIQUE (slug, lang));
