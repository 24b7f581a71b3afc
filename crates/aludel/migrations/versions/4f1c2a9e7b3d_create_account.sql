-- Create account
--
-- The migrations the library's documentation examples embed
-- (`embed_migrations!("migrations")`), as an application's would be.
--
-- Revision ID: 4f1c2a9e7b3d
-- Revises: 
-- Create Date: 2026-01-01 00:00:00

-- migrate:upgrade
CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE
);

-- migrate:downgrade
DROP TABLE account;
