CREATE SCHEMA billing;
CREATE TABLE billing.invoice (id integer PRIMARY KEY, total numeric(12,2));
