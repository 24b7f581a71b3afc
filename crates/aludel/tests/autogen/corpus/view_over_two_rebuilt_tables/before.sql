CREATE TABLE feed (id INTEGER PRIMARY KEY, title TEXT);
CREATE TABLE download (id INTEGER PRIMARY KEY, feed_id INTEGER REFERENCES feed (id), size TEXT);
CREATE VIEW sizes AS SELECT f.title, d.size FROM feed f JOIN download d ON d.feed_id = f.id;
CREATE VIEW big AS SELECT title FROM sizes WHERE size > 10;
