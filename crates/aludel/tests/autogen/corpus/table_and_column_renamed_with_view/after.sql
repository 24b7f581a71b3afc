CREATE TABLE download (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
CREATE TABLE note (id INTEGER PRIMARY KEY, episode_id INTEGER REFERENCES download (id));
CREATE INDEX ix_episode_name ON download (title);
CREATE VIEW episode_names AS SELECT title FROM download;
