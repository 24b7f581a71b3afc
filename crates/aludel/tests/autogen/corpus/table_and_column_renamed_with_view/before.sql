CREATE TABLE episode (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE note (id INTEGER PRIMARY KEY, episode_id INTEGER REFERENCES episode (id));
CREATE INDEX ix_episode_name ON episode (name);
CREATE VIEW episode_names AS SELECT name FROM episode;
