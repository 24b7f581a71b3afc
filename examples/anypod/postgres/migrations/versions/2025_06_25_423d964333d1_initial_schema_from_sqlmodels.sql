-- Initial schema from SQLModels
--
-- Revision ID: 423d964333d1
-- Revises: 
-- Create Date: 2025-06-25 23:41:04.000000

-- migrate:upgrade
-- Anypod's first revision written for PostgreSQL: the two enums as enum
-- types, timestamps as timestamptz, booleans as boolean.

CREATE TYPE source_type AS ENUM ('channel', 'playlist', 'single_video', 'unknown');
CREATE TYPE download_status AS ENUM ('UPCOMING', 'QUEUED', 'DOWNLOADED', 'ERROR', 'SKIPPED', 'ARCHIVED');
CREATE TABLE feed (
    id varchar NOT NULL PRIMARY KEY,
    is_enabled boolean NOT NULL DEFAULT true,
    source_type source_type NOT NULL,
    source_url varchar NOT NULL,
    last_successful_sync timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_rss_generation timestamptz,
    last_failed_sync timestamptz,
    consecutive_failures integer NOT NULL DEFAULT 0,
    total_downloads integer NOT NULL DEFAULT 0,
    since timestamptz,
    keep_last integer,
    title varchar,
    subtitle varchar,
    description varchar,
    language varchar,
    author varchar,
    image_url varchar,
    category varchar NOT NULL DEFAULT 'TV & Film',
    explicit varchar(5) NOT NULL DEFAULT 'NO' CHECK (explicit IN ('YES', 'NO', 'CLEAN'))
);
CREATE INDEX ix_feed_is_enabled ON feed (is_enabled);
CREATE TABLE download (
    feed_id varchar NOT NULL REFERENCES feed (id),
    id varchar NOT NULL,
    source_url varchar NOT NULL,
    title varchar NOT NULL,
    published timestamptz NOT NULL,
    ext varchar NOT NULL,
    mime_type varchar NOT NULL,
    filesize integer NOT NULL,
    duration integer NOT NULL,
    status download_status NOT NULL,
    discovered_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    thumbnail varchar,
    description varchar,
    quality_info varchar,
    retries integer NOT NULL DEFAULT 0,
    last_error varchar,
    downloaded_at timestamptz,
    PRIMARY KEY (feed_id, id)
);
CREATE INDEX idx_feed_published ON download (feed_id, published);
CREATE INDEX idx_feed_status ON download (feed_id, status);

-- migrate:downgrade
DROP TABLE download;
DROP TABLE feed;
DROP TYPE download_status;
DROP TYPE source_type;
