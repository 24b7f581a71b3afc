CREATE TABLE feed (id INTEGER PRIMARY KEY, title varchar(20) NOT NULL DEFAULT 'x', n integer default 0 check(n>=0));
CREATE INDEX ix_feed_title ON Feed (Title desc);
create view v_feed as select ID, TITLE from feed;
