CREATE SCHEMA billing;
CREATE TABLE billing.invoice (id integer PRIMARY KEY, total numeric(12,2) NOT NULL DEFAULT 0, paid boolean);
