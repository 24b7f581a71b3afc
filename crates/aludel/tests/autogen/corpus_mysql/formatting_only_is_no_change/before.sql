create table feed (id int primary key, title varchar(10) not null default 'x', amount decimal(10, 2));
create index feed_title on feed (title);
