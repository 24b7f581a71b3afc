-- Initial schema from SQLModels
--
-- Revision ID: 423d964333d1
-- Revises: 
-- Create Date: 2025-06-25 23:41:04.000000

-- migrate:upgrade
-- The CREATE statements are written exactly as SQLAlchemy emitted them for
-- Alembic (tab indentation, ", " before each newline), because SQLite keeps
-- this text in sqlite_master: the trailing spaces are deliberate.

CREATE TABLE feed (
	id VARCHAR NOT NULL, 
	is_enabled BOOLEAN DEFAULT '1' NOT NULL, 
	source_type VARCHAR(12) NOT NULL, 
	source_url VARCHAR NOT NULL, 
	last_successful_sync DATETIME DEFAULT (datetime('now', 'utc')) NOT NULL, 
	created_at DATETIME DEFAULT (datetime('now', 'utc')) NOT NULL, 
	updated_at DATETIME DEFAULT (datetime('now', 'utc')) NOT NULL, 
	last_rss_generation DATETIME, 
	last_failed_sync DATETIME, 
	consecutive_failures INTEGER DEFAULT '0' NOT NULL, 
	total_downloads INTEGER DEFAULT '0' NOT NULL, 
	since DATETIME, 
	keep_last INTEGER, 
	title VARCHAR, 
	subtitle VARCHAR, 
	description VARCHAR, 
	language VARCHAR, 
	author VARCHAR, 
	image_url VARCHAR, 
	category VARCHAR DEFAULT 'TV & Film' NOT NULL, 
	explicit VARCHAR(5) DEFAULT 'NO' NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_feed_is_enabled ON feed (is_enabled);
CREATE TABLE download (
	feed_id VARCHAR NOT NULL, 
	id VARCHAR NOT NULL, 
	source_url VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	published DATETIME NOT NULL, 
	ext VARCHAR NOT NULL, 
	mime_type VARCHAR NOT NULL, 
	filesize INTEGER NOT NULL, 
	duration INTEGER NOT NULL, 
	status VARCHAR(10) NOT NULL, 
	discovered_at DATETIME DEFAULT (datetime('now', 'utc')) NOT NULL, 
	updated_at DATETIME DEFAULT (datetime('now', 'utc')) NOT NULL, 
	thumbnail VARCHAR, 
	description VARCHAR, 
	quality_info VARCHAR, 
	retries INTEGER DEFAULT '0' NOT NULL, 
	last_error VARCHAR, 
	downloaded_at DATETIME, 
	PRIMARY KEY (feed_id, id), 
	FOREIGN KEY(feed_id) REFERENCES feed (id)
);
CREATE INDEX idx_feed_published ON download (feed_id, published);
CREATE INDEX idx_feed_status ON download (feed_id, status);

-- migrate:downgrade
DROP INDEX idx_feed_status;
DROP INDEX idx_feed_published;
DROP TABLE download;
DROP INDEX ix_feed_is_enabled;
DROP TABLE feed;
