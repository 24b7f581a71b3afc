CREATE TABLE feed (
    id integer PRIMARY KEY,
    title text NOT NULL,
    amount text
);
COMMENT ON TABLE feed IS 'feeds';
COMMENT ON COLUMN feed.amount IS 'old';
