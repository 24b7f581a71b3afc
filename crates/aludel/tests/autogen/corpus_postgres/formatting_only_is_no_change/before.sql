create table feed (id integer primary key, title text not null default 'x', amount numeric(10, 2));
create index feed_title on feed (title);
