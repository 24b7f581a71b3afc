CREATE TABLE log_event (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL DEFAULT 'info');
CREATE INDEX ix_event_kind ON log_event (kind);
