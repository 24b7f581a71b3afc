CREATE TABLE t (id INTEGER PRIMARY KEY, flags INTEGER CHECK (flags & 0x01 = 0x01), g INTEGER AS (flags | 0x100), note TEXT NOT NULL DEFAULT '');
CREATE INDEX ix ON t (flags & 0xff) WHERE flags > 0x0;
