CREATE TABLE other (id integer PRIMARY KEY, at timestamp(3) without time zone, tags text[], price numeric(8,3), blob bytea, flag boolean DEFAULT false);
