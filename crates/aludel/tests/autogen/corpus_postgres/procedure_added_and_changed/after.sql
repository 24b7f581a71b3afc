CREATE TABLE audit (id serial PRIMARY KEY, msg text);
CREATE PROCEDURE log_msg(m text) LANGUAGE sql AS $$ INSERT INTO audit (msg) VALUES (upper(m)) $$;
CREATE FUNCTION add_one(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x + 1 $$;
