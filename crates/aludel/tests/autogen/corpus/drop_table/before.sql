CREATE TABLE feed (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
CREATE TABLE obsolete (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'x');
CREATE INDEX ix_obsolete_note ON obsolete (note);
