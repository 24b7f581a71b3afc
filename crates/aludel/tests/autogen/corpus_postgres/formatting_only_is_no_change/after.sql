CREATE TABLE "feed" (
  "id"     INT4 PRIMARY KEY,
  title  TEXT NOT NULL DEFAULT ('x'),
  amount DECIMAL(10,2)
);
CREATE INDEX feed_title ON feed USING btree (title ASC);
