CREATE SCHEMA billing;
CREATE TABLE feed (id integer PRIMARY KEY);
CREATE TABLE billing.invoice (id integer PRIMARY KEY, feed_id integer REFERENCES feed (id), total numeric(12,2));
CREATE INDEX invoice_feed ON billing.invoice (feed_id);
CREATE VIEW billing.big AS SELECT id FROM billing.invoice WHERE total > 100;
