CREATE TABLE feed (id TEXT PRIMARY KEY, title TEXT, is_enabled BOOLEAN DEFAULT 1);
CREATE VIEW v1_enabled AS SELECT id, title FROM feed WHERE is_enabled;
CREATE VIEW v2_titles AS SELECT upper(title) AS t FROM v1_enabled;
CREATE VIEW v3_count AS SELECT count(*) AS n FROM v2_titles;
