CREATE TABLE feed (
    id integer PRIMARY KEY,
    title text NOT NULL,
    amount text
);
COMMENT ON TABLE feed IS 'the feeds';
COMMENT ON COLUMN feed.title IS 'shown';
